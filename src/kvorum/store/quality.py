"""What quality-control collectors count (observations) and what their rules did (quality events),
and the reads of assignments that collectors without observations need."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, Integer, Row, String, and_, bindparam, func, insert, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from kvorum.store import search as search_store
from kvorum.store.aggregation import solution_text
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
    if rows:
        conn.execute(_observe(conn.dialect.name, replace), rows)


@cache
def _observe(dialect_name: str, replace: bool) -> Any:
    """The insert observe() runs, built once per dialect: it runs for every collector at every submit."""
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    statement = dialect.insert(quality_observations)
    key = ["owner_id", "collector", "assignment_id", "position"]
    if replace:
        return statement.on_conflict_do_update(index_elements=key, set_={"value": statement.excluded.value})
    return statement.on_conflict_do_nothing(index_elements=key)


@dataclass(frozen=True, slots=True)
class Tally:
    """A collector's observations of a worker within its history: how many, their summed credit,
    and the same for answers to control tasks."""

    count: int
    credit: float
    golden_count: int
    golden_credit: float


_table = quality_observations
_OWN = and_(
    _table.c.owner_id == bindparam("owner_id"),
    _table.c.collector == bindparam("collector"),
    _table.c.worker_id == bindparam("worker_id"),
)


@lru_cache(maxsize=256)
def _tallies(windows: tuple[bool, ...]) -> Any:
    """The statement tallies() runs, built once per shape: one branch per (collector, worker), each
    reading the worker's latest observations through the index, so a long history costs nothing;
    `windows` says which branches are limited to a history."""
    branches = []
    for index, windowed in enumerate(windows):
        collector: Any = bindparam(f"collector_{index}", type_=String)
        worker: Any = bindparam(f"worker_{index}", type_=Integer)
        recent = select(_table.c.value, _table.c.golden).where(
            _table.c.owner_id == bindparam("owner_id"),
            _table.c.collector == collector,
            _table.c.worker_id == worker,
        )
        if windowed:
            recent = recent.order_by(_table.c.id.desc()).limit(bindparam(f"history_{index}"))
        window = recent.subquery()
        golden = window.c.golden.is_(True)
        branches.append(
            select(
                collector.label("collector"),
                worker.label("worker_id"),
                func.count(),
                func.coalesce(func.sum(window.c.value), 0.0),
                func.count().filter(golden),
                func.coalesce(func.sum(window.c.value).filter(golden), 0.0),
            )
        )
    return union_all(*branches) if len(branches) > 1 else branches[0]


def tallies(
    conn: Connection, *, owner_id: int, wanted: Sequence[tuple[str, int, int | None]]
) -> dict[tuple[str, int], Tally]:
    """For each (collector, worker, history) wanted, the worker's last `history` observations by
    the collector (all of them when None), all in one round trip."""
    parameters: dict[str, Any] = {"owner_id": owner_id}
    for index, (collector, worker_id, history) in enumerate(wanted):
        parameters |= {f"collector_{index}": collector, f"worker_{index}": worker_id}
        if history is not None:
            parameters[f"history_{index}"] = history
    rows = conn.execute(_tallies(tuple(history is not None for _, _, history in wanted)), parameters)
    return {
        (collector, int(worker_id)): Tally(int(count), float(credit), int(golden_count), float(golden_credit))
        for collector, worker_id, count, credit, golden_count, golden_credit in rows
    }


_SUM_SINCE = select(func.coalesce(func.sum(_table.c.value), 0.0)).where(
    _OWN, _table.c.created > bindparam("since")
)


def sum_since(conn: Connection, *, owner_id: int, collector: str, worker_id: int, since: datetime) -> float:
    """The summed values of the worker's observations counted after `since`."""
    parameters = {"owner_id": owner_id, "collector": collector, "worker_id": worker_id, "since": since}
    return float(conn.execute(_SUM_SINCE, parameters).scalar_one())


_LAST_ZERO = select(_table.c.id).where(_OWN, _table.c.value == 0).order_by(_table.c.id.desc()).limit(1)
_TRAILING_ONES = select(func.count()).where(
    _OWN, _table.c.id > func.coalesce(_LAST_ZERO.scalar_subquery(), 0)
)


def trailing_ones(conn: Connection, *, owner_id: int, collector: str, worker_id: int) -> int:
    """How many of the worker's latest observations in a row have value 1 (skips since the last
    submit)."""
    parameters = {"owner_id": owner_id, "collector": collector, "worker_id": worker_id}
    return int(conn.execute(_TRAILING_ONES, parameters).scalar_one())


class Answer(NamedTuple):
    task_id: str
    id: str
    """The assignment's."""
    worker_id: int
    position: int
    output_values: dict[str, Any]
    status: str


def answers_to(
    conn: Connection, *, task_ids: Sequence[str], statuses: Sequence[str] = ("SUBMITTED", "ACCEPTED")
) -> list[Answer]:
    """The answers these tasks have from assignments in `statuses`: the task, the assignment, its
    worker, the task's position in it, the answer's output values and the assignment's status;
    oldest first. Only the answer is read out of each assignment's solutions."""
    parameters = {"task_ids": list(task_ids), "statuses": list(statuses)}
    return [
        Answer(task_id, assignment_id, worker_id, position, orjson.loads(values), status)
        for task_id, assignment_id, worker_id, position, values, status in conn.execute(
            _answers(conn.dialect.name), parameters
        )
    ]


@cache
def _answers(dialect: str) -> Any:
    return (
        select(
            assignment_tasks.c.task_id,
            assignments.c.id,
            assignments.c.worker_id,
            assignment_tasks.c.position,
            solution_text(dialect, "output_values"),
            assignments.c.status,
        )
        .select_from(assignment_tasks.join(assignments, assignments.c.id == assignment_tasks.c.assignment_id))
        .where(
            assignment_tasks.c.task_id.in_(bindparam("task_ids", expanding=True)),
            assignments.c.status.in_(bindparam("statuses", expanding=True)),
        )
        .order_by(assignments.c.submitted, assignments.c.id)
    )


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
