"""Builds the ASGI application: routers, error handlers, middleware, and the service context."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kvorum import __version__, web
from kvorum.api import errors, testing
from kvorum.api.middleware import RequestContext
from kvorum.api.requester import bodies
from kvorum.api.requester import router as requester_router
from kvorum.api.worker import router as worker_router
from kvorum.clock import Clock, ShiftedClock
from kvorum.jobs.runner import Runner
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db

DESCRIPTION = """\
A self-hosted crowdsourcing platform. The requester API under `/api/v1` is wire-compatible with
Toloka API v1: point `toloka-kit` at this server with `TolokaClient(token, url='http://host:port')`.

Authenticate with `Authorization: OAuth <token>` (or `ApiKey <token>`). Every error is a JSON
body `{"request_id", "code", "message", "payload"}`; every response carries `X-Request-Id`.
"""


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """An application bound to one database; the engine is closed when the app shuts down."""
    settings = settings or Settings()
    clock = clock or (ShiftedClock() if settings.time_travel else Clock())
    context = Context(db=db.Database(db.create(settings.database_url)), clock=clock, settings=settings)

    runner = Runner(context)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.run_background_jobs:
            runner.start()
        yield
        runner.stop()
        context.db.dispose()

    app = FastAPI(
        title="kvorum",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.context = context
    errors.install(app)
    app.include_router(worker_router)  # first: workers call most often, and routes are tried in order
    app.include_router(requester_router)
    bodies.install(app)
    web.install(app)
    if isinstance(clock, ShiftedClock):
        app.include_router(testing.router)
    app.add_middleware(RequestContext, max_body_bytes=settings.max_body_bytes)
    return app


GC_THRESHOLDS = (10_000, 20, 100)


def app_from_env() -> FastAPI:
    """Factory for server worker processes: settings come from KVORUM_* variables.

    A bulk request allocates millions of small containers; with CPython's default thresholds the
    cyclic collector runs thousands of times per request and costs a quarter of its time. The
    server raises the first threshold, and freezes what startup allocated so that full
    collections do not rescan it.
    """
    app = create_app()
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()
    return app
