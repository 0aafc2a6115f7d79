"""The HTML 404 of the page paths (/work/..., /requester/...): a mistyped address gets a page under
the header of its part of the site; every other unknown path keeps the API's JSON error."""

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from kvorum.api.errors import http_error
from kvorum.services.errors import NotFound
from kvorum.web import visitor
from kvorum.web.requester import session
from kvorum.web.routing import REQUESTER_PAGES, WORKER_PAGES, error_page, is_under


async def not_found(request: Request, exc: HTTPException) -> Response:
    """The handler of HTTP errors raised outside any route (no such path, or no such method)."""
    path = request.url.path
    if exc.status_code != 404 or not (is_under(path, WORKER_PAGES) or is_under(path, REQUESTER_PAGES)):
        return await http_error(request, exc)
    await run_in_threadpool(visitor.load, request)
    if is_under(path, REQUESTER_PAGES):
        await session.load(request)
    response = error_page(request, NotFound(f"There is no page at {path}"))
    visitor.finish(request, response)
    return response
