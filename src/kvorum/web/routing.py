"""The route class of every page: it knows the visitor, checks posted forms, and turns a refusal
into a readable page with the right status instead of the API's JSON error."""

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from kvorum.services.accounts.workers import Worker
from kvorum.services.errors import DomainError
from kvorum.web import forms, visitor
from kvorum.web.templating import render


class SignInRequired(Exception):
    """The page is for signed-in workers; the visitor is sent to sign in and brought back."""


def signed_in(request: Request) -> Worker:
    """The signed-in worker (a dependency of the worker pages)."""
    worker: Worker | None = request.state.worker
    if worker is None:
        raise SignInRequired
    return worker


def form(request: Request) -> dict[str, str]:
    """The posted form, already read and checked (a dependency of the POST pages)."""
    fields: dict[str, str] = request.state.form
    return fields


def see_other(path: str) -> RedirectResponse:
    """After a POST, the page to show next."""
    return RedirectResponse(path, status_code=303)


def with_retry_after(response: Response, error: DomainError) -> Response:
    """A refusal for too many attempts says when to try again, as a 429 should."""
    if error.status == 429 and isinstance(error.payload, dict) and "retry_after_seconds" in error.payload:
        response.headers["retry-after"] = str(error.payload["retry_after_seconds"])
    return response


WORKER_PAGES, REQUESTER_PAGES = "/work", "/requester"


def is_under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or a path below it."""
    return path == prefix or path.startswith(prefix + "/")


def error_page(request: Request, error: DomainError) -> Response:
    """The refusal as a page under the header of the part of the site it was asked of."""
    if is_under(request.url.path, REQUESTER_PAGES):
        layout, home = "requester/base.html", REQUESTER_PAGES
    else:
        layout, home = "base.html", "/work" if getattr(request.state, "worker", None) else "/"
    page = render(request, "error.html", status=error.status, error=error, layout=layout, home=home)
    return with_retry_after(page, error)


class PageRoute(APIRoute):
    async def identify(self, request: Request) -> None:
        """Who is at the browser, and the form token of the page (checked before the page runs)."""
        await run_in_threadpool(visitor.load, request)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            await self.identify(request)
            try:
                if request.method == "POST":
                    request.state.form = await forms.read(request)
                response = await handler(request)
            except SignInRequired:
                response = see_other(f"/signin?next={quote(request.url.path)}")
            except DomainError as exc:
                response = error_page(request, exc)
            visitor.finish(request, response)
            return response

        return page
