"""A pool's progress as its requester watches it: tasks done and remaining, assignments by status,
answers per task, and what it has cost.

A task is done when its answers (submitted or accepted assignments holding it) reach its overlap;
a task of infinite overlap is never done and is counted apart. The spend is the ledger's: the
rewards of the pool's accepted assignments and the bonuses given for them (a bonus for no
assignment belongs to no pool).
"""

from dataclasses import dataclass

from kvorum.services.assignments.model import STATUSES
from kvorum.services.context import Context
from kvorum.services.pools.model import Pool
from kvorum.services.pools.service import load
from kvorum.services.workforce.ledger import usd
from kvorum.store import pool_progress as store


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
    tasks: int
    done: int
    remaining: int
    """Tasks of finite overlap still short of it."""
    open_ended: int
    """Tasks of infinite overlap: answered for as long as the pool is open."""
    assignments: dict[str, int]
    """Every status, in lifecycle order, with its count (zero included)."""
    answers_per_task: list[tuple[int, int]]
    """(answers, tasks with that many), fewest answers first; counts no task has are left out."""
    spend: Spend


def progress(ctx: Context, *, caller: int, pool_id: str) -> PoolProgress:
    """The progress of one of the caller's pools or trainings (another's is NotFound)."""
    with ctx.db.read() as conn:
        pool = load(conn, caller=caller, pool_type=None, pool_id=pool_id)
        counts = store.answer_counts(conn, owner_id=caller, pool_id=pool.id)
        statuses = store.assignment_statuses(conn, owner_id=caller, pool_id=pool.id)
        money = store.spend(conn, owner_id=caller, pool_id=pool.id)
    by_answers: dict[int, int] = {}
    done = remaining = open_ended = 0
    for answers, infinite, complete, tally in counts:
        by_answers[answers] = by_answers.get(answers, 0) + tally
        if infinite:
            open_ended += tally
        elif complete:
            done += tally
        else:
            remaining += tally
    return PoolProgress(
        pool=pool,
        tasks=done + remaining + open_ended,
        done=done,
        remaining=remaining,
        open_ended=open_ended,
        assignments={status: statuses.get(status, 0) for status in STATUSES},
        answers_per_task=sorted(by_answers.items()),
        spend=Spend(usd(money.get("REWARD", 0)), usd(money.get("BONUS", 0))),
    )
