from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.requester.bodies import body_doc
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, json_text, query, search_doc
from kvorum.api.requester.creation import Params, create, created_doc
from kvorum.schemas.page import PageOut
from kvorum.schemas.task_out import Batch, TaskOut
from kvorum.services.tasks import service as tasks

router = APIRouter(prefix="/tasks", tags=["tasks"], responses=ERROR_RESPONSES)
TASK: dict[int | str, dict[str, Any]] = {200: {"model": TaskOut}}


@router.post(
    "",
    status_code=201,
    openapi_extra=body_doc("TaskIn", many=True),
    responses=created_doc(TaskOut | Batch[TaskOut]),
)
async def create_tasks(request: Request, ctx: Ctx, caller: Caller, params: Params) -> Response:
    """Create one task or many: 201 with them, or (async_mode=true) 202 with an operation."""
    return await create(request, ctx, caller, params, tasks.BATCH_CREATE)


@router.get("", openapi_extra=search_doc(tasks.SEARCH), responses={200: {"model": PageOut[TaskOut]}})
def find_tasks(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> Response:
    """Search the caller's tasks."""
    return json_text(tasks.find(ctx, caller=caller.id, params=params))


@router.get("/{task_id}", responses=TASK)
def get_task(task_id: str, ctx: Ctx, caller: Caller) -> Response:
    """One task."""
    return json_text(tasks.get(ctx, caller=caller.id, task_id=task_id))


@router.patch("/{task_id}", openapi_extra=body_doc("TaskPatch"), responses=TASK)
async def patch_task(task_id: str, request: Request, ctx: Ctx, caller: Caller) -> Response:
    """Change a task's overlap, solutions or hint."""
    raw = await request.body()
    return json_text(await run_in_threadpool(tasks.patch, ctx, caller=caller.id, task_id=task_id, raw=raw))


@router.patch("/{task_id}/set-overlap-or-min", openapi_extra=body_doc("OverlapPatch"), responses=TASK)
async def set_task_overlap(task_id: str, request: Request, ctx: Ctx, caller: Caller) -> Response:
    """Set a task's overlap, or make it infinite."""
    raw = await request.body()
    changed = await run_in_threadpool(
        tasks.set_overlap_or_min, ctx, caller=caller.id, task_id=task_id, raw=raw
    )
    return json_text(changed)
