"""The face of the server: the landing page, and the API documentation served without a network.

Swagger UI and ReDoc come from the installed `fastapi-offline` package; kvorum serves its files
under /static/docs/ and starts them with scripts of its own (the policy forbids inline scripts).
"""

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from kvorum.web.headers import DOCS_POLICY
from kvorum.web.templating import render

DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
docs_assets = StaticFiles(directory=DOCS_ASSETS)

router = APIRouter(include_in_schema=False)


@router.get("/")
def landing(request: Request) -> HTMLResponse:
    """What this server is, and where to go next."""
    return render(request, "landing.html", base_url=str(request.base_url).rstrip("/"))


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on /openapi.json."""
    return _docs(request, "swagger.html")


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc on /openapi.json."""
    return _docs(request, "redoc.html")


def _docs(request: Request, template: str) -> HTMLResponse:
    response = render(request, template)
    response.headers["content-security-policy"] = DOCS_POLICY
    return response
