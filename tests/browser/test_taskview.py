"""A project built with toloka-kit's template_builder, worked through in Chromium on a live server:
keyboard alone, branches that follow the answers, and validation in the browser and on the server."""

import re
from typing import Any

from playwright.sync_api import Page, expect
from toloka.client import Project, TolokaClient
from toloka.client.project import field_spec
from toloka.client.project import template_builder as tb
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import TemplateBuilderViewSpec

from tests.browser.conftest import Requester, screenshot, sign_up, unique
from tests.support.live import LiveServer

TAB_LIMIT = 40
"""Tab presses allowed to reach the first task from the top of the page."""


def _view(*, validated: bool) -> TemplateBuilderViewSpec:
    """An image, a text and a required radio group; a breed field shown only for a dog."""
    return TemplateBuilderViewSpec(
        view=tb.ListViewV1(
            [
                tb.ImageViewV1(tb.InputData("image"), label="Photo"),
                tb.TextViewV1(tb.InputData("text")),
                tb.RadioGroupFieldV1(
                    tb.OutputData("animal"),
                    [tb.GroupFieldOption("cat", "Cat"), tb.GroupFieldOption("dog", "Dog")],
                    label="Who is it?",
                    validation=tb.RequiredConditionV1(hint="Choose one") if validated else None,
                ),
                tb.IfHelperV1(
                    tb.EqualsConditionV1("dog", tb.OutputData("animal")),
                    tb.TextFieldV1(tb.OutputData("breed"), label="Breed"),
                ),
            ]
        ),
        plugins=[tb.HotkeysPluginV1(key_c=tb.SetActionV1(tb.OutputData("animal"), "cat"))],
    )


def _pool(
    live_server: LiveServer, requester: Requester, texts: list[str], *, validated: bool = True
) -> dict[str, Any]:
    """An open pool of a project made with toloka-kit's client, all `texts` in one suite."""
    title = unique("Animals ")
    client = TolokaClient(live_server.token, url=live_server.url)
    project = client.create_project(
        Project(
            public_name=title,
            public_description="Who is in the picture?",
            public_instructions="<p>Look at the <b>photo</b>.</p><script>alert('instructions')</script>",
            task_spec=TaskSpec(
                input_spec={"image": field_spec.UrlSpec(), "text": field_spec.StringSpec()},
                output_spec={
                    "animal": field_spec.StringSpec(allowed_values=["cat", "dog"]),
                    "breed": field_spec.StringSpec(required=False),
                },
                view_spec=_view(validated=validated),
            ),
        )
    )
    pool = requester.create(
        "/api/v1/pools",
        {
            "project_id": project.id,
            "private_name": "pool",
            "may_contain_adult_content": False,
            "will_expire": "2040-01-01T00:00:00",
            "reward_per_assignment": 0.05,
            "assignment_max_duration_seconds": 600,
            "mixer_config": {
                "real_tasks_count": len(texts),
                "golden_tasks_count": 0,
                "training_tasks_count": 0,
            },
            "defaults": {"default_overlap_for_new_tasks": 1, "default_overlap_for_new_task_suites": 1},
        },
    )
    image = f"{live_server.url}/static/none.png"
    requester.create(
        "/api/v1/tasks",
        [{"pool_id": pool["id"], "input_values": {"image": image, "text": text}} for text in texts],
        allow_defaults="true",
        open_pool="true",
    )
    return {**pool, "title": title}


def _start(page: Page, pool: dict[str, Any]) -> None:
    page.goto("/work")
    page.get_by_role("button", name=f"Start {pool['title']}").click()
    page.wait_for_url(re.compile(r".*/work/assignments/\w+$"))


def _focused_task(page: Page) -> str | None:
    index: str | None = page.evaluate("document.activeElement.closest('.kv-task')?.dataset.taskIndex ?? null")
    return index


def test_a_toloka_kit_suite_is_done_with_the_keyboard_alone(
    page: Page, live_server: LiveServer, requester: Requester
) -> None:
    pool = _pool(live_server, requester, ["<script>alert('input')</script> first", "second"])
    sign_up(page, unique("kim"))
    page.goto("/work")
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == f"Start {pool['title']}":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/work/assignments/\w+$"))
    first = page.locator("section[data-task-index='0']")
    expect(first.locator("p.kv-text")).to_have_text("<script>alert('input')</script> first")
    expect(page.locator(".kv-instructions-body b")).to_have_text("photo")
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if _focused_task(page) == "0":
            break
    assert _focused_task(page) == "0"
    page.keyboard.press("2")
    expect(first.get_by_label("Breed")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("husky")
    page.keyboard.press("Tab")
    assert _focused_task(page) == "1"
    page.keyboard.press("c")
    expect(page.locator("section[data-task-index='1']").get_by_label("Cat")).to_be_checked()
    screenshot(page, "taskview-keyboard", live_server)
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/work?done=submitted")
    assert page.dialogs == []  # type: ignore[attr-defined]
    answers = requester.http.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"]
    assert [item["solutions"] for item in answers] == [
        [{"output_values": {"animal": "dog", "breed": "husky"}}, {"output_values": {"animal": "cat"}}]
    ]


def test_the_breed_field_follows_the_answer(
    page: Page, live_server: LiveServer, requester: Requester
) -> None:
    pool = _pool(live_server, requester, ["one"])
    sign_up(page, unique("lee"))
    _start(page, pool)
    breed = page.get_by_label("Breed")
    expect(breed).to_be_hidden()
    page.get_by_label("Dog").check()
    expect(breed).to_be_visible()
    breed.fill("collie")
    page.get_by_label("Cat").check()
    expect(breed).to_be_hidden()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/work?done=submitted")
    answers = requester.http.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"]
    assert answers[0]["solutions"] == [{"output_values": {"animal": "cat"}}]


def test_required_answers_are_asked_for_in_the_browser_and_by_the_server(
    page: Page, live_server: LiveServer, requester: Requester
) -> None:
    checked_in_browser = _pool(live_server, requester, ["one"])
    sign_up(page, unique("max"))
    _start(page, checked_in_browser)
    url = page.url
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".kv-client-error")).to_have_text("Choose one")
    assert page.url == url
    page.get_by_label("Cat").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/work?done=submitted")

    checked_by_server = _pool(live_server, requester, ["two"], validated=False)
    _start(page, checked_by_server)
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.get_by_role("button", name="Submit").click()
    assert sent.value.status == 400
    field = page.locator("section[data-task-index='0'] [data-kv-field='animal']")
    expect(field.locator(".kv-error")).to_have_text("a value is required")
    screenshot(page, "taskview-server-validation", live_server)
    page.get_by_label("Dog").check()
    page.get_by_label("Breed").fill("pug")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/work?done=submitted")
