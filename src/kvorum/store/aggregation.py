"""What aggregation reads (counted answers, skill values, baseline solutions) and the labels it writes.

Answers are read in batches of plain rows, one per answer, with each requested value cut out of the
stored solutions by the database's JSON operators (`->`: SQLite 3.38 or later, PostgreSQL).
"""

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Text,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import array

from kvorum.store import bulk
from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import aggregated_solutions, assignment_tasks, assignments, tasks, user_skills

COUNTED = ("SUBMITTED", "ACCEPTED")
"""The statuses of assignments whose answers count."""
SOLUTION_COLUMNS = {"task_id": aggregated_solutions.c.task_id}
SOLUTION_INSERT = ("operation_id", "task_id", "pool_id", "confidence", "output_values")
SolutionValues = tuple[str, str, int, float | None, str]
"""One label, in SOLUTION_INSERT order."""


def solution_text(
    dialect: str, *path: str, solutions: ColumnElement[Any] = assignments.c.solutions
) -> ColumnElement[str]:
    """The JSON text at `path` within an answer (NULL when absent): the assignment's solution at
    the task's position, read in the database so that no solution is parsed in Python."""
    if dialect == "postgresql":
        steps = array(
            [cast(assignment_tasks.c.position, Text), *(literal(step, literal_execute=True) for step in path)]
        )
        return cast(solutions.op("#>")(steps), Text)  # one parse of the stored text
    keys = "".join(f'."{step}"' for step in path)
    where = literal("$[") + cast(assignment_tasks.c.position, Text) + literal(f"]{keys}")
    return type_coerce(solutions, Text).op("->", return_type=Text)(where.self_group())


def _answers(dialect: str, pool_id: int, fields: Sequence[str], with_control: bool) -> Select[Any]:
    """(task_id, worker_id, JSON text of each field) of every answer to a real task (and a control
    task, `with_control`) in the pool's SUBMITTED and ACCEPTED assignments."""
    return (
        select(
            assignment_tasks.c.task_id,
            assignment_tasks.c.worker_id,
            *(
                solution_text(dialect, "output_values", name).label(f"value_{n}")
                for n, name in enumerate(fields)
            ),
        )
        .join(assignments, assignments.c.id == assignment_tasks.c.assignment_id)
        .where(
            assignments.c.pool_id == pool_id,
            assignments.c.status.in_(COUNTED),
            assignment_tasks.c.task_id.not_in(_left_out(pool_id, with_control)),
        )
    )


def _left_out(pool_id: int, with_control: bool) -> Select[Any]:
    """The pool's training tasks, and its control tasks unless `with_control`: few, so excluding
    them costs less than a join that looks up the role of every answered task."""
    kinds = ("TRAINING",) if with_control else ("GOLDEN", "TRAINING")
    return select(tasks.c.id).where(tasks.c.pool_id == pool_id, tasks.c.kind.in_(kinds))


def answer_batches(
    conn: Connection,
    *,
    pool_id: int,
    fields: Sequence[str],
    batch_size: int,
    task_id: str | None = None,
    with_control: bool = False,
) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The answers of the pool (or of one task), `batch_size` rows at a time: (task_id, worker_id,
    then the JSON text of each field's value, NULL where absent)."""
    query = _answers(conn.dialect.name, pool_id, fields, with_control)
    if task_id is not None:
        query = query.where(assignment_tasks.c.task_id == task_id)
    yield from _plain_batches(conn, query, batch_size)


def _plain_batches(
    conn: Connection, query: Select[Any], batch_size: int
) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The rows of a query as the driver returns them (plain tuples, half the cost of result rows),
    in the caller's transaction; PostgreSQL streams them through a server-side cursor."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    driver: Any = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cursor = driver.cursor(name=f"answers_{uuid.uuid4().hex}")
        cursor.execute(str(compiled), compiled.params)
    else:
        cursor = driver.cursor()
        cursor.execute(str(compiled), [compiled.params[name] for name in compiled.positiontup or ()])
    try:
        while rows := cursor.fetchmany(batch_size):
            yield rows
    finally:
        cursor.close()


def issued_answers(conn: Connection, *, pool_id: int) -> int:
    """How many tasks the pool's assignments hold, answered or not: what reading its answers may meet."""
    query = select(func.count()).where(assignment_tasks.c.pool_id == pool_id)
    return int(conn.execute(query).scalar_one())


def answered_count(conn: Connection, *, pool_id: int) -> int:
    """How many of the pool's assignments have answers that count."""
    query = select(func.count()).where(assignments.c.pool_id == pool_id, assignments.c.status.in_(COUNTED))
    return int(conn.execute(query).scalar_one())


def skill_values(conn: Connection, *, skill_id: int, now: datetime) -> Sequence[Row[int, float]]:
    """Every worker's current value of the skill, (worker_id, value)."""
    query = select(user_skills.c.worker_id, user_skills.c.value).where(
        user_skills.c.skill_id == skill_id,
        or_(user_skills.c.expires.is_(None), user_skills.c.expires > now),
    )
    return conn.execute(query).all()


def baseline_tasks(conn: Connection, *, pool_id: int, task_id: str | None = None) -> Sequence[Row[str, str]]:
    """The pool's real tasks (or the one task) with baseline solutions, (id, body JSON)."""
    query = select(tasks.c.id, tasks.c.body).where(
        tasks.c.pool_id == pool_id,
        tasks.c.kind == "REAL",
        tasks.c.body.contains('"baseline_solutions"'),
    )
    if task_id is not None:
        query = query.where(tasks.c.id == task_id)
    return conn.execute(query).all()


def control_tasks(conn: Connection, *, pool_id: int) -> Sequence[Row[str, str]]:
    """The pool's control tasks, (id, body JSON)."""
    query = select(tasks.c.id, tasks.c.body).where(tasks.c.pool_id == pool_id, tasks.c.kind == "GOLDEN")
    return conn.execute(query).all()


def task_kind(conn: Connection, *, pool_id: int, task_id: str) -> str | None:
    """The role of one of the pool's tasks (REAL, GOLDEN, TRAINING), None when the pool has no such task."""
    query = select(tasks.c.kind).where(tasks.c.id == task_id, tasks.c.pool_id == pool_id)
    kind = conn.execute(query).scalar_one_or_none()
    return None if kind is None else str(kind)


def insert_solutions(conn: Connection, rows: Sequence[SolutionValues]) -> None:
    bulk.insert_rows(conn, aggregated_solutions, SOLUTION_INSERT, rows)


def find_solutions(conn: Connection, *, operation_id: str, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    base = select(aggregated_solutions).where(aggregated_solutions.c.operation_id == operation_id)
    return search_store.run(conn, base, SOLUTION_COLUMNS, search)
