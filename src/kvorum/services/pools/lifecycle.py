"""The status lifecycle of pools and trainings: CLOSED -> OPEN -> CLOSED -> ARCHIVED.

Status changes are conditional updates, so concurrent requests on several server processes cannot
both win a transition. Pools also close by themselves: EXPIRED at will_expire, COMPLETED when their
work is done.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from kvorum.schemas.common import format_datetime
from kvorum.services import operations
from kvorum.services.context import Context
from kvorum.services.errors import Conflict
from kvorum.services.pools.model import Pool
from kvorum.services.pools.service import load
from kvorum.services.pools.settings import REGULAR
from kvorum.services.pools.types import REGULAR_POOL, TRAINING_POOL, PoolType, type_of
from kvorum.store import assignments as assignment_store
from kvorum.store import pools as store


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


@dataclass(frozen=True, slots=True)
class AlreadyDone:
    """The pool already is where the action leads (a repeated or a concurrent request): HTTP 204."""

    status: str


def _requiring(conn: Connection, training: Pool) -> list[Pool]:
    """The project's pools, not archived, whose quality_control.training_requirement names the training."""
    pools = map(Pool.from_row, store.of_project(conn, project_id=training.project_id))
    return [
        pool
        for pool in pools
        if pool.type == REGULAR
        and pool.status != "ARCHIVED"
        and (requirement := pool.settings.quality_control.training_requirement) is not None
        and requirement.training_id == training.id
    ]


def _blockers(
    conn: Connection, pool: Pool, pool_type: PoolType, transition: Transition, now: datetime
) -> str | None:
    """Why this transition cannot happen now, if it cannot."""
    if pool.status not in transition.from_statuses:
        needed = " or ".join(transition.from_statuses)
        return f"{pool_type.noun} {pool.id} is {pool.status}; {transition.action} needs {needed}"
    expires = pool.settings.will_expire
    if transition is OPEN and pool_type is REGULAR_POOL and expires is not None and expires <= now:
        return f"Pool {pool.id} expired at {format_datetime(expires)}; set a later will_expire to open it"
    if transition is ARCHIVE and pool_type is TRAINING_POOL:
        users = ", ".join(str(user.id) for user in _requiring(conn, pool))
        if users:
            return f"Training {pool.id} is required by pools that are not archived: {users}"
    return None


def transition(
    ctx: Context, *, caller: int, pool_type: PoolType, pool_id: str, change: Transition
) -> operations.Operation | AlreadyDone:
    """Apply a lifecycle action: the finished operation, or AlreadyDone."""
    with ctx.db.write() as conn:
        pool = load(conn, caller=caller, pool_type=pool_type, pool_id=pool_id)
        return apply(ctx, conn, caller=caller, pool=pool, change=change)


def apply(
    ctx: Context, conn: Connection, *, caller: int, pool: Pool, change: Transition
) -> operations.Operation | AlreadyDone:
    """`transition` inside the caller's transaction, for actions that open pools as a side effect."""
    if pool.status in change.done_statuses:
        return AlreadyDone(pool.status)
    pool_type = type_of(pool)
    now = ctx.clock.now()
    reason = _blockers(conn, pool, pool_type, change, now)
    if reason is not None:
        raise Conflict(reason)
    values: dict[str, Any] = {"status": change.to_status}
    if change.to_status == "OPEN":
        values["last_started"] = now
    if change.close_reason is not None:
        values.update(last_stopped=now, last_close_reason=change.close_reason)
    if not store.change_status(conn, pool_id=pool.id, from_statuses=change.from_statuses, values=values):
        current = load(conn, caller=caller, pool_type=pool_type, pool_id=pool.id)
        if current.status in change.done_statuses:
            return AlreadyDone(current.status)  # a concurrent request did the same
        raise Conflict(f"{pool_type.noun} {pool.id} became {current.status} meanwhile")
    return operations.record_finished(
        ctx,
        conn,
        owner_id=caller,
        type=f"{pool_type.operation_prefix}.{change.operation}",
        parameters={pool_type.id_key: str(pool.id)},
    )


def open_pools(ctx: Context, conn: Connection, caller: int, pool_ids: set[int]) -> list[dict[str, Any]]:
    """Open the closed pools that received objects; each attempt is a POOL_OPEN log item."""
    entries = []
    for pool_id in sorted(pool_ids):
        pool = load(conn, caller=caller, pool_type=None, pool_id=pool_id)
        entry: dict[str, Any] = {"type": "POOL_OPEN", "input": {"pool_id": str(pool_id)}}
        try:
            apply(ctx, conn, caller=caller, pool=pool, change=OPEN)
            entries.append({**entry, "success": True, "output": {}})
        except Conflict as exc:
            entries.append({**entry, "success": False, "output": {"code": exc.code, "message": exc.message}})
    return entries


def close_due(ctx: Context) -> int:
    """Close open pools whose time is up (EXPIRED) or whose work is done (COMPLETED).

    A pool is complete when no real task or uploaded suite has overlap left and no assignment is
    active, auto_close_after_complete_delay_seconds after its last submission.
    """
    now = ctx.clock.now()
    with ctx.db.read() as conn:
        due = [
            pool.id for pool in map(Pool.from_row, store.open_pools(conn)) if _close_reason(conn, pool, now)
        ]
    if not due:
        return 0
    closed = 0
    with ctx.db.write() as conn:
        for pool_id in due:
            row = store.get_any(conn, pool_id=pool_id)
            pool = None if row is None else Pool.from_row(row)
            reason = None if pool is None or pool.status != "OPEN" else _close_reason(conn, pool, now)
            if reason is not None:
                values = {"status": "CLOSED", "last_stopped": now, "last_close_reason": reason}
                closed += store.change_status(conn, pool_id=pool_id, from_statuses=("OPEN",), values=values)
    return closed


def _close_reason(conn: Connection, pool: Pool, now: datetime) -> str | None:
    """EXPIRED, COMPLETED, or None while the pool should stay open; checked again under the write lock."""
    expires = pool.settings.will_expire
    if expires is not None and expires <= now:
        return "EXPIRED"
    if pool.type == REGULAR and _complete(conn, pool, now):
        return "COMPLETED"
    return None


def _complete(conn: Connection, pool: Pool, now: datetime) -> bool:
    if assignment_store.pool_has_work(conn, pool_id=pool.id) or not assignment_store.has_tasks(
        conn, pool_id=pool.id
    ):
        return False
    finished = assignment_store.last_submitted(conn, pool_id=pool.id) or pool.last_started
    return finished is None or finished + pool.settings.auto_close_delay <= now


def reopen(conn: Connection, pool: Pool, now: datetime) -> bool:
    """Open a closed pool again because it has new work (a quality-control rule raised overlap
    with open_pool), unless its will_expire has passed; whether it opened."""
    expires = pool.settings.will_expire
    if pool.status != "CLOSED" or (expires is not None and expires <= now):
        return False
    values = {"status": "OPEN", "last_started": now}
    return store.change_status(conn, pool_id=pool.id, from_statuses=("CLOSED",), values=values)
