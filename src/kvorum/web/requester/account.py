"""Signing in with an API token, and out."""

from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.auth import context
from kvorum.services.accounts import sessions, signin
from kvorum.services.errors import AuthenticationFailed, TooManyRequests
from kvorum.web.requester import session
from kvorum.web.requester.pages import new_router, show
from kvorum.web.routing import REQUESTER_PAGES, form, is_under, see_other, with_retry_after

router = new_router()
Form = Annotated[dict[str, str], Depends(form)]


def _next(target: str | None) -> str:
    """Where to go after signing in: a requester page of this site only."""
    if target and is_under(target, REQUESTER_PAGES) and "\\" not in target:
        return target
    return REQUESTER_PAGES


@router.get("/signin")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return show(request, "signin.html", next=_next(next))


@router.post("/signin")
async def sign_in(request: Request, fields: Form) -> Response:
    target = _next(fields.get("next"))
    try:
        done = await run_in_threadpool(
            signin.sign_in_with_token,
            context(request),
            token=fields.get("token", ""),
            address=request.client.host if request.client else "",
        )
    except (AuthenticationFailed, TooManyRequests) as exc:
        page = show(request, "signin.html", status=exc.status, next=target, error=exc.message)
        return with_retry_after(page, exc)
    response = see_other(target)
    session.sign_in(request, response, done)
    return response


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    found = session.session_id(request)
    if found is not None:
        await run_in_threadpool(sessions.end, context(request), "requester", session_id=found)
    response = see_other("/requester/signin")
    session.sign_out(response)
    return response
