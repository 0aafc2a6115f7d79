from datetime import timedelta

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from tests.helpers import assert_error, pool_body, project_body, training_body


def test_pool_creation_quota_per_minute_and_day(api: TestClient, ctx: Context, clock: SettableClock) -> None:
    ctx.settings.quota_pool_create_per_minute = 3
    ctx.settings.quota_pool_create_per_day = 5
    project = api.post("/api/v1/projects", json=project_body()).json()
    for _ in range(3):
        assert api.post("/api/v1/pools", json=pool_body(project["id"])).status_code == 201
    body = assert_error(api.post("/api/v1/pools", json=pool_body(project["id"])), 429, "TOO_MANY_REQUESTS")
    assert body["payload"]["quota"] == "pool_create_per_minute"
    assert "interval" not in body["payload"]
    assert "pool_create_per_minute" in body["message"]

    clock.advance(timedelta(minutes=1))
    for _ in range(2):
        assert api.post("/api/v1/pools", json=pool_body(project["id"])).status_code == 201
    body = assert_error(api.post("/api/v1/pools", json=pool_body(project["id"])), 429, "TOO_MANY_REQUESTS")
    assert body["payload"] == {"quota": "pool_create_per_day", "limit": 5, "window": "DAY", "interval": "DAY"}
    assert len(api.get("/api/v1/pools").json()["items"]) == 5

    clock.advance(timedelta(days=1))
    assert api.post("/api/v1/pools", json=pool_body(project["id"])).status_code == 201


def test_refused_requests_do_not_count(api: TestClient, ctx: Context) -> None:
    ctx.settings.quota_training_create_per_minute = 2
    project = api.post("/api/v1/projects", json=project_body()).json()
    for _ in range(5):
        invalid = training_body(project["id"], training_tasks_in_task_suite_count=0)
        assert api.post("/api/v1/trainings", json=invalid).status_code == 400
    for _ in range(2):
        assert api.post("/api/v1/trainings", json=training_body(project["id"])).status_code == 201
    assert_error(api.post("/api/v1/trainings", json=training_body(project["id"])), 429, "TOO_MANY_REQUESTS")


def test_quotas_are_per_requester(api: TestClient, other_api: TestClient, ctx: Context) -> None:
    ctx.settings.quota_project_create_per_minute = 1
    assert api.post("/api/v1/projects", json=project_body()).status_code == 201
    assert api.post("/api/v1/projects", json=project_body()).status_code == 429
    assert other_api.post("/api/v1/projects", json=project_body()).status_code == 201


def test_clone_quota(api: TestClient, ctx: Context) -> None:
    ctx.settings.quota_pool_clone_per_minute = 1
    project = api.post("/api/v1/projects", json=project_body()).json()
    pool = api.post("/api/v1/pools", json=pool_body(project["id"])).json()
    assert api.post(f"/api/v1/pools/{pool['id']}/clone").status_code == 202
    assert_error(api.post(f"/api/v1/pools/{pool['id']}/clone"), 429, "TOO_MANY_REQUESTS")
