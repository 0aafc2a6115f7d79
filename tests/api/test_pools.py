import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from tests.helpers import (
    assert_error,
    example_pool_body,
    mixer,
    pool_body,
    project_body,
    training_body,
    training_requirement,
    with_value,
    without,
)


def create_pool(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/v1/pools", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_reference_pool_is_created_with_every_setting(
    api: TestClient, project: dict[str, Any], training: dict[str, Any], skill: dict[str, Any]
) -> None:
    body = example_pool_body(project["id"], training["id"], skill["id"])
    pool = create_pool(api, body)
    assert pool["status"] == "CLOSED"
    assert pool["type"] == "REGULAR"
    assert pool["owner"] == {"id": pool["owner"]["id"], "myself": True, "company_id": pool["owner"]["id"]}
    assert "last_close_reason" not in pool
    assert pool["will_expire"] == body.pop("will_expire") + ".000"
    configs = pool["quality_control"]["configs"]
    uuids = [config["collector_config"].pop("uuid") for config in configs]
    assert len(set(uuids)) == len(configs) and all(uuid.UUID(marker) for marker in uuids)  # each gets one
    for key, value in body.items():
        assert pool[key] == value, key
    for config, marker in zip(configs, uuids, strict=True):
        config["collector_config"]["uuid"] = marker
    assert api.get(f"/api/v1/pools/{pool['id']}").json() == pool


def test_will_expire_accepts_minutes_and_offsets_and_returns_naive_utc(
    api: TestClient, project: dict[str, Any]
) -> None:
    minutes = create_pool(api, pool_body(project["id"], will_expire="2040-09-01T13:00"))
    assert minutes["will_expire"] == "2040-09-01T13:00:00.000"
    offset = create_pool(api, pool_body(project["id"], will_expire="2040-09-01T16:00:00+03:00"))
    assert offset["will_expire"] == "2040-09-01T13:00:00.000"


def test_lifecycle_open_close_archive(api: TestClient, project: dict[str, Any], clock: SettableClock) -> None:
    pool = create_pool(api, pool_body(project["id"]))
    url = f"/api/v1/pools/{pool['id']}"

    opened = api.post(f"{url}/open")
    assert opened.status_code == 202
    operation = opened.json()
    assert operation["type"] == "POOL.OPEN" and operation["status"] == "SUCCESS"
    assert operation["parameters"] == {"pool_id": pool["id"]}
    assert api.get(f"/api/v1/operations/{operation['id']}").json() == operation
    state = api.get(url).json()
    assert state["status"] == "OPEN" and state["last_started"] == operation["finished"]
    assert api.post(f"{url}/open").status_code == 204
    assert_error(api.post(f"{url}/archive"), 409, "CONFLICT_STATE")

    closed = api.post(f"{url}/close-for-update")
    assert closed.status_code == 202 and closed.json()["type"] == "POOL.CLOSE"
    state = api.get(url).json()
    assert (state["status"], state["last_close_reason"]) == ("CLOSED", "FOR_UPDATE")
    assert api.post(f"{url}/close").status_code == 204

    assert api.post(f"{url}/open").status_code == 202
    assert api.post(f"{url}/close").status_code == 202
    assert api.get(url).json()["last_close_reason"] == "MANUAL"

    archived = api.post(f"{url}/archive")
    assert archived.status_code == 202 and archived.json()["type"] == "POOL.ARCHIVE"
    assert api.post(f"{url}/archive").status_code == 204
    assert api.post(f"{url}/close").status_code == 204
    assert_error(api.post(f"{url}/open"), 409, "CONFLICT_STATE")
    assert_error(api.put(url, json=pool_body(project["id"])), 409, "CONFLICT_STATE")
    assert_error(api.patch(url, json={"priority": 5}), 409, "CONFLICT_STATE")
    assert api.get(url).json()["status"] == "ARCHIVED"


def test_an_expired_pool_cannot_be_opened(
    api: TestClient, project: dict[str, Any], clock: SettableClock
) -> None:
    pool = create_pool(api, pool_body(project["id"], will_expire="2030-01-01T12:30:00"))
    clock.advance(timedelta(hours=1))
    assert_error(api.post(f"/api/v1/pools/{pool['id']}/open"), 409, "CONFLICT_STATE")
    assert api.get(f"/api/v1/pools/{pool['id']}").json()["status"] == "CLOSED"


def test_update_patch_and_clone(api: TestClient, project: dict[str, Any]) -> None:
    pool = create_pool(api, pool_body(project["id"]))
    url = f"/api/v1/pools/{pool['id']}"
    changed = {**pool, "private_name": "Renamed", "reward_per_assignment": 0.05, "status": "OPEN", "id": "1"}
    updated = api.put(url, json=changed)
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**pool, "private_name": "Renamed", "reward_per_assignment": 0.05}

    patched = api.patch(url, json={"priority": -20})
    assert patched.status_code == 200 and patched.json()["priority"] == -20
    assert_error(api.patch(url, json={"priority": 101}), 400, "VALIDATION_ERROR", "priority")

    operation = api.post(f"{url}/clone")
    assert operation.status_code == 202
    assert operation.json()["type"] == "POOL.CLONE"
    assert operation.json()["parameters"] == {"pool_id": pool["id"]}
    clone_id = operation.json()["details"]["pool_id"]
    clone = api.get(f"/api/v1/pools/{clone_id}").json()
    assert clone_id != pool["id"] and clone["status"] == "CLOSED"
    ignored = {"id", "created"}
    assert {k: v for k, v in clone.items() if k not in ignored} == {
        k: v for k, v in patched.json().items() if k not in ignored
    }


def test_a_pool_cannot_move_to_another_project(api: TestClient, project: dict[str, Any]) -> None:
    pool = create_pool(api, pool_body(project["id"]))
    other = api.post("/api/v1/projects", json=project_body()).json()
    response = api.put(f"/api/v1/pools/{pool['id']}", json=pool_body(other["id"]))
    assert_error(response, 400, "VALIDATION_ERROR", "project_id")


INVALID = [
    ("project_id", None, "VALUE_REQUIRED"),
    ("private_name", None, "VALUE_REQUIRED"),
    ("may_contain_adult_content", None, "VALUE_REQUIRED"),
    ("will_expire", None, "VALUE_REQUIRED"),
    ("reward_per_assignment", None, "VALUE_REQUIRED"),
    ("assignment_max_duration_seconds", None, "VALUE_REQUIRED"),
    ("defaults", None, "VALUE_REQUIRED"),
    ("defaults.default_overlap_for_new_task_suites", None, "VALUE_REQUIRED"),
    ("will_expire", "next tuesday", "INVALID_DATE_TIME_SYNTAX"),
    ("may_contain_adult_content", "no", "BOOLEAN_EXPECTED"),
    ("private_name", 5, "STRING_EXPECTED"),
    ("reward_per_assignment", "0.02", "FLOAT_EXPECTED"),
    ("reward_per_assignment", 0.004, "VALUE_LESS_THAN_MIN"),
    ("reward_per_assignment", -1, "VALUE_LESS_THAN_MIN"),
    ("assignment_max_duration_seconds", 1.5, "INTEGER_EXPECTED"),
    ("auto_accept_period_day", 0, "VALUE_LESS_THAN_MIN"),
    ("auto_accept_period_day", 22, "VALUE_GREATER_THAN_MAX"),
    ("auto_close_after_complete_delay_seconds", -1, "VALUE_LESS_THAN_MIN"),
    ("auto_close_after_complete_delay_seconds", 259_201, "VALUE_GREATER_THAN_MAX"),
    ("priority", 101, "VALUE_GREATER_THAN_MAX"),
    ("dynamic_pricing_config.type", "PRICE", "UNKNOWN_ENUM_VALUE"),
    ("dynamic_pricing_config.skill_id", None, "VALUE_REQUIRED"),
    ("dynamic_pricing_config.intervals.0.to", 101, "VALUE_GREATER_THAN_MAX"),
    ("dynamic_pricing_config.intervals.0.reward_per_assignment", 0.001, "VALUE_LESS_THAN_MIN"),
    ("dynamic_pricing_config.intervals.1.from", 60, "VALUE_OUT_OF_BOUNDS"),
    ("dynamic_pricing_config.intervals.0.from", 70, "VALUE_OUT_OF_BOUNDS"),
    ("dynamic_overlap_config.max_overlap", 3, "VALUE_LESS_THAN_MIN"),
    ("dynamic_overlap_config.max_overlap", 30_001, "VALUE_GREATER_THAN_MAX"),
    ("dynamic_overlap_config.min_confidence", 1.5, "VALUE_GREATER_THAN_MAX"),
    ("dynamic_overlap_config.fields.0.name", "colour", "INVALID_VALUE"),
    ("dynamic_overlap_config.answer_weight_skill_id", None, "VALUE_REQUIRED"),
    ("mixer_config.min_real_tasks_count", 7, "VALUE_GREATER_THAN_MAX"),
    ("mixer_config.min_golden_tasks_count", 2, "VALUE_GREATER_THAN_MAX"),
    ("mixer_config.real_tasks_count", -1, "VALUE_LESS_THAN_MIN"),
    ("mixer_config.force_last_assignment_delay_seconds", 86_401, "VALUE_GREATER_THAN_MAX"),
    ("mixer_config.golden_task_distribution_function.window_days", 0, "VALUE_LESS_THAN_MIN"),
    ("mixer_config.golden_task_distribution_function.intervals.0.frequency", 0, "VALUE_LESS_THAN_MIN"),
    ("mixer_config.golden_task_distribution_function.scope", "WORLD", "UNKNOWN_ENUM_VALUE"),
    ("quality_control.checkpoints_config.real_settings.target_overlap", 0, "VALUE_LESS_THAN_MIN"),
    ("quality_control.captcha_frequency", "SOMETIMES", "UNKNOWN_ENUM_VALUE"),
    ("quality_control.configs.0.rules.0.conditions.0.operator", "ABOUT", "UNKNOWN_ENUM_VALUE"),
    ("speed_quality_balance.percent", 0, "VALUE_LESS_THAN_MIN"),
    ("speed_quality_balance.percent", 101, "VALUE_GREATER_THAN_MAX"),
    ("filter.and.0.or.0.operator", "GT", "VALUE_NOT_ALLOWED"),
]


@pytest.mark.parametrize(("path", "value", "code"), INVALID)
def test_invalid_pools_name_the_field_and_write_nothing(
    api: TestClient, project: dict[str, Any], path: str, value: object, code: str
) -> None:
    body = (
        without(example_pool_body(project["id"]), path)
        if value is None
        else with_value(example_pool_body(project["id"]), path, value)
    )
    error = assert_error(api.post("/api/v1/pools", json=body), 400, "VALIDATION_ERROR")
    matching = {
        key: entry for key, entry in error["payload"].items() if key.startswith(path.rsplit(".", 1)[0])
    }
    assert any(entry["code"] == code for entry in matching.values()), error
    assert api.get("/api/v1/pools").json()["items"] == []


def test_every_problem_is_reported_at_once(api: TestClient, project: dict[str, Any]) -> None:
    body = with_value(pool_body(project["id"]), "auto_accept_period_day", 30)
    body = with_value(body, "priority", 500)
    error = assert_error(api.post("/api/v1/pools", json=body), 400, "VALIDATION_ERROR")
    assert {"auto_accept_period_day", "priority"} <= set(error["payload"])


def test_reward_zero_is_only_for_control_and_training_tasks(api: TestClient, project: dict[str, Any]) -> None:
    body = pool_body(project["id"], reward_per_assignment=0, mixer_config=mixer(real=2, golden=1))
    error = assert_error(
        api.post("/api/v1/pools", json=body), 400, "VALIDATION_ERROR", "reward_per_assignment"
    )
    assert "control and training" in error["payload"]["reward_per_assignment"]["message"]
    body["mixer_config"].update(real_tasks_count=0)
    assert api.post("/api/v1/pools", json=body).status_code == 201


def test_training_requirement_must_name_a_training_of_the_same_project(
    api: TestClient, project: dict[str, Any], training: dict[str, Any]
) -> None:
    path = "quality_control.training_requirement.training_pool_id"

    def required(training_id: str) -> dict[str, Any]:
        qc = {"training_requirement": training_requirement(training_id, 70)}
        return pool_body(project["id"], quality_control=qc)

    other_project = api.post("/api/v1/projects", json=project_body()).json()
    foreign = api.post("/api/v1/trainings", json=training_body(other_project["id"])).json()
    regular = create_pool(api, pool_body(project["id"]))
    for training_id, code in (
        (foreign["id"], "INVALID_VALUE"),
        (regular["id"], "ENTITY_DOES_NOT_EXIST"),
        ("9999", "ENTITY_DOES_NOT_EXIST"),
    ):
        error = assert_error(
            api.post("/api/v1/pools", json=required(training_id)),
            400,
            "VALIDATION_ERROR",
            path,
        )
        assert error["payload"][path]["code"] == code
    assert create_pool(api, required(training["id"]))["quality_control"]["training_requirement"] == {
        "training_pool_id": training["id"],
        "training_passing_skill_value": 70,
    }


def test_unknown_project_is_a_field_error(api: TestClient) -> None:
    error = assert_error(
        api.post("/api/v1/pools", json=pool_body("424242")), 400, "VALIDATION_ERROR", "project_id"
    )
    assert error["payload"]["project_id"]["code"] == "ENTITY_DOES_NOT_EXIST"


def test_another_requesters_pool_does_not_exist(
    api: TestClient, other_api: TestClient, project: dict[str, Any]
) -> None:
    pool = create_pool(api, pool_body(project["id"]))
    for method, suffix in (
        ("get", ""),
        ("post", "/open"),
        ("post", "/clone"),
        ("post", "/archive"),
        ("patch", ""),
    ):
        kwargs = {"json": {"priority": 1}} if method == "patch" else {}
        response = getattr(other_api, method)(f"/api/v1/pools/{pool['id']}{suffix}", **kwargs)
        assert_error(response, 404, "DOES_NOT_EXIST")
    assert api.get(f"/api/v1/pools/{pool['id']}").json() == pool
