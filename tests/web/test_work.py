"""The worker's pages over HTTP: the pool board, the task page, submit, skip, hints, and hostile
requester and input values rendered harmless."""

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.accounts import requesters
from kvorum.services.context import Context
from kvorum.web.headers import CONTENT_SECURITY_POLICY
from tests.helpers import created, mixer_pool, project_body, training_body, training_requirement
from tests.web.conftest import post_form, sign_up

HOSTILE = "<script>alert('x')</script>"
TEXT_TASK = {
    "input_spec": {"text": {"type": "string"}},
    "output_spec": {"label": {"type": "string", "allowed_values": ["yes", "no"]}},
    "view_spec": {"type": "classic", "markup": "<p>{{input.text}}</p>"},
}


def _requester(client: TestClient) -> TestClient:
    ctx: Context = client.app.state.context  # type: ignore[attr-defined]
    token = requesters.create_requester(ctx, name="alice")[1]
    api = TestClient(client.app, raise_server_exceptions=False)
    api.headers["Authorization"] = f"OAuth {token}"
    return api


def _pool(api: TestClient, texts: list[str], per_suite: int | None = None, **changes: Any) -> dict[str, Any]:
    """An open pool of text tasks, `per_suite` of them a suite (all by default)."""
    project = created(
        api.post("/api/v1/projects", json=project_body(task_spec=TEXT_TASK, public_name="Label texts"))
    )
    body = (
        mixer_pool(project["id"], real=per_suite or len(texts), public_description="Say yes or no") | changes
    )
    pool = created(api.post("/api/v1/pools", json=body))
    tasks = [{"pool_id": pool["id"], "input_values": {"text": text}} for text in texts]
    done = api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks)
    assert done.status_code == 201, done.text
    return pool


def _take(browser: TestClient, pool_id: str) -> str:
    taken = post_form(browser, f"/work/pools/{pool_id}/take", {}, page="/work")
    assert taken.status_code == 303, taken.text  # type: ignore[attr-defined]
    location: str = taken.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/work/assignments/\w+", location)
    return location


def test_the_board_lists_each_pool_with_its_terms_and_sanitized_instructions(
    browser_like: TestClient,
) -> None:
    api = _requester(browser_like)
    pool = _pool(api, ["a"], public_instructions=f"<b>Be careful</b>{HOSTILE}<img src=x onerror=alert(1)>")
    sign_up(browser_like, "wanda")
    board = browser_like.get("/work")
    assert board.status_code == 200 and board.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "Label texts" in board.text and "Say yes or no" in board.text and "$0.01" in board.text
    assert "10 min" in board.text and f'action="/work/pools/{pool["id"]}/take"' in board.text
    assert "<b>Be careful</b>" in board.text
    assert "<script>alert" not in board.text and "onerror" not in board.text


def test_a_pool_that_needs_a_training_says_so_and_the_training_comes_first(browser_like: TestClient) -> None:
    api = _requester(browser_like)
    project = created(
        api.post("/api/v1/projects", json=project_body(task_spec=TEXT_TASK, public_name="Exam"))
    )
    training = created(api.post("/api/v1/trainings", json=training_body(project["id"])))
    body = mixer_pool(project["id"], real=1) | {
        "quality_control": {"training_requirement": training_requirement(training["id"], 80)}
    }
    pool = created(api.post("/api/v1/pools", json=body))
    api.post(
        "/api/v1/tasks",
        params={"allow_defaults": "true", "open_pool": "true"},
        json=[{"pool_id": pool["id"], "input_values": {"text": "t"}}],
    )
    sign_up(browser_like, "wanda")
    board = browser_like.get("/work").text
    assert f"pass training {training['id']} first" in board
    assert f'action="/work/pools/{pool["id"]}/take"' not in board


def test_a_suite_is_done_through_the_task_page(browser_like: TestClient) -> None:
    api = _requester(browser_like)
    pool = _pool(api, [HOSTILE, "plain"])
    sign_up(browser_like, "wanda")
    task_path = _take(browser_like, pool["id"])
    page = browser_like.get(task_path)
    assert page.status_code == 200 and page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert 'data-task-index="0"' in page.text and 'data-task-index="1"' in page.text
    assert ">Submit</button>" in page.text and ">Skip</button>" in page.text
    assert 'data-expires="2030-01-01T12:10:00Z"' in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert _take(browser_like, pool["id"]) == task_path, "taking again resumes the active assignment"

    bad = post_form(
        browser_like,
        f"{task_path}/submit",
        {"solutions": '[{"output_values": {"label": "maybe"}}, {"output_values": {"label": "no"}}]'},
        page=task_path,
    )
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Some answers need attention" in bad.text and 'data-task-index="0"' in bad.text  # type: ignore[attr-defined]
    for garbage in ("not json", "[" * 100_000, '{"output_values": {}}', "[1]"):
        unreadable = post_form(browser_like, f"{task_path}/submit", {"solutions": garbage}, page=task_path)
        assert unreadable.status_code == 400 and "could not be read" in unreadable.text  # type: ignore[attr-defined]

    answers = '[{"output_values": {"label": "yes"}}, {"output_values": {"label": "no"}}]'
    done = post_form(browser_like, f"{task_path}/submit", {"solutions": answers}, page=task_path)
    assert done.status_code == 303 and done.headers["location"] == "/work?done=submitted"  # type: ignore[attr-defined]
    assert "Your answers were sent" in browser_like.get("/work?done=submitted").text
    assert re.search(r"This assignment is (submitted|accepted)", browser_like.get(task_path).text)
    mine = api.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"]
    assert [item["solutions"] for item in mine] == [
        [{"output_values": {"label": "yes"}}, {"output_values": {"label": "no"}}]
    ]


def test_skip_gives_the_suite_back_and_an_expired_one_says_so(
    browser_like: TestClient, clock: SettableClock
) -> None:
    api = _requester(browser_like)
    pool = _pool(api, ["a", "b"], per_suite=1)
    sign_up(browser_like, "wanda")
    task_path = _take(browser_like, pool["id"])
    skipped = post_form(browser_like, f"{task_path}/skip", {}, page=task_path)
    assert skipped.status_code == 303 and skipped.headers["location"] == "/work?done=skipped"  # type: ignore[attr-defined]
    assert (
        api.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"][0]["status"]
        == "SKIPPED"
    )

    task_path = _take(browser_like, pool["id"])
    late = browser_like.get(task_path)
    clock.advance(timedelta(minutes=11))
    answers = '[{"output_values": {"label": "yes"}}]'
    token = re.search(r'name="csrf_token" value="([^"]+)"', late.text)
    assert token is not None
    refused = browser_like.post(
        f"{task_path}/submit", data={"csrf_token": token.group(1), "solutions": answers}
    )
    assert refused.status_code == 409 and "EXPIRED" in refused.text
    assert "its time ran out" in browser_like.get(task_path).text


def test_another_workers_assignment_is_not_found(browser_like: TestClient) -> None:
    api = _requester(browser_like)
    pool = _pool(api, ["a", "b"], per_suite=1)
    sign_up(browser_like, "wanda")
    task_path = _take(browser_like, pool["id"])
    post_form(browser_like, "/signout", {}, page="/work")
    sign_up(browser_like, "olga")
    assert browser_like.get(task_path).status_code == 404


def test_unknown_worker_paths_get_an_html_404_page_and_the_api_keeps_its_json(
    browser_like: TestClient,
) -> None:
    sign_up(browser_like, "wanda")
    for path in ("/work/nothing-here", "/work/assignments/1/nothing", "/work/pools/1"):
        missing = browser_like.get(path)
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html"), path
        assert "Not found" in missing.text and "Sign out (wanda)" in missing.text, path
        assert missing.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    for path in ("/api/worker/v1/nothing", "/workers", "/nothing"):
        api = browser_like.get(path)
        assert api.status_code == 404 and api.json()["code"] == "DOES_NOT_EXIST", path
    wrong_method = browser_like.get("/work/pools/1/take")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "METHOD_NOT_ALLOWED"
