"""Whatever workers and requesters do, no task holds more assignments than its overlap."""

from collections import Counter
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvorum.clock import SettableClock
from kvorum.services.assignments import timers
from kvorum.services.context import Context
from tests.helpers import mixer_pool, project_body, take, upload_tasks, worker_client

HOLDING = {"ACTIVE", "SUBMITTED", "ACCEPTED", "REJECTED"}
ACTIONS = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.sampled_from(["take", "take", "take", "submit", "submit", "skip", "reject", "expire"]),
    ),
    min_size=5,
    max_size=30,
)


def holding_counts(api: TestClient, pool_id: str) -> Counter[str]:
    found = api.get("/api/v1/assignments", params={"pool_id": pool_id, "limit": 1000}).json()["items"]
    return Counter(task["id"] for item in found if item["status"] in HOLDING for task in item["tasks"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_overlap_holds_under_any_sequence(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    actions: list[tuple[int, str]],
) -> None:
    for quota in ("project_create", "pool_create"):  # each example makes a project and a pool
        setattr(ctx.settings, f"quota_{quota}_per_minute", 1_000_000)
        setattr(ctx.settings, f"quota_{quota}_per_day", 1_000_000)
    project = api.post("/api/v1/projects", json=project_body()).json()
    body = mixer_pool(
        project["id"],
        real=2,
        golden=1,
        overlap=2,
        assignment_max_duration_seconds=300,
        auto_accept_solutions=False,
    )
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], 3)
    clients = [worker_client(app_client, ctx, f"p{pool['id']}w{n}") for n in range(4)]
    current: dict[int, dict[str, Any]] = {}
    for who, action in actions:
        client, mine = clients[who], current.get(who)
        if action == "take":
            response = take(client, pool["id"])
            if response.status_code == 201:
                current[who] = response.json()
        elif action in ("submit", "skip") and mine is not None:
            body = {"solutions": [{"output_values": {"result": "cat"}} for _ in mine["tasks"]]}
            client.post(
                f"/api/worker/v1/assignments/{mine['id']}/{action}", json=body if action == "submit" else None
            )
            current.pop(who)
        elif action == "reject" and mine is None:
            submitted = api.get(
                "/api/v1/assignments", params={"pool_id": pool["id"], "status": "SUBMITTED"}
            ).json()
            for item in submitted["items"][:1]:
                api.patch(
                    f"/api/v1/assignments/{item['id']}", json={"status": "REJECTED", "public_comment": "no"}
                )
        elif action == "expire":
            clock.advance(timedelta(seconds=301))
            timers.expire_due(ctx)
            current.clear()
        counts = holding_counts(api, pool["id"])
        listed = api.get("/api/v1/tasks", params={"pool_id": pool["id"]}).json()["items"]
        for task in (task for task in listed if not task["infinite_overlap"]):
            held = counts.get(task["id"], 0)
            assert held <= task["overlap"], (task, counts)
            assert task["overlap"] - task["remaining_overlap"] == held, (task, counts)
