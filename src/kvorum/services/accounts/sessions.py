"""Web sessions: a random id in the browser's cookie, only its hash in the database.

The web edge signs the cookie and derives form tokens with the server's signing key, which lives in
the database so that every server process shares it.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection

from kvorum.services.accounts.tokens import token_hash
from kvorum.services.accounts.workers import Worker
from kvorum.services.context import Context
from kvorum.store import sessions as store

SIGNING_KEY = "web-signing"


def signing_key(ctx: Context) -> bytes:
    """The key that signs cookies and form tokens, made by the first process that needs it."""
    with ctx.db.write() as conn:
        return store.secret(conn, name=SIGNING_KEY, proposed=secrets.token_bytes(32), now=ctx.clock.now())


def start(conn: Connection, ctx: Context, *, worker_id: int, now: datetime) -> str:
    """A new session of the worker, in the caller's transaction; its id, for the cookie."""
    session_id = secrets.token_urlsafe(32)
    expires = now + timedelta(days=ctx.settings.session_days)
    store.insert_session(
        conn, worker_id=worker_id, session_hash=token_hash(session_id), now=now, expires=expires
    )
    return session_id


def worker_of(ctx: Context, *, session_id: str) -> Worker | None:
    """The worker signed in with this session, unless it ended or expired."""
    with ctx.db.read() as conn:
        row = store.worker_of(conn, session_hash=token_hash(session_id), now=ctx.clock.now())
    return None if row is None else Worker(row.id, row.name, row.profile)


def end(ctx: Context, *, session_id: str) -> None:
    """Sign out: the session's cookie no longer signs anyone in, wherever it was copied."""
    with ctx.db.write() as conn:
        store.revoke(conn, session_hash=token_hash(session_id), now=ctx.clock.now())
