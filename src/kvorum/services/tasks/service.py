"""Tasks: creation rules, reading, and changes of overlap and solutions."""

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
from kvorum.services.tasks.bodies import validated_body
from kvorum.services.tasks.model import Task
from kvorum.services.tasks.overlap import overlap_change, overlap_values, resolve_overlap
from kvorum.services.tasks.rendering import render_task, search_page
from kvorum.services.tasks.solutions import check_solutions, task_role
from kvorum.services.tasks.targets import TargetPool, pool_of_changed
from kvorum.services.tasks.values import Errors
from kvorum.store import tasks as store

STORED_KEYS = frozenset(
    {
        "input_values",
        "known_solutions",
        "message_on_unknown_solution",
        "baseline_solutions",
        "reserved_for",
        "unavailable_for",
        "traits_all_of",
        "traits_any_of",
        "traits_none_of_any",
    }
)
SEARCH = search_rules.SearchSpec(
    exact={"pool_id": search_rules.numeric_id, "overlap": search_rules.integer},
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
class NewTask:
    """A checked task, ready to be given an id and inserted (slotted, not frozen, like Task)."""

    owner_id: int
    pool_id: int
    overlap: int | None
    infinite_overlap: bool
    role: str
    body: str


def _prepare(
    sent: Mapping[str, Any], pool: TargetPool, params: CreateParams, errors: Errors
) -> NewTask | None:
    pool.inputs.check(sent["input_values"], "input_values", errors)
    check_solutions(sent, pool, "", errors)
    overlap, infinite = resolve_overlap(
        sent,
        pool.task_overlap,
        always_shown=bool(sent.get("known_solutions")) or pool.training,
        allow_defaults=params.allow_defaults,
        errors=errors,
    )
    if errors:
        return None
    body = orjson.dumps({key: value for key, value in sent.items() if key in STORED_KEYS}).decode()
    return NewTask(pool.owner_id, pool.id, overlap, infinite, task_role(sent, pool.training), body)


def _persist(conn: Connection, new: Sequence[NewTask], now: datetime) -> list[str]:
    """Give the tasks ids and insert them in one bulk write."""
    ids = store.allocate_ids(conn, sequence="task", count=len(new))
    rows: list[store.TaskValues] = [
        (task_id, task.owner_id, task.pool_id, now, task.overlap, task.infinite_overlap, task.role, task.body)
        for task, task_id in zip(new, ids, strict=True)
    ]
    store.insert_tasks(conn, rows)
    return ids


def _render_new(task: NewTask, task_id: str, created: datetime) -> RenderedJson:
    return render_task(
        Task(task_id, task.pool_id, created, task.overlap, task.infinite_overlap, 0, task.body)
    )


BATCH_CREATE = BulkType(
    noun="task",
    operation_type="TASK.BATCH_CREATE",
    quota_action="task_create",
    log_create="TASK_CREATE",
    log_validate="TASK_VALIDATE",
    output_key="task_id",
    one=schema.TASK,
    many=schema.TASKS,
    units=lambda sent: 1,
    prepare=_prepare,
    persist=_persist,
    render=_render_new,
)


def get(ctx: Context, *, caller: int, task_id: str) -> RenderedJson:
    with ctx.db.read() as conn:
        row = store.get_task(conn, owner_id=caller, task_id=task_id)
    if row is None:
        raise NotFound(f"Task {task_id} does not exist")
    return render_task(Task.from_row(row))


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> RenderedJson:
    return search_page(
        ctx,
        SEARCH,
        params,
        find=lambda conn, search: store.find_tasks(conn, owner_id=caller, search=search),
        read=Task.from_row,
        render=render_task,
    )


def _changeable_task(conn: Connection, caller: int, task_id: str) -> tuple[Task, TargetPool]:
    row = store.get_task(conn, owner_id=caller, task_id=task_id)
    if row is None:
        raise NotFound(f"Task {task_id} does not exist")
    return Task.from_row(row), pool_of_changed(conn, caller, row.pool_id, f"Task {task_id}")


def _mark_raised(task: Task, values: dict[str, Any], now: datetime) -> None:
    """Note when a task's overlap grows: the mixer waits for more work after that, as after new tasks."""
    if task.infinite_overlap or task.overlap is None:
        return
    wanted = values.get("overlap")
    if values.get("infinite_overlap") or (wanted is not None and wanted > task.overlap):
        values["overlap_raised"] = now


def _reread(conn: Connection, caller: int, task_id: str) -> Task:
    row = store.get_task(conn, owner_id=caller, task_id=task_id)
    assert row is not None
    return Task.from_row(row)


def patch(ctx: Context, *, caller: int, task_id: str, raw: bytes) -> RenderedJson:
    """Change overlap, solutions or the training hint of a task."""
    body = validated_body(schema.TASK_PATCH, raw)
    with ctx.db.write() as conn:
        task, pool = _changeable_task(conn, caller, task_id)
        problems = Problems()
        values = overlap_values(body, problems)
        stored = orjson.loads(task.body)
        errors: Errors = {}
        check_solutions({**stored, **body}, pool, "", errors)
        for path, error in errors.items():
            problems.add(path, error["code"], error["message"])
        problems.raise_if_any()
        stored.update({key: body[key] for key in STORED_KEYS if key in body})
        values["body"] = orjson.dumps(stored).decode()
        values["kind"] = task_role(stored, pool.training)  # the role column
        _mark_raised(task, values, ctx.clock.now())
        store.update_task(conn, task_id=task_id, values=values)
        updated = _reread(conn, caller, task_id)
    return render_task(updated)


def set_overlap_or_min(ctx: Context, *, caller: int, task_id: str, raw: bytes) -> RenderedJson:
    """Set the task's overlap, or make it infinite."""
    values = overlap_change(raw)
    with ctx.db.write() as conn:
        task, _ = _changeable_task(conn, caller, task_id)
        _mark_raised(task, values, ctx.clock.now())
        store.update_task(conn, task_id=task_id, values=values)
        updated = _reread(conn, caller, task_id)
    return render_task(updated)
