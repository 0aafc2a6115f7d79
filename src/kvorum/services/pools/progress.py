"""A pool's progress as its requester watches it: tasks done and remaining, assignments by status,
answers per task, and what it has cost.

A task is done when its answers (submitted or accepted assignments holding it) reach its overlap;
one of infinite overlap is never done and is counted apart. A pool of uploaded task suites is
counted by suite in the same way. The spend is the ledger's: the rewards of the pool's accepted
assignments and the bonuses given for them (a bonus for no assignment belongs to no pool).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from kvorum.services.assignments.model import STATUSES
from kvorum.services.context import Context
from kvorum.services.pools.model import Pool
from kvorum.services.pools.service import load
from kvorum.services.workforce.ledger import usd
from kvorum.store import pool_progress as store


@dataclass(frozen=True, slots=True)
class Coverage:
    """How far the answers have come over the pool's tasks, or over its uploaded suites."""

    total: int
    done: int
    remaining: int
    """Of finite overlap and still short of it."""
    open_ended: int
    """Of infinite overlap: answered for as long as the pool is open."""
    answers: list[tuple[int, int]]
    """(answers, how many have that many), fewest answers first; counts none has are left out."""

    @property
    def most(self) -> int:
        """The largest count of `answers`, the scale of its chart."""
        return max((count for _, count in self.answers), default=0)

    @classmethod
    def of(cls, tallies: Sequence[store.Tally]) -> "Coverage":
        by_answers: dict[int, int] = {}
        done = remaining = open_ended = 0
        for answers, infinite, complete, tally in tallies:
            by_answers[answers] = by_answers.get(answers, 0) + tally
            if infinite:
                open_ended += tally
            elif complete:
                done += tally
            else:
                remaining += tally
        return cls(done + remaining + open_ended, done, remaining, open_ended, sorted(by_answers.items()))


@dataclass(frozen=True, slots=True)
class Spend:
    rewards: float
    bonuses: float

    @property
    def total(self) -> float:
        return self.rewards + self.bonuses


@dataclass(frozen=True, slots=True)
class PoolProgress:
    pool: Pool
    tasks: Coverage
    suites: Coverage
    """Uploaded task suites (a pool without a mixer issues them)."""
    assignments: dict[str, int]
    """Every status, in lifecycle order, with its count (zero included)."""
    spend: Spend


def progress(ctx: Context, *, caller: int, pool_id: str) -> PoolProgress:
    """The progress of one of the caller's pools or trainings (another's is NotFound)."""
    with ctx.db.read() as conn:
        pool = load(conn, caller=caller, pool_type=None, pool_id=pool_id)
        tasks = store.task_tallies(conn, owner_id=caller, pool_id=pool.id)
        suites = store.suite_tallies(conn, owner_id=caller, pool_id=pool.id)
        statuses = store.assignment_statuses(conn, owner_id=caller, pool_id=pool.id)
        money = store.spend(conn, owner_id=caller, pool_id=pool.id)
    return PoolProgress(
        pool=pool,
        tasks=Coverage.of(tasks),
        suites=Coverage.of(suites),
        assignments={status: statuses.get(status, 0) for status in STATUSES},
        spend=Spend(usd(money.get("REWARD", 0)), usd(money.get("BONUS", 0))),
    )
