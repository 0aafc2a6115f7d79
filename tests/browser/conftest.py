"""The shared Chromium (`tests/support/chromium.py`) driven by Playwright against a live
`kvorum serve` per backend; screenshots of the main pages go to test-artifacts/screenshots/.

Every test gets a fresh browser context (no cookies) and makes its own requester objects and
workers, so one server per backend serves them all.
"""

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.support.databases import BACKENDS
from tests.support.live import LiveServer, live_server_on_fresh_database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SERVER_ENV = {
    "KVORUM_TIME_TRAVEL": "true",
    "KVORUM_SIGN_IN_FAILURES_PER_ACCOUNT": "3",
    "KVORUM_SIGN_IN_FAILURES_PER_ADDRESS": "100000",
}
"""Every test signs in from 127.0.0.1: the per-address limit is tested over HTTP (tests/web)."""
PHONE = {"width": 390, "height": 844}
_names = itertools.count()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "live_server" in metafunc.fixturenames:
        metafunc.parametrize("live_server", BACKENDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp(f"browser-{request.param}")
    with live_server_on_fresh_database(request.param, request, folder, SERVER_ENV) as server:
        yield server


@pytest.fixture
def page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browsing context on the server, phone-sized; dialogs are recorded, never accepted."""
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs  # type: ignore[attr-defined]
    yield opened
    context.close()


def screenshot(page: Page, name: str, live_server: LiveServer) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{live_server.backend}.png"), full_page=True)


def unique(prefix: str) -> str:
    return f"{prefix}{os.getpid()}x{next(_names)}"


class Requester:
    """The server's requester, through the API."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"OAuth {server.token}"}, timeout=30
        )

    def create(self, path: str, body: Any, **params: str) -> Any:
        response = self.http.post(path, json=body, params=params)
        assert response.status_code == 201, response.text
        return response.json()

    def advance_clock(self, seconds: int) -> None:
        response = self.http.post("/api/testing/advance-clock", json={"seconds": seconds})
        assert response.status_code == 200, response.text


@pytest.fixture
def requester(live_server: LiveServer) -> Iterator[Requester]:
    made = Requester(live_server)
    yield made
    made.http.close()


def sign_up(page: Page, name: str, password: str = "correct horse", languages: str = "EN") -> None:
    """Through the sign-up page, by keyboard and labels as a person would."""
    page.goto("/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Languages").fill(languages)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/work")
