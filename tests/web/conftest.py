"""The web pages in-process (a client that reads form tokens off pages and posts forms as a browser
does), and pages of the shared Chromium (`tests/support/chromium.py`) for the task view's script."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.app import create_app
from kvorum.clock import SettableClock
from kvorum.settings import Settings
from tests.web.browser_page import Site, serve

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client: TestClient, path: str) -> str:
    """The form token of the page at `path`, as a browser that loaded it holds it."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found is not None, f"no form on {path}"
    return found.group(1)


def post_form(client: TestClient, path: str, fields: dict[str, str], *, page: str | None = None) -> object:
    """Load `page` (default: `path`) and post its form with `fields`, not following the redirect."""
    token = form_token(client, page or path)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def sign_up(client: TestClient, name: str = "wanda", password: str = "correct horse", **facts: str) -> None:
    done = post_form(client, "/signup", {"name": name, "password": password, **facts})
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        run_background_jobs=False,
        sign_in_failures_per_account=3,
        sign_in_failures_per_address=5,
        sign_in_window_seconds=600,
    )


@pytest.fixture
def browser_like(settings: Settings, clock: SettableClock) -> Iterator[TestClient]:
    """A client that keeps cookies, like a browser, on the app of `settings`."""
    with TestClient(create_app(settings, clock), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as served:
        yield served


def _is_problem(message: Any) -> bool:
    """Console errors but the failed loads of the made-up image addresses the tests use."""
    return bool(message.type == "error" and not message.text.startswith("Failed to load resource"))


@pytest.fixture
def page(chromium: Any, site: Site) -> Iterator[Any]:
    """A fresh page that fails the test on a script error, a CSP violation or a dialog."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", lambda message: problems.append(message.text) if _is_problem(message) else None)
    opened.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    site.posts.clear()
    yield opened
    context.close()
    assert problems == []
