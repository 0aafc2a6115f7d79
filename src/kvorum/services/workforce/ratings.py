"""Worker ratings and speed_quality_balance.

A worker's score (store/ratings.py) grows with correct control answers and accepted work and
falls with wrong answers and rejections; automatic acceptance is not a judgement and does not
count. Pools with a speed_quality_balance admit only the best workers by that score:
TOP_PERCENTAGE_BY_QUALITY the top `percent` of all the platform's workers (ties are in),
BEST_CONCURRENT_USERS_BY_QUALITY the `count` best of the workers active (who took or submitted
work) in the last ACTIVE_WINDOW, ties going to the older account.
"""

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.store import ratings as store

ACTIVE_WINDOW = timedelta(minutes=15)


def outranked(conn: Connection, pool: Row[Any], worker_id: int, now: datetime) -> str | None:
    """Why the pool's speed_quality_balance keeps the worker out; None when it lets them in."""
    balance = pool.spec.get("speed_quality_balance")
    if balance is None:
        return None
    score = store.score_of(conn, worker_id=worker_id)
    if balance["type"] == "TOP_PERCENTAGE_BY_QUALITY":
        above, total = store.ranked_above(conn, score=score)
        if above >= math.ceil(total * balance["percent"] / 100):
            return f"pool {pool.id} is for the top {balance['percent']}% of workers by quality"
        return None
    above = store.active_above(conn, worker_id=worker_id, score=score, since=now - ACTIVE_WINDOW)
    if above >= balance["count"]:
        return f"pool {pool.id} is for the {balance['count']} best workers active now"
    return None


def record_activity(conn: Connection, *, worker_id: int, now: datetime) -> None:
    store.add(conn, worker_id=worker_id, now=now)


def record_control_answers(
    conn: Connection, *, worker_id: int, answers: int, correct: float, now: datetime
) -> None:
    store.add(conn, worker_id=worker_id, now=now, control_answers=answers, control_correct=correct)


def record_review(
    conn: Connection, *, worker_id: int, status: str, was_rejected: bool, now: datetime
) -> None:
    """A requester's verdict; turning a rejection into an acceptance changes the verdict, not the count."""
    accepted = int(status == "ACCEPTED")
    store.add(
        conn,
        worker_id=worker_id,
        now=now,
        reviewed=0 if was_rejected else 1,
        accepted=accepted,
        active=False,
    )
