"""What quality-control collectors count (observations) and what their rules did (quality events),
and the reads of assignments that collectors without observations need."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, Final, Literal, NamedTuple

import orjson
from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    Row,
    String,
    and_,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
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
    kept (or, with `replace`, takes the new value: a review that changed its verdict). On
    PostgreSQL the rows go as one array a column, so that they are one statement however many."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(_observe_arrays(replace), _given(rows))
    else:
        conn.execute(_observe_rows(replace), rows)


_COLUMNS = ("owner_id", "collector", "worker_id", "assignment_id", "position", "value", "golden", "created")


def _given(rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    return {f"given_{name}": [row[name] for row in rows] for name in _COLUMNS}


@cache
def _observe_rows(replace: bool) -> Any:
    return _on_conflict(sqlite.insert(quality_observations), replace)


@cache
def _observe_arrays(replace: bool) -> Any:
    arrays = (
        bindparam(f"given_{name}", type_=postgresql.ARRAY(quality_observations.c[name].type))
        for name in _COLUMNS
    )
    rows = select(*func.unnest(*arrays).table_valued(*_COLUMNS).render_derived("given").c)
    return _on_conflict(postgresql.insert(quality_observations).from_select(_COLUMNS, rows), replace)


def _on_conflict(statement: Any, replace: bool) -> Any:
    key = ["owner_id", "collector", "assignment_id", "position"]
    if replace:
        return statement.on_conflict_do_update(index_elements=key, set_={"value": statement.excluded.value})
    return statement.on_conflict_do_nothing(index_elements=key)


@dataclass(frozen=True, slots=True)
class Tally:
    """A collector's observations of a worker within its span: how many, their summed credit,
    and the same for answers to control tasks."""

    count: int
    credit: float
    golden_count: int
    golden_credit: float


IN_ROW: Final = "IN_ROW"
Span = int | None | Literal["IN_ROW"]
"""Which of a worker's observations by a collector a tally counts: the latest N (history_size),
all of them (None), or the latest ones in a row with value 1 (IN_ROW: skips since the last
submit)."""
Wanted = tuple[str, int, Span]
"""(collector, worker, span)."""

_table = quality_observations
_OWN = and_(
    _table.c.owner_id == bindparam("owner_id"),
    _table.c.collector == bindparam("collector"),
    _table.c.worker_id == bindparam("worker_id"),
)


def _kind(span: Span) -> str:
    return "ALL" if span is None else IN_ROW if span == IN_ROW else "LATEST"


def _window(collector: Any, worker: Any, kind: str, history: Any) -> Any:
    """The observations a branch tallies, read through the index on (owner, collector, worker, id)
    from the latest back, so that a long history costs nothing."""
    own = (
        _table.c.owner_id == bindparam("owner_id"),
        _table.c.collector == collector,
        _table.c.worker_id == worker,
    )
    recent = select(_table.c.value, _table.c.golden).where(*own)
    if kind == "LATEST":
        recent = recent.order_by(_table.c.id.desc()).limit(history)
    elif kind == IN_ROW:
        last_zero = select(_table.c.id).where(*own, _table.c.value == 0).order_by(_table.c.id.desc()).limit(1)
        recent = recent.where(_table.c.id > func.coalesce(last_zero.scalar_subquery(), 0))
    return recent.subquery()


@lru_cache(maxsize=256)
def _tallies(kinds: tuple[str, ...]) -> Any:
    """The statement tallies() runs on SQLite, built once per shape: one branch per (collector,
    worker), of its span's kind."""
    branches = []
    for index, kind in enumerate(kinds):
        collector: Any = bindparam(f"collector_{index}", type_=String)
        worker: Any = bindparam(f"worker_{index}", type_=Integer)
        window = _window(collector, worker, kind, bindparam(f"history_{index}"))
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


def _own(table: Any, wanted: Any) -> tuple[Any, ...]:
    """The rows of `table` by the collector of the `wanted` row, about its worker."""
    return (table.c.collector == wanted.c.collector, table.c.worker_id == wanted.c.worker_id)


@cache
def _tallies_by_arrays(counting: bool | None) -> Any:
    """The statement tallies() and count() run on PostgreSQL: the same for whatever is wanted,
    given as arrays, each looked up by a LATERAL subquery through the index on (owner, collector,
    worker, id), so that it is planned in a fraction of the time a branch per tally takes.

    With `counting` (whether to replace), it first counts the observations given as arrays (see
    observe()). Its query does not see what that insert wrote: each window is the stored
    observations but those the insert returned (a replaced one comes back with its new value),
    and those it returned."""
    wanted = (
        func.unnest(
            bindparam("collectors", type_=postgresql.ARRAY(String)),
            bindparam("workers", type_=postgresql.ARRAY(Integer)),
            bindparam("histories", type_=postgresql.ARRAY(Integer)),
            bindparam("in_rows", type_=postgresql.ARRAY(Boolean)),
        )
        .table_valued("collector", "worker_id", "history", "in_row")
        .render_derived("wanted")
    )
    fresh = None if counting is None else _fresh(counting)

    def stored(table: Any) -> tuple[Any, ...]:
        mine = (table.c.owner_id == bindparam("owner_id"), *_own(table, wanted))
        return mine if fresh is None else (*mine, table.c.id.not_in(select(fresh.c.id)))

    zeros = _table.alias("zeros")
    last_zero: Any = (
        select(zeros.c.id)
        .where(*stored(zeros), zeros.c.value == 0)
        .order_by(zeros.c.id.desc())
        .limit(1)
        .correlate(wanted)
        .scalar_subquery()
    )
    if fresh is not None:
        fresh_zero = select(func.max(fresh.c.id)).where(*_own(fresh, wanted), fresh.c.value == 0)
        last_zero = func.greatest(last_zero, fresh_zero.correlate(wanted).scalar_subquery())

    def in_row(table: Any) -> Any:
        return or_(~wanted.c.in_row, table.c.id > func.coalesce(last_zero, 0))

    latest = (
        select(_table.c.id, _table.c.value, _table.c.golden)
        .where(*stored(_table), in_row(_table))
        .order_by(_table.c.id.desc())
        .limit(wanted.c.history)  # NULL: all
        .correlate(wanted)
    )
    if fresh is not None:
        counted = select(fresh.c.id, fresh.c.value, fresh.c.golden).where(*_own(fresh, wanted), in_row(fresh))
        both = union_all(latest.subquery().select(), counted.correlate(wanted)).subquery()
        latest = select(both.c.value, both.c.golden).order_by(both.c.id.desc()).limit(wanted.c.history)
    window = latest.lateral("window")
    golden = window.c.golden.is_(True)
    return (
        select(
            wanted.c.collector,
            wanted.c.worker_id,
            func.count(window.c.value),
            func.coalesce(func.sum(window.c.value), 0.0),
            func.count(window.c.value).filter(golden),
            func.coalesce(func.sum(window.c.value).filter(golden), 0.0),
        )
        .select_from(wanted.outerjoin(window, true()))
        .group_by(wanted.c.collector, wanted.c.worker_id)
    )


def _fresh(replace: bool) -> Any:
    """The insert of observe(), as a CTE of the observations it wrote."""
    written = (_table.c.id, _table.c.collector, _table.c.worker_id, _table.c.value, _table.c.golden)
    return _observe_arrays(replace).returning(*written).cte("fresh")


def _arrays(wanted: Sequence[Wanted]) -> dict[str, list[Any]]:
    return {
        "collectors": [collector for collector, _, _ in wanted],
        "workers": [worker_id for _, worker_id, _ in wanted],
        "histories": [span if _kind(span) == "LATEST" else None for _, _, span in wanted],
        "in_rows": [span == IN_ROW for _, _, span in wanted],
    }


def _read(rows: Any) -> dict[tuple[str, int], Tally]:
    return {
        (collector, int(worker_id)): Tally(int(count), float(credit), int(golden_count), float(golden_credit))
        for collector, worker_id, count, credit, golden_count, golden_credit in rows
    }


def tallies(conn: Connection, *, owner_id: int, wanted: Sequence[Wanted]) -> dict[tuple[str, int], Tally]:
    """For each (collector, worker, span) wanted, the worker's observations by the collector within
    the span, all in one round trip."""
    parameters: dict[str, Any] = {"owner_id": owner_id}
    if conn.dialect.name == "postgresql":
        return _read(conn.execute(_tallies_by_arrays(None), parameters | _arrays(wanted)))
    for index, (collector, worker_id, span) in enumerate(wanted):
        parameters |= {f"collector_{index}": collector, f"worker_{index}": worker_id}
        if _kind(span) == "LATEST":
            parameters[f"history_{index}"] = span
    return _read(conn.execute(_tallies(tuple(_kind(span) for _, _, span in wanted)), parameters))


def count(
    conn: Connection,
    *,
    owner_id: int,
    kept: Sequence[dict[str, Any]],
    replaced: Sequence[dict[str, Any]],
    wanted: Sequence[Wanted],
) -> dict[tuple[str, int], Tally]:
    """observe() the `kept` and the `replaced` observations, then tallies(): on PostgreSQL the
    last insert and the tallies are one statement, saving a round trip."""
    rows, replace = (replaced, True) if replaced else (kept, False)
    if conn.dialect.name != "postgresql" or not rows or not wanted:
        observe(conn, kept)
        observe(conn, replaced, replace=True)
        return tallies(conn, owner_id=owner_id, wanted=wanted) if wanted else {}
    if replaced:
        observe(conn, kept)  # an insert of its own: one statement has one ON CONFLICT
    parameters = {"owner_id": owner_id} | _arrays(wanted) | _given(rows)
    return _read(conn.execute(_tallies_by_arrays(replace), parameters))


_SUM_SINCE = select(func.coalesce(func.sum(_table.c.value), 0.0)).where(
    _OWN, _table.c.created > bindparam("since")
)


def sum_since(conn: Connection, *, owner_id: int, collector: str, worker_id: int, since: datetime) -> float:
    """The summed values of the worker's observations counted after `since`."""
    parameters = {"owner_id": owner_id, "collector": collector, "worker_id": worker_id, "since": since}
    return float(conn.execute(_SUM_SINCE, parameters).scalar_one())


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
    """The statement answers_to() runs. On PostgreSQL each task's assignment is looked up by id in
    a LATERAL subquery that OFFSET keeps from being flattened, so that no estimate can make it a
    hash join over every answered assignment, whose cost would grow with the database."""
    by_id = assignments.c.id == assignment_tasks.c.assignment_id
    found: Any = assignments
    source: Any = assignment_tasks.join(assignments, by_id)
    if dialect == "postgresql":
        found = (
            select(*(assignments.c[name] for name in _ANSWERED))
            .where(by_id)
            .offset(literal_column("0"))
            .lateral()
        )
        source = assignment_tasks.join(found, true())
    return (
        select(
            assignment_tasks.c.task_id,
            found.c.id,
            found.c.worker_id,
            assignment_tasks.c.position,
            solution_text(dialect, "output_values", solutions=found.c.solutions),
            found.c.status,
        )
        .select_from(source)
        .where(
            assignment_tasks.c.task_id.in_(bindparam("task_ids", expanding=True)),
            found.c.status.in_(bindparam("statuses", expanding=True)),
        )
        .order_by(found.c.submitted, found.c.id)
    )


_ANSWERED = ("id", "worker_id", "status", "submitted", "solutions")


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
