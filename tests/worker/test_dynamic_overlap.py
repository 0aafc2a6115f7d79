"""Dynamic overlap acting on submits, reviews and pool completion, as the requester sees it in GET /tasks."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from kvorum.services.pools import lifecycle
from tests.helpers import (
    CHOICE_RESULT,
    assert_error,
    created,
    dynamic_overlap_pool,
    project_body,
    take,
    task_spec,
    without,
    worker_client,
)


@pytest.fixture
def choice_project(api: TestClient) -> dict[str, Any]:
    """Answers are one of cat, dog, other: K = 3 possible labels."""
    return created(
        api.post("/api/v1/projects", json=project_body(task_spec=task_spec(output_spec=CHOICE_RESULT)))
    )


def open_pool(api: TestClient, body: dict[str, Any], tasks: list[dict[str, Any]]) -> dict[str, Any]:
    pool = created(api.post("/api/v1/pools", json=body))
    for task in tasks:
        task["pool_id"] = pool["id"]
    response = api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks)
    assert response.status_code == 201, response.text
    return pool


def image_tasks(count: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"input_values": {"image": f"https://img.example/{n}.png"}, **extra} for n in range(count)]


class Crowd:
    """Workers with a value of the pool's skill each, who take and answer its suites."""

    def __init__(self, api: TestClient, app_client: TestClient, ctx: Context, skill_id: str) -> None:
        self.api, self.app_client, self.ctx, self.skill_id = api, app_client, ctx, skill_id
        self.count = 0

    def worker(self, skill: float | None) -> TestClient:
        self.count += 1
        client = worker_client(self.app_client, self.ctx, f"crowd{self.count}")
        if skill is not None:
            user_id = client.get("/api/worker/v1/me").json()["id"]
            body = {"skill_id": self.skill_id, "user_id": user_id, "value": skill}
            assert self.api.put("/api/v1/user-skills", json=body).status_code in (200, 201)
        return client


def answer(client: TestClient, pool_id: str, label: str) -> dict[str, Any]:
    """Take a suite and answer `label` to its task: the submitted assignment."""
    response = take(client, pool_id)
    assert response.status_code == 201, response.text
    assignment = response.json()
    body = {"solutions": [{"output_values": {"result": label}}]}
    submitted = client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body)
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


def overlaps(api: TestClient, pool_id: str) -> list[tuple[int, int]]:
    """(overlap, remaining_overlap) of each task of the pool, in creation order."""
    items = api.get("/api/v1/tasks", params={"pool_id": pool_id}).json()["items"]
    return [(item["overlap"], item["remaining_overlap"]) for item in items]


@pytest.fixture
def crowd(api: TestClient, app_client: TestClient, ctx: Context, skill: dict[str, Any]) -> Crowd:
    return Crowd(api, app_client, ctx, skill["id"])


def test_a_confident_answer_is_enough(api: TestClient, choice_project: dict[str, Any], crowd: Crowd) -> None:
    pool = open_pool(api, dynamic_overlap_pool(choice_project["id"], crowd.skill_id), image_tasks(1))
    answer(crowd.worker(95), pool["id"], "cat")
    assert overlaps(api, pool["id"]) == [(1, 0)]
    assert take(crowd.worker(95), pool["id"]).status_code == 409


def test_agreement_stops_the_growth_and_disagreement_grows_to_max_overlap(
    api: TestClient, choice_project: dict[str, Any], crowd: Crowd
) -> None:
    pool = open_pool(api, dynamic_overlap_pool(choice_project["id"], crowd.skill_id), image_tasks(2))
    answer(crowd.worker(80), pool["id"], "cat")  # task 0: 0.8, one more
    assert overlaps(api, pool["id"]) == [(2, 1), (1, 1)]
    second = crowd.worker(80)
    answer(second, pool["id"], "cat")  # task 0 again: two agree, 0.97
    answer(second, pool["id"], "dog")  # task 1: 0.8
    assert overlaps(api, pool["id"]) == [(2, 0), (2, 1)]
    answer(crowd.worker(80), pool["id"], "cat")  # task 1: dog and cat, 0.47
    assert overlaps(api, pool["id"]) == [(2, 0), (3, 1)]
    answer(crowd.worker(80), pool["id"], "other")  # still unsure, but 3 is max_overlap
    assert overlaps(api, pool["id"]) == [(2, 0), (3, 0)]
    assert take(crowd.worker(80), pool["id"]).status_code == 409


def test_answers_weigh_by_the_skill(api: TestClient, choice_project: dict[str, Any], crowd: Crowd) -> None:
    pool = open_pool(api, dynamic_overlap_pool(choice_project["id"], crowd.skill_id), image_tasks(2))
    answer(crowd.worker(99), pool["id"], "cat")
    answer(crowd.worker(None), pool["id"], "cat")  # no value of the skill: a coin's weight
    assert overlaps(api, pool["id"]) == [(1, 0), (2, 1)]


def test_baseline_solutions_count_as_answers(
    api: TestClient, choice_project: dict[str, Any], crowd: Crowd
) -> None:
    baseline = [{"output_values": {"result": "cat"}, "confidence_weight": 0.5}]
    tasks = image_tasks(1, baseline_solutions=baseline) + image_tasks(1)
    pool = open_pool(api, dynamic_overlap_pool(choice_project["id"], crowd.skill_id), tasks)
    worker = crowd.worker(80)
    answer(worker, pool["id"], "cat")
    answer(worker, pool["id"], "cat")
    assert overlaps(api, pool["id"]) == [(1, 0), (2, 1)]  # with the baseline 0.98; alone 0.8


def test_a_rejection_gives_the_task_to_another_worker_once(
    api: TestClient, choice_project: dict[str, Any], crowd: Crowd
) -> None:
    body = dynamic_overlap_pool(choice_project["id"], crowd.skill_id, auto_accept_solutions=False)
    pool = open_pool(api, body, image_tasks(1))
    done = answer(crowd.worker(95), pool["id"], "cat")
    assert overlaps(api, pool["id"]) == [(1, 0)]
    review = {"status": "REJECTED", "public_comment": "no"}
    assert api.patch(f"/api/v1/assignments/{done['id']}", json=review).status_code == 200
    assert overlaps(api, pool["id"]) == [(2, 1)]
    assert api.patch(f"/api/v1/assignments/{done['id']}", json=review).status_code == 409
    assert overlaps(api, pool["id"]) == [(2, 1)]
    again = answer(crowd.worker(95), pool["id"], "cat")
    assert api.patch(f"/api/v1/assignments/{again['id']}", json={"status": "ACCEPTED"}).status_code == 200
    assert overlaps(api, pool["id"]) == [(2, 0)]


def test_a_retried_submit_grows_nothing(
    api: TestClient, choice_project: dict[str, Any], crowd: Crowd
) -> None:
    pool = open_pool(api, dynamic_overlap_pool(choice_project["id"], crowd.skill_id), image_tasks(1))
    worker = crowd.worker(80)
    done = answer(worker, pool["id"], "cat")
    body = {"solutions": [{"output_values": {"result": "cat"}}]}
    retried = worker.post(f"/api/worker/v1/assignments/{done['id']}/submit", json=body)
    assert_error(retried, 409, "CONFLICT_STATE")
    assert overlaps(api, pool["id"]) == [(2, 1)]


def test_the_pool_closes_completed_only_when_every_task_is_done(
    api: TestClient, ctx: Context, clock: SettableClock, choice_project: dict[str, Any], crowd: Crowd
) -> None:
    pool = open_pool(api, dynamic_overlap_pool(choice_project["id"], crowd.skill_id), image_tasks(2))
    answer(crowd.worker(95), pool["id"], "cat")
    answer(crowd.worker(80), pool["id"], "dog")
    clock.advance(timedelta(minutes=5))
    assert lifecycle.close_due(ctx) == 0  # task 1 waits for a second answer
    assert api.get(f"/api/v1/pools/{pool['id']}").json()["status"] == "OPEN"
    answer(crowd.worker(80), pool["id"], "dog")  # both agree: done
    clock.advance(timedelta(seconds=60))
    assert lifecycle.close_due(ctx) == 1
    closed = api.get(f"/api/v1/pools/{pool['id']}").json()
    assert (closed["status"], closed["last_close_reason"]) == ("CLOSED", "COMPLETED")


def test_a_rejection_after_completion_opens_the_pool_again(
    api: TestClient, ctx: Context, clock: SettableClock, choice_project: dict[str, Any], crowd: Crowd
) -> None:
    body = dynamic_overlap_pool(choice_project["id"], crowd.skill_id, auto_accept_solutions=False)
    pool = open_pool(api, body, image_tasks(1))
    done = answer(crowd.worker(95), pool["id"], "cat")
    clock.advance(timedelta(seconds=60))
    assert lifecycle.close_due(ctx) == 1
    review = {"status": "REJECTED", "public_comment": "no"}
    assert api.patch(f"/api/v1/assignments/{done['id']}", json=review).status_code == 200
    assert api.get(f"/api/v1/pools/{pool['id']}").json()["status"] == "OPEN"
    assert overlaps(api, pool["id"]) == [(2, 1)]


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ("skill", "dynamic_overlap_config.answer_weight_skill_id", "ENTITY_DOES_NOT_EXIST"),
        ("field", "dynamic_overlap_config.fields.0.name", "INVALID_VALUE"),
        ("mixer", "mixer_config", "VALUE_REQUIRED"),
        ("delay", "auto_close_after_complete_delay_seconds", "VALUE_REQUIRED"),
        ("zero delay", "auto_close_after_complete_delay_seconds", "VALUE_REQUIRED"),
        ("max", "dynamic_overlap_config.max_overlap", "VALUE_LESS_THAN_MIN"),
    ],
)
def test_a_dynamic_overlap_that_cannot_act_is_refused(
    api: TestClient,
    other_api: TestClient,
    choice_project: dict[str, Any],
    crowd: Crowd,
    change: str,
    path: str,
    code: str,
) -> None:
    body = dynamic_overlap_pool(choice_project["id"], crowd.skill_id)
    if change == "skill":
        body["dynamic_overlap_config"]["answer_weight_skill_id"] = other_api.post(
            "/api/v1/skills", json={"name": "Not alice's"}
        ).json()["id"]
    elif change == "field":
        body["dynamic_overlap_config"]["fields"] = [{"name": "image"}]
    elif change == "mixer":
        body = without(body, "mixer_config")
    elif change == "delay":
        body = without(body, "auto_close_after_complete_delay_seconds")
    elif change == "zero delay":
        body["auto_close_after_complete_delay_seconds"] = 0
    else:
        body["dynamic_overlap_config"]["max_overlap"] = 1
    error = assert_error(api.post("/api/v1/pools", json=body), 400, "VALIDATION_ERROR", path)
    assert error["payload"][path]["code"] == code
    assert api.get("/api/v1/pools").json()["items"] == []
