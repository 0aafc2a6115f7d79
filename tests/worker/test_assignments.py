"""Workers take task suites, answer, skip or run out of time; requesters review."""

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.accounts import workers
from kvorum.services.assignments import timers
from kvorum.services.context import Context
from kvorum.store import skills as skill_store
from kvorum.store.tables import skills
from tests.helpers import (
    CHOICE_RESULT,
    HIDDEN_NOTE,
    IMAGE_INPUT,
    assert_error,
    languages_filter,
    mixer_pool,
    pool_body,
    project_body,
    race,
    take,
    task_spec,
    upload_tasks,
    worker_client,
)


@pytest.fixture
def pool(api: TestClient) -> dict[str, Any]:
    spec = task_spec(IMAGE_INPUT | HIDDEN_NOTE, CHOICE_RESULT)
    project = api.post("/api/v1/projects", json=project_body(task_spec=spec)).json()
    body = mixer_pool(
        project["id"],
        real=2,
        golden=1,
        reward_per_assignment=0.02,
        assignment_max_duration_seconds=300,
        auto_accept_solutions=True,
        filter=languages_filter("EN"),
    )
    pool = api.post("/api/v1/pools", json=body).json()
    real = [
        {"pool_id": pool["id"], "input_values": {"image": f"https://img.example/{n}.png", "note": "secret"}}
        for n in range(4)
    ]
    golden = [
        {
            **task,
            "input_values": {"image": f"https://img.example/golden-{n}.png"},
            "known_solutions": [{"output_values": {"result": "cat"}}],
        }
        for n, task in enumerate(real[:2])
    ]
    assert (
        api.post(
            "/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=real + golden
        ).status_code
        == 201
    )
    return dict(pool)


def answers(assignment: dict[str, Any], value: str = "dog") -> dict[str, Any]:
    return {"solutions": [{"output_values": {"result": value}} for _ in assignment["tasks"]]}


def test_a_worker_takes_answers_and_is_paid(
    api: TestClient, app_client: TestClient, ctx: Context, pool: dict[str, Any]
) -> None:
    wanda = worker_client(app_client, ctx, "wanda")
    offered = wanda.get("/api/worker/v1/pools").json()
    assert [item["id"] for item in offered] == [pool["id"]] and offered[0]["reward"] == 0.02
    assert worker_client(app_client, ctx, "hans", ["DE"]).get("/api/worker/v1/pools").json() == []

    response = take(wanda, pool["id"])
    assert response.status_code == 201, response.text
    assignment = response.json()
    assert assignment["status"] == "ACTIVE" and len(assignment["tasks"]) == 3
    assert all(set(task) == {"id", "input_values"} for task in assignment["tasks"])
    assert all("note" not in task["input_values"] for task in assignment["tasks"])  # a hidden input
    assert_error(take(wanda, pool["id"]), 409, "THERE_IS_ACTIVE_ASSIGNMENT")

    url = f"/api/worker/v1/assignments/{assignment['id']}"
    assert_error(wanda.post(f"{url}/submit", json={"solutions": []}), 400, "VALIDATION_ERROR", "solutions")
    assert_error(
        wanda.post(f"{url}/submit", json=answers(assignment, "cow")),
        400,
        "VALIDATION_ERROR",
        "solutions.0.output_values.result",
    )
    submitted = wanda.post(f"{url}/submit", json=answers(assignment))
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "ACCEPTED"  # the pool accepts automatically
    assert_error(wanda.post(f"{url}/submit", json=answers(assignment)), 409, "CONFLICT_STATE")

    seen = api.get(f"/api/v1/assignments/{assignment['id']}").json()
    assert (
        seen["user_id"]
        and seen["status"] == "ACCEPTED"
        and seen["solutions"] == answers(assignment)["solutions"]
    )
    assert any(task.get("known_solutions") for task in seen["tasks"])
    assert_error(worker_client(app_client, ctx, "eve").get(url), 404, "DOES_NOT_EXIST")


def test_overlap_is_never_exceeded_and_slots_come_back(
    app_client: TestClient, ctx: Context, clock: SettableClock, pool: dict[str, Any]
) -> None:
    first, second, third = (worker_client(app_client, ctx, name) for name in ("a", "b", "c"))
    one, two = take(first, pool["id"]).json(), take(second, pool["id"]).json()
    real = lambda a: {t["id"] for t in a["tasks"] if "golden" not in t["input_values"]["image"]}  # noqa: E731
    assert len(real(one)) == len(real(two)) == 2 and not real(one) & real(two)
    assert_error(take(third, pool["id"]), 409, "ALL_ASSIGNMENTS_EXHAUSTED")

    assert first.post(f"/api/worker/v1/assignments/{one['id']}/skip").json()["status"] == "SKIPPED"
    again = take(third, pool["id"]).json()
    assert real(again) == real(one)

    clock.advance(timedelta(seconds=301))  # assignment_max_duration_seconds is 300
    assert timers.expire_due(ctx) == 2
    late = second.post(f"/api/worker/v1/assignments/{two['id']}/submit", json=answers(two))
    assert_error(late, 409, "CONFLICT_STATE")
    assert real(take(first, pool["id"]).json()) == real(two)


@pytest.mark.parametrize("action", ["submit", "skip"])
def test_acting_on_a_late_assignment_expires_it_before_the_timer_runs(
    app_client: TestClient, ctx: Context, clock: SettableClock, pool: dict[str, Any], action: str
) -> None:
    slow, other = worker_client(app_client, ctx, "slow"), worker_client(app_client, ctx, "other")
    mine = take(slow, pool["id"]).json()
    take(other, pool["id"])
    clock.advance(timedelta(seconds=300))
    refused = slow.post(f"/api/worker/v1/assignments/{mine['id']}/{action}", json=answers(mine))
    assert "EXPIRED" in assert_error(refused, 409, "CONFLICT_STATE")["message"]
    assert slow.get(f"/api/worker/v1/assignments/{mine['id']}").json()["status"] == "EXPIRED"
    assert timers.expire_due(ctx) == 1  # only the other one was left for the timer
    assert take(worker_client(app_client, ctx, "next"), pool["id"]).status_code == 201


def test_requester_review(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    pool = api.post(
        "/api/v1/pools",
        json=mixer_pool(
            project["id"], real=2, golden=1, overlap=1, auto_accept_solutions=False, auto_accept_period_day=2
        ),
    ).json()
    upload_tasks(api, pool["id"], 2)
    wanda = worker_client(app_client, ctx, "wanda")
    assignment = take(wanda, pool["id"]).json()
    done = wanda.post(
        f"/api/worker/v1/assignments/{assignment['id']}/submit", json=answers(assignment)
    ).json()
    assert done["status"] == "SUBMITTED"

    url = f"/api/v1/assignments/{assignment['id']}"
    found = api.get(
        "/api/v1/assignments", params={"pool_id": pool["id"], "status": "SUBMITTED,ACCEPTED"}
    ).json()
    assert [item["id"] for item in found["items"]] == [assignment["id"]]
    assert_error(api.patch(url, json={"status": "REJECTED"}), 400, "VALIDATION_ERROR", "public_comment")
    rejected = api.patch(url, json={"status": "REJECTED", "public_comment": "Wrong animal"}).json()
    assert rejected["status"] == "REJECTED" and rejected["public_comment"] == "Wrong animal"
    # as in Toloka, rejected work keeps its slot: only a rule re-issues it
    assert take(worker_client(app_client, ctx, "otto"), pool["id"]).status_code == 409
    assert api.patch(url, json={"status": "ACCEPTED"}).json()["status"] == "ACCEPTED"
    assert_error(api.patch(url, json={"status": "REJECTED", "public_comment": "no"}), 409, "CONFLICT_STATE")
    assert_error(api.patch(url, json={"status": "ACTIVE"}), 400, "VALIDATION_ERROR", "status")

    other = take(worker_client(app_client, ctx, "lena"), pool["id"])
    assert other.status_code == 409  # both real tasks hold their single slot
    clock.advance(timedelta(days=3))
    assert timers.auto_accept_due(ctx) == 0  # nothing left unreviewed


def test_many_workers_at_once_never_over_issue(
    app_client: TestClient, ctx: Context, pool: dict[str, Any]
) -> None:
    clients = iter([worker_client(app_client, ctx, f"w{n}") for n in range(8)])
    results = race(lambda: take(next(clients), pool["id"]))
    issued = [response.json() for response in results if response.status_code == 201]
    assert len(issued) == 2 and all(response.status_code in (201, 409) for response in results)
    counts = Counter(
        task["id"] for a in issued for task in a["tasks"] if "golden" not in task["input_values"]["image"]
    )
    assert len(counts) == 4 and set(counts.values()) == {1}


def test_reserved_and_unavailable_tasks(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    pool = api.post("/api/v1/pools", json=mixer_pool(project["id"], real=2, golden=1, overlap=2)).json()
    ann_client = worker_client(app_client, ctx, "ann2")
    ann_id = str(workers.authenticate(ctx, token=ann_client.headers["Authorization"].split()[1]).id)
    bob_client = worker_client(app_client, ctx, "bob")
    bob_id = str(workers.authenticate(ctx, token=bob_client.headers["Authorization"].split()[1]).id)
    image = "https://img.example/{}.png"
    tasks = [
        {"pool_id": pool["id"], "input_values": {"image": image.format("for-bob")}, "reserved_for": [bob_id]},
        {
            "pool_id": pool["id"],
            "input_values": {"image": image.format("not-ann")},
            "unavailable_for": [ann_id],
        },
        {"pool_id": pool["id"], "input_values": {"image": image.format("open")}},
        {"pool_id": pool["id"], "input_values": {"image": image.format("open-2")}},
    ]
    golden = [
        {
            "pool_id": pool["id"],
            "input_values": {"image": image.format("golden")},
            "known_solutions": [{"output_values": {"result": "cat"}}],
        }
    ]
    api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks + golden)
    images = lambda a: {t["input_values"]["image"].rsplit("/", 1)[1] for t in a["tasks"]}  # noqa: E731
    assert images(take(ann_client, pool["id"]).json()) == {"open.png", "open-2.png", "golden.png"}
    assert images(take(bob_client, pool["id"]).json()) == {"for-bob.png", "not-ann.png", "golden.png"}


def test_dynamic_pricing_by_skill(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    with ctx.db.write() as conn:
        skill_id = conn.execute(
            skills.insert()
            .values(owner_id=1, name="accuracy", created=ctx.clock.now())
            .returning(skills.c.id)
        ).scalar_one()
    body = mixer_pool(project["id"], overlap=5, reward_per_assignment=0.02)
    body["dynamic_pricing_config"] = {
        "type": "SKILL",
        "skill_id": str(skill_id),
        "intervals": [
            {"from": 0, "to": 60, "reward_per_assignment": 0.03},
            {"from": 61, "reward_per_assignment": 0.05},
        ],
    }
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], 2)
    rewards = []
    for name, value in (("novice", 40.0), ("expert", 90.0), ("unknown", None)):
        client = worker_client(app_client, ctx, name)
        worker = workers.authenticate(ctx, token=client.headers["Authorization"].split()[1])
        if value is not None:
            with ctx.db.write() as conn:
                skill_store.set_value(
                    conn, skill_id=skill_id, worker_id=worker.id, value=value, now=ctx.clock.now()
                )
        rewards.append(take(client, pool["id"]).json()["reward"])
    assert rewards == [0.03, 0.05, 0.02]


def test_uploaded_suites_are_issued_by_their_order(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    body = pool_body(project["id"])
    body["assignments_issuing_config"] = {"issue_task_suites_in_creation_order": True}
    pool = api.post("/api/v1/pools", json=body).json()
    suites = [
        {
            "pool_id": pool["id"],
            "overlap": 1,
            "issuing_order_override": order,
            "tasks": [{"input_values": {"image": f"https://img.example/{order}.png"}}],
        }
        for order in (1, 5, 3)
    ]
    created = api.post("/api/v1/task-suites", params={"open_pool": "true"}, json=suites).json()["items"]
    issued = [take(worker_client(app_client, ctx, f"w{n}"), pool["id"]).json() for n in range(3)]
    assert [a["task_suite_id"] for a in issued] == [
        created["1"]["id"],
        created["2"]["id"],
        created["0"]["id"],
    ]
    assert_error(take(worker_client(app_client, ctx, "late"), pool["id"]), 409, "ALL_ASSIGNMENTS_EXHAUSTED")
    suite = api.get(f"/api/v1/task-suites/{created['1']['id']}").json()
    assert suite["remaining_overlap"] == 0


def test_suites_reserved_for_others_are_passed_over_page_after_page(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    body = pool_body(project["id"])
    pool = api.post("/api/v1/pools", json=body).json()
    someone = worker_client(app_client, ctx, "someone")
    someone_id = someone.get("/api/worker/v1/me").json()["id"]
    suites = [
        {
            "pool_id": pool["id"],
            "overlap": 1,
            "reserved_for": [someone_id] if n < 20 else [],
            "tasks": [{"input_values": {"image": f"https://img.example/{n}.png"}}],
        }
        for n in range(21)
    ]
    created = api.post("/api/v1/task-suites", params={"open_pool": "true"}, json=suites).json()["items"]
    other = worker_client(app_client, ctx, "other")
    assert take(other, pool["id"]).json()["task_suite_id"] == created["20"]["id"]
    assert take(someone, pool["id"]).json()["task_suite_id"] == created["0"]["id"]


def test_golden_distribution_function_sets_the_mix(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    body = mixer_pool(project["id"], overlap=1)
    body["mixer_config"] = {
        "real_tasks_count": 4,
        "golden_tasks_count": 0,
        "training_tasks_count": 0,
        "golden_task_distribution_function": {
            "scope": "POOL",
            "distribution": "UNIFORM",
            "window_days": 7,
            "intervals": [{"from": 1, "to": 4, "frequency": 2}, {"from": 5, "frequency": 100}],
        },
    }
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], 12, golden=5)
    wanda = worker_client(app_client, ctx, "wanda")
    kinds = lambda a: sorted("golden" in t["input_values"]["image"] for t in a["tasks"])  # noqa: E731
    first = take(wanda, pool["id"]).json()
    assert kinds(first) == [False, False, True, True]  # tasks 1..4: 1 and 3 are control tasks
    wanda.post(f"/api/worker/v1/assignments/{first['id']}/submit", json=answers(first))
    assert kinds(take(wanda, pool["id"]).json()) == [False, False, False, True]  # 5..8: only 5


def _three_tasks_in_pairs(api: TestClient, project: dict[str, Any]) -> dict[str, Any]:
    """A pool of 3 tasks at overlap 1 issued 2 to a suite, whose last suite waits 60 seconds."""
    body = mixer_pool(project["id"], overlap=1)
    body["mixer_config"] = {
        "real_tasks_count": 2,
        "golden_tasks_count": 0,
        "training_tasks_count": 0,
        "force_last_assignment_delay_seconds": 60,
    }
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], 3, golden=0)
    return dict(pool)


def test_the_last_incomplete_suite_waits_for_the_delay(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    pool = _three_tasks_in_pairs(api, project)
    assert take(worker_client(app_client, ctx, "a"), pool["id"]).status_code == 201
    late = worker_client(app_client, ctx, "b")
    assert_error(take(late, pool["id"]), 409, "ALL_ASSIGNMENTS_EXHAUSTED")
    clock.advance(timedelta(seconds=60))
    assert len(take(late, pool["id"]).json()["tasks"]) == 1


def test_raising_a_tasks_overlap_restarts_the_delay(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    pool = _three_tasks_in_pairs(api, project)
    take(worker_client(app_client, ctx, "a"), pool["id"])
    clock.advance(timedelta(seconds=60))
    last = take(worker_client(app_client, ctx, "b"), pool["id"]).json()["tasks"]
    assert len(last) == 1
    lowered = api.patch(f"/api/v1/tasks/{last[0]['id']}", json={"overlap": 1})
    assert lowered.status_code == 200, lowered.text
    raised = api.patch(f"/api/v1/tasks/{last[0]['id']}", json={"overlap": 2})
    assert raised.json()["remaining_overlap"] == 1
    late = worker_client(app_client, ctx, "c")
    assert_error(take(late, pool["id"]), 409, "ALL_ASSIGNMENTS_EXHAUSTED")
    clock.advance(timedelta(seconds=59))
    assert_error(take(late, pool["id"]), 409, "ALL_ASSIGNMENTS_EXHAUSTED")
    clock.advance(timedelta(seconds=1))
    assert [task["id"] for task in take(late, pool["id"]).json()["tasks"]] == [last[0]["id"]]


def test_random_order_still_issues_every_task(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    body = mixer_pool(project["id"], overlap=1)
    body["mixer_config"] = {
        "real_tasks_count": 2,
        "golden_tasks_count": 0,
        "training_tasks_count": 0,
        "mix_tasks_in_creation_order": False,
    }
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], 10, golden=0)
    issued = [take(worker_client(app_client, ctx, f"r{n}"), pool["id"]).json() for n in range(5)]
    ids = [task["id"] for assignment in issued for task in assignment["tasks"]]
    assert len(ids) == len(set(ids)) == 10
    assert_error(take(worker_client(app_client, ctx, "late"), pool["id"]), 409, "ALL_ASSIGNMENTS_EXHAUSTED")
