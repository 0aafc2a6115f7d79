"""The web pages: an HTTP edge like api/, rendering what the services return as HTML.

Pages are server-rendered Jinja2 templates with this package's own small scripts and styles, no
framework and nothing from a CDN; the Content-Security-Policy forbids everything else.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from kvorum.web import account, face, missing, profile, requester, work
from kvorum.web.headers import SecurityHeaders

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and the offline API documentation; unknown page paths
    get an HTML 404."""
    app.mount("/static/docs", face.docs_assets, name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (face, account, profile, work):
        app.include_router(module.router)
    for router in requester.ROUTERS:
        app.include_router(router)
    app.exception_handler(HTTPException)(missing.not_found)
    app.add_middleware(SecurityHeaders)
