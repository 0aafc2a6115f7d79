"""Web sessions of workers and requesters: a random id in the browser's cookie, only its hash in
the database, in the session table of the account's kind.

The web edge signs the cookies and derives form tokens with the server's signing key, which lives
in the database so that every server process shares it.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Row

from kvorum.services.accounts.requesters import Requester
from kvorum.services.accounts.tokens import token_hash
from kvorum.services.accounts.workers import Worker
from kvorum.services.context import Context
from kvorum.store import sessions as store
from kvorum.store.accounts import REQUESTERS, WORKERS, Accounts

SIGNING_KEY = "web-signing"
Kind = Literal["worker", "requester"]
KINDS: dict[Kind, Accounts] = {"worker": WORKERS, "requester": REQUESTERS}


def signing_key(ctx: Context) -> bytes:
    """The key that signs cookies and form tokens, made by the first process that needs it."""
    with ctx.db.write() as conn:
        return store.secret(conn, name=SIGNING_KEY, proposed=secrets.token_bytes(32), now=ctx.clock.now())


def start(conn: Connection, ctx: Context, kind: Accounts, *, account_id: int, now: datetime) -> str:
    """A new session of the account, in the caller's transaction; its id, for the cookie."""
    session_id = secrets.token_urlsafe(32)
    expires = now + timedelta(days=ctx.settings.session_days)
    store.insert_session(
        conn, kind, account_id=account_id, session_hash=token_hash(session_id), now=now, expires=expires
    )
    return session_id


def _account_of(ctx: Context, kind: Accounts, session_id: str) -> Row[Any] | None:
    with ctx.db.read() as conn:
        return store.account_of(conn, kind, session_hash=token_hash(session_id), now=ctx.clock.now())


def worker_of(ctx: Context, *, session_id: str) -> Worker | None:
    """The worker signed in with this session, unless it ended or expired."""
    row = _account_of(ctx, WORKERS, session_id)
    return None if row is None else Worker(row.id, row.name, row.profile)


def requester_of(ctx: Context, *, session_id: str) -> Requester | None:
    """The requester signed in with this session, unless it ended or expired."""
    row = _account_of(ctx, REQUESTERS, session_id)
    return None if row is None else Requester(row.id, row.name)


def end(ctx: Context, kind: Kind, *, session_id: str) -> None:
    """Sign out: the session's cookie no longer signs anyone in, wherever it was copied."""
    with ctx.db.write() as conn:
        store.revoke(conn, KINDS[kind], session_hash=token_hash(session_id), now=ctx.clock.now())
