"""Projects, their pools and trainings, and each pool's progress with its quality events."""

import json
from typing import Any

from fastapi import Request, Response

from kvorum.api.auth import context
from kvorum.services.pools import progress
from kvorum.services.pools import service as pools
from kvorum.services.pools.types import REGULAR_POOL, TRAINING_POOL
from kvorum.services.projects import service as projects
from kvorum.services.quality import history
from kvorum.web.requester.pages import Me, new_router, show
from kvorum.web.sanitize import sanitize_html
from kvorum.web.taskview import script_notice

router = new_router()
PAGE = 100
"""Projects, pools and quality events a page shows, newest first."""


def _newest(before: str | None) -> dict[str, str]:
    """Search parameters of a newest-first page that starts below the id `before`, if given."""
    params = {"sort": "-id", "limit": str(PAGE)}
    if before:
        params["id_lt"] = before
    return params


@router.get("")
def home(request: Request, me: Me, before: str | None = None) -> Response:
    """The requester's projects."""
    found = projects.find(context(request), caller=me.id, params=_newest(before))
    return show(request, "projects.html", projects=found.items, has_more=found.has_more)


@router.get("/projects/{project_id}")
def project_page(request: Request, me: Me, project_id: str) -> Response:
    """A project: what workers read of it, its view's kind, and its pools and trainings."""
    ctx = context(request)
    project = projects.get(ctx, caller=me.id, project_id=project_id)
    params = {"project_id": str(project.id), **_newest(None)}
    regular = pools.find(ctx, caller=me.id, pool_type=REGULAR_POOL, params=params)
    trainings = pools.find(ctx, caller=me.id, pool_type=TRAINING_POOL, params=params)
    return show(
        request,
        "project.html",
        project=project,
        instructions=sanitize_html(str(project.stored_settings.get("public_instructions") or "")),
        view_type=(project.task_spec.get("view_spec") or {}).get("type"),
        script_notice=script_notice(project.task_spec),
        groups=[("Pools", regular), ("Trainings", trainings)],
    )


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@router.get("/pools/{pool_id}")
def pool_page(request: Request, me: Me, pool_id: str, before: str | None = None) -> Response:
    """A pool's progress (tasks, assignments, answers per task, spend) and its quality events."""
    ctx = context(request)
    watched = progress.progress(ctx, caller=me.id, pool_id=pool_id)
    events = history.find(ctx, caller=me.id, pool_id=pool_id, params=_newest(before))
    return show(
        request,
        "pool.html",
        progress=watched,
        pool=watched.pool,
        events=events.items,
        events_more=events.has_more,
        shown=_shown,
    )
