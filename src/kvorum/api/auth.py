"""Requester authentication: `Authorization: OAuth <token>` or `ApiKey <token>`."""

from fastapi import Request

from kvorum.services.accounts import requesters as accounts
from kvorum.services.accounts.requesters import Requester
from kvorum.services.context import Context
from kvorum.services.errors import AccessDenied, AuthenticationFailed

SCHEMES = ("oauth", "apikey")


def context(request: Request) -> Context:
    ctx: Context = request.app.state.context
    return ctx


def requester(request: Request) -> Requester:
    """The requester the token belongs to; acting under another account is refused."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() not in SCHEMES or not token.strip():
        raise AuthenticationFailed("Send 'Authorization: OAuth <token>' or 'Authorization: ApiKey <token>'")
    caller = accounts.authenticate(context(request), token=token.strip())
    acting_as = request.headers.get("x-act-under-account-id")
    if acting_as and acting_as != str(caller.id):
        raise AccessDenied(f"This token cannot act under account {acting_as}")
    return caller
