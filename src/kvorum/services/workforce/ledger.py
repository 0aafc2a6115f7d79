"""The ledger of what workers earn: the reward of each accepted assignment and each bonus, one entry
apiece, in exact micro-USD.

Entries are written in the transaction of the change that earns the money (on_accepted hears of
acceptances, record_bonus is called as a bonus is stored), so the ledger and the assignments and
bonuses it follows cannot disagree, and every total a worker reads is a sum of integers.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from kvorum.services.assignments.events import Accepted
from kvorum.store import assignments as assignment_store
from kvorum.store import ledger as store

MICRO_USD = 1_000_000
"""Ledger units in a US dollar: rewards such as 0.005 and whole-cent bonuses are whole numbers."""


def micro_usd(usd: float) -> int:
    """An amount in US dollars as whole micro-USD."""
    return round(usd * MICRO_USD)


def usd(micro: int) -> float:
    """Micro-USD back in US dollars, for the wire: the nearest float to the exact amount."""
    return micro / MICRO_USD


@dataclass(frozen=True, slots=True)
class Earnings:
    """A worker's money in micro-USD."""

    accepted: int
    """Rewards of accepted assignments."""
    pending: int
    """Rewards of submitted assignments awaiting review: not earned yet, and not in the ledger."""
    bonuses: int
    """Bonuses requesters gave; earned, like `accepted`."""

    @property
    def total(self) -> int:
        """What the worker has earned: accepted rewards and bonuses."""
        return self.accepted + self.bonuses


def on_accepted(conn: Connection, event: Accepted) -> None:
    """An accepted assignment earns its reward (a free one, as in trainings, moves no money)."""
    amount = micro_usd(event.assignment.reward)
    if amount:
        store.add(
            conn,
            worker_id=event.worker_id,
            owner_id=event.owner_id,
            kind="REWARD",
            amount=amount,
            assignment_id=event.assignment_id,
            created=event.at,
        )


def record_bonus(
    conn: Connection,
    *,
    bonus_id: int,
    owner_id: int,
    worker_id: int,
    amount_cents: int,
    assignment_id: str | None,
    created: datetime,
) -> None:
    """A bonus, as it is stored."""
    store.add(
        conn,
        worker_id=worker_id,
        owner_id=owner_id,
        kind="BONUS",
        amount=amount_cents * (MICRO_USD // 100),
        assignment_id=assignment_id,
        bonus_id=bonus_id,
        created=created,
    )


def earnings(conn: Connection, *, worker_id: int) -> Earnings:
    """What the worker has earned by the ledger, and what awaits review."""
    totals = store.totals(conn, worker_id=worker_id)
    submitted = assignment_store.submitted_rewards(conn, worker_id=worker_id)
    pending = sum(micro_usd(reward) * count for reward, count in submitted.items())
    return Earnings(accepted=totals.get("REWARD", 0), pending=pending, bonuses=totals.get("BONUS", 0))
