"""Worker ratings and speed_quality_balance.

A worker's score (store.ratings.score) grows with correct control answers and accepted work and
falls with wrong answers and rejections; automatic acceptance is not a judgement and does not
count. The counters follow assignment events (the on_* subscribers). Pools with a
speed_quality_balance admit only the best workers by that score: TOP_PERCENTAGE_BY_QUALITY the
top `percent` of all the platform's workers (ties are in), BEST_CONCURRENT_USERS_BY_QUALITY the
`count` best of the workers active (who took or submitted work) in the last ACTIVE_WINDOW, ties
going to the older account.
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import Connection

from kvorum.services.assignments import grading
from kvorum.services.assignments.events import Accepted, Issued, Rejected, Submitted
from kvorum.services.pools.model import Pool
from kvorum.store import ratings as store

ACTIVE_WINDOW = timedelta(minutes=15)


def outranked(conn: Connection, pool: Pool, worker_id: int, now: datetime) -> str | None:
    """Why the pool's speed_quality_balance keeps the worker out; None when it lets them in."""
    balance = pool.settings.speed_quality_balance
    if balance is None:
        return None
    score = store.score_of(conn, worker_id=worker_id)
    if balance.type == "TOP_PERCENTAGE_BY_QUALITY":
        assert balance.percent is not None
        above, total = store.ranked_above(conn, score=score)
        if above >= math.ceil(total * balance.percent / 100):
            return f"pool {pool.id} is for the top {balance.percent}% of workers by quality"
        return None
    assert balance.count is not None
    above = store.active_above(conn, worker_id=worker_id, score=score, since=now - ACTIVE_WINDOW)
    if above >= balance.count:
        return f"pool {pool.id} is for the {balance.count} best workers active now"
    return None


def on_issued(conn: Connection, event: Issued) -> None:
    """Taking work makes the worker active."""
    store.add(conn, worker_id=event.worker_id, now=event.at)


def on_submitted(conn: Connection, event: Submitted) -> None:
    """Submitting makes the worker active, and their answers to control tasks count."""
    credits = [
        min(grading.credit(answer.output_values, answer.known_solutions), 1.0)
        for answer in event.answers()
        if answer.role == "GOLDEN" and answer.known_solutions
    ]
    store.add(
        conn,
        worker_id=event.worker_id,
        now=event.at,
        control_answers=len(credits),
        control_correct=sum(credits),
    )


def on_accepted(conn: Connection, event: Accepted) -> None:
    """A requester's acceptance; turning a rejection into an acceptance changes the verdict, not the count."""
    if event.by == "REVIEW":
        reviewed = 0 if event.previous == "REJECTED" else 1
        store.add(conn, worker_id=event.worker_id, now=event.at, reviewed=reviewed, accepted=1, active=False)


def on_rejected(conn: Connection, event: Rejected) -> None:
    store.add(conn, worker_id=event.worker_id, now=event.at, reviewed=1, active=False)
