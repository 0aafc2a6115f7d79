"""A person in Chromium: the landing page and offline docs, signing up, in and out, the limit on
failed sign-ins, refused forged forms, hostile requester text, skip and expiry on the task page."""

import re
from typing import Any

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import Requester, screenshot, sign_up, unique
from tests.support.live import LiveServer

HOSTILE = "<script>alert('x')</script>"
HOSTILE_IMAGE = "<img src=x onerror=alert(1)>"
TEXT_TASK = {
    "input_spec": {"text": {"type": "string"}},
    "output_spec": {"label": {"type": "string", "allowed_values": ["yes", "no"]}},
    "view_spec": {"type": "classic", "markup": "<p>{{input.text}}</p>"},
}


def _pool(requester: Requester, texts: list[str], *, per_suite: int = 1, **changes: Any) -> dict[str, Any]:
    """An open pool of text tasks with a title of its own, `per_suite` tasks a suite."""
    title = unique("Label texts ")
    project = requester.create(
        "/api/v1/projects",
        {"public_name": title, "public_description": "Say yes or no", "task_spec": TEXT_TASK},
    )
    pool = requester.create(
        "/api/v1/pools",
        {
            "project_id": project["id"],
            "private_name": "pool",
            "may_contain_adult_content": False,
            "will_expire": "2040-01-01T00:00:00",
            "reward_per_assignment": 0.05,
            "assignment_max_duration_seconds": 600,
            "mixer_config": {
                "real_tasks_count": per_suite,
                "golden_tasks_count": 0,
                "training_tasks_count": 0,
            },
            "defaults": {"default_overlap_for_new_tasks": 1, "default_overlap_for_new_task_suites": 1},
        }
        | changes,
    )
    requester.create(
        "/api/v1/tasks",
        [{"pool_id": pool["id"], "input_values": {"text": text}} for text in texts],
        allow_defaults="true",
        open_pool="true",
    )
    return {**pool, "title": title}


def _start(page: Page, pool: dict[str, Any]) -> None:
    page.goto("/work")
    page.get_by_role("button", name=f"Start {pool['title']}").click()
    page.wait_for_url(re.compile(r".*/work/assignments/\w+$"))


def test_the_landing_page_and_the_docs_work_with_the_network_off(page: Page, live_server: LiveServer) -> None:
    elsewhere: list[str] = []

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_this_server)
    page.goto("/")
    expect(page.get_by_role("heading", name="kvorum")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    screenshot(page, "landing", live_server)
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("kvorum")
    screenshot(page, "docs", live_server)
    page.goto("/redoc")
    expect(page.get_by_role("heading", name=re.compile("kvorum"))).to_be_visible(timeout=20_000)
    assert elsewhere == []


def test_a_person_signs_up_signs_out_and_signs_in_again(page: Page, live_server: LiveServer) -> None:
    name = unique("wanda")
    page.goto("/signup")
    screenshot(page, "signup", live_server)
    sign_up(page, name)
    expect(page.get_by_role("heading", name="Tasks for you")).to_be_visible()
    screenshot(page, "pools", live_server)
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_label("Languages")).to_have_value("EN")
    screenshot(page, "profile", live_server)

    page.get_by_role("button", name=f"Sign out ({name})").click()
    page.goto("/work")
    page.wait_for_url("**/signin?next=/work")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/work")
    screenshot(page, "signin-done", live_server)
    expect(page.get_by_role("button", name=f"Sign out ({name})")).to_be_visible()


def test_failed_sign_ins_are_refused_for_a_while_with_a_clear_message(page: Page) -> None:
    name = unique("olga")
    sign_up(page, name)
    page.get_by_role("button", name=f"Sign out ({name})").click()
    statuses = []
    for password in ("guess one", "guess two", "guess three", "correct horse"):
        page.goto("/signin")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(password)
        with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/signin")) as sent:
            page.get_by_role("button", name="Sign in").click()
        statuses.append(sent.value.status)
    assert statuses == [401, 401, 401, 429]
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many failed sign-ins for this account; try again in"
    )


def test_forged_forms_are_refused_with_a_readable_page(page: Page, live_server: LiveServer) -> None:
    name = unique("wanda")
    sign_up(page, name)
    page.goto("/work/profile")
    page.locator("form[action='/work/profile'] input[name=csrf_token]").evaluate(
        "input => input.value = 'forged'"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Save").click()
    assert sent.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("did not come from a page of this site")
    screenshot(page, "forged", live_server)

    page.goto("/work/profile")
    page.locator("form[action='/work/profile'] input[name=csrf_token]").evaluate("input => input.remove()")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Save").click()
    assert sent.value.status == 403

    page.goto("about:blank")
    page.set_content(
        f'<form method="post" action="{live_server.url}/signout"><button>Win a prize</button></form>'
    )
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Win a prize").click()
    assert sent.value.status == 403
    page.goto("/work")
    expect(page.get_by_role("button", name=f"Sign out ({name})")).to_be_visible()


def test_hostile_instructions_and_input_values_are_shown_harmless(
    page: Page, requester: Requester, live_server: LiveServer
) -> None:
    pool = _pool(
        requester,
        [HOSTILE + HOSTILE_IMAGE],
        public_instructions=f"<p>Read <b>carefully</b></p>{HOSTILE}{HOSTILE_IMAGE}",
    )
    sign_up(page, unique("wanda"))
    page.goto("/work")
    card = page.locator(f"[data-pool-id='{pool['id']}']")
    card.get_by_text("Instructions").click()
    expect(card.locator(".kv-instructions-body b")).to_have_text("carefully")
    _start(page, pool)
    task = page.locator("[data-task-index='0']")
    expect(task).to_contain_text(HOSTILE + HOSTILE_IMAGE)
    expect(page.locator(".kv-instructions-body")).to_contain_text("Read carefully")
    assert (
        page.locator("main script:not([type='application/json'])").count() == 0
        and page.locator("main img[onerror]").count() == 0
    )
    screenshot(page, "task-hostile", live_server)
    page.reload()
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_skip_gives_the_task_back_and_the_countdown_shows_the_expiry(
    page: Page, requester: Requester, live_server: LiveServer
) -> None:
    pool = _pool(requester, ["first", "second"])
    sign_up(page, unique("wanda"))
    _start(page, pool)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"Time left: (10:00|9:[0-5]\d)"))
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    screenshot(page, "task", live_server)
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url("**/work?done=skipped")
    expect(page.get_by_role("status")).to_have_text("You gave the task back.")

    _start(page, pool)
    task_url = page.url
    requester.advance_clock(11 * 60)
    page.goto(task_url)
    expect(page.get_by_role("status")).to_contain_text("expired: its time ran out")
    screenshot(page, "expired", live_server)
