"""The worker's pages: the pool board, taking a pool, and the task page with its submit and skip.

The task page draws the suite with the task view renderer (`web/taskview/`); its script writes
the answers into the hidden `solutions` field, and the server's checks of them are the truth: a
refused submit comes back as the same page with each message next to its field.
"""

import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.auth import context
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import lifecycle
from kvorum.services.assignments.model import WorkerAssignment
from kvorum.services.context import Context
from kvorum.services.errors import ValidationFailed
from kvorum.services.issuing import service as issuing
from kvorum.web import solutions
from kvorum.web.routing import PageRoute, form, see_other, signed_in
from kvorum.web.sanitize import sanitize_html
from kvorum.web.taskview import TaskView, draw_suite
from kvorum.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Me = Annotated[Worker, Depends(signed_in)]
Form = Annotated[dict[str, str], Depends(form)]
NOTES = {"submitted": "Your answers were sent.", "skipped": "You gave the task back."}


def _active(ctx: Context, worker: Worker) -> list[WorkerAssignment]:
    """The worker's active assignments: one a pool at most."""
    return lifecycle.list_for_worker(ctx, worker=worker, status="ACTIVE", after=None, limit=1000)[0]


@router.get("/work")
def pool_board(request: Request, me: Me) -> Response:
    """Every open pool: what it pays, what it asks, how long it allows, or why it is closed to this worker."""
    ctx = context(request)
    offers = issuing.pool_board(ctx, worker=me)
    active = _active(ctx, me)
    titles = {offer.id: offer.title for offer in offers}
    return render(
        request,
        "pools.html",
        offers=offers,
        instructions={offer.id: sanitize_html(offer.instructions) for offer in offers},
        active=[(item.assignment, titles.get(item.assignment.pool_id, "")) for item in active],
        note=NOTES.get(request.query_params.get("done", "")),
    )


@router.post("/work/pools/{pool_id}/take")
async def take(request: Request, me: Me, pool_id: str) -> Response:
    """A new assignment of the pool, or the one the worker already has there."""
    ctx = context(request)
    try:
        handed = await run_in_threadpool(issuing.issue, ctx, worker=me, pool_id=pool_id)
    except issuing.ActiveAssignment:
        active = await run_in_threadpool(_active, ctx, me)
        resumed = [item for item in active if str(item.assignment.pool_id) == pool_id]
        if not resumed:  # it ended meanwhile
            raise
        handed = resumed[0]
    return see_other(f"/work/assignments/{handed.assignment.id}")


@router.get("/work/assignments/{assignment_id}")
def task_page(request: Request, me: Me, assignment_id: str) -> Response:
    handed = lifecycle.get_for_worker(context(request), worker=me, assignment_id=assignment_id)
    return _task_page(request, handed)


def _task_page(
    request: Request,
    handed: WorkerAssignment,
    *,
    errors: Mapping[tuple[int, str], str] | None = None,
    values: list[dict[str, Any]] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    assignment = handed.assignment
    suite = None
    if assignment.status == "ACTIVE":
        tasks = [TaskView(task["input_values"]) for task in handed.shown_tasks()]
        suite = draw_suite(handed.task_spec, tasks, errors=errors, values=values).html
    return render(
        request,
        "task.html",
        status=status,
        assignment=assignment,
        instructions=sanitize_html(handed.instructions),
        suite=suite,
        problem=problem,
        now=context(request).clock.now(),
    )


@router.post("/work/assignments/{assignment_id}/submit")
async def submit(request: Request, me: Me, assignment_id: str, fields: Form) -> Response:
    ctx = context(request)
    answers = solutions.read(fields.get("solutions", ""))
    if answers is None:
        handed = await run_in_threadpool(
            lifecycle.get_for_worker, ctx, worker=me, assignment_id=assignment_id
        )
        return _task_page(request, handed, problem="The answers could not be read; try again.", status=400)
    raw = json.dumps({"solutions": answers}).encode()
    try:
        handed = await run_in_threadpool(
            lifecycle.submit, ctx, worker=me, assignment_id=assignment_id, raw=raw
        )
    except ValidationFailed as exc:
        errors, problem = solutions.errors_by_field(exc.payload)
        current = await run_in_threadpool(
            lifecycle.get_for_worker, ctx, worker=me, assignment_id=assignment_id
        )
        values = [item["output_values"] for item in answers]
        message = problem or ("Some answers need attention." if errors else exc.message)
        return _task_page(request, current, errors=errors, values=values, problem=message, status=400)
    if not handed.feedback:
        return see_other("/work?done=submitted")
    return _feedback_page(request, handed)


def _feedback_page(request: Request, handed: WorkerAssignment) -> Response:
    """After a training suite: which answers were right, each task with its hint."""
    feedback = {item.task_id: item for item in handed.feedback or ()}
    shown = handed.shown_tasks()
    tasks = [
        TaskView(task["input_values"], hint=feedback[task["id"]].hint if task["id"] in feedback else None)
        for task in shown
    ]
    sent = handed.assignment.solutions or []
    return render(
        request,
        "feedback.html",
        assignment=handed.assignment,
        verdicts=[feedback.get(task["id"]) for task in shown],
        suite=draw_suite(handed.task_spec, tasks, values=[item["output_values"] for item in sent]).html,
    )


@router.post("/work/assignments/{assignment_id}/skip")
async def skip(request: Request, me: Me, assignment_id: str) -> Response:
    await run_in_threadpool(lifecycle.skip, context(request), worker=me, assignment_id=assignment_id)
    return see_other("/work?done=skipped")
