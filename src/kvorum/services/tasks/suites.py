"""Task suites: tasks grouped into pages by the requester rather than by the mixer."""

from collections.abc import Mapping
from typing import Any

import orjson

from kvorum.schemas import task as schema
from kvorum.schemas.common import format_datetime
from kvorum.services import search as search_rules
from kvorum.services.bulk import run as batch
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems
from kvorum.services.pools import lifecycle
from kvorum.services.tasks.service import (
    STORED_KEYS,
    check_solutions,
    overlap_change,
    overlap_json,
    overlap_values,
    resolve_overlap,
    search_json,
    validated_body,
)
from kvorum.services.tasks.targets import TargetPools
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
assert set(TASK_KEYS) <= set(STORED_KEYS)


def _prepare(item: batch.Item, targets: TargetPools, params: batch.CreateParams) -> None:
    sent, errors = item.sent, item.errors
    pool = targets.resolve(sent["pool_id"])
    if isinstance(pool, tuple):
        errors["pool_id"] = {"code": pool[0], "message": pool[1]}
        return
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
        return
    item.pool = pool
    tasks = [{key: value for key, value in task.items() if key in TASK_KEYS} for task in sent["tasks"]]
    extra = {key: sent[key] for key in SUITE_KEYS if key in sent}
    order = float(sent.get("issuing_order_override", 0))
    item.row = (pool.owner_id, pool.id, overlap, infinite, order, tasks, extra)


def _persist(conn: Any, items: list[batch.Item], now: Any) -> None:
    """Give suites and their tasks ids and insert them; `row` becomes the row in SUITE_INSERT order."""
    suite_ids = store.allocate_ids(conn, sequence="task_suite", count=len(items))
    task_count = sum(len(item.row[5]) for item in items if item.row is not None)
    task_ids = iter(store.allocate_ids(conn, sequence="task", count=task_count))
    rows: list[tuple[Any, ...]] = []
    members: list[tuple[str, int, str]] = []
    for item, suite_id in zip(items, suite_ids, strict=True):
        assert item.row is not None
        owner_id, pool_id, overlap, infinite, order, tasks, extra = item.row
        tasks = [{"id": next(task_ids), **task} for task in tasks]
        members.extend((suite_id, position, task["id"]) for position, task in enumerate(tasks))
        body = orjson.dumps({"tasks": tasks, **extra}).decode()
        item.id = suite_id
        item.row = (suite_id, owner_id, pool_id, now, overlap, infinite, order, body)
        rows.append(item.row)
    store.insert_suites(conn, rows, members)


def render(row: Mapping[Any, Any]) -> str:
    parts = [f'"id":"{row["id"]}"', f'"pool_id":"{row["pool_id"]}"', row["body"][1:-1], overlap_json(row)]
    parts.append(f'"issuing_order_override":{orjson.dumps(row["issuing_order_override"]).decode()}')
    parts.append(f'"created":"{format_datetime(row["created"])}"')
    return "{" + ",".join(parts) + "}"


KIND = batch.register(
    batch.ObjectKind(
        noun="task suite",
        operation_type="TASK_SUITE.BATCH_CREATE",
        quota_action="task_suite_create",
        log_create="TASK_SUITE_CREATE",
        log_validate="TASK_SUITE_VALIDATE",
        output_key="task_suite_id",
        single=schema.TASK_SUITE,
        many=schema.TASK_SUITES,
        units=lambda sent: len(sent["tasks"]),
        prepare=_prepare,
        persist=_persist,
        render=lambda row: render(dict(zip(store.SUITE_INSERT, row, strict=True))),
    )
)


def get(ctx: Context, *, caller: int, suite_id: str) -> str:
    with ctx.db.read() as conn:
        row = store.get_suite(conn, owner_id=caller, suite_id=suite_id)
    if row is None:
        raise NotFound(f"Task suite {suite_id} does not exist")
    return render(row._mapping)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> str:
    return search_json(ctx, caller=caller, params=params, spec=SEARCH, find=store.find_suites, render=render)


def _changed(ctx: Context, caller: int, suite_id: str, values: dict[str, Any], open_pool: bool) -> str:
    """Write the suite's new values and, when asked, open its pool; answer the suite."""
    with ctx.db.write() as conn:
        row = store.get_suite(conn, owner_id=caller, suite_id=suite_id)
        if row is None:
            raise NotFound(f"Task suite {suite_id} does not exist")
        pool = TargetPools(conn, caller).resolve(str(row.pool_id))
        if isinstance(pool, tuple):
            raise Conflict(f"Task suite {suite_id} cannot change: {pool[1]}")
        if values:
            store.update_suite(conn, suite_id=suite_id, values=values)
        if open_pool:
            lifecycle.open_pools(ctx, conn, caller, {pool.id})
        updated = store.get_suite(conn, owner_id=caller, suite_id=suite_id)
    assert updated is not None
    return render(updated._mapping)


def patch(ctx: Context, *, caller: int, suite_id: str, raw: bytes, open_pool: bool) -> str:
    """Change a suite's overlap or issuing order."""
    body = validated_body(schema.TASK_SUITE_PATCH, raw)
    problems = Problems()
    values = overlap_values(body, problems)
    problems.raise_if_any()
    if "issuing_order_override" in body:
        values["issuing_order_override"] = body["issuing_order_override"]
    return _changed(ctx, caller, suite_id, values, open_pool)


def set_overlap_or_min(ctx: Context, *, caller: int, suite_id: str, raw: bytes, open_pool: bool) -> str:
    """Set a suite's overlap, or make it infinite."""
    return _changed(ctx, caller, suite_id, overlap_change(raw), open_pool)
