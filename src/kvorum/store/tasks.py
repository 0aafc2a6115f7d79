"""Tasks and task suites, always scoped by owner, and the id sequences they draw from."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Integer, Row, bindparam, or_, select, update

from kvorum.store import bulk
from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import id_counters, task_suite_tasks, task_suites, tasks

ID_WIDTH = 16

TASK_COLUMNS = {
    "id": tasks.c.id,
    "pool_id": tasks.c.pool_id,
    "overlap": tasks.c.overlap,
    "created": tasks.c.created,
}
SUITE_COLUMNS = {
    "id": task_suites.c.id,
    "pool_id": task_suites.c.pool_id,
    "overlap": task_suites.c.overlap,
    "created": task_suites.c.created,
    "task_id": task_suite_tasks.c.task_id,
}


def allocate_ids(conn: Connection, *, sequence: str, count: int) -> list[str]:
    """`count` new ids that sort, as strings, after every id handed out before.

    The counter row is locked until the transaction ends, so ids also follow commit order
    across server processes.
    """
    if count == 0:
        return []
    last = int(conn.execute(_ALLOCATE, {"sequence": sequence, "count": count}).scalar_one())
    return [format(number, f"0{ID_WIDTH}x") for number in range(last - count + 1, last + 1)]


_ALLOCATE = (
    update(id_counters)
    .where(id_counters.c.name == bindparam("sequence"))
    .values(value=id_counters.c.value + bindparam("count", type_=BigInteger))
    .returning(id_counters.c.value)
)


TASK_INSERT = ("id", "owner_id", "pool_id", "created", "overlap", "infinite_overlap", "kind", "body")
TaskValues = tuple[str, int, int, datetime, int | None, bool, str, str]
"""A new task's column values, in TASK_INSERT order."""

SUITE_INSERT = (
    "id",
    "owner_id",
    "pool_id",
    "created",
    "overlap",
    "infinite_overlap",
    "issuing_order_override",
    "body",
)
SuiteValues = tuple[str, int, int, datetime, int | None, bool, float, str]
"""A new suite's column values, in SUITE_INSERT order."""

MEMBER_INSERT = ("task_suite_id", "position", "task_id")
MemberValues = tuple[str, int, str]
"""One task of a new suite, in MEMBER_INSERT order."""


def insert_tasks(conn: Connection, rows: Sequence[TaskValues]) -> None:
    bulk.insert_rows(conn, tasks, TASK_INSERT, rows)


def insert_suites(conn: Connection, rows: Sequence[SuiteValues], members: Sequence[MemberValues]) -> None:
    bulk.insert_rows(conn, task_suites, SUITE_INSERT, rows)
    bulk.insert_rows(conn, task_suite_tasks, MEMBER_INSERT, members)


def get_task(conn: Connection, *, owner_id: int, task_id: str) -> Row[Any] | None:
    return conn.execute(select(tasks).where(tasks.c.id == task_id, tasks.c.owner_id == owner_id)).first()


def get_suite(conn: Connection, *, owner_id: int, suite_id: str) -> Row[Any] | None:
    query = select(task_suites).where(task_suites.c.id == suite_id, task_suites.c.owner_id == owner_id)
    return conn.execute(query).first()


def find_tasks(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    return search_store.run(conn, select(tasks).where(tasks.c.owner_id == owner_id), TASK_COLUMNS, search)


def find_suites(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    base = select(task_suites).where(task_suites.c.owner_id == owner_id)
    if "task_id" in search.equals:
        holding = select(task_suite_tasks.c.task_suite_id).where(
            task_suite_tasks.c.task_id == search.equals.pop("task_id")
        )
        base = base.where(task_suites.c.id.in_(holding))
    return search_store.run(conn, base, SUITE_COLUMNS, search)


def update_task(conn: Connection, *, task_id: str, values: dict[str, Any]) -> None:
    """Change a task; `open` follows its overlap."""
    conn.execute(update(tasks).where(tasks.c.id == task_id).values(**values))
    reopen = or_(tasks.c.infinite_overlap, tasks.c.taken < tasks.c.overlap)
    conn.execute(update(tasks).where(tasks.c.id == task_id).values(open=reopen))


def _growing(overlap: Any, *where: Any) -> Any:
    """The update giving the tasks of bound `task_ids` with finite overlaps a new, larger value
    (`open` follows), built once: overlaps grow on submits."""
    return (
        update(tasks)
        .where(tasks.c.id.in_(bindparam("task_ids", expanding=True)), ~tasks.c.infinite_overlap, *where)
        .values(overlap=overlap, overlap_raised=bindparam("now"), open=tasks.c.taken < overlap)
    )


_RAISE = _growing(bindparam("to", type_=Integer), tasks.c.overlap < bindparam("to", type_=Integer))
_ADD = _growing(tasks.c.overlap + bindparam("delta", type_=Integer))


def raise_overlap(conn: Connection, *, task_ids: Sequence[str], overlap: int, now: datetime) -> None:
    """Raise the finite overlaps below `overlap` to it (never lower one)."""
    conn.execute(_RAISE, {"task_ids": list(task_ids), "to": overlap, "now": now})


def lock_overlaps(conn: Connection, *, task_ids: Sequence[str], below: int) -> dict[str, int]:
    """The finite overlaps below `below` of those of these tasks whose every slot is taken, their
    rows locked until the transaction ends (in id order, on PostgreSQL), so that decisions on a
    task's answers are taken one at a time and each sees the answers committed before it."""
    rows = conn.execute(_LOCK_OVERLAPS, {"task_ids": list(task_ids), "below": below})
    return {task_id: int(overlap) for task_id, overlap in rows}


_LOCK_OVERLAPS = (
    select(tasks.c.id, tasks.c.overlap)
    .where(
        tasks.c.id.in_(bindparam("task_ids", expanding=True)),
        ~tasks.c.infinite_overlap,
        tasks.c.overlap < bindparam("below", type_=Integer),
        tasks.c.taken >= tasks.c.overlap,
    )
    .order_by(tasks.c.id)
    .with_for_update()
)


def update_suite(conn: Connection, *, suite_id: str, values: dict[str, Any]) -> None:
    conn.execute(update(task_suites).where(task_suites.c.id == suite_id).values(**values))


def add_overlap(
    conn: Connection, *, task_ids: Sequence[str], suite_id: str | None, delta: int, now: datetime
) -> int:
    """Raise the finite overlap of these tasks (or of the suite) by `delta`: more workers get them.
    How many were raised."""
    parameters = {"task_ids": list(task_ids), "delta": delta, "now": now}
    raised = int(conn.execute(_ADD, parameters).rowcount) if task_ids else 0
    if suite_id is not None:
        statement = (
            update(task_suites)
            .where(task_suites.c.id == suite_id, ~task_suites.c.infinite_overlap)
            .values(overlap=task_suites.c.overlap + delta)
        )
        raised += conn.execute(statement).rowcount
    return raised
