"""/assignments: the requester reads the assignments of their pools and reviews them.

Answers leave out absent values (response_model_exclude_none), as Toloka's objects do.
"""

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.schemas.assignment import AssignmentOut, AssignmentsPage
from kvorum.schemas.common import owner
from kvorum.services.assignments import review
from kvorum.services.assignments.model import Assignment

router = APIRouter(prefix="/assignments", tags=["assignments"], responses=ERROR_RESPONSES)


def _view(assignment: Assignment, caller: int) -> AssignmentOut:
    """The Toloka assignment object: each task as uploaded, with its pool_id (its role left out)."""
    pool_id = str(assignment.pool_id)
    tasks = [
        {key: value for key, value in {**task, "pool_id": pool_id}.items() if key != "kind"}
        for task in assignment.tasks
    ]
    return AssignmentOut.model_validate(
        {
            "id": assignment.id,
            "task_suite_id": assignment.task_suite_id,
            "pool_id": pool_id,
            "user_id": str(assignment.worker_id),
            "status": assignment.status,
            "reward": assignment.reward,
            "mixed": assignment.mixed,
            "automerged": False,
            "tasks": tasks,
            "owner": owner(assignment.owner_id, caller),
            "created": assignment.created,
            "submitted": assignment.submitted,
            "accepted": assignment.accepted,
            "rejected": assignment.rejected,
            "skipped": assignment.skipped,
            "expired": assignment.expired,
            "solutions": assignment.solutions,
            "public_comment": assignment.public_comment,
        }
    )


@router.get("", openapi_extra=search_doc(review.SEARCH), response_model_exclude_none=True)
def find_assignments(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> AssignmentsPage:
    """Search assignments in the caller's pools; `status` takes a comma-separated list."""
    found = review.find(ctx, caller=caller.id, params=params)
    return AssignmentsPage(items=[_view(item, caller.id) for item in found.items], has_more=found.has_more)


@router.get("/{assignment_id}", response_model_exclude_none=True)
def get_assignment(assignment_id: str, ctx: Ctx, caller: Caller) -> AssignmentOut:
    """One assignment with its tasks and solutions."""
    return _view(review.get(ctx, caller=caller.id, assignment_id=assignment_id), caller.id)


@router.patch("/{assignment_id}", response_model_exclude_none=True)
async def review_assignment(assignment_id: str, request: Request, ctx: Ctx, caller: Caller) -> AssignmentOut:
    """Accept or reject: {"status": "ACCEPTED" | "REJECTED", "public_comment": ...}."""
    raw = await request.body()
    reviewed = await run_in_threadpool(
        review.review, ctx, caller=caller.id, assignment_id=assignment_id, raw=raw
    )
    return _view(reviewed, caller.id)
