"""The preview of a project's task page as a worker will see it, for one of its tasks or a sample.

It is how a requester debugs a view, so what the renderer could not draw (unsupported components,
a classic script that is not run) is listed above the task. Its Submit sends nothing to anyone: the
page comes back with the answers a worker's submit would carry and the server's checks of them.
"""

import json
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.auth import context
from kvorum.services.accounts.requesters import Requester
from kvorum.services.projects import preview as previews
from kvorum.services.projects.preview import Preview
from kvorum.web import solutions
from kvorum.web.requester.pages import Me, new_router, show
from kvorum.web.routing import form
from kvorum.web.sanitize import sanitize_html
from kvorum.web.taskview import TaskView, draw_suite

router = new_router()
Form = Annotated[dict[str, str], Depends(form)]


def _load(request: Request, me: Requester, project_id: str, task_id: str | None) -> Preview:
    ctx = context(request)
    if task_id:
        return previews.of_task(ctx, caller=me.id, project_id=project_id, task_id=task_id)
    return previews.sample(ctx, caller=me.id, project_id=project_id)


def _page(
    request: Request,
    preview: Preview,
    *,
    sent: list[dict[str, Any]] | None = None,
    errors: dict[tuple[int, str], str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    values = None if sent is None else [item["output_values"] for item in sent]
    suite = draw_suite(preview.task_spec, [TaskView(preview.input_values)], errors=errors, values=values)
    return show(
        request,
        "preview.html",
        status=status,
        preview=preview,
        project=preview.project,
        view_type=(preview.task_spec.get("view_spec") or {}).get("type"),
        inputs=json.dumps(preview.input_values, ensure_ascii=False, indent=2),
        instructions=sanitize_html(preview.instructions),
        suite=suite.html,
        notices=suite.notices,
        sent=None if sent is None else json.dumps({"solutions": sent}, ensure_ascii=False, indent=2),
        problem=problem,
    )


@router.get("/projects/{project_id}/preview")
def preview_page(request: Request, me: Me, project_id: str, task_id: str | None = None) -> Response:
    """The task of `task_id`, or a sample made from the input spec, drawn as for a worker."""
    return _page(request, _load(request, me, project_id, task_id))


@router.post("/projects/{project_id}/preview")
async def try_submit(request: Request, me: Me, project_id: str, fields: Form) -> Response:
    """What a worker's submit of these answers would send, and what the server would say of it."""
    preview = await run_in_threadpool(_load, request, me, project_id, fields.get("task_id") or None)
    sent = solutions.read(fields.get("solutions", ""))
    if sent is None or len(sent) != 1:
        return _page(request, preview, problem="The answers could not be read; try again.", status=400)
    problems = previews.check_answers(preview, [item["output_values"] for item in sent])
    by_field, other = solutions.errors_by_field(problems)
    message = other or ("Some answers need attention." if by_field else None)
    return _page(request, preview, sent=sent, errors=by_field, problem=message)
