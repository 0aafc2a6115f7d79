"""Task suites: tasks grouped into pages by the requester rather than by the mixer."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from kvorum.schemas import task as schema
from kvorum.schemas.rendered import RenderedJson
from kvorum.services import search as search_rules
from kvorum.services.bulk.bulk_type import BulkType
from kvorum.services.bulk.params import CreateParams
from kvorum.services.context import Context
from kvorum.services.errors import NotFound, Problems
from kvorum.services.pools import lifecycle
from kvorum.services.tasks.bodies import validated_body
from kvorum.services.tasks.model import TaskSuite
from kvorum.services.tasks.overlap import overlap_change, overlap_values, resolve_overlap
from kvorum.services.tasks.rendering import render_suite, search_page
from kvorum.services.tasks.solutions import check_solutions
from kvorum.services.tasks.targets import TargetPool, pool_of_changed
from kvorum.services.tasks.values import Errors
from kvorum.store import tasks as store

SUITE_KEYS = (
    "reserved_for",
    "unavailable_for",
    "traits_all_of",
    "traits_any_of",
    "traits_none_of_any",
    "mixed",
    "longitude",
    "latitude",
)
TASK_KEYS = frozenset({"input_values", "known_solutions", "message_on_unknown_solution"})
SEARCH = search_rules.SearchSpec(
    exact={
        "pool_id": search_rules.numeric_id,
        "task_id": search_rules.text_value,
        "overlap": search_rules.integer,
    },
    ranges={
        "id": search_rules.text_value,
        "created": search_rules.date_time,
        "overlap": search_rules.integer,
    },
    sorts=frozenset({"id", "created"}),
    default_limit=50,
    max_limit=100_000,
)


@dataclass(slots=True)
class NewSuite:
    """A checked suite, ready for its own id and its tasks' ids (slotted, not frozen, like TaskSuite)."""

    owner_id: int
    pool_id: int
    overlap: int | None
    infinite_overlap: bool
    issuing_order_override: float
    tasks: list[dict[str, Any]]
    """The tasks' stored keys, in order; once written, each task's id comes first."""
    extra: dict[str, Any]
    """The suite's own stored keys."""

    def body(self) -> str:
        return orjson.dumps({"tasks": self.tasks, **self.extra}).decode()


def _prepare(
    sent: Mapping[str, Any], pool: TargetPool, params: CreateParams, errors: Errors
) -> NewSuite | None:
    all_known = True
    for index, task in enumerate(sent["tasks"]):
        prefix = f"tasks.{index}."
        if "baseline_solutions" in task:
            errors[f"{prefix}baseline_solutions"] = {
                "code": "VALUE_NOT_ALLOWED",
                "message": "baseline_solutions cannot be used in task suites; create tasks instead",
            }
        pool.inputs.check(task["input_values"], f"{prefix}input_values", errors)
        check_solutions(task, pool, prefix, errors)
        all_known = all_known and bool(task.get("known_solutions"))
    overlap, infinite = resolve_overlap(
        sent,
        pool.suite_overlap,
        always_shown=all_known or pool.training,
        allow_defaults=params.allow_defaults,
        errors=errors,
    )
    if errors:
        return None
    return NewSuite(
        owner_id=pool.owner_id,
        pool_id=pool.id,
        overlap=overlap,
        infinite_overlap=infinite,
        issuing_order_override=float(sent.get("issuing_order_override", 0)),
        tasks=[{key: value for key, value in task.items() if key in TASK_KEYS} for task in sent["tasks"]],
        extra={key: sent[key] for key in SUITE_KEYS if key in sent},
    )


def _persist(conn: Connection, new: Sequence[NewSuite], now: datetime) -> list[str]:
    """Give the suites and their tasks ids and insert them in one bulk write."""
    suite_ids = store.allocate_ids(conn, sequence="task_suite", count=len(new))
    task_ids = iter(store.allocate_ids(conn, sequence="task", count=sum(len(suite.tasks) for suite in new)))
    rows: list[store.SuiteValues] = []
    members: list[store.MemberValues] = []
    for suite, suite_id in zip(new, suite_ids, strict=True):
        suite.tasks = [{"id": next(task_ids), **task} for task in suite.tasks]
        members.extend((suite_id, position, task["id"]) for position, task in enumerate(suite.tasks))
        order, overlap, infinite = suite.issuing_order_override, suite.overlap, suite.infinite_overlap
        rows.append((suite_id, suite.owner_id, suite.pool_id, now, overlap, infinite, order, suite.body()))
    store.insert_suites(conn, rows, members)
    return suite_ids


def _render_new(suite: NewSuite, suite_id: str, created: datetime) -> RenderedJson:
    order, overlap, infinite = suite.issuing_order_override, suite.overlap, suite.infinite_overlap
    return render_suite(
        TaskSuite(suite_id, suite.pool_id, created, overlap, infinite, 0, order, suite.body())
    )


BATCH_CREATE = BulkType(
    noun="task suite",
    operation_type="TASK_SUITE.BATCH_CREATE",
    quota_action="task_suite_create",
    log_create="TASK_SUITE_CREATE",
    log_validate="TASK_SUITE_VALIDATE",
    output_key="task_suite_id",
    one=schema.TASK_SUITE,
    many=schema.TASK_SUITES,
    units=lambda sent: len(sent["tasks"]),
    prepare=_prepare,
    persist=_persist,
    render=_render_new,
)


def get(ctx: Context, *, caller: int, suite_id: str) -> RenderedJson:
    with ctx.db.read() as conn:
        row = store.get_suite(conn, owner_id=caller, suite_id=suite_id)
    if row is None:
        raise NotFound(f"Task suite {suite_id} does not exist")
    return render_suite(TaskSuite.from_row(row))


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> RenderedJson:
    return search_page(
        ctx,
        SEARCH,
        params,
        find=lambda conn, search: store.find_suites(conn, owner_id=caller, search=search),
        read=TaskSuite.from_row,
        render=render_suite,
    )


def _changed(
    ctx: Context, caller: int, suite_id: str, values: dict[str, Any], open_pool: bool
) -> RenderedJson:
    """Write the suite's new values and, when asked, open its pool; answer the suite."""
    with ctx.db.write() as conn:
        row = store.get_suite(conn, owner_id=caller, suite_id=suite_id)
        if row is None:
            raise NotFound(f"Task suite {suite_id} does not exist")
        pool = pool_of_changed(conn, caller, row.pool_id, f"Task suite {suite_id}")
        if values:
            store.update_suite(conn, suite_id=suite_id, values=values)
        if open_pool:
            lifecycle.open_pools(ctx, conn, caller, {pool.id})
        updated = store.get_suite(conn, owner_id=caller, suite_id=suite_id)
    assert updated is not None
    return render_suite(TaskSuite.from_row(updated))


def patch(ctx: Context, *, caller: int, suite_id: str, raw: bytes, open_pool: bool) -> RenderedJson:
    """Change a suite's overlap or issuing order."""
    body = validated_body(schema.TASK_SUITE_PATCH, raw)
    problems = Problems()
    values = overlap_values(body, problems)
    problems.raise_if_any()
    if "issuing_order_override" in body:
        values["issuing_order_override"] = body["issuing_order_override"]
    return _changed(ctx, caller, suite_id, values, open_pool)


def set_overlap_or_min(
    ctx: Context, *, caller: int, suite_id: str, raw: bytes, open_pool: bool
) -> RenderedJson:
    """Set a suite's overlap, or make it infinite."""
    return _changed(ctx, caller, suite_id, overlap_change(raw), open_pool)
