"""Pools close by themselves: COMPLETED when the work is done (after the delay), EXPIRED at will_expire."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from kvorum.services.pools import lifecycle
from tests.helpers import mixer_pool, take, worker_client


def open_pool(api: TestClient, project: dict[str, Any], **changes: Any) -> dict[str, Any]:
    pool = api.post("/api/v1/pools", json=mixer_pool(project["id"], **changes)).json()
    tasks = [
        {"pool_id": pool["id"], "input_values": {"image": f"https://img.example/{n}.png"}} for n in range(2)
    ]
    golden = [{**tasks[0], "known_solutions": [{"output_values": {"result": "cat"}}]}]
    assert (
        api.post(
            "/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks + golden
        ).status_code
        == 201
    )
    return dict(pool)


def test_a_done_pool_closes_completed_after_the_delay(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    pool = open_pool(api, project, real=2, overlap=1, auto_close_after_complete_delay_seconds=60)
    assert lifecycle.close_due(ctx) == 0
    wanda = worker_client(app_client, ctx, "wanda")
    assignment = take(wanda, pool["id"]).json()
    assert lifecycle.close_due(ctx) == 0  # an active assignment is still out
    answers = {"solutions": [{"output_values": {"result": "dog"}} for _ in assignment["tasks"]]}
    wanda.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=answers)
    clock.advance(timedelta(seconds=59))
    assert lifecycle.close_due(ctx) == 0
    clock.advance(timedelta(seconds=1))
    assert lifecycle.close_due(ctx) == 1
    closed = api.get(f"/api/v1/pools/{pool['id']}").json()
    assert (closed["status"], closed["last_close_reason"]) == ("CLOSED", "COMPLETED")


def test_a_pool_closes_expired_at_will_expire(
    api: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    pool = open_pool(api, project, will_expire="2030-01-01T13:00:00")
    clock.advance(timedelta(minutes=59))
    assert lifecycle.close_due(ctx) == 0
    clock.advance(timedelta(minutes=1))
    assert lifecycle.close_due(ctx) == 1
    closed = api.get(f"/api/v1/pools/{pool['id']}").json()
    assert (closed["status"], closed["last_close_reason"]) == ("CLOSED", "EXPIRED")
