from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.schemas.user_restriction import UserRestrictionIn
from kvorum.services.workforce import restrictions

router = APIRouter(prefix="/user-restrictions", tags=["user restrictions"], responses=ERROR_RESPONSES)


@router.put("", status_code=201, responses={200: {"description": "an existing restriction was replaced"}})
def set_user_restriction(body: UserRestrictionIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Keep a worker out of a pool, a project or all the caller's projects (until will_expire)."""
    restriction, new = restrictions.put(ctx, caller=caller.id, body=body)
    return JSONResponse(restriction, status_code=201 if new else 200)


@router.get("", openapi_extra=search_doc(restrictions.SEARCH))
def find_user_restrictions(
    ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)
) -> dict[str, Any]:
    """Search the caller's restrictions, in force or expired."""
    return restrictions.find(ctx, caller=caller.id, params=params)


@router.get("/{restriction_id}")
def get_user_restriction(restriction_id: str, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """One restriction."""
    return restrictions.get(ctx, caller=caller.id, restriction_id=restriction_id)


@router.delete("/{restriction_id}", status_code=204)
def delete_user_restriction(restriction_id: str, ctx: Ctx, caller: Caller) -> Response:
    """Lift a restriction."""
    restrictions.delete(ctx, caller=caller.id, restriction_id=restriction_id)
    return Response(status_code=204)
