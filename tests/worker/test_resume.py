"""Assignments carry what a client needs to draw them, and a worker lists their own to resume."""

from typing import Any

from fastapi.testclient import TestClient

from kvorum.services.context import Context
from tests.helpers import (
    CHOICE_RESULT,
    assert_error,
    created,
    mixer_pool,
    project_body,
    take,
    task_spec,
    upload_tasks,
    worker_client,
)


def _pool(api: TestClient, instructions: str | None = None) -> dict[str, Any]:
    project = created(
        api.post(
            "/api/v1/projects",
            json=project_body(
                task_spec=task_spec(output_spec=CHOICE_RESULT), public_instructions="Project rules"
            ),
        )
    )
    body = mixer_pool(project["id"], real=1) | ({"public_instructions": instructions} if instructions else {})
    pool = created(api.post("/api/v1/pools", json=body))
    upload_tasks(api, pool["id"], real=3, golden=0)
    return pool


def test_an_assignment_carries_its_view_output_spec_and_instructions(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    pool, own = _pool(api), _pool(api, instructions="<p>Pool rules</p>")
    wanda = worker_client(app_client, ctx, "wanda")
    taken = created(take(wanda, pool["id"]))
    assert taken["view_spec"] == {"type": "classic", "markup": "<img src='{{input.image}}'>"}
    assert taken["output_spec"]["result"]["allowed_values"] == ["cat", "dog", "other"]
    assert taken["instructions"] == "Project rules"
    offered = {item["id"]: item for item in wanda.get("/api/worker/v1/pools").json()}
    assert offered[pool["id"]]["assignment_max_duration_seconds"] == 600
    assert created(take(wanda, own["id"]))["instructions"] == "<p>Pool rules</p>"
    assert (
        wanda.get(f"/api/worker/v1/assignments/{taken['id']}").json()["output_spec"] == taken["output_spec"]
    )


def test_a_worker_lists_their_own_assignments_by_status_and_pages_on(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    pools = [_pool(api) for _ in range(3)]
    wanda, olga = worker_client(app_client, ctx, "wanda"), worker_client(app_client, ctx, "olga")
    mine = [created(take(wanda, pool["id"]))["id"] for pool in pools]
    created(take(olga, pools[0]["id"]))
    assert wanda.post(f"/api/worker/v1/assignments/{mine[1]}/skip").status_code == 200

    everything = wanda.get("/api/worker/v1/assignments").json()
    assert [item["id"] for item in everything["items"]] == mine and everything["has_more"] is False
    active = wanda.get("/api/worker/v1/assignments", params={"status": "ACTIVE"}).json()["items"]
    assert [item["id"] for item in active] == [mine[0], mine[2]]
    assert active[0]["view_spec"]["type"] == "classic" and active[0]["tasks"][0]["input_values"]["image"]

    first = wanda.get("/api/worker/v1/assignments", params={"limit": 2}).json()
    assert [item["id"] for item in first["items"]] == mine[:2] and first["has_more"] is True
    rest = wanda.get("/api/worker/v1/assignments", params={"limit": 2, "id_gt": mine[1]}).json()
    assert [item["id"] for item in rest["items"]] == mine[2:] and rest["has_more"] is False

    assert_error(
        wanda.get("/api/worker/v1/assignments", params={"status": "DONE"}), 400, "VALIDATION_ERROR", "status"
    )
    assert_error(
        wanda.get("/api/worker/v1/assignments", params={"limit": 0}), 400, "VALIDATION_ERROR", "limit"
    )
    assert_error(app_client.get("/api/worker/v1/assignments"), 401, "AUTHENTICATION_ERROR")
