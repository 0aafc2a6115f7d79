import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import assert_error, created, pool_body


def suite(pool_id: str, size: int = 2, **extra: Any) -> dict[str, Any]:
    tasks = [{"input_values": {"image": f"https://img.example/{i}.png"}} for i in range(size)]
    return {"pool_id": pool_id, "tasks": tasks, **extra}


def post_suites(api: TestClient, body: Any, **params: str) -> Any:
    return api.post("/api/v1/task-suites", params=params, json=body)


def test_create_one_and_read_it_back(api: TestClient, pool: dict[str, Any]) -> None:
    body = suite(
        pool["id"], overlap=2, issuing_order_override=3.5, latitude=55.7, longitude=37.6, mixed=False
    )
    response = post_suites(api, body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert [task["input_values"] for task in created["tasks"]] == [
        task["input_values"] for task in body["tasks"]
    ]
    assert all(task["id"] for task in created["tasks"])
    assert (created["overlap"], created["issuing_order_override"], created["latitude"]) == (2, 3.5, 55.7)
    assert api.get(f"/api/v1/task-suites/{created['id']}").json() == created
    found = api.get("/api/v1/task-suites", params={"task_id": created["tasks"][1]["id"]}).json()
    assert [item["id"] for item in found["items"]] == [created["id"]]


def test_async_batch_with_defaults_and_skip(api: TestClient, project: dict[str, Any]) -> None:
    defaults = {"default_overlap_for_new_task_suites": 3}
    pool = created(api.post("/api/v1/pools", json=pool_body(project["id"], defaults=defaults)))
    bad = suite(pool["id"])
    bad["tasks"][1]["input_values"] = {}
    body = [suite(pool["id"]), bad, suite(pool["id"], 3)]
    operation_id = str(uuid.uuid4())
    params = {
        "async_mode": "true",
        "allow_defaults": "true",
        "skip_invalid_items": "true",
        "operation_id": operation_id,
    }
    operation = post_suites(api, body, **params).json()
    assert (operation["type"], operation["status"]) == ("TASK_SUITE.BATCH_CREATE", "SUCCESS")
    log = api.get(f"/api/v1/operations/{operation_id}/log").json()
    assert [entry["success"] for entry in log] == [True, False, True]
    assert log[1]["output"]["tasks.1.input_values.image"]["code"] == "VALUE_REQUIRED"
    suites = api.get("/api/v1/task-suites", params={"pool_id": pool["id"]}).json()["items"]
    assert [s["id"] for s in suites] == [log[0]["output"]["task_suite_id"], log[2]["output"]["task_suite_id"]]
    assert {s["overlap"] for s in suites} == {3}
    assert_error(post_suites(api, body, **params), 409, "OPERATION_ALREADY_EXISTS")


def test_baseline_solutions_are_refused_in_suites(api: TestClient, pool: dict[str, Any]) -> None:
    body = suite(pool["id"], overlap=1)
    body["tasks"][0]["baseline_solutions"] = [{"output_values": {"result": "cat"}}]
    error = assert_error(post_suites(api, body), 400, "VALIDATION_ERROR", "tasks.0.baseline_solutions")
    assert error["payload"]["tasks.0.baseline_solutions"]["code"] == "VALUE_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"issuing_order_override": 100_000}, "issuing_order_override"),
        ({"issuing_order_override": -100_000}, "issuing_order_override"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"tasks": []}, "tasks"),
        ({"mixed": "yes"}, "mixed"),
        ({"overlap": None}, "overlap"),
    ],
)
def test_invalid_suites(api: TestClient, pool: dict[str, Any], change: dict[str, Any], path: str) -> None:
    assert_error(post_suites(api, {**suite(pool["id"], overlap=1), **change}), 400, "VALIDATION_ERROR", path)
    assert api.get("/api/v1/task-suites", params={"pool_id": pool["id"]}).json()["items"] == []


def test_suites_of_control_tasks_default_to_infinite_overlap(api: TestClient, pool: dict[str, Any]) -> None:
    body = suite(pool["id"])
    for task in body["tasks"]:
        task["known_solutions"] = [{"output_values": {"result": "dog"}}]
    created = post_suites(api, body).json()
    assert created["infinite_overlap"] is True and "overlap" not in created


def test_patch_set_overlap_and_open_pool(api: TestClient, pool: dict[str, Any]) -> None:
    created = post_suites(api, suite(pool["id"], overlap=1)).json()
    url = f"/api/v1/task-suites/{created['id']}"
    patched = api.patch(url, json={"overlap": 4, "issuing_order_override": -2})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["overlap"], patched.json()["issuing_order_override"]) == (4, -2)
    changed = api.patch(f"{url}/set-overlap-or-min", params={"open_pool": "true"}, json={"overlap": 6})
    assert changed.json()["overlap"] == 6
    assert api.get(f"/api/v1/pools/{pool['id']}").json()["status"] == "OPEN"
    assert_error(
        api.patch(url, json={"overlap": 1, "infinite_overlap": True}), 400, "VALIDATION_ERROR", "overlap"
    )
    assert_error(api.patch("/api/v1/task-suites/none", json={"overlap": 1}), 404, "DOES_NOT_EXIST")


def test_task_suite_quota_counts_tasks(api: TestClient, pool: dict[str, Any]) -> None:
    api.app.state.context.settings.quota_task_suite_create_per_minute = 5  # type: ignore[attr-defined]
    assert (
        post_suites(api, [suite(pool["id"], 2, overlap=1), suite(pool["id"], 3, overlap=1)]).status_code
        == 201
    )
    assert_error(post_suites(api, suite(pool["id"], 1, overlap=1)), 429, "TOO_MANY_REQUESTS")
