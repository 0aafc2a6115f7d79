import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.services.context import Context
from tests.helpers import (
    CHOICE_RESULT,
    HIDDEN_NOTE,
    IMAGE_INPUT,
    assert_error,
    created,
    mixer,
    pool_body,
    project_body,
    task_spec,
    training_body,
)


@pytest.fixture
def project(api: TestClient) -> dict[str, Any]:
    """Image tasks with a hidden note, answered with cat, dog or other."""
    spec = task_spec(IMAGE_INPUT | HIDDEN_NOTE, CHOICE_RESULT)
    return created(api.post("/api/v1/projects", json=project_body(task_spec=spec)))


@pytest.fixture
def pool(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    """New tasks get overlap 3 unless they set their own."""
    defaults = {"default_overlap_for_new_task_suites": 3, "default_overlap_for_new_tasks": 3}
    return created(api.post("/api/v1/pools", json=pool_body(project["id"], defaults=defaults)))


def image_tasks(pool_id: str, count: int, start: int = 0, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{start + i}.png"}, **extra}
        for i in range(count)
    ]


def post_tasks(api: TestClient, body: Any, **params: Any) -> Any:
    query = {key: str(value).lower() if isinstance(value, bool) else value for key, value in params.items()}
    return api.post("/api/v1/tasks", params=query, json=body)


def all_tasks(api: TestClient, pool_id: str) -> list[dict[str, Any]]:
    page = api.get("/api/v1/tasks", params={"pool_id": pool_id, "limit": 100_000}).json()
    assert page["has_more"] is False
    return list(page["items"])


def test_reference_fifty_image_tasks_with_defaults(api: TestClient, pool: dict[str, Any]) -> None:
    operation_id = str(uuid.uuid4())
    body = [{**task, "__item_idx": str(i)} for i, task in enumerate(image_tasks(pool["id"], 50))]
    response = post_tasks(api, body, async_mode=True, allow_defaults=True, operation_id=operation_id)
    assert response.status_code == 202, response.text
    operation = response.json()
    assert (operation["id"], operation["type"], operation["status"]) == (
        operation_id,
        "TASK.BATCH_CREATE",
        "SUCCESS",
    )
    assert operation["parameters"] == {
        "skip_invalid_items": False,
        "allow_defaults": True,
        "open_pool": False,
    }
    assert operation["details"] == {
        "total_count": 50,
        "valid_count": 50,
        "not_valid_count": 0,
        "success_count": 50,
        "failed_count": 0,
    }
    log = api.get(f"/api/v1/operations/{operation_id}/log").json()
    assert [entry["input"]["__item_idx"] for entry in log] == [str(i) for i in range(50)]
    assert all(entry["success"] and entry["type"] == "TASK_CREATE" for entry in log)
    ids = [entry["output"]["task_id"] for entry in log]
    assert ids == sorted(ids)
    tasks = all_tasks(api, pool["id"])
    assert [task["id"] for task in tasks] == ids
    assert tasks[7]["input_values"] == {"image": "https://img.example/7.png"}
    assert (tasks[7]["overlap"], tasks[7]["remaining_overlap"], tasks[7]["infinite_overlap"]) == (3, 3, False)
    assert api.get(f"/api/v1/tasks/{ids[7]}").json() == tasks[7]


def test_control_tasks_with_known_solutions(api: TestClient, pool: dict[str, Any]) -> None:
    solution = {"output_values": {"result": "cat"}, "correctness_weight": 0.8}
    body = image_tasks(pool["id"], 3, known_solutions=[solution], message_on_unknown_solution="A cat.")
    response = post_tasks(api, body, allow_defaults=True)
    assert response.status_code == 201, response.text
    created = response.json()
    assert sorted(created["items"]) == ["0", "1", "2"] and created["validation_errors"] == {}
    task = created["items"]["1"]
    assert (
        task["known_solutions"] == [solution] and task["infinite_overlap"] is True and "overlap" not in task
    )
    assert api.get(f"/api/v1/tasks/{task['id']}").json() == task


def test_mixed_batch_skips_invalid_items_and_names_them(api: TestClient, pool: dict[str, Any]) -> None:
    body = image_tasks(pool["id"], 4, overlap=2)
    body[1]["input_values"] = {"imagis": "https://img.example/x.png"}
    body[3]["known_solutions"] = [{"output_values": {"result": "cat", "mood": "good"}}]
    sync = post_tasks(api, body, skip_invalid_items=True)
    assert sync.status_code == 201, sync.text
    result = sync.json()
    assert sorted(result["items"]) == ["0", "2"]
    assert result["validation_errors"]["1"]["input_values.image"]["code"] == "VALUE_REQUIRED"
    assert result["validation_errors"]["1"]["input_values.imagis"]["code"] == "VALUE_NOT_ALLOWED"
    assert (
        result["validation_errors"]["3"]["known_solutions.0.output_values.mood"]["code"]
        == "VALUE_NOT_ALLOWED"
    )

    operation = post_tasks(api, body, async_mode=True, skip_invalid_items=True).json()
    assert operation["status"] == "SUCCESS"
    assert operation["details"]["success_count"] == 2 and operation["details"]["not_valid_count"] == 2
    log = api.get(f"/api/v1/operations/{operation['id']}/log").json()
    assert [entry["success"] for entry in log] == [True, False, True, False]
    assert log[1]["type"] == "TASK_VALIDATE" and "input_values.imagis" in log[1]["output"]
    assert log[1]["input"] == body[1]
    assert len(all_tasks(api, pool["id"])) == 4


def test_one_invalid_task_rejects_the_whole_batch(api: TestClient, pool: dict[str, Any]) -> None:
    body = image_tasks(pool["id"], 3, overlap=1)
    body[2]["input_values"]["image"] = "not a url"
    error = assert_error(post_tasks(api, body), 400, "VALIDATION_ERROR", "2")
    assert error["payload"]["2"]["input_values.image"]["code"] == "INVALID_URL_SYNTAX"

    operation = post_tasks(api, body, async_mode=True).json()
    assert operation["status"] == "FAIL"
    assert operation["details"] == {
        "total_count": 3,
        "valid_count": 2,
        "not_valid_count": 1,
        "success_count": 0,
        "failed_count": 3,
    }
    log = api.get(f"/api/v1/operations/{operation['id']}/log").json()
    assert [entry["success"] for entry in log] == [False, False, False]
    assert log[0]["output"] == {} and "input_values.image" in log[2]["output"]
    assert all_tasks(api, pool["id"]) == []


def test_a_single_task_answers_the_task_or_its_field_errors(api: TestClient, pool: dict[str, Any]) -> None:
    task = {"pool_id": pool["id"], "input_values": {"image": "https://img.example/1.png"}, "overlap": 4}
    created = api.post("/api/v1/tasks", json=task)
    assert created.status_code == 201 and created.json()["overlap"] == 4
    error = assert_error(
        api.post("/api/v1/tasks", json={**task, "overlap": None}), 400, "VALIDATION_ERROR", "overlap"
    )
    assert error["payload"]["overlap"]["code"] == "VALUE_REQUIRED"
    assert_error(
        api.post("/api/v1/tasks", json={**task, "infinite_overlap": True}), 400, "VALIDATION_ERROR", "overlap"
    )


def test_repeated_operation_id_creates_nothing(api: TestClient, pool: dict[str, Any]) -> None:
    operation_id = str(uuid.uuid4())
    first = post_tasks(
        api, image_tasks(pool["id"], 5), async_mode=True, allow_defaults=True, operation_id=operation_id
    )
    assert first.status_code == 202
    again = post_tasks(
        api, image_tasks(pool["id"], 5), async_mode=True, allow_defaults=True, operation_id=operation_id
    )
    assert_error(again, 409, "OPERATION_ALREADY_EXISTS")
    sync_again = post_tasks(api, image_tasks(pool["id"], 5), allow_defaults=True, operation_id=operation_id)
    assert_error(sync_again, 409, "OPERATION_ALREADY_EXISTS")
    assert len(all_tasks(api, pool["id"])) == 5


def test_open_pool_opens_it_when_the_tasks_are_in(api: TestClient, pool: dict[str, Any]) -> None:
    operation = post_tasks(
        api, image_tasks(pool["id"], 2), async_mode=True, allow_defaults=True, open_pool=True
    ).json()
    assert operation["status"] == "SUCCESS"
    assert api.get(f"/api/v1/pools/{pool['id']}").json()["status"] == "OPEN"
    log = api.get(f"/api/v1/operations/{operation['id']}/log").json()
    assert log[-1] == {"type": "POOL_OPEN", "input": {"pool_id": pool["id"]}, "success": True, "output": {}}


def test_ids_sort_in_creation_order_across_requests(api: TestClient, pool: dict[str, Any]) -> None:
    batches = [
        post_tasks(api, image_tasks(pool["id"], 20, start=20 * n), allow_defaults=True).json()
        for n in range(3)
    ]
    ids = [batch["items"][str(i)]["id"] for batch in batches for i in range(20)]
    assert ids == sorted(ids) and len(set(ids)) == 60
    middle = [batches[1]["items"][str(i)]["id"] for i in range(20)]
    page = api.get(
        "/api/v1/tasks",
        params={"pool_id": pool["id"], "id_gte": middle[0], "id_lte": middle[-1], "sort": "id"},
    )
    assert [task["id"] for task in page.json()["items"]] == middle


def test_search_filters_sort_and_paging(
    api: TestClient, pool: dict[str, Any], project: dict[str, Any]
) -> None:
    post_tasks(api, image_tasks(pool["id"], 6, overlap=1))
    post_tasks(api, image_tasks(pool["id"], 4, overlap=5))
    other = api.post("/api/v1/pools", json=pool_body(project["id"])).json()
    post_tasks(api, image_tasks(other["id"], 3, overlap=1))
    find = lambda **params: api.get("/api/v1/tasks", params=params).json()  # noqa: E731
    assert len(find(pool_id=pool["id"], overlap=5)["items"]) == 4
    assert len(find(pool_id=pool["id"], overlap_lt=5)["items"]) == 6
    first = find(pool_id=pool["id"], limit=4)
    assert len(first["items"]) == 4 and first["has_more"] is True
    rest = find(pool_id=pool["id"], id_gt=first["items"][-1]["id"])
    assert len(rest["items"]) == 6 and rest["has_more"] is False
    descending = find(pool_id=pool["id"], sort="-id")["items"]
    assert [task["id"] for task in descending] == sorted((task["id"] for task in descending), reverse=True)
    assert len(find()["items"]) == 13
    assert_error(api.get("/api/v1/tasks", params={"limit": 100_001}), 400, "VALIDATION_ERROR", "limit")


def test_patch_and_set_overlap(api: TestClient, pool: dict[str, Any]) -> None:
    task = post_tasks(api, image_tasks(pool["id"], 1, overlap=2)).json()["items"]["0"]
    url = f"/api/v1/tasks/{task['id']}"
    baseline = [{"output_values": {"result": "dog"}, "confidence_weight": 0.7}]
    patched = api.patch(url, json={"overlap": 5, "baseline_solutions": baseline})
    assert patched.status_code == 200, patched.text
    assert patched.json() == {**task, "overlap": 5, "remaining_overlap": 5, "baseline_solutions": baseline}
    bad = api.patch(url, json={"baseline_solutions": [{"output_values": {"result": "horse"}}]})
    assert_error(bad, 400, "VALIDATION_ERROR", "baseline_solutions.0.output_values.result")
    infinite = api.patch(f"{url}/set-overlap-or-min", json={"infinite_overlap": True}).json()
    assert infinite["infinite_overlap"] is True and "overlap" not in infinite
    assert api.patch(f"{url}/set-overlap-or-min", json={"overlap": 10}).json()["overlap"] == 10
    assert_error(api.patch(f"{url}/set-overlap-or-min", json={}), 400, "VALIDATION_ERROR", "overlap")
    assert_error(api.patch(url, json={"overlap": 0}), 400, "VALIDATION_ERROR", "overlap")
    assert_error(api.patch("/api/v1/tasks/nope", json={"overlap": 1}), 404, "DOES_NOT_EXIST")


def test_training_and_zero_reward_pools_take_only_tasks_with_answers(
    api: TestClient, project: dict[str, Any]
) -> None:
    training = api.post("/api/v1/trainings", json=training_body(project["id"])).json()
    free = pool_body(project["id"], reward_per_assignment=0, mixer_config=mixer(real=0, golden=1))
    zero = api.post("/api/v1/pools", json=free).json()
    for pool_id in (training["id"], zero["id"]):
        error = assert_error(
            post_tasks(api, image_tasks(pool_id, 1, overlap=1)), 400, "VALIDATION_ERROR", "0"
        )
        assert "known_solutions" in error["payload"]["0"]
        answered = image_tasks(pool_id, 1, known_solutions=[{"output_values": {"result": "dog"}}])
        assert post_tasks(api, answered).status_code == 201


def test_limits_per_mode(api: TestClient, pool: dict[str, Any]) -> None:
    small = [{"pool_id": pool["id"], "input_values": {}}]
    assert_error(post_tasks(api, small * 5001), 400, "VALIDATION_ERROR", "body")
    assert_error(post_tasks(api, small * 100_001, async_mode=True), 400, "VALIDATION_ERROR", "body")
    assert_error(post_tasks(api, []), 400, "VALIDATION_ERROR", "body")
    assert all_tasks(api, pool["id"]) == []


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'[{"pool_id": ', "JSON_EXPECTED"),
        (b'"tasks"', "OBJECT_EXPECTED"),
        (b"42", "OBJECT_EXPECTED"),
        (b"", "JSON_EXPECTED"),
    ],
)
def test_bodies_that_are_not_tasks(api: TestClient, pool: dict[str, Any], content: bytes, code: str) -> None:
    for mode in ("true", "false"):
        response = api.post(
            f"/api/v1/tasks?async_mode={mode}", content=content, headers={"Content-Type": "application/json"}
        )
        assert assert_error(response, 400, "VALIDATION_ERROR", "body")["payload"]["body"]["code"] == code
    assert api.get("/api/v1/operations").json()["items"] == []


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"pool_id": 1.5}, "pool_id", "STRING_EXPECTED"),
        ({"input_values": "x"}, "input_values", "OBJECT_EXPECTED"),
        ({"input_values": {"image": 5}}, "input_values.image", "STRING_EXPECTED"),
        (
            {"input_values": {"image": "https://a.b/c", "note": "x" * 101}},
            "input_values.note",
            "STRING_LENGTH_GREATER_THAN_MAX",
        ),
        ({"overlap": "3"}, "overlap", "INTEGER_EXPECTED"),
        (
            {"known_solutions": [{"output_values": {"result": "cat"}, "correctness_weight": 2}]},
            "known_solutions.0.correctness_weight",
            "VALUE_GREATER_THAN_MAX",
        ),
        (
            {"known_solutions": [{"output_values": {}}]},
            "known_solutions.0.output_values.result",
            "VALUE_REQUIRED",
        ),
        (
            {"known_solutions": [{"output_values": {"result": "cow"}}]},
            "known_solutions.0.output_values.result",
            "VALUE_NOT_ALLOWED",
        ),
        ({"reserved_for": "worker"}, "reserved_for", "ARRAY_EXPECTED"),
        ({"pool_id": "99999"}, "pool_id", "ENTITY_DOES_NOT_EXIST"),
    ],
)
def test_invalid_tasks_name_the_field(
    api: TestClient, pool: dict[str, Any], change: dict[str, Any], path: str, code: str
) -> None:
    task = {**image_tasks(pool["id"], 1, overlap=1)[0], **change}
    error = assert_error(post_tasks(api, task), 400, "VALIDATION_ERROR", path)
    assert error["payload"][path]["code"] == code
    assert all_tasks(api, pool["id"]) == []


def test_non_uuid_operation_id(api: TestClient, pool: dict[str, Any]) -> None:
    response = post_tasks(api, image_tasks(pool["id"], 1, overlap=1), async_mode=True, operation_id="abc")
    assert_error(response, 400, "VALIDATION_ERROR", "operation_id")
    assert_error(post_tasks(api, [], colour="red"), 400, "VALIDATION_ERROR", "colour")


def test_other_requesters_and_archived_pools(
    api: TestClient, other_api: TestClient, pool: dict[str, Any]
) -> None:
    error = assert_error(
        post_tasks(other_api, image_tasks(pool["id"], 1, overlap=1)), 400, "VALIDATION_ERROR", "0"
    )
    assert error["payload"]["0"]["pool_id"]["code"] == "ENTITY_DOES_NOT_EXIST"
    task = post_tasks(api, image_tasks(pool["id"], 1, overlap=1)).json()["items"]["0"]
    assert_error(other_api.get(f"/api/v1/tasks/{task['id']}"), 404, "DOES_NOT_EXIST")
    assert other_api.get("/api/v1/tasks").json()["items"] == []
    api.post(f"/api/v1/pools/{pool['id']}/archive")
    error = assert_error(post_tasks(api, image_tasks(pool["id"], 1, overlap=1)), 400, "VALIDATION_ERROR", "0")
    assert "archived" in error["payload"]["0"]["pool_id"]["message"]
    assert_error(api.patch(f"/api/v1/tasks/{task['id']}", json={"overlap": 3}), 409, "CONFLICT_STATE")


def test_task_quota_counts_tasks(api: TestClient, ctx: Context, pool: dict[str, Any]) -> None:
    ctx.settings.quota_task_create_per_minute = 10
    assert post_tasks(api, image_tasks(pool["id"], 6, overlap=1)).status_code == 201
    body = assert_error(
        post_tasks(api, image_tasks(pool["id"], 5, overlap=1), async_mode=True), 429, "TOO_MANY_REQUESTS"
    )
    assert body["payload"]["quota"] == "task_create_per_minute"
    assert post_tasks(api, image_tasks(pool["id"], 4, overlap=1)).status_code == 201
    assert len(all_tasks(api, pool["id"])) == 10


def test_openapi_documents_the_answers(app_client: TestClient) -> None:
    paths = app_client.get("/openapi.json").json()["paths"]
    documented = {
        ("/api/v1/tasks", "get"): "PageOut_TaskOut_",
        ("/api/v1/tasks/{task_id}", "get"): "TaskOut",
        ("/api/v1/task-suites", "get"): "PageOut_TaskSuiteOut_",
        ("/api/v1/task-suites/{suite_id}", "get"): "TaskSuiteOut",
        ("/api/v1/operations", "get"): "PageOut_OperationOut_",
        ("/api/v1/operations/{operation_id}", "get"): "OperationOut",
    }
    for (path, method), model in documented.items():
        schema = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}, path
    log = paths["/api/v1/operations/{operation_id}/log"]["get"]["responses"]["200"]["content"]
    assert log["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/OperationLogItem"}
    created = paths["/api/v1/tasks"]["post"]["responses"]
    assert created["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OperationOut"
    }
