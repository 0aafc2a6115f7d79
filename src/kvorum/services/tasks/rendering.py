"""The wire form of tasks and task suites, assembled around their stored bodies without parsing them."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson
from sqlalchemy import Connection, Row

from kvorum.schemas.common import format_datetime
from kvorum.schemas.rendered import RenderedJson
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.tasks.model import Task, TaskSuite
from kvorum.store.search import Search

Stored = TypeVar("Stored", Task, TaskSuite)


def overlap_json(issued: Task | TaskSuite) -> str:
    """The overlap keys of a task or suite; the client requires overlap exactly when not infinite.

    remaining_overlap is what is left to issue: overlap less the assignments holding a slot.
    """
    if issued.infinite_overlap:
        return '"infinite_overlap":true'
    overlap = issued.overlap
    assert overlap is not None  # creation and changes keep one of the two
    remaining = max(overlap - issued.taken, 0)
    return f'"overlap":{overlap},"infinite_overlap":false,"remaining_overlap":{remaining}'


def render_task(task: Task) -> RenderedJson:
    parts = (
        f'"id":"{task.id}"',
        f'"pool_id":"{task.pool_id}"',
        task.body[1:-1],
        overlap_json(task),
        f'"created":"{format_datetime(task.created)}"',
    )
    return RenderedJson("{" + ",".join(parts) + "}")


def render_suite(suite: TaskSuite) -> RenderedJson:
    parts = (
        f'"id":"{suite.id}"',
        f'"pool_id":"{suite.pool_id}"',
        suite.body[1:-1],
        overlap_json(suite),
        f'"issuing_order_override":{orjson.dumps(suite.issuing_order_override).decode()}',
        f'"created":"{format_datetime(suite.created)}"',
    )
    return RenderedJson("{" + ",".join(parts) + "}")


def search_page(
    ctx: Context,
    spec: search_rules.SearchSpec,
    params: dict[str, str],
    *,
    find: Callable[[Connection, Search], tuple[Sequence[Row[Any]], bool]],
    read: Callable[[Row[Any]], Stored],
    render: Callable[[Stored], RenderedJson],
) -> RenderedJson:
    """A search answer, {"items": [...], "has_more": ...}, of objects rendered one by one."""
    search = search_rules.parse(spec, params)
    with ctx.db.read() as conn:
        rows, has_more = find(conn, search)
    items = ",".join(render(read(row)) for row in rows)
    return RenderedJson('{"items":[' + items + '],"has_more":' + ("true" if has_more else "false") + "}")
