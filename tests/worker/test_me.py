"""What a worker reads about themselves, and the ledger their earnings come from."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import workers
from kvorum.services.assignments import timers
from kvorum.services.context import Context
from tests.helpers import (
    assert_error,
    created,
    ledger_of,
    mixer_pool,
    take,
    upload_lesson,
    upload_tasks,
    worker_client,
)


def test_me_needs_a_worker_token(app_client: TestClient, ctx: Context, token: str) -> None:
    profile = WorkerProfile(country="DE", languages=["DE", "EN"], adult_allowed=True)
    worker, worker_token = workers.create_worker(ctx, name="wanda", profile=profile)
    me = app_client.get("/api/worker/v1/me", headers={"Authorization": f"Bearer {worker_token}"})
    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(worker.id) and me.json()["profile"]["languages"] == ["DE", "EN"]
    for header in (f"Bearer {token}", "Bearer nope", f"OAuth {worker_token}", ""):
        assert_error(
            app_client.get("/api/worker/v1/me", headers={"Authorization": header}),
            401,
            "AUTHENTICATION_ERROR",
        )
    assert_error(
        app_client.get("/api/v1/requester", headers={"Authorization": f"OAuth {worker_token}"}),
        401,
        "AUTHENTICATION_ERROR",
    )


def _earnings(client: TestClient) -> dict[str, float]:
    me = client.get("/api/worker/v1/me")
    assert me.status_code == 200, me.text
    return dict(me.json()["earnings"])


def _work(client: TestClient, pool_id: str) -> str:
    """Take a suite of the pool and answer it; the assignment's id."""
    assignment = created(take(client, pool_id))
    body = {"solutions": [{"output_values": {"result": "cat"}} for _ in assignment["tasks"]]}
    submitted = client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body)
    assert submitted.status_code == 200, submitted.text
    return str(assignment["id"])


def _review(api: TestClient, assignment_id: str, status: str) -> None:
    body = {"status": status, "public_comment": "not a cat"}
    assert api.patch(f"/api/v1/assignments/{assignment_id}", json=body).status_code == 200


def test_every_way_of_accepting_enters_the_reward_in_the_ledger_once(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    reviewed = mixer_pool(project["id"], reward_per_assignment=0.005, auto_accept_solutions=False)
    manual = created(api.post("/api/v1/pools", json={**reviewed, "auto_accept_period_day": 1}))
    automatic = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], reward_per_assignment=0.02)))
    for pool in (manual, automatic):
        upload_tasks(api, pool["id"], real=3, golden=0)
    client = worker_client(app_client, ctx, "wanda")
    worker_id = client.get("/api/worker/v1/me").json()["id"]

    by_review = _work(client, manual["id"])
    assert _earnings(client) == {"accepted": 0, "pending": 0.005, "bonuses": 0, "total": 0}
    _review(api, by_review, "ACCEPTED")
    at_submit = _work(client, automatic["id"])
    assert _earnings(client) == {"accepted": 0.025, "pending": 0, "bonuses": 0, "total": 0.025}

    rejected_first = _work(client, manual["id"])
    _review(api, rejected_first, "REJECTED")
    assert _earnings(client)["total"] == 0.025
    _review(api, rejected_first, "ACCEPTED")
    # 0.005 + 0.02 + 0.005 is 0.030000000000000002 in floats; the ledger adds micro-USD
    assert _earnings(client) == {"accepted": 0.03, "pending": 0, "bonuses": 0, "total": 0.03}

    by_timer = _work(client, manual["id"])
    clock.advance(timedelta(days=1))
    assert timers.auto_accept_due(ctx) == 1
    assert _earnings(client) == {"accepted": 0.035, "pending": 0, "bonuses": 0, "total": 0.035}

    entries = [(row.kind, row.assignment_id, row.amount, row.bonus_id) for row in ledger_of(ctx, worker_id)]
    assert entries == [
        ("REWARD", by_review, 5_000, None),
        ("REWARD", at_submit, 20_000, None),
        ("REWARD", rejected_first, 5_000, None),
        ("REWARD", by_timer, 5_000, None),
    ]
    assert ledger_of(ctx, worker_id)[-1].created == clock.now()


def test_a_free_assignment_moves_no_money(
    api: TestClient, app_client: TestClient, ctx: Context, training: dict[str, Any]
) -> None:
    upload_lesson(api, training["id"])
    client = worker_client(app_client, ctx, "wanda")
    accepted = _work(client, training["id"])
    status = api.get(f"/api/v1/assignments/{accepted}").json()["status"]
    assert status == "ACCEPTED" and _earnings(client)["total"] == 0
    assert ledger_of(ctx, client.get("/api/worker/v1/me").json()["id"]) == []
