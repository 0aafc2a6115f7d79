from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.schemas.page import PageOut
from kvorum.schemas.user_restriction import UserRestrictionIn
from kvorum.schemas.user_restriction_out import UserRestrictionOut
from kvorum.services.workforce import restrictions

router = APIRouter(prefix="/user-restrictions", tags=["user restrictions"], responses=ERROR_RESPONSES)


@router.put(
    "",
    status_code=201,
    response_model=UserRestrictionOut,
    responses={200: {"model": UserRestrictionOut, "description": "an existing restriction was replaced"}},
)
def set_user_restriction(body: UserRestrictionIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Keep a worker out of a pool, a project or all the caller's projects (until will_expire)."""
    result = restrictions.put(ctx, caller=caller.id, body=body)
    return JSONResponse(answers.user_restriction(result.restriction), status_code=201 if result.new else 200)


@router.get("", response_model=PageOut[UserRestrictionOut], openapi_extra=search_doc(restrictions.SEARCH))
def find_user_restrictions(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the caller's restrictions, in force or expired."""
    found = restrictions.find(ctx, caller=caller.id, params=params)
    return JSONResponse(answers.page(found, answers.user_restriction))


@router.get("/{restriction_id}", response_model=UserRestrictionOut)
def get_user_restriction(restriction_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    """One restriction."""
    restriction = restrictions.get(ctx, caller=caller.id, restriction_id=restriction_id)
    return JSONResponse(answers.user_restriction(restriction))


@router.delete("/{restriction_id}", status_code=204)
def delete_user_restriction(restriction_id: str, ctx: Ctx, caller: Caller) -> Response:
    """Lift a restriction."""
    restrictions.delete(ctx, caller=caller.id, restriction_id=restriction_id)
    return Response(status_code=204)
