"""Requester accounts and API tokens."""

from dataclasses import dataclass
from typing import Any

from kvorum.services.context import Context
from kvorum.services.errors import AuthenticationFailed, Conflict, NotFound
from kvorum.services.tokens import new_token, token_hash
from kvorum.store import accounts as store


@dataclass(frozen=True)
class Requester:
    id: int
    name: str


def create_requester(ctx: Context, *, name: str) -> tuple[Requester, str]:
    """Create a requester account and its first API token."""
    name = name.strip()
    if not name:
        raise Conflict("A requester name must not be blank")
    token = new_token()
    with ctx.db.write() as conn:
        if store.requester_by_name(conn, name=name) is not None:
            raise Conflict(f"A requester named {name!r} already exists")
        now = ctx.clock.now()
        requester_id = store.insert_requester(conn, name=name, now=now)
        store.insert_token(conn, requester_id=requester_id, token_hash=token_hash(token), now=now)
    return Requester(requester_id, name), token


def issue_token(ctx: Context, *, name: str) -> str:
    """Issue another API token for an existing requester; earlier tokens stay valid."""
    token = new_token()
    with ctx.db.write() as conn:
        row = store.requester_by_name(conn, name=name)
        if row is None:
            raise NotFound(f"No requester named {name!r}")
        store.insert_token(conn, requester_id=row.id, token_hash=token_hash(token), now=ctx.clock.now())
    return token


def authenticate(ctx: Context, *, token: str) -> Requester:
    with ctx.db.read() as conn:
        row = store.requester_by_token(conn, token_hash=token_hash(token))
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
