"""The route class of the requester pages: the pages' own (`web/routing.py`), knowing the signed-in
requester (whose session the page's form token is then bound to) and sending a visitor who is not
signed in as a requester to the requester's sign-in."""

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response

from kvorum.web.requester import session
from kvorum.web.requester.session import RequesterSignInRequired
from kvorum.web.routing import PageRoute, see_other


class RequesterPageRoute(PageRoute):
    async def identify(self, request: Request) -> None:
        await super().identify(request)
        await session.load(request)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except RequesterSignInRequired:
                return see_other(f"/requester/signin?next={quote(request.url.path)}")

        return page
