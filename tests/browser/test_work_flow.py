"""Done when: a person with a browser signs up, passes a training with its hints, and completes a
pool whose project was built with toloka-kit's template_builder (radio group, image, text) with the
keyboard alone."""

import re
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, expect
from toloka.client import Project, TolokaClient
from toloka.client.project import field_spec
from toloka.client.project import template_builder as tb
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import TemplateBuilderViewSpec

from tests.browser.conftest import Requester, screenshot, sign_up, unique
from tests.support.live import LiveServer

LESSONS = [
    ("https://example.invalid/cat.png", "A cat", "cat"),
    ("https://example.invalid/dog.png", "A dog", "dog"),
]


def _project(live_server: LiveServer, title: str) -> str:
    """A project made with toloka-kit's template_builder, as a requester's notebook would."""
    view = TemplateBuilderViewSpec(
        view=tb.ListViewV1(
            [
                tb.ImageViewV1(tb.InputData("image"), ratio=[1, 1], label="Photo"),
                tb.TextViewV1(tb.InputData("text")),
                tb.RadioGroupFieldV1(
                    tb.OutputData("animal"),
                    [tb.GroupFieldOption("cat", "Cat"), tb.GroupFieldOption("dog", "Dog")],
                    label="Who is it?",
                    validation=tb.RequiredConditionV1(hint="Choose one"),
                ),
            ]
        ),
        plugins=[
            tb.HotkeysPluginV1(
                key_q=tb.SetActionV1(tb.OutputData("animal"), "cat"),
                key_w=tb.SetActionV1(tb.OutputData("animal"), "dog"),
            )
        ],
    )
    client = TolokaClient(live_server.token, url=live_server.url)
    project = client.create_project(
        Project(
            public_name=title,
            public_description="Who is in the picture?",
            public_instructions="<p>Choose <b>Cat</b> or <b>Dog</b>.</p>",
            task_spec=TaskSpec(
                input_spec={"image": field_spec.UrlSpec(), "text": field_spec.StringSpec()},
                output_spec={"animal": field_spec.StringSpec(allowed_values=["cat", "dog"])},
                view_spec=view,
            ),
        )
    )
    return str(project.id)


def _training_and_pool(requester: Requester, project_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    training = requester.create(
        "/api/v1/trainings",
        {
            "project_id": project_id,
            "private_name": "Lessons",
            "may_contain_adult_content": False,
            "training_tasks_in_task_suite_count": 2,
            "assignment_max_duration_seconds": 600,
            "retry_training_after_days": 7,
        },
    )
    requester.create(
        "/api/v1/tasks",
        [
            {
                "pool_id": training["id"],
                "input_values": {"image": image, "text": text},
                "known_solutions": [{"output_values": {"animal": animal}}],
                "message_on_unknown_solution": f"This one is a {animal}.",
            }
            for image, text, animal in LESSONS
        ],
        open_pool="true",
    )
    pool = requester.create(
        "/api/v1/pools",
        {
            "project_id": project_id,
            "private_name": "Work",
            "may_contain_adult_content": False,
            "will_expire": "2040-01-01T00:00:00",
            "reward_per_assignment": 0.1,
            "assignment_max_duration_seconds": 600,
            "mixer_config": {"real_tasks_count": 2, "golden_tasks_count": 0, "training_tasks_count": 0},
            "defaults": {"default_overlap_for_new_tasks": 1, "default_overlap_for_new_task_suites": 1},
            "quality_control": {
                "configs": [],
                "training_requirement": {
                    "training_pool_id": training["id"],
                    "training_passing_skill_value": 50,
                },
            },
        },
    )
    requester.create(
        "/api/v1/tasks",
        [
            {
                "pool_id": pool["id"],
                "input_values": {"image": f"https://example.invalid/{n}.png", "text": f"Photo {n}"},
            }
            for n in range(2)
        ],
        allow_defaults="true",
        open_pool="true",
    )
    return training, pool


def _focus_task(page: Page, index: int) -> None:
    """Tab forward until the focus is in the task `index` (a bounded number of presses)."""
    for _ in range(30):
        if page.evaluate("document.activeElement.closest('.kv-task')?.dataset.taskIndex") == str(index):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached task {index}")


def _submit_by_keyboard(page: Page) -> None:
    for _ in range(30):
        if page.evaluate("document.activeElement.textContent.trim()") == "Submit":
            page.keyboard.press("Enter")
            return
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached Submit")


def _answer(page: Page, keys: list[str]) -> None:
    for index, key in enumerate(keys):
        _focus_task(page, index)
        page.keyboard.press(key)
    _submit_by_keyboard(page)


def _start(page: Page, title: str) -> None:
    page.get_by_role("button", name=f"Start {title}").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/work/assignments/\w+$"))


def test_a_person_passes_the_training_and_does_a_pool_with_the_keyboard_alone(
    page: Page, requester: Requester, live_server: LiveServer
) -> None:
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("console", note)
    page.on("pageerror", lambda error: problems.append(str(error)))
    title = unique("Cats and dogs ")
    training, pool = _training_and_pool(requester, _project(live_server, title))
    sign_up(page, unique("wanda"))
    board = page.locator(f"[data-pool-id='{pool['id']}']")
    expect(board.locator(".kv-why")).to_contain_text(f"pass training {training['id']} first")
    first = page.locator(".kv-pools > li").first
    expect(first).to_have_attribute("data-pool-id", training["id"])
    screenshot(page, "pool-board", live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"

    _start(page, title)
    expect(page.locator(".kv-suite")).to_contain_text("A dog")
    expect(page.locator("[data-task-index='0']").get_by_role("radio", name="Cat")).to_be_visible()
    _submit_by_keyboard(page)
    expect(page.locator("[data-task-index='0']").locator(".kv-error, [role=alert]").first).to_be_visible()
    screenshot(page, "task-validation", live_server)
    _answer(page, ["1", "1"])  # Cat twice: one lesson is a dog, so one right and one wrong
    expect(page.get_by_role("heading", name="Your training answers")).to_be_visible()
    expect(page.locator(".kv-feedback")).to_contain_text("right")
    expect(page.locator(".kv-feedback")).to_contain_text("wrong: This one is a dog.")
    screenshot(page, "training-feedback", live_server)

    page.goto("/work")
    expect(board.get_by_role("button", name=f"Start {title}")).to_be_visible()
    _start(page, title)
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"Time left: (10:00|9:[0-5]\d)"))
    expect(page.locator(".kv-instructions-body b")).to_have_text(["Cat", "Dog"])
    _focus_task(page, 0)
    page.keyboard.press("q")  # the project's hotkey for Cat
    expect(page.locator("[data-task-index='0']").get_by_role("radio", name="Cat")).to_be_checked()
    _focus_task(page, 1)
    page.keyboard.press("2")
    screenshot(page, "task-tb", live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    _submit_by_keyboard(page)
    page.wait_for_url("**/work?done=submitted")
    expect(page.get_by_role("status")).to_have_text("Your answers were sent.")

    answers = requester.http.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"]
    assert [item["solutions"] for item in answers] == [
        [{"output_values": {"animal": "cat"}}, {"output_values": {"animal": "dog"}}]
    ]
    assert problems == [], "no script error and no Content-Security-Policy violation"
