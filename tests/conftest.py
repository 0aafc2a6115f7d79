"""Fixtures shared by the whole suite.

Every test that takes `database_url` runs once on SQLite and once on a throwaway PostgreSQL.
Each test gets a fresh, migrated database cloned from a template made once per session.
KVORUM_TEST_BACKENDS=sqlite (or postgresql) narrows the run while developing.
"""

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import pool_body, project_body, training_body
from kvorum.app import create_app
from kvorum.clock import SettableClock
from kvorum.services.accounts import requesters as accounts
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db, migrate
from pgserver import PostgresServer

BACKENDS = [name for name in os.environ.get("KVORUM_TEST_BACKENDS", "sqlite,postgresql").split(",") if name]
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        server.create_database("kvorum_template")
        engine = db.create(server.url_for("kvorum_template"))
        migrate.upgrade(engine)
        engine.dispose()
        yield server


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = db.create(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def fresh_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of the given backend, removed after the test."""
    if backend == "sqlite":
        path = tmp_path / "kvorum.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"kvorum_test_{os.getpid()}_{next(_counter)}"
    server.create_database(name, template="kvorum_template")
    yield server.url_for(name)
    server.drop_database(name)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database(request.param, request, tmp_path)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, run_background_jobs=False)


@pytest.fixture
def app_client(settings: Settings, clock: SettableClock) -> Iterator[TestClient]:
    """The ASGI app in-process, without credentials."""
    with TestClient(create_app(settings, clock), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def ctx(app_client: TestClient) -> Context:
    context: Context = app_client.app.state.context  # type: ignore[attr-defined]
    return context


@pytest.fixture
def token(ctx: Context) -> str:
    return accounts.create_requester(ctx, name="alice")[1]


@pytest.fixture
def api(app_client: TestClient, token: str) -> TestClient:
    """The app as requester alice."""
    app_client.headers["Authorization"] = f"OAuth {token}"
    return app_client


@pytest.fixture
def other_api(app_client: TestClient, ctx: Context) -> TestClient:
    """A second requester, bob, on the same server, as a separate client."""
    bob_token = accounts.create_requester(ctx, name="bob")[1]
    client = TestClient(app_client.app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"OAuth {bob_token}"
    return client


# Objects most API tests start from, created through the API as alice.


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def project(api: TestClient) -> dict[str, Any]:
    return created(api.post("/api/v1/projects", json=project_body()))


@pytest.fixture
def training(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return created(api.post("/api/v1/trainings", json=training_body(project["id"])))


@pytest.fixture
def pool(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return created(api.post("/api/v1/pools", json=pool_body(project["id"])))
