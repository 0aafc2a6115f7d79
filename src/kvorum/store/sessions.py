"""Web sessions (stored as hashes of their ids) and the secrets all server processes share."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from kvorum.store.tables import server_keys, web_sessions, workers


def insert_session(
    conn: Connection, *, worker_id: int, session_hash: str, now: datetime, expires: datetime
) -> None:
    conn.execute(
        insert(web_sessions).values(
            worker_id=worker_id, session_hash=session_hash, created=now, expires=expires
        )
    )


_WORKER_OF = (
    select(workers)
    .join(web_sessions, web_sessions.c.worker_id == workers.c.id)
    .where(
        web_sessions.c.session_hash == bindparam("session_hash"),
        web_sessions.c.revoked.is_(None),
        web_sessions.c.expires > bindparam("now"),
    )
)


def worker_of(conn: Connection, *, session_hash: str, now: datetime) -> Row[Any] | None:
    """The worker of a live session; every signed-in page asks, so the query is built once."""
    return conn.execute(_WORKER_OF, {"session_hash": session_hash, "now": now}).first()


def revoke(conn: Connection, *, session_hash: str, now: datetime) -> None:
    conn.execute(
        update(web_sessions)
        .where(web_sessions.c.session_hash == session_hash, web_sessions.c.revoked.is_(None))
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
