"""Signing up and signing in to the web pages, with the limit on failed sign-ins.

Failed sign-ins are counted in the database per account name and per client address, so the limit
holds across server processes. An attempt is counted as failed before its password is checked and
forgiven once it matches, so concurrent guesses cannot slip past the count.

Requesters sign in with an API token, checked as the API checks it; their failures count under the
same `address:` subject, so an address cannot guess at either form beyond the limit (a token has no
account name to count under).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import Connection

from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import passwords, sessions
from kvorum.services.accounts.requesters import Requester, insert_account
from kvorum.services.accounts.tokens import token_hash
from kvorum.services.accounts.workers import Worker
from kvorum.services.context import Context
from kvorum.services.errors import AuthenticationFailed, Problems, TooManyRequests
from kvorum.store import accounts as account_store
from kvorum.store import invites as invite_store
from kvorum.store import sign_ins as store
from kvorum.store.accounts import REQUESTERS, WORKERS

NAME_MAX_LENGTH = 100


@dataclass(frozen=True, slots=True)
class SignedIn:
    worker: Worker
    session_id: str
    """For the browser's cookie; the database keeps only its hash."""


@dataclass(frozen=True, slots=True)
class RequesterSignedIn:
    requester: Requester
    session_id: str
    """For the browser's cookie; the database keeps only its hash."""


def sign_up(
    ctx: Context, *, name: str, password: str, profile: WorkerProfile, invite: str | None
) -> SignedIn:
    """A new worker account with a password, signed in at once; with sign-up by invitation, the
    invite code is used up."""
    name = name.strip()
    problems = Problems()
    if not name or len(name) > NAME_MAX_LENGTH or not name.isprintable():
        problems.add("name", "INVALID_VALUE", f"a name is 1 to {NAME_MAX_LENGTH} printable characters")
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        problems.add("password", "INVALID_VALUE", f"a password is at least {passwords.MIN_LENGTH} characters")
    by_invitation = ctx.settings.signup == "invite"
    if by_invitation and not (invite or "").strip():
        problems.add("invite", "VALUE_REQUIRED", "sign-up on this server needs an invite code")
    problems.raise_if_any()
    hashed = passwords.hash_password(password)
    stored = profile.wire()
    with ctx.db.write() as conn:
        now = ctx.clock.now()
        worker_id, _ = insert_account(conn, WORKERS, name=name, now=now, profile=stored, password_hash=hashed)
        if by_invitation and not invite_store.use(
            conn, code_hash=token_hash((invite or "").strip()), worker_id=worker_id, now=now
        ):
            problems.add("invite", "INVALID_VALUE", "this invite code is unknown or already used")
            problems.raise_if_any()
        session_id = sessions.start(conn, ctx, WORKERS, account_id=worker_id, now=now)
    return SignedIn(Worker(worker_id, name, stored), session_id)


def sign_in(ctx: Context, *, name: str, password: str, address: str) -> SignedIn:
    """Check the name and password; a new session when they match. Too many failures for the
    account or from the address within the window are refused before the password is looked at."""
    name = name.strip()
    account, client = f"account:{name}"[:300], f"address:{address}"
    with ctx.db.write() as conn:
        now = ctx.clock.now()
        _refuse_when_over(conn, ctx, account, ctx.settings.sign_in_failures_per_account, now, "account")
        _refuse_when_over(conn, ctx, client, ctx.settings.sign_in_failures_per_address, now, "address")
        store.record(conn, subjects=(account, client), now=now)
        row = account_store.by_name(conn, WORKERS, name=name)
    stored = None if row is None else row.password_hash
    matches = passwords.verify(stored, password)
    if row is None or not matches:
        raise AuthenticationFailed("The name or the password is wrong")
    with ctx.db.write() as conn:
        now = ctx.clock.now()
        store.forget(conn, subject=account)
        store.forgive(conn, subject=client)
        if stored is not None and passwords.outdated(stored):
            account_store.update_worker(
                conn, worker_id=row.id, password_hash=passwords.hash_password(password)
            )
        session_id = sessions.start(conn, ctx, WORKERS, account_id=row.id, now=now)
    return SignedIn(Worker(row.id, row.name, row.profile), session_id)


def sign_in_with_token(ctx: Context, *, token: str, address: str) -> RequesterSignedIn:
    """A new session of the token's requester; refused while the address has too many failures."""
    client = f"address:{address}"
    with ctx.db.write() as conn:
        now = ctx.clock.now()
        _refuse_when_over(conn, ctx, client, ctx.settings.sign_in_failures_per_address, now, "address")
        row = account_store.by_token(conn, REQUESTERS, token_hash=token_hash(token.strip()))
        if row is None:
            store.record(conn, subjects=(client,), now=now)
        else:
            session_id = sessions.start(conn, ctx, REQUESTERS, account_id=row.id, now=now)
    if row is None:
        raise AuthenticationFailed("The API token is not valid")
    return RequesterSignedIn(Requester(row.id, row.name), session_id)


def _refuse_when_over(
    conn: Connection, ctx: Context, subject: str, limit: int, now: datetime, what: str
) -> None:
    window = timedelta(seconds=ctx.settings.sign_in_window_seconds)
    store.forget_before(conn, before=now - window)
    count, earliest = store.since(conn, subject=subject, start=now - window)
    if count < limit or earliest is None:
        return
    wait = max(1, ceil((earliest + window - now).total_seconds()))
    raise TooManyRequests(
        f"Too many failed sign-ins for this {what}; try again in {ceil(wait / 60)} min",
        {"retry_after_seconds": wait},
    )
