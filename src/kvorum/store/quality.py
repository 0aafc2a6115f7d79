"""What quality-control collectors count (observations) and what their rules did (quality events),
and the reads of assignments that collectors without observations need."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import assignment_tasks, assignments, quality_events, quality_observations

EVENT_COLUMNS = {
    "id": quality_events.c.id,
    "created": quality_events.c.created,
    "user_id": quality_events.c.worker_id,
    "collector_type": quality_events.c.collector_type,
}


def observe(conn: Connection, rows: Sequence[dict[str, Any]], *, replace: bool = False) -> None:
    """Count observations; one already counted for the same collector, assignment and position is
    kept (or, with `replace`, takes the new value: a review that changed its verdict)."""
    if not rows:
        return
    table = quality_observations
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(table)
    key = ["owner_id", "collector", "assignment_id", "position"]
    if replace:
        conn.execute(
            statement.on_conflict_do_update(index_elements=key, set_={"value": statement.excluded.value}),
            rows,
        )
    else:
        conn.execute(statement.on_conflict_do_nothing(index_elements=key), rows)


@dataclass(frozen=True, slots=True)
class Tally:
    """A collector's observations of a worker within its history: how many, their summed credit,
    and the same for answers to control tasks."""

    count: int
    credit: float
    golden_count: int
    golden_credit: float


def _own(owner_id: int, collector: str, worker_id: int) -> Any:
    table = quality_observations
    return and_(table.c.owner_id == owner_id, table.c.collector == collector, table.c.worker_id == worker_id)


def tally(conn: Connection, *, owner_id: int, collector: str, worker_id: int, history: int | None) -> Tally:
    """The worker's last `history` observations by the collector (all of them when None)."""
    table = quality_observations
    recent = select(table.c.value, table.c.golden).where(_own(owner_id, collector, worker_id))
    if history is not None:
        recent = recent.order_by(table.c.id.desc()).limit(history)
    window = recent.subquery()
    golden = window.c.golden.is_(True)
    query = select(
        func.count(),
        func.coalesce(func.sum(window.c.value), 0.0),
        func.count().filter(golden),
        func.coalesce(func.sum(window.c.value).filter(golden), 0.0),
    )
    count, credit, golden_count, golden_credit = conn.execute(query).one()
    return Tally(int(count), float(credit), int(golden_count), float(golden_credit))


def sum_since(conn: Connection, *, owner_id: int, collector: str, worker_id: int, since: datetime) -> float:
    """The summed values of the worker's observations counted after `since`."""
    table = quality_observations
    query = select(func.coalesce(func.sum(table.c.value), 0.0)).where(
        _own(owner_id, collector, worker_id), table.c.created > since
    )
    return float(conn.execute(query).scalar_one())


def trailing_ones(conn: Connection, *, owner_id: int, collector: str, worker_id: int) -> int:
    """How many of the worker's latest observations in a row have value 1 (skips since the last
    submit)."""
    table = quality_observations
    own = _own(owner_id, collector, worker_id)
    last_zero = (
        select(table.c.id)
        .where(own, table.c.value == 0)
        .order_by(table.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = select(func.count()).where(own, table.c.id > func.coalesce(last_zero, 0))
    return int(conn.execute(query).scalar_one())


def answers_to(conn: Connection, *, task_id: str) -> Sequence[Row[Any, Any, Any, Any]]:
    """The answers a task has from SUBMITTED and ACCEPTED assignments: assignment id, worker, the
    task's position, and the assignment's solutions."""
    query = (
        select(
            assignments.c.id, assignments.c.worker_id, assignment_tasks.c.position, assignments.c.solutions
        )
        .select_from(assignment_tasks.join(assignments, assignments.c.id == assignment_tasks.c.assignment_id))
        .where(assignment_tasks.c.task_id == task_id, assignments.c.status.in_(("SUBMITTED", "ACCEPTED")))
        .order_by(assignments.c.submitted, assignments.c.id)
    )
    return conn.execute(query).all()


def suite_reviews(conn: Connection, *, pool_id: int, task_suite_id: str) -> dict[str, int]:
    """How many assignments of a task suite are in each status."""
    query = (
        select(assignments.c.status, func.count())
        .where(assignments.c.pool_id == pool_id, assignments.c.task_suite_id == task_suite_id)
        .group_by(assignments.c.status)
    )
    return {status: int(count) for status, count in conn.execute(query)}


def record_event(conn: Connection, *, values: dict[str, Any]) -> int:
    return int(
        conn.execute(insert(quality_events).values(**values).returning(quality_events.c.id)).scalar_one()
    )


def find_events(
    conn: Connection, *, owner_id: int, pool_id: int, search: Search
) -> tuple[Sequence[Row[Any]], bool]:
    base = select(quality_events).where(
        quality_events.c.owner_id == owner_id, quality_events.c.pool_id == pool_id
    )
    return search_store.run(conn, base, EVENT_COLUMNS, search)
