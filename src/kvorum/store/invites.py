"""Invite codes, stored as hashes; each one is used once."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, insert, update

from kvorum.store.tables import invite_codes


def insert_codes(conn: Connection, *, code_hashes: Sequence[str], now: datetime) -> None:
    conn.execute(insert(invite_codes), [{"code_hash": code, "created": now} for code in code_hashes])


def use(conn: Connection, *, code_hash: str, worker_id: int, now: datetime) -> bool:
    """Mark an unused code as used by the worker; whether there was such a code."""
    statement = (
        update(invite_codes)
        .where(invite_codes.c.code_hash == code_hash, invite_codes.c.used_by.is_(None))
        .values(used_by=worker_id, used=now)
    )
    return conn.execute(statement).rowcount == 1
