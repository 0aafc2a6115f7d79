"""Pools and trainings: creation with the seed's validation rules, and their status lifecycle.

A training is a pool of kind TRAINING; both share the lifecycle CLOSED -> OPEN -> CLOSED ->
ARCHIVED. Status changes are conditional updates, so concurrent requests on several server
processes cannot both win a transition.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.schemas.common import format_datetime, owner
from kvorum.schemas.ids import parse_id
from kvorum.schemas.pool import PoolIn, PoolPatch
from kvorum.schemas.training import TrainingIn
from kvorum.services import operations, quotas
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems
from kvorum.services.pools.intervals import SKILL_RANGE, check_distribution, check_intervals
from kvorum.services.projects import service as projects
from kvorum.services.quality.config import check_quality_control
from kvorum.services.workforce.filters import check_filter
from kvorum.store import assignments as assignment_store
from kvorum.store import pools as store


@dataclass(frozen=True)
class Kind:
    """What differs between pools and trainings on the wire."""

    name: str
    noun: str
    operation_prefix: str
    id_key: str
    action_prefix: str
    default_limit: int


POOL = Kind("REGULAR", "Pool", "POOL", "pool_id", "pool", 20)
TRAINING = Kind("TRAINING", "Training", "TRAINING", "training_id", "training", 50)


def search_spec(kind: Kind) -> search_rules.SearchSpec:
    return search_rules.SearchSpec(
        exact={
            "status": search_rules.one_of("OPEN", "CLOSED", "ARCHIVED", "LOCKED"),
            "project_id": search_rules.numeric_id,
        },
        ranges={
            "id": search_rules.numeric_id,
            "created": search_rules.date_time,
            "last_started": search_rules.date_time,
        },
        sorts=frozenset({"id", "created", "last_started"}),
        default_limit=kind.default_limit,
        max_limit=300,
    )


SEARCH = {POOL.name: search_spec(POOL), TRAINING.name: search_spec(TRAINING)}


def view(row: Row[Any], caller: int, *, with_type: bool) -> dict[str, Any]:
    """The wire form; `type` is shown where the pools endpoints show it."""
    result: dict[str, Any] = {
        **row.spec,
        "id": str(row.id),
        "project_id": str(row.project_id),
        "status": row.status,
        "created": format_datetime(row.created),
        "owner": owner(row.owner_id, caller),
    }
    for key in ("last_started", "last_stopped"):
        if getattr(row, key) is not None:
            result[key] = format_datetime(getattr(row, key))
    if row.last_close_reason is not None:
        result["last_close_reason"] = row.last_close_reason
    if with_type:
        result["type"] = row.kind
    return result


def load(conn: Connection, *, caller: int, kind: Kind | None, pool_id: str | int) -> Row[Any]:
    """The caller's pool (or training), or DOES_NOT_EXIST."""
    key, kind_name = parse_id(pool_id), kind.name if kind else None
    row = None if key is None else store.get(conn, owner_id=caller, pool_id=key, kind=kind_name)
    if row is None:
        raise NotFound(f"{(kind or POOL).noun} {pool_id} does not exist")
    return row


def _check_pool(conn: Connection, caller: int, body: PoolIn, project: Row[Any]) -> None:
    """Rules that span fields or objects; field shapes and ranges were checked by the schema."""
    problems = Problems()
    if body.filter is not None:
        check_filter(body.filter, "filter", problems)
    if body.quality_control is not None:
        check_quality_control(
            conn, caller=caller, qc=body.quality_control, project_id=project.id, problems=problems
        )
    overlap = body.dynamic_overlap_config
    if overlap is not None:
        defaults = body.defaults
        base = max(defaults.default_overlap_for_new_tasks or 0, defaults.default_overlap_for_new_task_suites)
        if overlap.max_overlap <= base:
            problems.add(
                "dynamic_overlap_config.max_overlap",
                "VALUE_LESS_THAN_MIN",
                f"max_overlap must be above the pool's default overlap ({base})",
            )
        outputs = project.spec["task_spec"]["output_spec"]
        for index, field in enumerate(overlap.fields):
            if field.name not in outputs:
                problems.add(
                    f"dynamic_overlap_config.fields.{index}.name",
                    "INVALID_VALUE",
                    f"{field.name!r} is not an output field of project {project.id}",
                )
    if body.dynamic_pricing_config is not None:
        pricing = body.dynamic_pricing_config.wire()["intervals"]
        check_intervals(pricing, "dynamic_pricing_config.intervals", SKILL_RANGE, problems)
    mixer = body.mixer_config
    if mixer is not None:
        for name in ("golden_task_distribution_function", "training_task_distribution_function"):
            check_distribution(mixer.wire().get(name), f"mixer_config.{name}", problems)
    if body.reward_per_assignment == 0 and mixer is not None and mixer.real_tasks_count > 0:
        problems.add(
            "reward_per_assignment",
            "VALUE_LESS_THAN_MIN",
            "a pool with reward 0 takes only control and training tasks: set mixer_config.real_tasks_count 0",
        )
    problems.raise_if_any()


def _check(conn: Connection, caller: int, kind: Kind, body: PoolIn | TrainingIn) -> Row[Any]:
    project = projects.require_active(conn, caller=caller, project_id=body.project_id, path="project_id")
    if isinstance(body, PoolIn):
        _check_pool(conn, caller, body, project)
    return project


def create(ctx: Context, *, caller: int, kind: Kind, body: PoolIn | TrainingIn) -> dict[str, Any]:
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=f"{kind.action_prefix}_create")
        project = _check(conn, caller, kind, body)
        spec = body.wire()
        del spec["project_id"]
        pool_id = store.insert_pool(
            conn, owner_id=caller, project_id=project.id, kind=kind.name, spec=spec, now=ctx.clock.now()
        )
        return view(load(conn, caller=caller, kind=kind, pool_id=pool_id), caller, with_type=kind is POOL)


def get(ctx: Context, *, caller: int, kind: Kind | None, pool_id: str) -> dict[str, Any]:
    """`kind=None` reads either kind, as `GET /v1/pools/{id}` shows trainings too."""
    with ctx.db.read() as conn:
        return view(
            load(conn, caller=caller, kind=kind, pool_id=pool_id), caller, with_type=kind is not TRAINING
        )


def find(ctx: Context, *, caller: int, kind: Kind, params: dict[str, str]) -> dict[str, Any]:
    return search_rules.page(
        ctx,
        SEARCH[kind.name],
        params,
        lambda conn, search: store.find(conn, owner_id=caller, kind=kind.name, search=search),
        lambda row: view(row, caller, with_type=kind is POOL),
    )


def _changeable(row: Row[Any], kind: Kind) -> None:
    if row.status == "ARCHIVED":
        raise Conflict(f"{kind.noun} {row.id} is archived and cannot be changed")


def update(
    ctx: Context, *, caller: int, kind: Kind, pool_id: str, body: PoolIn | TrainingIn
) -> dict[str, Any]:
    """Replace the settings (PUT); status and history are kept."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=kind, pool_id=pool_id)
        _changeable(row, kind)
        if int(body.project_id) != row.project_id:
            problems = Problems()
            problems.add(
                "project_id", "VALUE_NOT_ALLOWED", f"a {kind.noun.lower()} cannot move to another project"
            )
            problems.raise_if_any()
        _check(conn, caller, kind, body)
        spec = body.wire()
        del spec["project_id"]
        store.replace_spec(conn, pool_id=row.id, spec=spec)
        return view(load(conn, caller=caller, kind=kind, pool_id=row.id), caller, with_type=kind is POOL)


def patch(ctx: Context, *, caller: int, pool_id: str, body: PoolPatch) -> dict[str, Any]:
    """PATCH changes the priority only."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=POOL, pool_id=pool_id)
        _changeable(row, POOL)
        store.replace_spec(conn, pool_id=row.id, spec={**row.spec, "priority": body.priority})
        return view(load(conn, caller=caller, kind=POOL, pool_id=row.id), caller, with_type=True)


@dataclass(frozen=True)
class Transition:
    """One lifecycle action: where it may start, where it ends, and what it records."""

    action: str
    operation: str
    from_statuses: tuple[str, ...]
    done_statuses: tuple[str, ...]
    to_status: str
    close_reason: str | None = None


OPEN = Transition("open", "OPEN", ("CLOSED",), ("OPEN",), "OPEN")
CLOSE = Transition("close", "CLOSE", ("OPEN",), ("CLOSED", "ARCHIVED"), "CLOSED", "MANUAL")
CLOSE_FOR_UPDATE = Transition(
    "close for update", "CLOSE", ("OPEN",), ("CLOSED", "ARCHIVED"), "CLOSED", "FOR_UPDATE"
)
ARCHIVE = Transition("archive", "ARCHIVE", ("CLOSED",), ("ARCHIVED",), "ARCHIVED")


def _blockers(
    conn: Connection, row: Row[Any], kind: Kind, transition: Transition, now: datetime
) -> str | None:
    """Why this transition cannot happen now, if it cannot."""
    if row.status not in transition.from_statuses:
        needed = " or ".join(transition.from_statuses)
        return f"{kind.noun} {row.id} is {row.status}; {transition.action} needs {needed}"
    if transition is OPEN and kind is POOL and datetime.fromisoformat(row.spec["will_expire"]) <= now:
        return f"Pool {row.id} expired at {row.spec['will_expire']}; set a later will_expire to open it"
    if transition is ARCHIVE and kind is TRAINING:
        users = [
            str(pool.id)
            for pool in store.of_project(conn, project_id=row.project_id)
            if pool.kind == POOL.name
            and pool.status != "ARCHIVED"
            and (pool.spec.get("quality_control") or {})
            .get("training_requirement", {})
            .get("training_pool_id")
            == str(row.id)
        ]
        if users:
            return f"Training {row.id} is required by pools that are not archived: {', '.join(users)}"
    return None


def transition(
    ctx: Context, *, caller: int, kind: Kind, pool_id: str, change: Transition
) -> dict[str, Any] | None:
    """Apply a lifecycle action; None when the pool is already where the action leads (HTTP 204)."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=kind, pool_id=pool_id)
        return apply(ctx, conn, caller=caller, kind=kind, row=row, change=change)


def apply(
    ctx: Context, conn: Connection, *, caller: int, kind: Kind, row: Row[Any], change: Transition
) -> dict[str, Any] | None:
    """`transition` inside the caller's transaction, for actions that open pools as a side effect."""
    if row.status in change.done_statuses:
        return None
    now = ctx.clock.now()
    reason = _blockers(conn, row, kind, change, now)
    if reason is not None:
        raise Conflict(reason)
    values: dict[str, Any] = {"status": change.to_status}
    if change.to_status == "OPEN":
        values["last_started"] = now
    if change.close_reason is not None:
        values.update(last_stopped=now, last_close_reason=change.close_reason)
    if not store.change_status(conn, pool_id=row.id, from_statuses=change.from_statuses, values=values):
        current = load(conn, caller=caller, kind=kind, pool_id=row.id)
        if current.status in change.done_statuses:
            return None  # a concurrent request did the same
        raise Conflict(f"{kind.noun} {row.id} became {current.status} meanwhile")
    return operations.record_finished(
        ctx,
        conn,
        owner_id=caller,
        type=f"{kind.operation_prefix}.{change.operation}",
        parameters={kind.id_key: str(row.id)},
    )


def clone(ctx: Context, *, caller: int, kind: Kind, pool_id: str) -> dict[str, Any]:
    """Copy the settings into a new closed pool; collector uuids are shared, as in Toloka."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=kind, pool_id=pool_id)
        quotas.charge(ctx, conn, requester_id=caller, action=f"{kind.action_prefix}_clone")
        new_id = store.insert_pool(
            conn,
            owner_id=caller,
            project_id=row.project_id,
            kind=kind.name,
            spec=row.spec,
            now=ctx.clock.now(),
        )
        return operations.record_finished(
            ctx,
            conn,
            owner_id=caller,
            type=f"{kind.operation_prefix}.CLONE",
            parameters={kind.id_key: str(row.id)},
            details={kind.id_key: str(new_id)},
        )


def close_due(ctx: Context) -> int:
    """Close open pools whose time is up (EXPIRED) or whose work is done (COMPLETED).

    A pool is complete when no real task or uploaded suite has overlap left and no assignment is
    active, auto_close_after_complete_delay_seconds after its last submission.
    """
    now = ctx.clock.now()
    with ctx.db.read() as conn:
        due = [row.id for row in store.open_pools(conn) if _close_reason(conn, row, now)]
    if not due:
        return 0
    closed = 0
    with ctx.db.write() as conn:
        for pool_id in due:
            row = store.get_any(conn, pool_id=pool_id)
            reason = None if row is None or row.status != "OPEN" else _close_reason(conn, row, now)
            if reason is not None:
                values = {"status": "CLOSED", "last_stopped": now, "last_close_reason": reason}
                closed += store.change_status(conn, pool_id=pool_id, from_statuses=("OPEN",), values=values)
    return closed


def _close_reason(conn: Connection, pool: Row[Any], now: datetime) -> str | None:
    """EXPIRED, COMPLETED, or None while the pool should stay open; checked again under the write lock."""
    expires = pool.spec.get("will_expire")
    if expires is not None and datetime.fromisoformat(expires) <= now:
        return "EXPIRED"
    if pool.kind == POOL.name and _complete(conn, pool, now):
        return "COMPLETED"
    return None


def _complete(conn: Connection, pool: Row[Any], now: datetime) -> bool:
    if assignment_store.pool_has_work(conn, pool_id=pool.id) or not assignment_store.has_tasks(
        conn, pool_id=pool.id
    ):
        return False
    delay = timedelta(seconds=pool.spec.get("auto_close_after_complete_delay_seconds") or 0)
    finished = assignment_store.last_submitted(conn, pool_id=pool.id) or pool.last_started
    return finished is None or finished + delay <= now
