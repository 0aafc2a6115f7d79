"""Live servers for the simulated crowd: one with a settable clock and one on real time, per backend."""

from collections.abc import Iterator

import pytest

from kvorum.cli import LocalAccounts
from kvorum.clock import Clock
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db
from tests.support.databases import BACKENDS
from tests.support.live import LiveServer, live_server_on_fresh_database


@pytest.fixture(scope="module", params=BACKENDS)
def time_travel_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"simulate-{request.param}")
    with live_server_on_fresh_database(
        request.param, request, folder, {"KVORUM_TIME_TRAVEL": "true"}
    ) as server:
        yield server


@pytest.fixture(scope="module", params=BACKENDS)
def real_time_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"simulate-real-{request.param}")
    with live_server_on_fresh_database(request.param, request, folder) as server:
        yield server


@pytest.fixture
def local_accounts(time_travel_server: LiveServer) -> Iterator[LocalAccounts]:
    """Accounts made in the time-travel server's database, as `kvorum simulate` makes them."""
    url = time_travel_server.database_url
    context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
    yield LocalAccounts(context)
    context.db.dispose()
