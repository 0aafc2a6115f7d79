from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.services.assignments import service as assignments

router = APIRouter(prefix="/assignments", tags=["assignments"], responses=ERROR_RESPONSES)


@router.get("", openapi_extra=search_doc(assignments.SEARCH))
def find_assignments(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> dict[str, Any]:
    """Search assignments in the caller's pools; `status` takes a comma-separated list."""
    return assignments.find(ctx, caller=caller.id, params=params)


@router.get("/{assignment_id}")
def get_assignment(assignment_id: str, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """One assignment with its tasks and solutions."""
    return assignments.get(ctx, caller=caller.id, assignment_id=assignment_id)


@router.patch("/{assignment_id}")
async def review_assignment(assignment_id: str, request: Request, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """Accept or reject: {"status": "ACCEPTED" | "REJECTED", "public_comment": ...}."""
    raw = await request.body()
    return await run_in_threadpool(
        assignments.review, ctx, caller=caller.id, assignment_id=assignment_id, raw=raw
    )
