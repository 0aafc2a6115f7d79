"""Tasks: creation rules, reading, and overlap changes."""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError

from kvorum.schemas import task as schema
from kvorum.schemas.common import format_datetime
from kvorum.services import search as search_rules
from kvorum.services.bulk import run as batch
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems, ValidationFailed, validation_payload
from kvorum.services.tasks.targets import TargetPool, TargetPools
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


def resolve_overlap(
    sent: Mapping[str, Any],
    default: int | None,
    *,
    always_shown: bool,
    allow_defaults: bool,
    errors: batch.Errors,
) -> tuple[int | None, bool]:
    """(overlap, infinite_overlap) of a new task or suite.

    Control and training objects without an overlap get infinite overlap: they are meant to be
    shown to every worker the mixer picks.
    """
    overlap, infinite = sent.get("overlap"), sent.get("infinite_overlap")
    if infinite:
        if overlap is not None:
            errors["overlap"] = {
                "code": "VALUE_NOT_ALLOWED",
                "message": "overlap does not go with infinite_overlap",
            }
        return None, True
    if overlap is not None:
        return overlap, False
    if always_shown:
        return None, True
    if allow_defaults and default is not None:
        return default, False
    errors["overlap"] = {
        "code": "VALUE_REQUIRED",
        "message": "overlap is required unless allow_defaults=true with a pool default, or infinite_overlap",
    }
    return None, False


def check_solutions(sent: Mapping[str, Any], pool: TargetPool, prefix: str, errors: batch.Errors) -> None:
    """Solutions must fit the output spec; training and zero-reward pools take only tasks with answers."""
    known = sent.get("known_solutions")
    for key in ("known_solutions", "baseline_solutions"):
        if key in sent:
            for index, solution in enumerate(sent[key] or ()):
                pool.outputs.check(solution["output_values"], f"{prefix}{key}.{index}.output_values", errors)
    if not known and (pool.training or pool.zero_reward):
        why = "a training task" if pool.training else f"pool {pool.id} pays no reward, so a task there"
        errors[f"{prefix}known_solutions"] = {
            "code": "VALUE_REQUIRED",
            "message": f"{why} needs known_solutions",
        }


def task_kind(task: Mapping[str, Any], in_training: bool) -> str:
    """REAL, GOLDEN (control: known answers) or TRAINING (known answers with a hint, or in a training).

    The mixer draws each kind by its own count.
    """
    if in_training:
        return "TRAINING"
    if not task.get("known_solutions"):
        return "REAL"
    return "TRAINING" if task.get("message_on_unknown_solution") else "GOLDEN"


def _prepare(item: batch.Item, targets: TargetPools, params: batch.CreateParams) -> None:
    sent, errors = item.sent, item.errors
    pool = targets.resolve(sent["pool_id"])
    if isinstance(pool, tuple):
        errors["pool_id"] = {"code": pool[0], "message": pool[1]}
        return
    pool.inputs.check(sent["input_values"], "input_values", errors)
    check_solutions(sent, pool, "", errors)
    known = bool(sent.get("known_solutions"))
    overlap, infinite = resolve_overlap(
        sent,
        pool.task_overlap,
        always_shown=known or pool.training,
        allow_defaults=params.allow_defaults,
        errors=errors,
    )
    if errors:
        return
    item.pool = pool
    body = orjson.dumps({key: value for key, value in sent.items() if key in STORED_KEYS}).decode()
    item.row = (pool.owner_id, pool.id, overlap, infinite, task_kind(sent, pool.training), None, body)


def _persist(conn: Any, items: list[batch.Item], now: Any) -> None:
    """Give the items ids and insert them; `row` becomes the full row in store.TASK_INSERT order."""
    ids = store.allocate_ids(conn, sequence="task", count=len(items))
    rows = []
    for item, task_id in zip(items, ids, strict=True):
        assert item.row is not None
        owner_id, pool_id, overlap, infinite, kind, origin, body = item.row
        item.id = task_id
        item.row = (task_id, owner_id, pool_id, now, overlap, infinite, kind, origin, body)
        rows.append(item.row)
    store.insert_tasks(conn, rows)


def overlap_json(row: Mapping[Any, Any]) -> str:
    """The overlap keys of a task or suite; the client requires overlap exactly when not infinite.

    remaining_overlap is what is left to issue: overlap less the assignments holding a slot.
    """
    if row["infinite_overlap"]:
        return '"infinite_overlap":true'
    overlap = row["overlap"]
    remaining = max(overlap - row.get("taken", 0), 0)
    return f'"overlap":{overlap},"infinite_overlap":false,"remaining_overlap":{remaining}'


def search_json(
    ctx: Context,
    *,
    caller: int,
    params: dict[str, str],
    spec: search_rules.SearchSpec,
    find: Callable[..., tuple[Sequence[Any], bool]],
    render: Callable[[Mapping[Any, Any]], str],
) -> str:
    """A search answer assembled from objects rendered around their stored bodies."""
    search = search_rules.parse(spec, params)
    with ctx.db.read() as conn:
        rows, has_more = find(conn, owner_id=caller, search=search)
    items = ",".join(render(row._mapping) for row in rows)
    return '{"items":[' + items + '],"has_more":' + ("true" if has_more else "false") + "}"


def render_row(row: tuple[Any, ...]) -> str:
    """A freshly inserted row (store.TASK_INSERT order), rendered like a stored one."""
    return render(dict(zip(store.TASK_INSERT, row, strict=True)))


def render(row: Mapping[Any, Any]) -> str:
    """The task's JSON, assembled around its stored body without parsing it."""
    parts = [f'"id":"{row["id"]}"', f'"pool_id":"{row["pool_id"]}"', row["body"][1:-1], overlap_json(row)]
    if row["origin_task_id"]:
        parts.append(f'"origin_task_id":"{row["origin_task_id"]}"')
    parts.append(f'"created":"{format_datetime(row["created"])}"')
    return "{" + ",".join(parts) + "}"


def _units(sent: Any) -> int:
    return 1


KIND = batch.register(
    batch.ObjectKind(
        noun="task",
        operation_type="TASK.BATCH_CREATE",
        quota_action="task_create",
        log_create="TASK_CREATE",
        log_validate="TASK_VALIDATE",
        output_key="task_id",
        single=schema.TASK,
        many=schema.TASKS,
        units=_units,
        prepare=_prepare,
        persist=_persist,
        render=render_row,
    )
)


def get(ctx: Context, *, caller: int, task_id: str) -> str:
    with ctx.db.read() as conn:
        row = store.get_task(conn, owner_id=caller, task_id=task_id)
    if row is None:
        raise NotFound(f"Task {task_id} does not exist")
    return render(row._mapping)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> str:
    return search_json(ctx, caller=caller, params=params, spec=SEARCH, find=store.find_tasks, render=render)


def validated_body(adapter: Any, raw: bytes) -> dict[str, Any]:
    try:
        value: dict[str, Any] = adapter.validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed("Validation failed", validation_payload(exc.errors())) from None
    return value


def _changeable_task(conn: Any, caller: int, task_id: str) -> tuple[Any, TargetPool]:
    row = store.get_task(conn, owner_id=caller, task_id=task_id)
    if row is None:
        raise NotFound(f"Task {task_id} does not exist")
    pool = TargetPools(conn, caller).resolve(str(row.pool_id))
    if isinstance(pool, tuple):
        raise Conflict(f"Task {task_id} cannot change: {pool[1]}")
    return row, pool


def overlap_values(patch: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """Column values for an overlap change; infinite_overlap and overlap exclude each other."""
    if patch.get("infinite_overlap"):
        if patch.get("overlap") is not None:
            problems.add("overlap", "VALUE_NOT_ALLOWED", "overlap does not go with infinite_overlap")
        return {"overlap": None, "infinite_overlap": True}
    if patch.get("overlap") is not None:
        return {"overlap": patch["overlap"], "infinite_overlap": False}
    if "infinite_overlap" in patch:
        problems.add("overlap", "VALUE_REQUIRED", "overlap is required with infinite_overlap false")
    return {}


def _mark_raised(row: Any, values: dict[str, Any], now: datetime) -> None:
    """Note when a task's overlap grows: the mixer waits for more work after that, as after new tasks."""
    if row.infinite_overlap:
        return
    wanted = values.get("overlap")
    if values.get("infinite_overlap") or (wanted is not None and wanted > row.overlap):
        values["overlap_raised"] = now


def overlap_change(raw: bytes) -> dict[str, Any]:
    """The column values a set-overlap-or-min body asks for."""
    problems = Problems()
    values = overlap_values(validated_body(schema.OVERLAP_PATCH, raw), problems)
    if not values:
        problems.add("overlap", "VALUE_REQUIRED", "send overlap or infinite_overlap: true")
    problems.raise_if_any()
    return values


def patch(ctx: Context, *, caller: int, task_id: str, raw: bytes) -> str:
    """Change overlap, solutions or the training hint of a task."""
    body = validated_body(schema.TASK_PATCH, raw)
    with ctx.db.write() as conn:
        row, pool = _changeable_task(conn, caller, task_id)
        problems = Problems()
        values = overlap_values(body, problems)
        errors: batch.Errors = {}
        check_solutions({**orjson.loads(row.body), **body}, pool, "", errors)
        for path, error in errors.items():
            problems.add(path, error["code"], error["message"])
        problems.raise_if_any()
        stored = orjson.loads(row.body)
        stored.update({key: body[key] for key in STORED_KEYS if key in body})
        values["body"] = orjson.dumps(stored).decode()
        values["kind"] = task_kind(stored, pool.training)
        _mark_raised(row, values, ctx.clock.now())
        store.update_task(conn, task_id=task_id, values=values)
        updated = store.get_task(conn, owner_id=caller, task_id=task_id)
    assert updated is not None
    return render(updated._mapping)


def set_overlap_or_min(ctx: Context, *, caller: int, task_id: str, raw: bytes) -> str:
    """Set the task's overlap, or make it infinite."""
    values = overlap_change(raw)
    with ctx.db.write() as conn:
        row, _ = _changeable_task(conn, caller, task_id)
        _mark_raised(row, values, ctx.clock.now())
        store.update_task(conn, task_id=task_id, values=values)
        updated = store.get_task(conn, owner_id=caller, task_id=task_id)
    assert updated is not None
    return render(updated._mapping)
