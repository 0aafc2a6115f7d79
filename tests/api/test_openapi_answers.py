"""/openapi.json describes what every requester and worker route answers."""

from typing import Any

from fastapi.testclient import TestClient

SUCCESS = ("200", "201", "202")


def _schema_of(operation: dict[str, Any]) -> dict[str, Any] | None:
    for status in SUCCESS:
        content = operation.get("responses", {}).get(status, {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        if schema:
            return dict(schema)
    return None


def _fields(document: dict[str, Any], schema: Any, seen: frozenset[str] = frozenset()) -> set[str]:
    """Every property name the schema declares, through references, unions and arrays."""
    if not isinstance(schema, dict):
        return set()
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return set()
        return _fields(document, document["components"]["schemas"][name], seen | {name})
    found = set(schema.get("properties", {}))
    for value in schema.get("properties", {}).values():
        found |= _fields(document, value, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found |= _fields(document, part, seen)
    for key in ("items", "additionalProperties"):
        found |= _fields(document, schema.get(key), seen)
    return found


def _answer(document: dict[str, Any], path: str, method: str = "get") -> set[str]:
    return _fields(document, _schema_of(document["paths"][path][method]))


def test_every_answer_has_a_schema(app_client: TestClient) -> None:
    document = app_client.get("/openapi.json").json()
    missing = []
    for path, operations in document["paths"].items():
        if not path.startswith(("/api/v1/", "/api/worker/v1/")):
            continue
        for method, operation in operations.items():
            answers_a_body = set(operation.get("responses", {})) & set(SUCCESS)
            schema = _schema_of(operation)
            described = schema is not None and (_fields(document, schema) or schema.get("type") == "array")
            if answers_a_body and not described:
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_answers_are_described_field_by_field(app_client: TestClient) -> None:
    document = app_client.get("/openapi.json").json()
    pool = _answer(document, "/api/v1/pools/{pool_id}")
    assert {"id", "project_id", "status", "created", "owner", "mixer_config", "quality_control"} <= pool
    assert {"items", "has_more", "input_values", "overlap"} <= _answer(document, "/api/v1/tasks")
    assert {"status", "details", "finished"} <= _answer(document, "/api/v1/operations/{operation_id}")
    assignment = _answer(document, "/api/v1/assignments/{assignment_id}")
    assert {"user_id", "solutions", "tasks", "known_solutions"} <= assignment


def test_workers_answers_have_no_place_for_answers(app_client: TestClient) -> None:
    document = app_client.get("/openapi.json").json()
    worker_paths = [path for path in document["paths"] if path.startswith("/api/worker/v1/")]
    assert len(worker_paths) >= 5
    for path in worker_paths:
        for method in document["paths"][path]:
            fields = _answer(document, path, method)
            assert not fields & {"known_solutions", "message_on_unknown_solution", "user_id"}, path
    assert {"id", "pool_id", "status", "tasks", "input_values"} <= _answer(
        document, "/api/worker/v1/assignments/{assignment_id}"
    )
