"""The requester's session in the browser: a cookie of its own beside the worker's, so one browser
may hold both and signing out of one leaves the other.

The cookie is `<session id>.<HMAC of it>` (HttpOnly, SameSite=Lax, signed with the key of the
worker's cookie under another purpose); the database keeps only the hash of the id.
"""

import hmac

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.auth import context
from kvorum.services.accounts import sessions
from kvorum.services.accounts.requesters import Requester
from kvorum.services.accounts.signin import RequesterSignedIn
from kvorum.web import visitor

COOKIE = "kv_requester"
PURPOSE = "requester-session"


class RequesterSignInRequired(Exception):
    """The page is for signed-in requesters; the visitor is sent to sign in and brought back."""


def session_id(request: Request) -> str | None:
    """The id in a well-signed cookie, whether or not its session is still live."""
    value, _, signature = request.cookies.get(COOKIE, "").partition(".")
    expected = visitor.sign(visitor.signing_key(request), PURPOSE, value)
    return value if value and hmac.compare_digest(signature, expected) else None


async def signed_in(request: Request) -> Requester:
    """The signed-in requester (a dependency of the requester pages)."""
    found = session_id(request)
    requester = (
        None
        if found is None
        else await run_in_threadpool(sessions.requester_of, context(request), session_id=found)
    )
    if requester is None:
        raise RequesterSignInRequired
    request.state.requester = requester
    return requester


def sign_in(request: Request, response: Response, done: RequesterSignedIn) -> None:
    value = f"{done.session_id}.{visitor.sign(visitor.signing_key(request), PURPOSE, done.session_id)}"
    ctx = context(request)
    response.set_cookie(
        COOKIE,
        value,
        max_age=ctx.settings.session_days * 86_400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=ctx.settings.secure_cookies,
    )


def sign_out(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
