"""A training grants its skill; a pool that requires it admits only those who passed."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from tests.helpers import assert_error, mixer_pool, take, training_body, worker_client


def setup(
    api: TestClient, project: dict[str, Any], ttl_days: int | None = None, **training: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    settings = {"training_tasks_in_task_suite_count": 2, "retry_training_after_days": 7} | training
    training = api.post("/api/v1/trainings", json=training_body(project["id"], **settings)).json()
    lessons = [
        {
            "pool_id": training["id"],
            "input_values": {"image": f"https://img.example/lesson-{n}.png"},
            "known_solutions": [{"output_values": {"result": "cat"}}],
            "message_on_unknown_solution": f"Lesson {n}: it is a cat.",
        }
        for n in range(2)
    ]
    assert api.post("/api/v1/tasks", params={"open_pool": "true"}, json=lessons).status_code == 201
    body = mixer_pool(project["id"])
    body["quality_control"] = {
        "configs": [],
        "training_requirement": {"training_pool_id": training["id"], "training_passing_skill_value": 75},
    }
    if ttl_days is not None:
        body["training_config"] = {"training_skill_ttl_days": ttl_days}
    pool = api.post("/api/v1/pools", json=body).json()
    work = [
        {"pool_id": pool["id"], "input_values": {"image": f"https://img.example/{n}.png"}} for n in range(4)
    ]
    golden = [{**work[0], "known_solutions": [{"output_values": {"result": "dog"}}]}]
    api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=work + golden)
    return training, pool


def answer(client: TestClient, assignment: dict[str, Any], values: list[str]) -> dict[str, Any]:
    solutions = {"solutions": [{"output_values": {"result": value}} for value in values]}
    response = client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=solutions)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_passing_the_training_opens_the_pool(
    app_client: TestClient, api: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    training, pool = setup(api, project)
    good, bad = worker_client(app_client, ctx, "good"), worker_client(app_client, ctx, "bad")
    assert [item["id"] for item in good.get("/api/worker/v1/pools").json()] == [training["id"]]
    assert_error(take(good, pool["id"]), 409, "CONFLICT_STATE")

    lesson = take(good, training["id"]).json()
    result = answer(good, lesson, ["cat", "cat"])
    assert result["status"] == "ACCEPTED"
    assert [item["correct"] for item in result["feedback"]] == [True, True]
    assert all(item["hint"].startswith("Lesson") for item in result["feedback"])
    me = good.get("/api/worker/v1/me").json()
    assert list(me["skills"].values()) == [100.0]
    assert {item["id"] for item in good.get("/api/worker/v1/pools").json()} == {pool["id"]}
    assert take(good, pool["id"]).status_code == 201

    failed = answer(bad, take(bad, training["id"]).json(), ["cat", "dog"])
    assert sorted(item["correct"] for item in failed["feedback"]) == [False, True]
    assert list(bad.get("/api/worker/v1/me").json()["skills"].values()) == [50.0]
    assert_error(take(bad, pool["id"]), 409, "CONFLICT_STATE")
    assert bad.get("/api/worker/v1/pools").json() == []  # the training is done, the pool closed to them
    refusal = assert_error(take(bad, training["id"]), 409, "CONFLICT_STATE")
    assert "retaken from" in refusal["message"]


def _skills(client: TestClient) -> list[float]:
    return list(client.get("/api/worker/v1/me").json()["skills"].values())


def _offered(client: TestClient) -> list[str]:
    return [item["id"] for item in client.get("/api/worker/v1/pools").json()]


def test_a_failed_worker_retakes_the_training_after_retry_training_after_days(
    app_client: TestClient, api: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    training, pool = setup(api, project)  # retry_training_after_days: 7
    bad = worker_client(app_client, ctx, "bad")
    first = take(bad, training["id"]).json()
    answer(bad, first, ["cat", "dog"])
    clock.advance(timedelta(days=6, hours=23))
    assert _skills(bad) == [50.0]
    assert _offered(bad) == []
    assert_error(take(bad, training["id"]), 409, "CONFLICT_STATE")

    clock.advance(timedelta(hours=1))
    assert _skills(bad) == []  # expired: the skill no longer counts anywhere
    assert _offered(bad) == [training["id"]]
    second = take(bad, training["id"]).json()
    assert {task["id"] for task in second["tasks"]} == {task["id"] for task in first["tasks"]}
    assert _offered(bad) == []  # mid-attempt: the lessons are all issued
    answer(bad, second, ["cat", "cat"])
    assert _skills(bad) == [100.0]  # scored on the new attempt alone
    assert _offered(bad) == [pool["id"]]
    assert take(bad, pool["id"]).status_code == 201

    seen = api.get("/api/v1/assignments", params={"pool_id": training["id"], "sort": "created"}).json()
    assert [item["id"] for item in seen["items"]] == [first["id"], second["id"]]


def test_a_passed_skill_expires_and_the_worker_must_retake_the_training(
    app_client: TestClient, api: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    training, pool = setup(api, project, ttl_days=2)  # shorter than the training's 7 days
    good = worker_client(app_client, ctx, "good")
    answer(good, take(good, training["id"]).json(), ["cat", "cat"])
    assert _offered(good) == [pool["id"]]
    clock.advance(timedelta(days=2))
    assert _offered(good) == [training["id"]]
    assert_error(take(good, pool["id"]), 409, "CONFLICT_STATE")
    answer(good, take(good, training["id"]).json(), ["cat", "cat"])
    assert _offered(good) == [pool["id"]]


def test_without_retry_days_a_training_is_taken_once_and_its_skill_lasts(
    app_client: TestClient, api: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    training, _ = setup(api, project, retry_training_after_days=None)
    bad = worker_client(app_client, ctx, "bad")
    answer(bad, take(bad, training["id"]).json(), ["dog", "dog"])
    clock.advance(timedelta(days=3650))
    assert _skills(bad) == [0.0]
    assert _offered(bad) == []
    refusal = assert_error(take(bad, training["id"]), 409, "CONFLICT_STATE")
    assert "retaken" not in refusal["message"]
