"""Worker ratings: counters kept as workers answer control tasks and requesters review their work,
and the rank queries speed_quality_balance needs."""

from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from kvorum.store.tables import worker_ratings, workers

Amount = TypeVar("Amount", float, ColumnElement[Any])


def score(correct: Amount, accepted: Amount, answers: Amount, reviewed: Amount) -> Amount:
    """The rating: (correct control answers + accepted assignments + 1) / (control answers + reviewed
    assignments + 2), the share of good outcomes pulled towards 1/2 while there are few of them.

    The one statement of the formula: it computes a new worker's score in Python and updates a known
    worker's in SQL, from the counters the row holds.
    """
    return (correct + accepted + 1.0) / (answers + reviewed + 2.0)


PRIOR = score(0, 0, 0, 0)
"""The score of a worker with no control answers and no reviews yet."""


def add(
    conn: Connection,
    *,
    worker_id: int,
    now: datetime,
    control_answers: int = 0,
    control_correct: float = 0.0,
    reviewed: int = 0,
    accepted: int = 0,
    active: bool = True,
) -> None:
    """Count what happened to the worker's work; `active`: the worker acted themselves just now."""
    conn.execute(
        _upsert(conn.dialect.name, active),
        {
            "worker_id": worker_id,
            "answers": control_answers,
            "correct": control_correct,
            "reviewed": reviewed,
            "accepted": accepted,
            "score": score(control_correct, accepted, control_answers, reviewed),
            "now": now if active else None,
        },
    )


@cache
def _upsert(dialect_name: str, active: bool) -> Any:
    """The statement add() runs, built once: it runs twice per assignment."""
    table = worker_ratings
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    statement = dialect.insert(table).values(
        worker_id=bindparam("worker_id"),
        control_answers=bindparam("answers"),
        control_correct=bindparam("correct"),
        reviewed=bindparam("reviewed"),
        accepted=bindparam("accepted"),
        score=bindparam("score"),
        last_active=bindparam("now"),
    )
    answers, correct = (
        table.c.control_answers + bindparam("answers"),
        table.c.control_correct + bindparam("correct"),
    )
    reviewed, accepted = table.c.reviewed + bindparam("reviewed"), table.c.accepted + bindparam("accepted")
    return statement.on_conflict_do_update(
        index_elements=[table.c.worker_id],
        set_={
            "control_answers": answers,
            "control_correct": correct,
            "reviewed": reviewed,
            "accepted": accepted,
            "score": score(correct, accepted, answers, reviewed),
            "last_active": bindparam("now") if active else table.c.last_active,
        },
    )


def score_of(conn: Connection, *, worker_id: int) -> float:
    found = conn.execute(
        select(worker_ratings.c.score).where(worker_ratings.c.worker_id == worker_id)
    ).scalar_one_or_none()
    return PRIOR if found is None else float(found)


def ranked_above(conn: Connection, *, score: float) -> tuple[int, int]:
    """How many workers of the platform score strictly higher than `score`, and how many there are."""
    rated = func.coalesce(worker_ratings.c.score, PRIOR)
    joined = workers.outerjoin(worker_ratings, worker_ratings.c.worker_id == workers.c.id)
    query = select(func.count(), func.count().filter(rated > score)).select_from(joined)
    total, above = conn.execute(query).one()
    return int(above or 0), int(total)


def active_above(conn: Connection, *, worker_id: int, score: float, since: datetime) -> int:
    """How many other workers active since `since` rank above this one (higher score; on a tie,
    the older account)."""
    table = worker_ratings
    query = select(func.count()).where(
        table.c.last_active >= since,
        table.c.worker_id != worker_id,
        or_(table.c.score > score, and_(table.c.score == score, table.c.worker_id < worker_id)),
    )
    return int(conn.execute(query).scalar_one())
