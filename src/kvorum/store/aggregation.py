"""What aggregation reads (counted answers, skill values, baseline solutions) and the labels it writes.

Answers are read as raw JSON text in batches of rows, never as one object per answer: the reader
parses each batch and keeps only integer arrays.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Text, cast, func, or_, select

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

_ANSWER_COLUMNS = (
    assignments.c.worker_id,
    cast(assignments.c.tasks, Text).label("tasks"),
    cast(assignments.c.solutions, Text).label("solutions"),
)


def answer_batches(conn: Connection, *, pool_id: int, batch_size: int) -> Iterator[Sequence[Row[Any]]]:
    """The pool's answered assignments, (worker_id, tasks JSON, solutions JSON), `batch_size` at a time.

    PostgreSQL streams them through a server-side cursor.
    """
    query = select(*_ANSWER_COLUMNS).where(
        assignments.c.pool_id == pool_id, assignments.c.status.in_(COUNTED)
    )
    result = conn.execution_options(yield_per=batch_size).execute(query)
    yield from result.partitions()


def answered_count(conn: Connection, *, pool_id: int) -> int:
    """How many of the pool's assignments have answers that count."""
    query = select(func.count()).where(assignments.c.pool_id == pool_id, assignments.c.status.in_(COUNTED))
    return int(conn.execute(query).scalar_one())


def answers_to_task(conn: Connection, *, pool_id: int, task_id: str) -> Sequence[Row[Any]]:
    """The answered assignments that hold one task, as `answer_batches` reads them."""
    holding = select(assignment_tasks.c.assignment_id).where(
        assignment_tasks.c.task_id == task_id, assignment_tasks.c.pool_id == pool_id
    )
    query = select(*_ANSWER_COLUMNS).where(assignments.c.id.in_(holding), assignments.c.status.in_(COUNTED))
    return conn.execute(query).all()


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
