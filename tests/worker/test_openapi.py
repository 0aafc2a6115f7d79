"""/openapi.json describes every answer of the worker API and of requester assignment routes."""

from typing import Any

from fastapi.testclient import TestClient

HIDDEN_FROM_WORKERS = {"known_solutions", "message_on_unknown_solution", "user_id"}


def _reachable(spec: dict[str, Any], node: Any, seen: set[str]) -> set[str]:
    """Names of the component schemas `node` refers to, directly or not."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                _reachable(spec, spec["components"]["schemas"][name], seen)
        for value in node.values():
            _reachable(spec, value, seen)
    elif isinstance(node, list):
        for value in node:
            _reachable(spec, value, seen)
    return seen


def _answers(spec: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The success answer's schema of each operation under `prefix`."""
    found = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path.startswith(prefix):
                code = next(code for code in operation["responses"] if code.startswith("2"))
                found[f"{method} {path}"] = operation["responses"][code]["content"]["application/json"][
                    "schema"
                ]
    return found


def test_every_answer_has_a_schema_and_workers_never_get_known_solutions(app_client: TestClient) -> None:
    spec = app_client.get("/openapi.json").json()
    worker = _answers(spec, "/api/worker/v1")
    requester = _answers(spec, "/api/v1/assignments")
    assert len(worker) == 6 and len(requester) == 3
    assert all(schema for schema in (*worker.values(), *requester.values()))

    names = _reachable(spec, list(worker.values()), set())
    assert {"WorkerAssignmentOut", "SubmittedAssignmentOut", "PoolOfferOut", "MeOut"} <= names
    for name in names:
        fields = set(spec["components"]["schemas"][name].get("properties", {}))
        assert not fields & HIDDEN_FROM_WORKERS, name
    assignment = spec["components"]["schemas"]["AssignmentOut"]["properties"]
    assert {"user_id", "tasks", "solutions", "owner"} <= set(assignment)
