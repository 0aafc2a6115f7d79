from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.requester.bodies import body_doc
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, json_text, query, search_doc
from kvorum.api.requester.creation import Params, create, created_doc
from kvorum.schemas.page import PageOut
from kvorum.schemas.task_out import Batch, TaskSuiteOut
from kvorum.services.tasks import suites as task_suites

router = APIRouter(prefix="/task-suites", tags=["task suites"], responses=ERROR_RESPONSES)
SUITE: dict[int | str, dict[str, Any]] = {200: {"model": TaskSuiteOut}}


@router.post(
    "",
    status_code=201,
    openapi_extra=body_doc("TaskSuiteIn", many=True),
    responses=created_doc(TaskSuiteOut | Batch[TaskSuiteOut]),
)
async def create_task_suites(request: Request, ctx: Ctx, caller: Caller, params: Params) -> Response:
    """Create one suite or many: 201 with them, or (async_mode=true) 202 with an operation."""
    return await create(request, ctx, caller, params, task_suites.BATCH_CREATE)


@router.get(
    "", openapi_extra=search_doc(task_suites.SEARCH), responses={200: {"model": PageOut[TaskSuiteOut]}}
)
def find_task_suites(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> Response:
    """Search the caller's task suites."""
    return json_text(task_suites.find(ctx, caller=caller.id, params=params))


@router.get("/{suite_id}", responses=SUITE)
def get_task_suite(suite_id: str, ctx: Ctx, caller: Caller) -> Response:
    """One task suite."""
    return json_text(task_suites.get(ctx, caller=caller.id, suite_id=suite_id))


@router.patch("/{suite_id}", openapi_extra=body_doc("TaskSuitePatch"), responses=SUITE)
async def patch_task_suite(
    suite_id: str, request: Request, ctx: Ctx, caller: Caller, open_pool: bool = False
) -> Response:
    """Change a suite's overlap or issuing order; open_pool=true also opens its pool."""
    raw = await request.body()
    changed = await run_in_threadpool(
        task_suites.patch, ctx, caller=caller.id, suite_id=suite_id, raw=raw, open_pool=open_pool
    )
    return json_text(changed)


@router.patch("/{suite_id}/set-overlap-or-min", openapi_extra=body_doc("OverlapPatch"), responses=SUITE)
async def set_task_suite_overlap(
    suite_id: str, request: Request, ctx: Ctx, caller: Caller, open_pool: bool = False
) -> Response:
    """Set a suite's overlap, or make it infinite; open_pool=true also opens its pool."""
    raw = await request.body()
    changed = await run_in_threadpool(
        task_suites.set_overlap_or_min, ctx, caller=caller.id, suite_id=suite_id, raw=raw, open_pool=open_pool
    )
    return json_text(changed)
