"""Requesters in the browser: signing in with an API token, their sessions, signing out.

A token is checked as the API checks it. Failed attempts count against the client address in the
limit of workers' failed sign-ins (`signin.py`, under the same `address:` subject), so an address
cannot guess at either form beyond it; a token has no account name to count under.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from kvorum.services.accounts.requesters import Requester
from kvorum.services.accounts.signin import _refuse_when_over
from kvorum.services.accounts.tokens import token_hash
from kvorum.services.context import Context
from kvorum.services.errors import AuthenticationFailed
from kvorum.store import accounts as account_store
from kvorum.store import requester_sessions as store
from kvorum.store import sign_ins
from kvorum.store.accounts import REQUESTERS


@dataclass(frozen=True, slots=True)
class RequesterSignedIn:
    requester: Requester
    session_id: str
    """For the browser's cookie; the database keeps only its hash."""


def sign_in(ctx: Context, *, token: str, address: str) -> RequesterSignedIn:
    """A new session of the token's requester; refused while the address has too many failures."""
    client = f"address:{address}"
    with ctx.db.write() as conn:
        now = ctx.clock.now()
        _refuse_when_over(conn, ctx, client, ctx.settings.sign_in_failures_per_address, now, "address")
        row = account_store.by_token(conn, REQUESTERS, token_hash=token_hash(token.strip()))
        if row is None:
            sign_ins.record(conn, subjects=(client,), now=now)
        else:
            session_id = secrets.token_urlsafe(32)
            expires = now + timedelta(days=ctx.settings.session_days)
            store.insert_session(
                conn, requester_id=row.id, session_hash=token_hash(session_id), now=now, expires=expires
            )
    if row is None:
        raise AuthenticationFailed("The API token is not valid")
    return RequesterSignedIn(Requester(row.id, row.name), session_id)


def requester_of(ctx: Context, *, session_id: str) -> Requester | None:
    """The requester signed in with this session, unless it ended or expired."""
    with ctx.db.read() as conn:
        row = store.requester_of(conn, session_hash=token_hash(session_id), now=ctx.clock.now())
    return None if row is None else Requester(row.id, row.name)


def end(ctx: Context, *, session_id: str) -> None:
    """Sign out: the session's cookie no longer signs anyone in, wherever it was copied."""
    with ctx.db.write() as conn:
        store.revoke(conn, session_hash=token_hash(session_id), now=ctx.clock.now())
