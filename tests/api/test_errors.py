import pytest
from fastapi.testclient import TestClient

from tests.helpers import assert_error, pool_body, project_body


def test_requester_is_the_token_owner(api: TestClient) -> None:
    body = api.get("/api/v1/requester").json()
    assert body["public_name"] == {"EN": "alice"}
    assert body["company"]["id"] == body["id"]


@pytest.mark.parametrize("scheme", ["OAuth", "ApiKey", "oauth"])
def test_both_token_schemes_work(app_client: TestClient, token: str, scheme: str) -> None:
    response = app_client.get("/api/v1/requester", headers={"Authorization": f"{scheme} {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("header", [None, "OAuth", "OAuth wrong", "Bearer x", "Basic abc"])
def test_missing_or_bad_token_is_401(app_client: TestClient, token: str, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    assert_error(app_client.get("/api/v1/projects", headers=headers), 401, "AUTHENTICATION_ERROR")


def test_acting_under_another_account_is_denied(api: TestClient) -> None:
    response = api.get("/api/v1/requester", headers={"X-Act-Under-Account-ID": "12345"})
    assert_error(response, 403, "ACCESS_DENIED")


def test_unknown_path_and_method(api: TestClient) -> None:
    assert_error(api.get("/api/v1/nothing-here"), 404, "DOES_NOT_EXIST")
    assert_error(api.get("/api/v1/pools/abc"), 404, "DOES_NOT_EXIST")
    assert_error(api.delete("/api/v1/pools"), 405, "METHOD_NOT_ALLOWED")


def test_malformed_json_is_a_validation_error(api: TestClient) -> None:
    response = api.post(
        "/api/v1/projects", content=b'{"public_name": ', headers={"Content-Type": "application/json"}
    )
    body = assert_error(response, 400, "VALIDATION_ERROR")
    assert "JSON" in body["message"]


@pytest.mark.parametrize("payload", [b"", b"null", b"[]", b'"text"'])
def test_a_body_that_is_not_an_object_is_rejected(api: TestClient, payload: bytes) -> None:
    response = api.post("/api/v1/projects", content=payload, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "VALIDATION_ERROR")
    assert api.get("/api/v1/projects").json()["items"] == []


def test_too_large_body_is_413_and_writes_nothing(api: TestClient) -> None:
    limit = api.app.state.context.settings.max_body_bytes  # type: ignore[attr-defined]
    huge = project_body(public_instructions="x" * (limit + 1))
    assert_error(api.post("/api/v1/projects", json=huge), 413, "PAYLOAD_TOO_LARGE")

    def chunks() -> object:
        yield b'{"public_name": "'
        yield b"x" * (limit + 1)
        yield b'"}'

    response = api.post("/api/v1/projects", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert api.get("/api/v1/projects").json()["items"] == []


def test_wrong_state_is_409(api: TestClient) -> None:
    project = api.post("/api/v1/projects", json=project_body()).json()
    pool = api.post("/api/v1/pools", json=pool_body(project["id"])).json()
    api.post(f"/api/v1/pools/{pool['id']}/open")
    assert_error(api.post(f"/api/v1/pools/{pool['id']}/archive"), 409, "CONFLICT_STATE")


def test_openapi_documents_the_bodies(app_client: TestClient) -> None:
    document = app_client.get("/openapi.json").json()
    body = document["paths"]["/api/v1/pools"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PoolIn"}
    assert "mixer_config" in document["components"]["schemas"]["PoolIn"]["properties"]
    parameters = {p["name"] for p in document["paths"]["/api/v1/pools"]["get"]["parameters"]}
    assert {"status", "project_id", "id_gt", "created_lte", "sort", "limit"} <= parameters
    assert app_client.get("/docs").status_code == 200


def test_the_request_id_is_in_the_log_line(api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="kvorum.access"):
        response = api.get("/api/v1/pools/77")
    request_id = response.headers["x-request-id"]
    assert response.json()["request_id"] == request_id
    lines = [record.getMessage() for record in caplog.records if record.name == "kvorum.access"]
    assert any(f"request_id={request_id} GET /api/v1/pools/77 404" in line for line in lines), lines
