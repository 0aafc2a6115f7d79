"""Chromium (Debian's /usr/bin/chromium, never a downloaded one) for the task view's script tests."""

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser_page import BROWSER_ARGS, Site, serve

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


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
