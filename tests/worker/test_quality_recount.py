"""Whatever workers and requesters do, a collector's values equal a recount from the assignments."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvorum.clock import SettableClock
from kvorum.schemas.common import format_datetime
from kvorum.services.assignments import timers
from kvorum.services.context import Context
from kvorum.services.pools import service as pools
from kvorum.services.quality.collectors import counted_values
from kvorum.services.quality.engine import collectors_of
from tests.helpers import (
    CHOICE_RESULT,
    mixer_pool,
    project_body,
    take,
    task_spec,
    upload_tasks,
    worker_client,
)

NEVER = [{"key": "total_answers_count", "operator": "GTE", "value": 1_000_000}]
"""A condition that never holds: the collectors count, their rules never act."""
GOLDEN_HISTORY, FAST_SECONDS, SUBMIT_HISTORY, REVIEW_HISTORY = 2, 5, 2, 2


def _config(collector: str, key: str, **parameters: Any) -> dict[str, Any]:
    return {
        "collector_config": {"type": collector} | ({"parameters": parameters} if parameters else {}),
        "rules": [
            {
                "conditions": [{"key": key, "operator": "GTE", "value": 1_000_000}],
                "action": {
                    "type": "RESTRICTION_V2",
                    "parameters": {"scope": "POOL", "duration_unit": "PERMANENT"},
                },
            }
        ],
    }


CONFIGS = [
    _config("GOLDEN_SET", "total_answers_count", history_size=GOLDEN_HISTORY),
    _config(
        "ASSIGNMENT_SUBMIT_TIME",
        "total_submitted_count",
        fast_submit_threshold_seconds=FAST_SECONDS,
        history_size=SUBMIT_HISTORY,
    ),
    _config("SKIPPED_IN_ROW_ASSIGNMENTS", "skipped_in_row_count"),
    _config("ACCEPTANCE_RATE", "total_assignments_count", history_size=REVIEW_HISTORY),
    _config("ANSWER_COUNT", "assignments_accepted_count"),
    _config("INCOME", "income_sum_for_last_24_hours"),
]

STEP = st.tuples(
    st.integers(0, 1),
    st.sampled_from(
        ["take"] * 3 + ["submit"] * 3 + ["skip", "accept", "reject", "reject", "accept_rejected", "expire"]
    ),
    st.booleans(),  # submit: fast or slow
    st.booleans(),  # submit: control answers right or wrong
)


def _time(item: dict[str, Any], key: str) -> datetime | None:
    value = item.get(key)
    return None if value is None else datetime.fromisoformat(value)


def _rates(credit: float, count: int, prefix: str = "") -> dict[str, Any]:
    if not count:
        return {}
    right = 100 * credit / count
    return {f"{prefix}correct_answers_rate": right, f"{prefix}incorrect_answers_rate": 100 - right}


def recount(items: list[dict[str, Any]], reward: float, now: datetime) -> dict[str, dict[str, Any]]:
    """Each collector's values for one worker, counted from their assignments alone."""
    submitted = sorted((item for item in items if item.get("submitted")), key=lambda item: item["submitted"])
    controls = [
        solution["output_values"]["result"] == "cat"
        for item in submitted
        for task, solution in zip(item["tasks"], item["solutions"], strict=True)
        if "golden" in task["input_values"]["image"]
    ][-GOLDEN_HISTORY:]
    recent = submitted[-SUBMIT_HISTORY:]
    fast = [
        item
        for item in recent
        if (_time(item, "submitted") - _time(item, "created")).total_seconds() < FAST_SECONDS
    ]  # type: ignore[operator]
    moves = sorted(
        [(item["skipped"], 1) for item in items if item.get("skipped")]
        + [(item["submitted"], 0) for item in submitted]
    )
    in_row = 0
    for _, skipped in moves:
        in_row = in_row + 1 if skipped else 0
    reviewed = sorted(
        (item for item in items if item.get("rejected") or item["status"] == "ACCEPTED"),
        key=lambda item: item.get("rejected") or item["accepted"],
    )[-REVIEW_HISTORY:]
    accepted = sum(item["status"] == "ACCEPTED" for item in reviewed)
    review_values: dict[str, Any] = {"total_assignments_count": len(reviewed)}
    if reviewed:
        rate = 100 * accepted / len(reviewed)
        review_values |= {"accepted_assignments_rate": rate, "rejected_assignments_rate": 100 - rate}
    day_ago = now - timedelta(hours=24)
    income = reward * sum(_time(item, "submitted") > day_ago for item in submitted)  # type: ignore[operator]
    return {
        "GOLDEN_SET": {
            "total_answers_count": len(controls),
            **_rates(sum(controls), len(controls)),
            "golden_set_answers_count": len(controls),
            **_rates(sum(controls), len(controls), "golden_set_"),
        },
        "ASSIGNMENT_SUBMIT_TIME": {"total_submitted_count": len(recent), "fast_submitted_count": len(fast)},
        "SKIPPED_IN_ROW_ASSIGNMENTS": {"skipped_in_row_count": in_row},
        "ACCEPTANCE_RATE": review_values,
        "ANSWER_COUNT": {"assignments_accepted_count": len(submitted)},
        "INCOME": {"income_sum_for_last_24_hours": round(income, 6)},
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=10, max_size=40))
def test_collector_values_equal_a_recount_of_the_history(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    steps: list[tuple[int, str, bool, bool]],
) -> None:
    for quota in ("project_create", "pool_create"):  # each example makes a project and a pool
        setattr(ctx.settings, f"quota_{quota}_per_minute", 1_000_000)
        setattr(ctx.settings, f"quota_{quota}_per_day", 1_000_000)
    project = api.post(
        "/api/v1/projects", json=project_body(task_spec=task_spec(output_spec=CHOICE_RESULT))
    ).json()
    body = mixer_pool(
        project["id"],
        real=1,
        golden=1,
        overlap=3,
        assignment_max_duration_seconds=300,
        auto_accept_solutions=False,
        auto_accept_period_day=2,
        quality_control={"configs": CONFIGS},
    )
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], real=12, golden=12)
    clients = [worker_client(app_client, ctx, f"r{pool['id']}w{n}") for n in range(2)]
    ids = [str(client.get("/api/worker/v1/me").json()["id"]) for client in clients]
    current: dict[int, dict[str, Any]] = {}

    def first_of(who: int, status: str) -> dict[str, Any] | None:
        found = api.get(
            "/api/v1/assignments", params={"pool_id": pool["id"], "user_id": ids[who], "status": status}
        )
        items = found.json()["items"]
        return items[0] if items else None

    for who, action, quick, right in steps:
        client, mine = clients[who], current.get(who)
        if action == "take" and mine is None:
            response = take(client, pool["id"])
            if response.status_code == 201:
                current[who] = response.json()
        elif action == "submit" and mine is not None:
            clock.advance(timedelta(seconds=1 if quick else FAST_SECONDS + 1))
            answers = [
                {
                    "output_values": {
                        "result": "cat" if right or "golden" not in task["input_values"]["image"] else "dog"
                    }
                }
                for task in mine["tasks"]
            ]
            client.post(f"/api/worker/v1/assignments/{mine['id']}/submit", json={"solutions": answers})
            current.pop(who)
        elif action == "skip" and mine is not None:
            client.post(f"/api/worker/v1/assignments/{mine['id']}/skip")
            current.pop(who)
        elif action in ("accept", "reject", "accept_rejected"):
            found = first_of(who, "REJECTED" if action == "accept_rejected" else "SUBMITTED")
            if found is not None:
                review = (
                    {"status": "REJECTED", "public_comment": "no"}
                    if action == "reject"
                    else {"status": "ACCEPTED"}
                )
                assert api.patch(f"/api/v1/assignments/{found['id']}", json=review).status_code == 200
        elif action == "expire":
            clock.advance(timedelta(seconds=301))
            timers.expire_due(ctx)
            current.clear()
        clock.advance(timedelta(seconds=1))  # every change at its own moment

    items = api.get("/api/v1/assignments", params={"pool_id": pool["id"], "limit": 1000}).json()["items"]
    stored = pools.get(ctx, caller=int(pool["owner"]["id"]), pool_type=None, pool_id=pool["id"])
    now = clock.now()
    for who, worker_id in enumerate(ids):
        expected = recount(
            [item for item in items if item["user_id"] == worker_id], pool["reward_per_assignment"], now
        )
        with ctx.db.read() as conn:
            for collector in collectors_of(stored):
                values = counted_values(
                    conn, owner_id=stored.owner_id, collector=collector, worker_id=int(worker_id), now=now
                )
                assert values == pytest.approx(expected[collector.type]), (
                    collector.type,
                    who,
                    format_datetime(now),
                )
