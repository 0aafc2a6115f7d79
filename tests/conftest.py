"""Fixtures shared by the whole suite.

Every test that takes `database_url` runs once on each backend of BACKENDS (SQLite and a throwaway
PostgreSQL unless KVORUM_TEST_BACKENDS narrows them), each time on a fresh, migrated database.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.app import create_app
from kvorum.clock import SettableClock
from kvorum.services.accounts import requesters as accounts
from kvorum.services.context import Context
from kvorum.settings import Settings
from tests.helpers import created, pool_body, project_body, training_body
from tests.support.databases import BACKENDS, Databases
from tests.support.pgserver import PostgresServer

pytest_plugins = ["tests.support.chromium"]


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    with Databases(tmp_path_factory.mktemp("template")) as made:
        yield made


@pytest.fixture(scope="session")
def pg_server(databases: Databases) -> PostgresServer:
    return databases.postgres


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, databases: Databases, tmp_path: Path) -> Iterator[str]:
    with databases.fresh(request.param, tmp_path) as url:
        yield url


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


# Minimal objects (see tests.helpers) most API tests start from, created through the API as alice.


@pytest.fixture
def project(api: TestClient) -> dict[str, Any]:
    return created(api.post("/api/v1/projects", json=project_body()))


@pytest.fixture
def training(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return created(api.post("/api/v1/trainings", json=training_body(project["id"])))


@pytest.fixture
def skill(api: TestClient) -> dict[str, Any]:
    return created(api.post("/api/v1/skills", json={"name": "Accuracy"}))


@pytest.fixture
def pool(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return created(api.post("/api/v1/pools", json=pool_body(project["id"])))
