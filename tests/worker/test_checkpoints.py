"""Spot checks: the tasks a checkpoint's distribution function selects get more answers."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from kvorum.store import assignments as assignment_store
from kvorum.store import tasks as task_store
from tests.helpers import assert_error, mixer_pool, take, upload_tasks, worker_client


def checkpoint(
    target: int = 3, scope: str = "POOL", window_days: int = 7, frequency: int = 2
) -> dict[str, Any]:
    """A checkpoint setting selecting every `frequency`-th task from the worker's first."""
    function = {
        "scope": scope,
        "distribution": "UNIFORM",
        "window_days": window_days,
        "intervals": [{"from": 1, "frequency": frequency}],
    }
    return {"target_overlap": target, "task_distribution_function": function}


def checked_pool(
    api: TestClient, project_id: str, real: int = 1, golden: int = 0, **checkpoints: Any
) -> dict[str, Any]:
    """A pool at overlap 1 issuing `real` real and `golden` control tasks a suite, with
    `checkpoints` as its checkpoints_config (none when not given)."""
    body = mixer_pool(project_id, real=real, golden=golden, overlap=1)
    if checkpoints:
        body["quality_control"] = {"checkpoints_config": checkpoints}
    response = api.post("/api/v1/pools", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def overlaps(api: TestClient, pool_id: str) -> dict[str, int | None]:
    """The overlap of each task of the pool by its image (None: infinite)."""
    items = api.get("/api/v1/tasks", params={"pool_id": pool_id}).json()["items"]
    return {item["input_values"]["image"]: item.get("overlap") for item in items}


def work(client: TestClient, pool_id: str) -> list[str] | None:
    """Take a suite of the pool and submit it: the images of its tasks (None: nothing left)."""
    response = take(client, pool_id)
    if response.status_code == 409:
        assert_error(response, 409, "ALL_ASSIGNMENTS_EXHAUSTED")
        return None
    assert response.status_code == 201, response.text
    assignment = response.json()
    answers = {"solutions": [{"output_values": {"result": "dog"}} for _ in assignment["tasks"]]}
    submitted = client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=answers)
    assert submitted.status_code == 200, submitted.text
    return [task["input_values"]["image"] for task in assignment["tasks"]]


def work_all(client: TestClient, pool_id: str) -> list[str]:
    """Work on the pool until it has nothing left for the worker: the images of the tasks done."""
    done: list[str] = []
    while (images := work(client, pool_id)) is not None:
        done.extend(images)
    return done


def image(n: int) -> str:
    return f"https://img.example/{n}.png"


def by_image(*pairs: tuple[int, int | None]) -> dict[str, int | None]:
    return {image(n): overlap for n, overlap in pairs}


@pytest.mark.parametrize("per_suite", [1, 2])
def test_every_second_real_task_of_a_worker_gets_the_target_overlap(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any], per_suite: int
) -> None:
    pool = checked_pool(api, project["id"], real=per_suite, real_settings=checkpoint(target=3))
    upload_tasks(api, pool["id"], 6, golden=0)
    assert work_all(worker_client(app_client, ctx, "first"), pool["id"]) == [image(n) for n in range(6)]
    raised = by_image((0, 3), (1, 1), (2, 3), (3, 1), (4, 3), (5, 1))  # the worker's 1st, 3rd, 5th
    assert overlaps(api, pool["id"]) == raised

    for name in ("second", "third"):  # the checked tasks only, and never raised further
        assert work_all(worker_client(app_client, ctx, name), pool["id"]) == [image(0), image(2), image(4)]
    assert overlaps(api, pool["id"]) == raised
    assert work(worker_client(app_client, ctx, "fourth"), pool["id"]) is None


@pytest.mark.parametrize(("scope", "expected"), [("POOL", [3, 1]), ("PROJECT", [1, 3])])
def test_project_scope_counts_tasks_done_in_other_pools_of_the_project(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    project: dict[str, Any],
    scope: str,
    expected: list[int],
) -> None:
    elsewhere = checked_pool(api, project["id"])
    upload_tasks(api, elsewhere["id"], 1, golden=0)
    pool = checked_pool(api, project["id"], real_settings=checkpoint(scope=scope))
    upload_tasks(api, pool["id"], 2, golden=0)
    wanda = worker_client(app_client, ctx, "wanda")
    assert work(wanda, elsewhere["id"]) == [image(0)]
    assert work_all(wanda, pool["id"]) == [image(0), image(1)]  # her 2nd and 3rd tasks in the project
    assert overlaps(api, pool["id"]) == by_image(*zip(range(2), expected, strict=True))
    assert overlaps(api, elsewhere["id"]) == by_image((0, 1))


@pytest.mark.parametrize(("hours_later", "second"), [(23, 1), (25, 3)])
def test_work_older_than_the_window_does_not_count(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    project: dict[str, Any],
    hours_later: int,
    second: int,
) -> None:
    pool = checked_pool(api, project["id"], real_settings=checkpoint(window_days=1))
    upload_tasks(api, pool["id"], 2, golden=0)
    wanda = worker_client(app_client, ctx, "wanda")
    work(wanda, pool["id"])
    clock.advance(timedelta(hours=hours_later))
    work(wanda, pool["id"])  # after a day her first task is out of the count: this one is her 1st again
    assert overlaps(api, pool["id"]) == by_image((0, 3), (1, second))


def test_overlaps_are_never_lowered_and_control_tasks_are_checked_too(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    pool = checked_pool(
        api,
        project["id"],
        real=1,
        golden=1,
        real_settings=checkpoint(target=3),
        golden_settings=checkpoint(target=3, frequency=1),
    )
    control = {"known_solutions": [{"output_values": {"result": "cat"}}]}
    tasks = [
        {"pool_id": pool["id"], "input_values": {"image": image(0)}, "overlap": 5},
        {"pool_id": pool["id"], "input_values": {"image": image(1)}, "overlap": 5},
        {"pool_id": pool["id"], "input_values": {"image": image(2)}, **control},  # infinite overlap
        {"pool_id": pool["id"], "input_values": {"image": image(3)}, "overlap": 1, **control},
    ]
    response = api.post("/api/v1/tasks", params={"open_pool": "true"}, json=tasks)
    assert response.status_code == 201, response.text
    wanda = worker_client(app_client, ctx, "wanda")
    assert work_all(wanda, pool["id"]) == [image(0), image(2), image(1), image(3)]
    assert overlaps(api, pool["id"]) == by_image((0, 5), (1, 5), (2, None), (3, 3))


def test_a_pool_without_checkpoints_issues_as_before_without_counting(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    project: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unexpected(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a pool without checkpoints read or raised something for them")

    monkeypatch.setattr(assignment_store, "completed_tasks", unexpected)
    monkeypatch.setattr(task_store, "raise_overlap", unexpected)
    pool = checked_pool(api, project["id"], real=2)
    upload_tasks(api, pool["id"], 4, golden=0)
    assert work_all(worker_client(app_client, ctx, "first"), pool["id"]) == [image(n) for n in range(4)]
    assert overlaps(api, pool["id"]) == by_image(*((n, 1) for n in range(4)))
    assert work(worker_client(app_client, ctx, "second"), pool["id"]) is None


def test_a_raise_is_new_work_the_last_suite_waits_for(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, project: dict[str, Any]
) -> None:
    body = mixer_pool(project["id"], overlap=1)
    body["mixer_config"] = {
        "real_tasks_count": 2,
        "golden_tasks_count": 0,
        "training_tasks_count": 0,
        "force_last_assignment_delay_seconds": 60,
    }
    body["quality_control"] = {"checkpoints_config": {"real_settings": checkpoint(target=2)}}
    pool = api.post("/api/v1/pools", json=body).json()
    upload_tasks(api, pool["id"], 3, golden=0)
    clock.advance(timedelta(seconds=60))
    wanda = worker_client(app_client, ctx, "wanda")
    assert work(wanda, pool["id"]) == [image(0), image(1)]  # raises the overlap of image 0
    clock.advance(timedelta(seconds=59))
    assert work(wanda, pool["id"]) is None
    clock.advance(timedelta(seconds=1))
    assert work(wanda, pool["id"]) == [image(2)]
