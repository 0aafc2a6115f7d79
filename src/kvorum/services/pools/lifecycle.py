"""The status lifecycle of pools and trainings: CLOSED -> OPEN -> CLOSED -> ARCHIVED.

Status changes are conditional updates, so concurrent requests on several server processes cannot
both win a transition. Pools also close by themselves: EXPIRED at will_expire, COMPLETED when their
work is done.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.services import operations
from kvorum.services.context import Context
from kvorum.services.errors import Conflict
from kvorum.services.pools.service import POOL, TRAINING, Kind, load
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
) -> operations.Operation | None:
    """Apply a lifecycle action; None when the pool is already where the action leads (HTTP 204)."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=kind, pool_id=pool_id)
        return apply(ctx, conn, caller=caller, kind=kind, row=row, change=change)


def apply(
    ctx: Context, conn: Connection, *, caller: int, kind: Kind, row: Row[Any], change: Transition
) -> operations.Operation | None:
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


def open_pools(ctx: Context, conn: Connection, caller: int, pool_ids: set[int]) -> list[dict[str, Any]]:
    """Open the closed pools that received objects; each attempt is a POOL_OPEN log item."""
    entries = []
    for pool_id in sorted(pool_ids):
        row = store.get(conn, owner_id=caller, pool_id=pool_id)
        assert row is not None
        kind = TRAINING if row.kind == TRAINING.name else POOL
        entry: dict[str, Any] = {"type": "POOL_OPEN", "input": {"pool_id": str(pool_id)}}
        try:
            apply(ctx, conn, caller=caller, kind=kind, row=row, change=OPEN)
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
