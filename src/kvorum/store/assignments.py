"""Assignments, and the task and suite counters that keep issuing within overlap.

Issuing in a pool is serialized: SQLite serializes all writers (BEGIN IMMEDIATE); on PostgreSQL
an issuer takes a transaction-scoped advisory lock on the pool, so processes never both read the
same free slot, and none is refused while slots are free.
"""

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Integer, Row, bindparam, func, insert, or_, select, update

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import assignment_tasks, assignments, task_suite_tasks, task_suites, tasks

COLUMNS = {
    "id": assignments.c.id,
    "status": assignments.c.status,
    "pool_id": assignments.c.pool_id,
    "task_suite_id": assignments.c.task_suite_id,
    "user_id": assignments.c.worker_id,
    "created": assignments.c.created,
    "submitted": assignments.c.submitted,
    "accepted": assignments.c.accepted,
    "rejected": assignments.c.rejected,
    "skipped": assignments.c.skipped,
    "expired": assignments.c.expired,
}


def _seen_by(worker_id: int, pool_id: int, attempt: int) -> Any:
    return select(assignment_tasks.c.task_id).where(
        assignment_tasks.c.pool_id == pool_id,
        assignment_tasks.c.worker_id == worker_id,
        assignment_tasks.c.attempt == attempt,
    )


def serialize_issuing(conn: Connection, *, pool_id: int) -> None:
    """Hold the pool's issuing lock until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(ISSUING_LOCK_SPACE, pool_id)))


ISSUING_LOCK_SPACE = 4_801
"""The first key of the advisory locks, so they cannot collide with other uses of advisory locks."""


def free_tasks(
    conn: Connection,
    *,
    pool_id: int,
    worker_id: int,
    attempt: int,
    kind: str,
    limit: int,
    after: str | None = None,
) -> Sequence[Row[str, str, str]]:
    """Up to `limit` tasks (id, kind, body) of `kind` after `after`, in creation order, with overlap
    left that the worker has not had (in this attempt)."""
    parameters = {
        "pool_id": pool_id,
        "worker_id": worker_id,
        "attempt": attempt,
        "kind": kind,
        "limit": limit,
    }
    if after is not None:
        parameters["after"] = after
    return conn.execute(_free_tasks(after is not None), parameters).all()


@cache
def _free_tasks(after: bool) -> Any:
    """The query free_tasks runs, built once: issuing runs it for every kind of every suite."""
    seen = select(assignment_tasks.c.task_id).where(
        assignment_tasks.c.pool_id == bindparam("pool_id"),
        assignment_tasks.c.worker_id == bindparam("worker_id"),
        assignment_tasks.c.attempt == bindparam("attempt"),
    )
    conditions = [
        tasks.c.pool_id == bindparam("pool_id"),
        tasks.c.kind == bindparam("kind"),
        tasks.c.open,
        tasks.c.id.not_in(seen),
    ]
    if after:
        conditions.append(tasks.c.id > bindparam("after"))
    query = select(tasks.c.id, tasks.c.kind, tasks.c.body).where(*conditions).order_by(tasks.c.id)
    return query.limit(bindparam("limit", type_=Integer))


def free_suites(
    conn: Connection,
    *,
    pool_id: int,
    worker_id: int,
    by_override: bool,
    skip: int,
    limit: int,
) -> Sequence[Row[Any]]:
    """Suites with overlap left none of whose tasks the worker has had, in issuing order."""
    open_slot = or_(task_suites.c.infinite_overlap, task_suites.c.taken < task_suites.c.overlap)
    had = select(task_suite_tasks.c.task_suite_id).where(
        task_suite_tasks.c.task_id.in_(_seen_by(worker_id, pool_id, 0))
    )
    order = (
        [task_suites.c.issuing_order_override.desc(), task_suites.c.id] if by_override else [task_suites.c.id]
    )
    query = (
        select(task_suites)
        .where(task_suites.c.pool_id == pool_id, open_slot, task_suites.c.id.not_in(had))
        .order_by(*order)
        .offset(skip)
        .limit(limit)
    )
    return conn.execute(query).all()


def take(conn: Connection, *, task_ids: Sequence[str], suite_id: str | None, delta: int) -> None:
    """Count (delta 1) or give back (delta -1) one overlap slot of each task and of the suite."""
    if task_ids:
        conn.execute(_TAKE_TASKS, {"task_ids": list(task_ids), "delta": delta})
    if suite_id is not None:
        conn.execute(_TAKE_SUITE, {"suite_id": suite_id, "delta": delta})


_taken = tasks.c.taken + bindparam("delta", type_=Integer)
_TAKE_TASKS = (
    update(tasks)
    .where(tasks.c.id.in_(bindparam("task_ids", expanding=True)))
    .values(taken=_taken, open=or_(tasks.c.infinite_overlap, _taken < tasks.c.overlap))
)
_TAKE_SUITE = (
    update(task_suites)
    .where(task_suites.c.id == bindparam("suite_id"))
    .values(taken=task_suites.c.taken + bindparam("delta", type_=Integer))
)


def insert_assignment(conn: Connection, values: dict[str, Any], members: list[dict[str, Any]]) -> None:
    conn.execute(insert(assignments), values)
    conn.execute(insert(assignment_tasks), members)


def active_in_pool(conn: Connection, *, pool_id: int, worker_id: int) -> Row[Any] | None:
    return conn.execute(_ACTIVE_IN_POOL, {"pool_id": pool_id, "worker_id": worker_id}).first()


_ACTIVE_IN_POOL = select(assignments.c.id).where(
    assignments.c.pool_id == bindparam("pool_id"),
    assignments.c.worker_id == bindparam("worker_id"),
    assignments.c.status == "ACTIVE",
)


def active_of(conn: Connection, *, worker_id: int, pool_ids: Sequence[int]) -> Sequence[Row[Any]]:
    """The worker's ACTIVE assignments in these pools."""
    query = select(assignments).where(
        assignments.c.pool_id.in_(pool_ids),
        assignments.c.worker_id == worker_id,
        assignments.c.status == "ACTIVE",
    )
    return conn.execute(query.order_by(assignments.c.id)).all()


def get(conn: Connection, *, assignment_id: str) -> Row[Any] | None:
    return conn.execute(_GET, {"assignment_id": assignment_id}).first()


_GET = select(assignments).where(assignments.c.id == bindparam("assignment_id"))


def find(
    conn: Connection, *, owner_id: int, search: Search, task_id: str | None
) -> tuple[Sequence[Row[Any]], bool]:
    base = select(assignments).where(assignments.c.owner_id == owner_id)
    if task_id is not None:
        holding = select(assignment_tasks.c.assignment_id).where(assignment_tasks.c.task_id == task_id)
        base = base.where(assignments.c.id.in_(holding))
    return search_store.run(conn, base, COLUMNS, search)


def change_status(
    conn: Connection, *, assignment_id: str, from_statuses: Sequence[str], values: dict[str, Any]
) -> bool:
    """Set `values` if the assignment is still in one of `from_statuses`; whether it was."""
    parameters = {f"new_{key}": value for key, value in values.items()}
    parameters.update(assignment_id=assignment_id, from_statuses=list(from_statuses))
    return conn.execute(_change_status(tuple(sorted(values))), parameters).rowcount == 1


@cache
def _change_status(columns: tuple[str, ...]) -> Any:
    """The update change_status runs for this set of columns, built once per set."""
    return (
        update(assignments)
        .where(
            assignments.c.id == bindparam("assignment_id"),
            assignments.c.status.in_(bindparam("from_statuses", expanding=True)),
        )
        .values({column: bindparam(f"new_{column}", type_=assignments.c[column].type) for column in columns})
    )


def due(conn: Connection, *, status: str, column: str, before: datetime, limit: int) -> Sequence[Row[Any]]:
    """Assignments in `status` whose `column` time is at or before `before`."""
    query = (
        select(assignments)
        .where(assignments.c.status == status, assignments.c[column] <= before)
        .order_by(assignments.c[column])
        .limit(limit)
    )
    return conn.execute(query).all()


def pool_has_work(conn: Connection, *, pool_id: int) -> bool:
    """Whether any real task or uploaded suite still has overlap to issue, or any assignment is active."""
    open_task = select(tasks.c.id).where(
        tasks.c.pool_id == pool_id,
        tasks.c.kind == "REAL",
        tasks.c.open,
    )
    open_suite = select(task_suites.c.id).where(
        task_suites.c.pool_id == pool_id,
        or_(task_suites.c.infinite_overlap, task_suites.c.taken < task_suites.c.overlap),
    )
    active = select(assignments.c.id).where(
        assignments.c.pool_id == pool_id, assignments.c.status == "ACTIVE"
    )
    return any(conn.execute(query.limit(1)).first() is not None for query in (open_task, open_suite, active))


def answered(conn: Connection, *, pool_id: int, worker_id: int, attempt: int) -> Sequence[Row[Any]]:
    """The worker's submitted (and reviewed) assignments in a pool, in one attempt."""
    query = select(assignments).where(
        assignments.c.pool_id == pool_id,
        assignments.c.worker_id == worker_id,
        assignments.c.attempt == attempt,
        assignments.c.status.in_(("SUBMITTED", "ACCEPTED", "REJECTED")),
    )
    return conn.execute(query).all()


def latest_attempt(conn: Connection, *, pool_id: int, worker_id: int) -> tuple[int, datetime | None]:
    """The worker's latest attempt in a pool and when its first assignment was issued (0, None: none yet)."""
    query = (
        select(assignments.c.attempt, func.min(assignments.c.created))
        .where(assignments.c.pool_id == pool_id, assignments.c.worker_id == worker_id)
        .group_by(assignments.c.attempt)
        .order_by(assignments.c.attempt.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def submitted_rewards(conn: Connection, *, worker_id: int) -> dict[float, int]:
    """How many of the worker's submitted assignments await review at each reward: few distinct
    rewards, so the caller can add them up exactly in its own unit."""
    query = (
        select(assignments.c.reward, func.count())
        .where(assignments.c.worker_id == worker_id, assignments.c.status == "SUBMITTED")
        .group_by(assignments.c.reward)
    )
    return {float(reward): int(count) for reward, count in conn.execute(query)}


def last_submitted(conn: Connection, *, pool_id: int) -> datetime | None:
    query = select(func.max(assignments.c.submitted)).where(assignments.c.pool_id == pool_id)
    value = conn.execute(query).scalar_one_or_none()
    return value if isinstance(value, datetime) else None


def has_tasks(conn: Connection, *, pool_id: int) -> bool:
    """Whether anything was ever uploaded to the pool (an empty pool is not complete)."""
    for table in (tasks, task_suites):
        if conn.execute(select(table.c.id).where(table.c.pool_id == pool_id).limit(1)).first() is not None:
            return True
    return False


def completed_tasks(conn: Connection, *, worker_id: int, pool_ids: Sequence[int], since: datetime) -> int:
    """Tasks the worker answered in these pools since `since` (submitted, accepted or rejected)."""
    query = (
        select(func.count())
        .select_from(assignment_tasks.join(assignments, assignments.c.id == assignment_tasks.c.assignment_id))
        .where(
            assignment_tasks.c.worker_id == worker_id,
            assignment_tasks.c.pool_id.in_(pool_ids),
            assignments.c.status.in_(("SUBMITTED", "ACCEPTED", "REJECTED")),
            assignments.c.submitted >= since,
        )
    )
    return int(conn.execute(query).scalar_one())


def last_work_added(conn: Connection, *, pool_id: int) -> datetime | None:
    """When a task was last added to the pool or had its overlap raised."""
    added, raised = conn.execute(
        select(func.max(tasks.c.created), func.max(tasks.c.overlap_raised)).where(tasks.c.pool_id == pool_id)
    ).one()
    moments = [value for value in (added, raised) if isinstance(value, datetime)]
    return max(moments, default=None)


def task_id_range(conn: Connection, *, pool_id: int, kind: str) -> tuple[str | None, str | None]:
    """The smallest and largest task id of a kind in a pool (both None when there is none)."""
    query = select(func.min(tasks.c.id), func.max(tasks.c.id)).where(
        tasks.c.pool_id == pool_id, tasks.c.kind == kind
    )
    low, high = conn.execute(query).one()
    return low, high


def of_worker(
    conn: Connection, *, pool_id: int, worker_id: int, statuses: Sequence[str]
) -> Sequence[Row[Any]]:
    """The worker's assignments in a pool in these statuses, oldest first."""
    query = (
        select(assignments)
        .where(
            assignments.c.pool_id == pool_id,
            assignments.c.worker_id == worker_id,
            assignments.c.status.in_(list(statuses)),
        )
        .order_by(assignments.c.created, assignments.c.id)
    )
    return conn.execute(query).all()


def page_of_worker(
    conn: Connection, *, worker_id: int, status: str | None, after: str | None, limit: int
) -> tuple[Sequence[Row[Any]], bool]:
    """A page of the worker's assignments in id order (oldest first), after the id `after`; whether
    more follow."""
    query = select(assignments).where(assignments.c.worker_id == worker_id)
    if status is not None:
        query = query.where(assignments.c.status == status)
    if after is not None:
        query = query.where(assignments.c.id > after)
    rows = conn.execute(query.order_by(assignments.c.id).limit(limit + 1)).all()
    return rows[:limit], len(rows) > limit
