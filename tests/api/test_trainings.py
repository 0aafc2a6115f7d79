from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import (
    assert_error,
    example_training_body,
    pool_body,
    training_body,
    training_requirement,
    without,
)


def test_reference_training_round_trip(api: TestClient, project: dict[str, Any]) -> None:
    body = example_training_body(project["id"])
    response = api.post("/api/v1/trainings", json=body)
    assert response.status_code == 201, response.text
    training = response.json()
    assert training["status"] == "CLOSED" and "type" not in training
    assert {key: training[key] for key in body} == body
    assert api.get(f"/api/v1/trainings/{training['id']}").json() == training
    as_pool = api.get(f"/api/v1/pools/{training['id']}").json()
    assert as_pool["type"] == "TRAINING"
    assert api.get("/api/v1/pools").json()["items"] == []
    assert [item["id"] for item in api.get("/api/v1/trainings").json()["items"]] == [training["id"]]


def test_training_lifecycle_and_clone(api: TestClient, project: dict[str, Any]) -> None:
    training = api.post("/api/v1/trainings", json=training_body(project["id"])).json()
    url = f"/api/v1/trainings/{training['id']}"
    assert api.post(f"{url}/open").json()["type"] == "TRAINING.OPEN"
    assert api.post(f"{url}/open").status_code == 204
    assert api.post(f"{url}/close").json()["type"] == "TRAINING.CLOSE"
    assert api.post(f"{url}/close-for-update").status_code == 404
    operation = api.post(f"{url}/clone").json()
    assert operation["type"] == "TRAINING.CLONE"
    assert operation["parameters"] == {"training_id": training["id"]}
    clone = api.get(f"/api/v1/trainings/{operation['details']['training_id']}").json()
    assert clone["private_name"] == training["private_name"] and clone["status"] == "CLOSED"
    assert api.post(f"{url}/archive").json()["type"] == "TRAINING.ARCHIVE"
    assert_error(api.put(url, json=training_body(project["id"])), 409, "CONFLICT_STATE")


def test_a_training_required_by_a_pool_cannot_be_archived(api: TestClient, project: dict[str, Any]) -> None:
    training = api.post("/api/v1/trainings", json=training_body(project["id"])).json()
    qc = {"training_requirement": training_requirement(training["id"], 70)}
    pool = api.post("/api/v1/pools", json=pool_body(project["id"], quality_control=qc)).json()
    assert_error(api.post(f"/api/v1/trainings/{training['id']}/archive"), 409, "CONFLICT_STATE")
    api.post(f"/api/v1/pools/{pool['id']}/archive")
    assert api.post(f"/api/v1/trainings/{training['id']}/archive").status_code == 202


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("project_id", None, "VALUE_REQUIRED"),
        ("private_name", None, "VALUE_REQUIRED"),
        ("may_contain_adult_content", None, "VALUE_REQUIRED"),
        ("training_tasks_in_task_suite_count", None, "VALUE_REQUIRED"),
        ("training_tasks_in_task_suite_count", 0, "VALUE_LESS_THAN_MIN"),
        ("task_suites_required_to_pass", 0, "VALUE_LESS_THAN_MIN"),
        ("retry_training_after_days", "7", "INTEGER_EXPECTED"),
        ("assignment_max_duration_seconds", 0, "VALUE_LESS_THAN_MIN"),
    ],
)
def test_invalid_trainings(
    api: TestClient, project: dict[str, Any], path: str, value: object, code: str
) -> None:
    body = (
        without(training_body(project["id"]), path)
        if value is None
        else training_body(project["id"], **{path: value})
    )
    error = assert_error(api.post("/api/v1/trainings", json=body), 400, "VALIDATION_ERROR", path)
    assert error["payload"][path]["code"] == code
    assert api.get("/api/v1/trainings").json()["items"] == []


def test_training_cannot_be_updated_through_pools(api: TestClient, project: dict[str, Any]) -> None:
    training = api.post("/api/v1/trainings", json=training_body(project["id"])).json()
    assert_error(
        api.put(f"/api/v1/pools/{training['id']}", json=pool_body(project["id"])), 404, "DOES_NOT_EXIST"
    )
    assert_error(api.post(f"/api/v1/pools/{training['id']}/open"), 404, "DOES_NOT_EXIST")
