"""The assignments an export reads, streamed from a server-side cursor in batches.

`tasks` and `solutions` come back as JSON text: the export parses them itself (orjson), which is
several times faster than the JSON type's per-row decoding, and a pool of a million answers is
never held in memory at once.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Result, Row, Text, and_, cast, exists, or_, select

from kvorum.store.tables import assignments, user_restrictions


@dataclass(frozen=True, slots=True)
class ExportFilter:
    owner_id: int
    pool_id: int
    project_id: int
    statuses: Sequence[str]
    started_from: datetime | None = None
    """Inclusive bound on the assignment's `created` (when it was issued)."""
    started_to: datetime | None = None
    """Exclusive bound on `created`."""
    banned_at: datetime | None = None
    """Leave out workers the owner keeps out of this pool (by a POOL, PROJECT or ALL_PROJECTS
    restriction) at this moment; None keeps everyone."""


def _banned(where: ExportFilter, now: datetime) -> Any:
    table = user_restrictions
    return exists().where(
        table.c.worker_id == assignments.c.worker_id,
        table.c.owner_id == where.owner_id,
        or_(
            and_(table.c.scope == "POOL", table.c.pool_id == where.pool_id),
            and_(table.c.scope == "PROJECT", table.c.project_id == where.project_id),
            table.c.scope == "ALL_PROJECTS",
        ),
        or_(table.c.will_expire.is_(None), table.c.will_expire > now),
    )


def assignments_for_export(conn: Connection, where: ExportFilter, *, batch: int) -> Iterator[Row[Any]]:
    """The pool's assignments that match, in id (issuing) order, fetched `batch` rows at a time."""
    table = assignments
    query = select(
        table.c.id,
        table.c.task_suite_id,
        table.c.worker_id,
        table.c.status,
        table.c.reward,
        table.c.created,
        table.c.submitted,
        table.c.accepted,
        table.c.rejected,
        table.c.skipped,
        table.c.expired,
        cast(table.c.tasks, Text).label("tasks"),
        cast(table.c.solutions, Text).label("solutions"),
    ).where(
        table.c.owner_id == where.owner_id,
        table.c.pool_id == where.pool_id,
        table.c.status.in_(list(where.statuses)),
    )
    if where.started_from is not None:
        query = query.where(table.c.created >= where.started_from)
    if where.started_to is not None:
        query = query.where(table.c.created < where.started_to)
    if where.banned_at is not None:
        query = query.where(~_banned(where, where.banned_at))
    result: Result[Any] = conn.execute(query.order_by(table.c.id).execution_options(yield_per=batch))
    yield from result
