"""In Chromium: a requester signs in with the API token, watches a pool's progress after workers
answered through the worker API, and previews the task page, whose Submit sends nothing."""

import json
import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Requester, screenshot, unique
from tests.support.live import LiveServer, create_account

VIEW = {
    "view": {
        "type": "view.list",
        "items": [
            {"type": "view.image", "url": {"type": "data.input", "path": "image"}, "label": "Photo"},
            {"type": "view.text", "content": {"type": "data.input", "path": "text"}},
            {"type": "view.sparkles"},
            {
                "type": "field.radio-group",
                "label": "Who is it?",
                "data": {"type": "data.output", "path": "animal"},
                "options": [{"label": "Cat", "value": "cat"}, {"label": "Dog", "value": "dog"}],
                "validation": {"type": "condition.required"},
            },
        ],
    },
    "plugins": [],
}


def _pool(requester: Requester, title: str) -> tuple[str, str, list[str]]:
    """A template-builder project with one component kvorum cannot draw, an open pool of three tasks
    (one a suite, answered once each) whose first text is hostile; (project id, pool id, task ids)."""
    project = requester.create(
        "/api/v1/projects",
        {
            "public_name": title,
            "public_description": "Who is in the picture?",
            "task_spec": {
                "input_spec": {"image": {"type": "url"}, "text": {"type": "string"}},
                "output_spec": {"animal": {"type": "string", "allowed_values": ["cat", "dog"]}},
                "view_spec": {"type": "tb", "config": json.dumps(VIEW), "lock": {"core": "1.0.0"}},
            },
        },
    )
    pool = requester.create(
        "/api/v1/pools",
        {
            "project_id": project["id"],
            "private_name": f"{title} pool",
            "may_contain_adult_content": False,
            "will_expire": "2040-01-01T00:00:00",
            "reward_per_assignment": 0.05,
            "assignment_max_duration_seconds": 600,
            "auto_accept_solutions": True,
            "mixer_config": {"real_tasks_count": 1, "golden_tasks_count": 0, "training_tasks_count": 0},
            "defaults": {"default_overlap_for_new_tasks": 1, "default_overlap_for_new_task_suites": 1},
        },
    )
    texts = ["<script>document.title='owned'</script>", "Photo 1", "Photo 2"]
    made = requester.create(
        "/api/v1/tasks",
        [
            {"pool_id": pool["id"], "input_values": {"image": f"https://img.invalid/{n}.png", "text": text}}
            for n, text in enumerate(texts)
        ],
        allow_defaults="true",
        open_pool="true",
    )
    return project["id"], pool["id"], [made["items"][str(n)]["id"] for n in range(len(texts))]


def _work(live_server: LiveServer, pool_id: str, suites: int) -> None:
    """A worker takes and answers `suites` suites through the worker API."""
    token = create_account(live_server.database_url, "worker", unique("worker"), "--languages", "EN")
    with httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}) as worker:
        for _ in range(suites):
            taken = worker.post(f"/api/worker/v1/pools/{pool_id}/assignments")
            assert taken.status_code == 201, taken.text
            assignment = taken.json()
            solutions = {"solutions": [{"output_values": {"animal": "cat"}}]}
            done = worker.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=solutions)
            assert done.status_code == 200, done.text


def test_a_requester_watches_the_pools_progress_and_previews_its_task(
    page: Page, requester: Requester, live_server: LiveServer
) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    title = unique("Pets ")
    project_id, pool_id, task_ids = _pool(requester, title)
    _work(live_server, pool_id, suites=2)

    page.goto(f"/requester/pools/{pool_id}")
    page.wait_for_url(re.compile(r".*/requester/signin\?next=/requester/pools/\d+$"))
    page.get_by_label("API token").fill(live_server.token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/requester/pools/{pool_id}")
    tasks = page.locator("[data-coverage='tasks']")
    expect(tasks.locator("[data-figure='total']")).to_have_text("3")
    expect(tasks.locator("[data-figure='done']")).to_have_text("2")
    expect(tasks.locator("[data-figure='remaining']")).to_have_text("1")
    expect(page.locator("[data-status='ACCEPTED']")).to_have_text("2")
    expect(page.locator("[data-spend='rewards']")).to_have_text("$0.10")
    screenshot(page, "requester-pool", live_server)

    page.get_by_role("link", name="Preview the task page").click()
    page.wait_for_url(f"**/requester/projects/{project_id}/preview")
    expect(page.get_by_role("alert")).to_have_text("Unsupported component: view.sparkles")
    expect(page.locator("[data-task-index='0']")).to_contain_text("Sample text")

    page.goto(f"/requester/projects/{project_id}/preview?task_id={task_ids[0]}")
    task = page.locator("[data-task-index='0']")
    expect(task).to_contain_text("<script>document.title='owned'</script>")
    assert page.title() != "owned"
    page.get_by_role("button", name="Submit").click()
    expect(task.locator("[role=alert]").first).to_be_visible()  # the view's required answer
    task.get_by_role("radio", name="Dog").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".kv-sent")).to_contain_text('"animal": "dog"')
    expect(page.get_by_role("button", name="Skip")).to_be_disabled()
    screenshot(page, "requester-preview", live_server)
    assert re.search(r"/requester/projects/\d+/preview$", page.url)

    answers = requester.http.get("/api/v1/assignments", params={"pool_id": pool_id}).json()["items"]
    assert len(answers) == 2, "the preview's submit recorded nothing"
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert problems == [], "no script error and no Content-Security-Policy violation"
