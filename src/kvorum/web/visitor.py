"""Who is at the browser: the signed session cookie, and the form token that proves a form came
from this site.

The session cookie is `<session id>.<HMAC of it>` (HttpOnly, SameSite=Lax). A form token is the
HMAC of the session id (on the requester pages, of the requester's session once signed in), or
before sign-in of a random visitor id kept in a cookie of its own, so a page of another site can
neither read nor forge one.
"""

import hmac
import secrets
from hashlib import sha256

from fastapi import Request, Response

from kvorum.api.auth import context
from kvorum.services.accounts import sessions
from kvorum.services.accounts.signin import SignedIn

SESSION_COOKIE = "kv_session"
VISITOR_COOKIE = "kv_visitor"
_ID_LENGTH = 43
"""secrets.token_urlsafe(32)"""


def _signing_key(request: Request) -> bytes:
    """The server's key for cookies and form tokens, read from the database once per process."""
    state = request.app.state
    if getattr(state, "web_signing_key", None) is None:
        state.web_signing_key = sessions.signing_key(context(request))
    key: bytes = state.web_signing_key
    return key


def _sign(purpose: str, value: str, request: Request) -> str:
    """The HMAC of `value` for one purpose, so a signature made for one use is worth nothing in another."""
    return hmac.new(_signing_key(request), f"{purpose}:{value}".encode(), sha256).hexdigest()


def signed_cookie(request: Request, name: str, purpose: str) -> str | None:
    """The session id in the cookie `name` (`<id>.<HMAC of it for purpose>`) when its signature holds."""
    session_id, _, signature = request.cookies.get(name, "").partition(".")
    if len(session_id) != _ID_LENGTH or not _same(signature, _sign(purpose, session_id, request)):
        return None
    return session_id


def set_signed_cookie(request: Request, response: Response, name: str, purpose: str, session_id: str) -> None:
    """Put a new session in the browser's cookie `name`, for as long as sessions last."""
    value = f"{session_id}.{_sign(purpose, session_id, request)}"
    days = context(request).settings.session_days
    _set(request, response, name, value, max_age=days * 86_400)


def forget_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax")


def load(request: Request) -> None:
    """Set `request.state.worker` (or None), `session_id` and the page's `csrf_token`."""
    session_id = signed_cookie(request, SESSION_COOKIE, "session")
    worker = None if session_id is None else sessions.worker_of(context(request), session_id=session_id)
    state = request.state
    state.worker, state.session_id, state.new_visitor = worker, session_id if worker else None, None
    anchor = state.session_id or request.cookies.get(VISITOR_COOKIE, "")
    if len(anchor) != _ID_LENGTH:
        anchor = state.new_visitor = secrets.token_urlsafe(32)
    bind_form_token(request, anchor)


def bind_form_token(request: Request, anchor: str) -> None:
    """The page's form token: the HMAC of a session id (the worker's, or on the requester pages the
    requester's), or before sign-in of the visitor id."""
    request.state.csrf_token = _sign("form", anchor, request)


def form_token_matches(request: Request, token: str) -> bool:
    return _same(token, request.state.csrf_token)


def _same(given: str, expected: str) -> bool:
    """A constant-time comparison that also takes what a hostile client sends (any characters)."""
    return hmac.compare_digest(given.encode(), expected.encode())


def finish(request: Request, response: Response) -> None:
    """Give a first-time visitor the cookie their form tokens are bound to."""
    new_visitor = getattr(request.state, "new_visitor", None)
    if new_visitor is not None:
        _set(request, response, VISITOR_COOKIE, new_visitor, max_age=None)


def sign_in(request: Request, response: Response, signed_in: SignedIn) -> None:
    set_signed_cookie(request, response, SESSION_COOKIE, "session", signed_in.session_id)


def sign_out(response: Response) -> None:
    forget_cookie(response, SESSION_COOKIE)


def _set(request: Request, response: Response, name: str, value: str, *, max_age: int | None) -> None:
    secure = context(request).settings.secure_cookies
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure)
