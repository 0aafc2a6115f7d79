"""The ledger of what workers earn: one row per movement of money, in micro-USD."""

from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from kvorum.store.tables import ledger_entries


def add(
    conn: Connection,
    *,
    worker_id: int,
    owner_id: int,
    kind: str,
    amount: int,
    created: datetime,
    assignment_id: str | None = None,
    bonus_id: int | None = None,
) -> None:
    """Write one entry; a second reward for an assignment or entry for a bonus violates a unique key."""
    values = {
        "worker_id": worker_id,
        "owner_id": owner_id,
        "kind": kind,
        "amount": amount,
        "assignment_id": assignment_id,
        "bonus_id": bonus_id,
        "created": created,
    }
    conn.execute(_ENTRY, values)


_ENTRY = insert(ledger_entries)
"""The statement add() runs, built once: it runs at every accepted assignment."""


def totals(conn: Connection, *, worker_id: int) -> dict[str, int]:
    """The worker's entries summed by kind (a kind without entries is absent)."""
    query = (
        select(ledger_entries.c.kind, func.sum(ledger_entries.c.amount))
        .where(ledger_entries.c.worker_id == worker_id)
        .group_by(ledger_entries.c.kind)
    )
    return {kind: int(total) for kind, total in conn.execute(query)}
