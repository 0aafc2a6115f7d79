"""Web sessions of workers and requesters (stored as hashes of their ids), and the secrets all
server processes share."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from kvorum.store.accounts import Accounts
from kvorum.store.tables import server_keys


def insert_session(
    conn: Connection, kind: Accounts, *, account_id: int, session_hash: str, now: datetime, expires: datetime
) -> None:
    conn.execute(
        insert(kind.sessions).values(
            {
                kind.session_owner.name: account_id,
                "session_hash": session_hash,
                "created": now,
                "expires": expires,
            }
        )
    )


def account_of(conn: Connection, kind: Accounts, *, session_hash: str, now: datetime) -> Row[Any] | None:
    """The account of a live session."""
    return conn.execute(kind.by_session_query, {"session_hash": session_hash, "now": now}).first()


def revoke(conn: Connection, kind: Accounts, *, session_hash: str, now: datetime) -> None:
    sessions = kind.sessions
    conn.execute(
        update(sessions)
        .where(sessions.c.session_hash == session_hash, sessions.c.revoked.is_(None))
        .values(revoked=now)
    )


def secret(conn: Connection, *, name: str, proposed: bytes, now: datetime) -> bytes:
    """The stored secret `name`; the first process to ask stores `proposed`, the others read it."""
    existing = conn.execute(select(server_keys.c.secret).where(server_keys.c.name == name)).scalar()
    if existing is not None:
        return bytes(existing)
    try:
        with conn.begin_nested():
            conn.execute(insert(server_keys).values(name=name, secret=proposed, created=now))
    except IntegrityError:
        stored = conn.execute(select(server_keys.c.secret).where(server_keys.c.name == name)).scalar_one()
        return bytes(stored)
    return proposed
