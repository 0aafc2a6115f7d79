"""The mixer: drawing a suite of single tasks by role (real, control, training) for one worker.

A pool's mixer_config sets how many tasks of each role a suite holds, and a minimum for each; a
distribution function may set the number of control or training tasks instead, from the count of
tasks the worker has completed. A training's suites hold its training tasks only. Spot checks
(checkpoints.py) then raise the overlap of the suite's tasks they select.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection

from kvorum.services.accounts.workers import Worker
from kvorum.services.issuing.checkpoints import raise_checked
from kvorum.services.issuing.distribution import selected
from kvorum.services.issuing.suite import Suite, reserved_elsewhere
from kvorum.services.pools.model import Pool
from kvorum.services.pools.settings import Distribution, MixerSettings
from kvorum.store import assignments as store
from kvorum.store import pools as pool_store


@dataclass(frozen=True)
class Seat:
    """Who is being issued to: the worker, and their attempt at the pool (eligibility.attempt_of)."""

    worker: Worker
    attempt: int


def free_for(
    conn: Connection, pool: Pool, seat: Seat, role: str, count: int, in_order: bool = True
) -> list[dict[str, Any]]:
    """Up to `count` tasks of `role` the worker may be issued: in creation order, or from a random
    point of the pool onwards (wrapping around) when the pool mixes tasks out of order."""
    start = None if in_order else _random_start(conn, pool, role)
    chosen = _scan(conn, pool, seat, role, count, after=start)
    if start is not None and len(chosen) < count:
        seen = {task["id"] for task in chosen}
        more = _scan(conn, pool, seat, role, count - len(chosen), after=None)
        chosen.extend(task for task in more if task["id"] not in seen)
    return chosen[:count]


def _random_start(conn: Connection, pool: Pool, role: str) -> str | None:
    low, high = store.task_id_range(conn, pool_id=pool.id, kind=role)
    if low is None or high is None:
        return None
    return format(random.randint(int(low, 16), int(high, 16)) - 1, f"0{len(low)}x")


def _scan(
    conn: Connection, pool: Pool, seat: Seat, role: str, count: int, after: str | None
) -> list[dict[str, Any]]:
    """Tasks after `after` in id order, skipping those reserved for others, until `count` are found."""
    chosen: list[dict[str, Any]] = []
    while len(chosen) < count:
        wanted = count - len(chosen)
        page = store.free_tasks(
            conn,
            pool_id=pool.id,
            worker_id=seat.worker.id,
            attempt=seat.attempt,
            kind=role,
            limit=wanted,
            after=after,
        )
        chosen.extend(
            task
            for task in ({"id": row.id, "kind": row.kind, **orjson.loads(row.body)} for row in page)
            if not reserved_elsewhere(task, seat.worker)
        )
        if len(page) < wanted:
            break
        after = page[-1].id
    return chosen


def _done(conn: Connection, pool: Pool, worker: Worker, function: Distribution, now: datetime) -> int:
    """The worker's completed tasks a distribution function counts: in the pool or its project."""
    if function.scope == "PROJECT":
        pool_ids = [row.id for row in pool_store.of_project(conn, project_id=pool.project_id)]
    else:
        pool_ids = [pool.id]
    return store.completed_tasks(conn, worker_id=worker.id, pool_ids=pool_ids, since=now - function.window)


def _counts(mixer: MixerSettings, done: Callable[[Distribution], int]) -> dict[str, tuple[int, int]]:
    """(count, minimum) per role for the worker's next suite: a distribution function takes its
    control or training tasks out of the real ones (real_tasks_count is then the suite's size)."""
    counts = dict(mixer.counts)
    size = counts.get("REAL", (0, 0))[0]
    for role, function in (("GOLDEN", mixer.golden_distribution), ("TRAINING", mixer.training_distribution)):
        if function is not None:
            real, minimum = counts["REAL"]
            count = min(selected(function, done(function), size), real)
            counts[role] = (count, count)
            counts["REAL"] = (real - count, min(minimum, real - count))
    return counts


def mixed(conn: Connection, pool: Pool, mixer: MixerSettings, seat: Seat, now: datetime) -> Suite | None:
    """A suite drawn by the mixer: each role in its count, falling back to its minimum.

    Control and training tasks must reach their minimum; real tasks may fall short only for the
    last suite of the pool (force_last_assignment), once force_last_assignment_delay_seconds have
    passed since the last task was added or had its overlap raised. Spot checks then raise the
    overlap of the tasks they select. Each distribution function's count is read once.
    """

    @cache
    def done(function: Distribution) -> int:
        return _done(conn, pool, seat.worker, function, now)

    counts = _counts(mixer, done)
    chosen: list[dict[str, Any]] = []
    for role, (count, minimum) in counts.items():
        if count == 0:
            continue
        found = free_for(conn, pool, seat, role, count, mixer.in_creation_order)
        if len(found) < minimum and not (
            role == "REAL" and found and _last_suite_due(conn, pool, mixer, now)
        ):
            return None
        chosen.extend(found)
    if not chosen or (counts.get("REAL", (0, 0))[0] and not any(task["kind"] == "REAL" for task in chosen)):
        return None
    if mixer.shuffle:
        random.shuffle(chosen)
    checkpoints = pool.settings.quality_control.checkpoints
    if checkpoints:
        raise_checked(conn, checkpoints, chosen, done, now)
    return Suite(chosen, None)


def _last_suite_due(conn: Connection, pool: Pool, mixer: MixerSettings, now: datetime) -> bool:
    if not mixer.force_last_assignment:
        return False
    added = store.last_work_added(conn, pool_id=pool.id)
    return added is None or added + mixer.force_last_assignment_delay <= now
