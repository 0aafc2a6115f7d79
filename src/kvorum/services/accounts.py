"""Requester accounts and API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from kvorum.services.context import Context
from kvorum.services.errors import AuthenticationFailed, Conflict, NotFound
from kvorum.store import accounts as store

TOKEN_PREFIX = "kv_"


@dataclass(frozen=True)
class Requester:
    id: int
    name: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    """A token without dots: toloka-kit then sends it as `OAuth <token>`, which we accept."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_requester(ctx: Context, *, name: str) -> tuple[Requester, str]:
    """Create a requester account and its first API token."""
    name = name.strip()
    if not name:
        raise Conflict("A requester name must not be blank")
    token = _new_token()
    with ctx.db.write() as conn:
        if store.requester_by_name(conn, name=name) is not None:
            raise Conflict(f"A requester named {name!r} already exists")
        now = ctx.clock.now()
        requester_id = store.insert_requester(conn, name=name, now=now)
        store.insert_token(conn, requester_id=requester_id, token_hash=_hash(token), now=now)
    return Requester(requester_id, name), token


def issue_token(ctx: Context, *, name: str) -> str:
    """Issue another API token for an existing requester; earlier tokens stay valid."""
    token = _new_token()
    with ctx.db.write() as conn:
        row = store.requester_by_name(conn, name=name)
        if row is None:
            raise NotFound(f"No requester named {name!r}")
        store.insert_token(conn, requester_id=row.id, token_hash=_hash(token), now=ctx.clock.now())
    return token


def authenticate(ctx: Context, *, token: str) -> Requester:
    with ctx.db.read() as conn:
        row = store.requester_by_token(conn, token_hash=_hash(token))
    if row is None:
        raise AuthenticationFailed("The API token is not valid")
    return Requester(row.id, row.name)


def requester_view(requester: Requester) -> dict[str, Any]:
    """The `GET /v1/requester` body."""
    account_id = str(requester.id)
    return {
        "id": account_id,
        "balance": 0,
        "public_name": {"EN": requester.name},
        "company": {"id": account_id, "superintendent_id": account_id},
    }
