"""What falls due with time: active assignments expire, unreviewed ones are accepted.

The job runner calls these every half second in every server process, so each first takes a cheap
look without the write lock.
"""

from datetime import datetime, timedelta

from kvorum.services.assignments.events import Accepted
from kvorum.services.assignments.lifecycle import expire, move, pool_of
from kvorum.services.assignments.model import Assignment
from kvorum.services.context import Context
from kvorum.store import assignments as store

REVIEW_PERIOD_FLOOR = timedelta(days=1)
"""The shortest auto_accept_period_day Toloka allows: nothing submitted more recently can be due."""


def _any_due(ctx: Context, *, status: str, column: str, before: datetime) -> bool:
    with ctx.db.read() as conn:
        return bool(store.due(conn, status=status, column=column, before=before, limit=1))


def expire_due(ctx: Context, *, limit: int = 1000) -> int:
    """Expire active assignments whose time is up; their slots go back."""
    now = ctx.clock.now()
    if not _any_due(ctx, status="ACTIVE", column="expires", before=now):
        return 0
    with ctx.db.write() as conn:
        rows = store.due(conn, status="ACTIVE", column="expires", before=now, limit=limit)
        for row in rows:
            expire(conn, ctx.events, Assignment.from_row(row), now, "TIMER")
    return len(rows)


def auto_accept_due(ctx: Context, *, limit: int = 1000) -> int:
    """Accept submitted assignments left unreviewed past their pool's auto_accept_period_day."""
    accepted = 0
    now = ctx.clock.now()
    if not _any_due(ctx, status="SUBMITTED", column="submitted", before=now - REVIEW_PERIOD_FLOOR):
        return 0
    with ctx.db.write() as conn:
        rows = store.due(
            conn, status="SUBMITTED", column="submitted", before=now - REVIEW_PERIOD_FLOOR, limit=limit
        )
        periods: dict[int, timedelta] = {}
        for row in rows:
            assignment = Assignment.from_row(row)
            if assignment.pool_id not in periods:
                periods[assignment.pool_id] = pool_of(conn, assignment).settings.auto_accept_period
            assert assignment.submitted is not None
            if assignment.submitted + periods[assignment.pool_id] <= now:
                done = move(conn, assignment, "ACCEPTED", now)
                ctx.events.publish(conn, Accepted(done, now, previous="SUBMITTED", by="TIMER"))
                accepted += 1
    return accepted
