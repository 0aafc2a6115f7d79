"""Signing up, in and out in the browser."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from kvorum.api.auth import context
from kvorum.services.accounts import sessions, signin
from kvorum.services.errors import AuthenticationFailed, DomainError, TooManyRequests
from kvorum.web import visitor
from kvorum.web.forms import field_errors
from kvorum.web.profile import CHOICES, profile_from
from kvorum.web.routing import PageRoute, form, see_other, with_retry_after
from kvorum.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[dict[str, str], Depends(form)]


def _next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only."""
    return target if target and target.startswith("/") and not target.startswith(("//", "/\\")) else "/work"


def _signed_in(request: Request, done: signin.SignedIn, target: str) -> Response:
    response = see_other(target)
    visitor.sign_in(request, response, done)
    return response


@router.get("/signin")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return render(request, "signin.html", next=_next(next), name="")


@router.post("/signin")
async def sign_in(request: Request, fields: Form) -> Response:
    target = _next(fields.get("next"))
    name = fields.get("name", "")
    try:
        done = await run_in_threadpool(
            signin.sign_in,
            context(request),
            name=name,
            password=fields.get("password", ""),
            address=request.client.host if request.client else "",
        )
    except (AuthenticationFailed, TooManyRequests) as exc:
        page = render(request, "signin.html", status=exc.status, next=target, name=name, error=exc.message)
        return with_retry_after(page, exc)
    return _signed_in(request, done, target)


@router.get("/signup")
def sign_up_page(request: Request) -> Response:
    return _sign_up_form(request, {}, {})


def _sign_up_form(
    request: Request, fields: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    invite_only = context(request).settings.signup == "invite"
    return render(
        request,
        "signup.html",
        status=status,
        fields=fields,
        errors=errors,
        invite_only=invite_only,
        choices=CHOICES,
    )


@router.post("/signup")
async def sign_up(request: Request, fields: Form) -> Response:
    try:
        done = await run_in_threadpool(
            signin.sign_up,
            context(request),
            name=fields.get("name", ""),
            password=fields.get("password", ""),
            profile=profile_from(fields),
            invite=fields.get("invite"),
        )
    except DomainError as exc:
        errors = field_errors(exc)
        return _sign_up_form(request, fields, errors, exc.status)
    return _signed_in(request, done, "/work")


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    if request.state.session_id is not None:
        await run_in_threadpool(sessions.end, context(request), "worker", session_id=request.state.session_id)
    response = see_other("/")
    visitor.sign_out(response)
    return response
