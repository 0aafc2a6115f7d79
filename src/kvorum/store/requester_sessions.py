"""Requesters' web sessions, stored as hashes of their ids."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from kvorum.store.tables import requester_sessions, requesters


def insert_session(
    conn: Connection, *, requester_id: int, session_hash: str, now: datetime, expires: datetime
) -> None:
    conn.execute(
        insert(requester_sessions).values(
            requester_id=requester_id, session_hash=session_hash, created=now, expires=expires
        )
    )


_REQUESTER_OF = (
    select(requesters)
    .join(requester_sessions, requester_sessions.c.requester_id == requesters.c.id)
    .where(
        requester_sessions.c.session_hash == bindparam("session_hash"),
        requester_sessions.c.revoked.is_(None),
        requester_sessions.c.expires > bindparam("now"),
    )
)


def requester_of(conn: Connection, *, session_hash: str, now: datetime) -> Row[Any] | None:
    """The requester of a live session."""
    return conn.execute(_REQUESTER_OF, {"session_hash": session_hash, "now": now}).first()


def revoke(conn: Connection, *, session_hash: str, now: datetime) -> None:
    conn.execute(
        update(requester_sessions)
        .where(requester_sessions.c.session_hash == session_hash, requester_sessions.c.revoked.is_(None))
        .values(revoked=now)
    )
