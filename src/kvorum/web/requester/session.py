"""The requester's session in the browser: a cookie of its own beside the worker's, so one browser
may hold both and signing out of one leaves the other.

The cookie is `<session id>.<HMAC of it>` (HttpOnly, SameSite=Lax, signed with the key of the
worker's cookie under another purpose); the database keeps only the hash of the id.
"""

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
    return visitor.signed_cookie(request, COOKIE, PURPOSE)


async def load(request: Request) -> None:
    """Set `request.state.requester` (or None); a signed-in requester's pages carry form tokens
    bound to the requester's session, so a token from before sign-in (or of a worker) is refused."""
    found = session_id(request)
    requester = (
        None
        if found is None
        else await run_in_threadpool(sessions.requester_of, context(request), session_id=found)
    )
    request.state.requester = requester
    if found is not None and requester is not None:
        visitor.bind_form_token(request, found)


def signed_in(request: Request) -> Requester:
    """The signed-in requester (a dependency of the requester pages)."""
    requester: Requester | None = request.state.requester
    if requester is None:
        raise RequesterSignInRequired
    return requester


def sign_in(request: Request, response: Response, done: RequesterSignedIn) -> None:
    visitor.set_signed_cookie(request, response, COOKIE, PURPOSE, done.session_id)


def sign_out(response: Response) -> None:
    visitor.forget_cookie(response, COOKIE)
