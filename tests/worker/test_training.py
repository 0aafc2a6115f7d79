"""A training grants its skill; a pool that requires it admits only those who passed."""

from typing import Any

from fastapi.testclient import TestClient

from helpers import assert_error, mixer_pool, take, training_body, worker_client
from kvorum.services.context import Context


def setup(api: TestClient, project: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    training = api.post(
        "/api/v1/trainings", json=training_body(project["id"], training_tasks_in_task_suite_count=2)
    ).json()
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
    assert bad.get("/api/worker/v1/pools").json() == []  # the training is used up, the pool closed to them
