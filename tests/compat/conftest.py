"""A live `kvorum serve` per backend, driven by the unmodified toloka-kit client.

One server process per backend serves every compat test; tests isolate themselves by creating
their own projects and filtering searches on them. The `api` fixture runs each test once with the
sync client and once with the async one, behind the same call-style facade.
"""

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from toloka.async_client import AsyncTolokaClient
from toloka.client import TolokaClient

from tests.support.databases import BACKENDS
from tests.support.live import AsyncFacade, LiveServer, live_server_on_fresh_database


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One `live_server` per backend of the suite's BACKENDS, shared by the whole session."""
    if "live_server" in metafunc.fixturenames:
        metafunc.parametrize("live_server", BACKENDS, indirect=True, scope="session")


GENEROUS_QUOTAS = {
    f"KVORUM_QUOTA_{action}_PER_{window}": "1000000"
    for action in (
        "PROJECT_CREATE",
        "POOL_CREATE",
        "TRAINING_CREATE",
        "POOL_CLONE",
        "TRAINING_CLONE",
        "TASK_CREATE",
    )
    for window in ("MINUTE", "DAY")
}
"""The shared server serves the whole suite in a minute or two; quotas are tested on servers of their own."""


@pytest.fixture(scope="session")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(request.param)
    with live_server_on_fresh_database(request.param, request, folder, GENEROUS_QUOTAS) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def time_travel_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A server of the test's own whose clock the test moves (POST /api/testing/advance-clock)."""
    if request.param not in BACKENDS:
        pytest.skip(f"{request.param} not in KVORUM_TEST_BACKENDS")
    with live_server_on_fresh_database(
        request.param, request, tmp_path, {"KVORUM_TIME_TRAVEL": "true"}
    ) as live:
        yield live


@pytest.fixture
def client(live_server: LiveServer) -> TolokaClient:
    return TolokaClient(live_server.token, url=live_server.url)


@pytest.fixture
def async_client(live_server: LiveServer) -> AsyncTolokaClient:
    return AsyncTolokaClient(live_server.token, url=live_server.url)


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, live_server: LiveServer) -> Iterator[Any]:
    """The requester's client, sync or async, called the sync way."""
    if request.param == "sync":
        yield request.getfixturevalue("client")
        return
    with asyncio.Runner() as runner:
        yield AsyncFacade(request.getfixturevalue("async_client"), runner)
