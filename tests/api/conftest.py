"""Objects most API tests start from, created through the API as alice."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import pool_body, project_body, training_body


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def project(api: TestClient) -> dict[str, Any]:
    return created(api.post("/api/v1/projects", json=project_body()))


@pytest.fixture
def training(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return created(api.post("/api/v1/trainings", json=training_body(project["id"])))


@pytest.fixture
def pool(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    return created(api.post("/api/v1/pools", json=pool_body(project["id"])))
