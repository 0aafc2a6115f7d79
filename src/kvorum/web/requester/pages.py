"""What every requester page shares: its router and who is signed in."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from kvorum.services.accounts.requesters import Requester
from kvorum.web.requester.routing import RequesterPageRoute
from kvorum.web.requester.session import signed_in
from kvorum.web.templating import render


def new_router() -> APIRouter:
    return APIRouter(prefix="/requester", route_class=RequesterPageRoute, include_in_schema=False)


Me = Annotated[Requester, Depends(signed_in)]


def show(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """A page of templates/requester/, under the requester's header."""
    return render(request, f"requester/{template}", status=status, **values)
