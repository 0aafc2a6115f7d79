import pytest
from fastapi.testclient import TestClient

from tests.helpers import assert_error, example_project_body, pool_body, project_body, with_value, without


def test_create_and_read_back(api: TestClient) -> None:
    response = api.post("/api/v1/projects", json=example_project_body())
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "ACTIVE"
    assert created["owner"]["myself"] is True
    assert created["task_spec"] == example_project_body()["task_spec"]
    assert api.get(f"/api/v1/projects/{created['id']}").json() == created


def test_template_builder_view_is_kept_verbatim(api: TestClient) -> None:
    view = {
        "type": "tb",
        "config": '{"view": {"type": "view.text"}}',
        "lock": {"core": "1.0.0"},
        "inferDataSpec": False,
    }
    body = with_value(project_body(), "task_spec.view_spec", view)
    created = api.post("/api/v1/projects", json=body).json()
    assert created["task_spec"]["view_spec"] == view


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (
            "task_spec.input_spec.n",
            {"type": "integer", "min_value": 1, "max_value": 5, "allowed_values": [1, 2]},
        ),
        ("task_spec.input_spec.f", {"type": "float", "min_value": 0.5, "max_value": 2.5}),
        ("task_spec.input_spec.b", {"type": "boolean", "allowed_values": [True]}),
        ("task_spec.input_spec.s", {"type": "string", "min_length": 1, "max_length": 9, "pattern": "^a.*$"}),
        ("task_spec.input_spec.c", {"type": "coordinates", "current_location": True}),
        ("task_spec.input_spec.j", {"type": "json"}),
        ("task_spec.input_spec.fi", {"type": "file"}),
        ("task_spec.input_spec.a", {"type": "array_string", "min_size": 1, "max_size": 3, "max_length": 5}),
        ("task_spec.input_spec.ai", {"type": "array_integer", "min_value": 0, "allowed_values": [0, 1]}),
        ("task_spec.input_spec.au", {"type": "array_url", "max_size": 10}),
        ("task_spec.input_spec.ac", {"type": "array_coordinates", "current_location": False}),
    ],
)
def test_every_field_type_is_accepted(api: TestClient, path: str, value: dict[str, object]) -> None:
    created = api.post("/api/v1/projects", json=with_value(project_body(), path, value))
    assert created.status_code == 201, created.text
    stored = created.json()["task_spec"]["input_spec"][path.rsplit(".", 1)[1]]
    assert stored == {"required": True, "hidden": False, **value}


@pytest.mark.parametrize(
    ("body_change", "code", "path"),
    [
        (("public_name", None), "VALUE_REQUIRED", "public_name"),
        (("public_description", None), "VALUE_REQUIRED", "public_description"),
        (("task_spec", None), "VALUE_REQUIRED", "task_spec"),
        (("task_spec.output_spec", {}), "ARRAY_SIZE_LESS_THAN_MIN", "task_spec.output_spec"),
        (
            ("task_spec.input_spec.image.type", "picture"),
            "UNKNOWN_ENUM_VALUE",
            "task_spec.input_spec.image.type",
        ),
        (
            ("task_spec.input_spec.image.required", "yes"),
            "BOOLEAN_EXPECTED",
            "task_spec.input_spec.image.required",
        ),
        (("task_spec.input_spec.image.min_length", 3), "VALUE_NOT_ALLOWED", "task_spec.input_spec.image"),
        (("task_spec.input_spec.note.min_length", 500), "VALUE_OUT_OF_BOUNDS", "task_spec.input_spec.note"),
        (
            ("task_spec.input_spec.note.pattern", "(["),
            "INVALID_REGEX_SYNTAX",
            "task_spec.input_spec.note.pattern",
        ),
        (("task_spec.output_spec.result.hidden", True), "VALUE_NOT_ALLOWED", "task_spec.output_spec"),
        (
            ("task_spec.output_spec.result.allowed_values", ["cat", 1]),
            "VALUE_NOT_ALLOWED",
            "task_spec.output_spec.result",
        ),
        (
            ("task_spec.output_spec.result.allowed_values", ["a", "a"]),
            "DUPLICATE_VALUE_IN_ARRAY",
            "task_spec.output_spec.result",
        ),
        (("task_spec.view_spec.type", "html"), "UNKNOWN_ENUM_VALUE", "task_spec.view_spec.type"),
        (
            ("task_spec.view_spec", {"type": "tb", "config": "{not json", "lock": {}}),
            "JSON_EXPECTED",
            "task_spec.view_spec",
        ),
        (("task_spec.view_spec", {"type": "tb", "config": "{}"}), "VALUE_REQUIRED", "task_spec.view_spec"),
        (("assignments_issuing_type", "MAP_SELECTOR"), "VALUE_REQUIRED", "body"),
        (("max_active_assignments_count", 0), "VALUE_LESS_THAN_MIN", "max_active_assignments_count"),
    ],
)
def test_invalid_projects_are_rejected_with_the_field_named(
    api: TestClient, body_change: tuple[str, object], code: str, path: str
) -> None:
    field, value = body_change
    example = example_project_body()
    body = without(example, field) if value is None else with_value(example, field, value)
    response = api.post("/api/v1/projects", json=body)
    error = assert_error(response, 400, "VALIDATION_ERROR", path)
    assert error["payload"][path]["code"] == code
    assert api.get("/api/v1/projects").json()["items"] == []


def test_update_replaces_settings_and_ignores_read_only_fields(api: TestClient) -> None:
    created = api.post("/api/v1/projects", json=project_body()).json()
    echoed = {**created, "public_name": "Renamed", "status": "ARCHIVED", "id": "999", "unknown_key": 1}
    updated = api.put(f"/api/v1/projects/{created['id']}", json=echoed)
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**created, "public_name": "Renamed"}


def test_archive_needs_archived_pools_and_freezes_the_project(api: TestClient) -> None:
    project = api.post("/api/v1/projects", json=project_body()).json()
    pool = api.post("/api/v1/pools", json=pool_body(project["id"])).json()
    assert_error(api.post(f"/api/v1/projects/{project['id']}/archive"), 409, "CONFLICT_STATE")
    assert api.post(f"/api/v1/pools/{pool['id']}/archive").status_code == 202
    operation = api.post(f"/api/v1/projects/{project['id']}/archive")
    assert operation.status_code == 202
    assert operation.json()["type"] == "PROJECT.ARCHIVE"
    assert operation.json()["parameters"] == {"project_id": project["id"]}
    assert api.get(f"/api/v1/projects/{project['id']}").json()["status"] == "ARCHIVED"
    assert_error(api.put(f"/api/v1/projects/{project['id']}", json=project_body()), 409, "CONFLICT_STATE")
    assert_error(api.post("/api/v1/pools", json=pool_body(project["id"])), 409, "CONFLICT_STATE")


def test_another_requesters_project_does_not_exist(api: TestClient, other_api: TestClient) -> None:
    project = api.post("/api/v1/projects", json=project_body()).json()
    assert_error(other_api.get(f"/api/v1/projects/{project['id']}"), 404, "DOES_NOT_EXIST")
    assert_error(
        other_api.put(f"/api/v1/projects/{project['id']}", json=project_body()), 404, "DOES_NOT_EXIST"
    )
    assert other_api.get("/api/v1/projects").json() == {"items": [], "has_more": False}
    assert_error(
        other_api.post("/api/v1/pools", json=pool_body(project["id"])), 400, "VALIDATION_ERROR", "project_id"
    )
