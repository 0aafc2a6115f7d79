"""Requester accounts and API tokens."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.services.accounts.tokens import new_token, token_hash
from kvorum.services.context import Context
from kvorum.services.errors import AuthenticationFailed, Conflict, NotFound
from kvorum.store import accounts as store
from kvorum.store.accounts import REQUESTERS, Accounts


@dataclass(frozen=True, slots=True)
class Requester:
    id: int
    name: str


def open_account(ctx: Context, accounts: Accounts, *, name: str, **values: Any) -> tuple[int, str]:
    """Create a requester or worker account (`accounts` says which) and its first API token;
    (account id, token)."""
    with ctx.db.write() as conn:
        return insert_account(conn, accounts, name=name, now=ctx.clock.now(), **values)


def insert_account(
    conn: Connection, accounts: Accounts, *, name: str, now: datetime, **values: Any
) -> tuple[int, str]:
    """`open_account` within the caller's transaction."""
    name = name.strip()
    if not name:
        raise Conflict("An account name must not be blank")
    if store.by_name(conn, accounts, name=name) is not None:
        raise Conflict(f"An account named {name!r} already exists")
    token = new_token()
    account_id = store.insert_account(conn, accounts, name=name, now=now, **values)
    store.insert_token(conn, accounts, account_id=account_id, token_hash=token_hash(token), now=now)
    return account_id, token


def issue_token(ctx: Context, accounts: Accounts, *, name: str) -> str:
    """Another API token for an existing account; earlier tokens stay valid."""
    token = new_token()
    with ctx.db.write() as conn:
        row = store.by_name(conn, accounts, name=name)
        if row is None:
            raise NotFound(f"No account named {name!r}")
        store.insert_token(
            conn, accounts, account_id=row.id, token_hash=token_hash(token), now=ctx.clock.now()
        )
    return token


def account_for_token(conn: Connection, accounts: Accounts, token: str) -> Row[Any]:
    row = store.by_token(conn, accounts, token_hash=token_hash(token))
    if row is None:
        raise AuthenticationFailed("The API token is not valid")
    return row


def create_requester(ctx: Context, *, name: str) -> tuple[Requester, str]:
    """Create a requester account and its first API token."""
    requester_id, token = open_account(ctx, REQUESTERS, name=name.strip())
    return Requester(requester_id, name.strip()), token


def authenticate(ctx: Context, *, token: str) -> Requester:
    with ctx.db.read() as conn:
        row = account_for_token(conn, REQUESTERS, token)
    return Requester(row.id, row.name)
