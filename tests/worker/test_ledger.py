"""Whatever workers and requesters do, a worker's earnings are the sum of their ledger, which holds
exactly the rewards of their accepted assignments and the bonuses they were given."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from kvorum.clock import SettableClock
from kvorum.services.assignments import timers
from kvorum.services.context import Context
from kvorum.services.workforce.ledger import micro_usd, usd
from kvorum.store import ledger as store
from tests.helpers import created, ledger_of, mixer_pool, project_body, take, upload_tasks, worker_client

WORKERS = 3
REWARDS = st.sampled_from([0.005, 0.01, 0.015, 0.02, 0.07, 0.1, 0.33])
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["work", "work", "accept", "reject", "bonus", "bonus", "timer"]),
        st.integers(0, WORKERS - 1),
        st.integers(1, 10_000),
    ),
    min_size=1,
    max_size=25,
)


def _pools(api: TestClient, rewards: tuple[float, float]) -> list[str]:
    """A pool the requester reviews (or its timer accepts after a day) and one that accepts at submit."""
    project = created(api.post("/api/v1/projects", json=project_body()))
    manual = mixer_pool(project["id"], auto_accept_solutions=False, auto_accept_period_day=1)
    bodies = [{**manual, "reward_per_assignment": rewards[0]}]
    bodies.append(mixer_pool(project["id"], reward_per_assignment=rewards[1]))
    pools = [created(api.post("/api/v1/pools", json=body))["id"] for body in bodies]
    for pool_id in pools:
        upload_tasks(api, pool_id, real=30, golden=0)
    return pools


def _review(api: TestClient, pool_id: str, status: str) -> None:
    """Accept or reject the first assignment of the pool that may take the verdict (if any)."""
    statuses = "SUBMITTED,REJECTED" if status == "ACCEPTED" else "SUBMITTED"
    found = api.get("/api/v1/assignments", params={"pool_id": pool_id, "status": statuses, "limit": 1})
    for item in found.json()["items"]:
        body = {"status": status, "public_comment": "not a cat"}
        api.patch(f"/api/v1/assignments/{item['id']}", json=body)  # late re-acceptance: 409, fine


def _assert_adds_up(api: TestClient, ctx: Context, client: TestClient) -> None:
    me = client.get("/api/worker/v1/me").json()
    worker_id, earnings = me["id"], me["earnings"]
    assignments = api.get("/api/v1/assignments", params={"user_id": worker_id, "limit": 1000}).json()
    rewards = {status: 0 for status in ("ACCEPTED", "SUBMITTED")}
    for item in assignments["items"]:
        if item["status"] in rewards:
            rewards[item["status"]] += micro_usd(item["reward"])
    bonuses = api.get("/api/v1/user-bonuses", params={"user_id": worker_id, "limit": 300}).json()
    given = sum(int(Decimal(bonus["amount"]) * 1_000_000) for bonus in bonuses["items"])
    entries = ledger_of(ctx, worker_id)
    assert sum(row.amount for row in entries) == rewards["ACCEPTED"] + given
    assert sum(row.amount for row in entries if row.kind == "REWARD") == rewards["ACCEPTED"]
    assert earnings == {
        "accepted": usd(rewards["ACCEPTED"]),
        "pending": usd(rewards["SUBMITTED"]),
        "bonuses": usd(given),
        "total": usd(rewards["ACCEPTED"] + given),
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rewards=st.tuples(REWARDS, REWARDS), steps=STEPS)
def test_earnings_add_up_under_any_mix_of_work_and_bonuses(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    rewards: tuple[float, float],
    steps: list[tuple[str, int, int]],
) -> None:
    for quota in ("project_create", "pool_create"):  # each example makes a project and two pools
        setattr(ctx.settings, f"quota_{quota}_per_minute", 1_000_000)
        setattr(ctx.settings, f"quota_{quota}_per_day", 1_000_000)
    pools = _pools(api, rewards)
    clients = [worker_client(app_client, ctx, f"p{pools[0]}w{n}") for n in range(WORKERS)]
    for action, who, amount in steps:
        client = clients[who]
        if action == "work":
            assignment = created(take(client, pools[amount % 2]))
            body = {"solutions": [{"output_values": {"result": "cat"}} for _ in assignment["tasks"]]}
            client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body)
        elif action in ("accept", "reject"):
            _review(api, pools[0], f"{action.upper()}ED")
        elif action == "bonus":
            bonus = {"user_id": client.get("/api/worker/v1/me").json()["id"], "amount": amount / 100}
            params = {"async_mode": "true"} if amount % 2 else {}
            assert api.post("/api/v1/user-bonuses", params=params, json=bonus).status_code in (201, 202)
        else:
            clock.advance(timedelta(days=1))
            timers.auto_accept_due(ctx)
    for client in clients:
        _assert_adds_up(api, ctx, client)


def test_a_reward_or_a_bonus_cannot_be_entered_twice(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    upload_tasks(api, pool["id"], real=1, golden=0)
    client = worker_client(app_client, ctx, "wanda")
    assignment = created(take(client, pool["id"]))
    body = {"solutions": [{"output_values": {"result": "cat"}}]}
    assert client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body).status_code == 200
    worker_id = client.get("/api/worker/v1/me").json()["id"]
    bonus = {"user_id": worker_id, "amount": "1", "assignment_id": assignment["id"]}
    created(api.post("/api/v1/user-bonuses", json=bonus))
    reward, given = ledger_of(ctx, worker_id)
    assert (reward.kind, given.kind) == ("REWARD", "BONUS")

    def entry(**changes: Any) -> dict[str, Any]:
        return {key: value for key, value in reward._mapping.items() if key != "id"} | changes

    # a second reward for the assignment, a second entry for the bonus, a reward for no assignment
    for refused in (entry(), entry(kind="BONUS", bonus_id=given.bonus_id), entry(assignment_id=None)):
        with pytest.raises(IntegrityError), ctx.db.write() as conn:
            store.add(conn, **refused)
    created(api.post("/api/v1/user-bonuses", json=bonus))  # another bonus for it is more money
    assert [row.kind for row in ledger_of(ctx, worker_id)] == ["REWARD", "BONUS", "BONUS"]
