"""Races between requests: one transition wins, quotas never let more through than allowed,
dynamic overlap grows a task once per decision and never past max_overlap."""

import json
from queue import SimpleQueue
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.schemas.pool import PoolIn
from kvorum.schemas.project import ProjectIn
from kvorum.schemas.worker import WorkerProfile
from kvorum.services import operations
from kvorum.services.accounts import requesters as accounts
from kvorum.services.accounts import workers
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import lifecycle as assignments
from kvorum.services.assignments.model import WorkerAssignment
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, TooManyRequests
from kvorum.services.issuing import service as issuing
from kvorum.services.pools import lifecycle
from kvorum.services.pools import service as pools
from kvorum.services.pools.model import Pool
from kvorum.services.pools.types import REGULAR_POOL
from kvorum.services.projects import service as projects
from kvorum.store import tasks as task_store
from tests.helpers import (
    CHOICE_RESULT,
    created,
    dynamic_overlap_pool,
    pool_body,
    project_body,
    race,
    task_spec,
)

THREADS = 8


@pytest.fixture
def caller(ctx: Context) -> int:
    return accounts.create_requester(ctx, name="racer")[0].id


@pytest.fixture
def project_id(ctx: Context, caller: int) -> str:
    return str(projects.create(ctx, caller=caller, body=ProjectIn.model_validate(project_body())).id)


def test_concurrent_opens_make_one_operation(ctx: Context, caller: int, project_id: str) -> None:
    body = PoolIn.model_validate(pool_body(project_id))
    pool_id = str(pools.create(ctx, caller=caller, pool_type=REGULAR_POOL, body=body).id)
    results = race(
        lambda: lifecycle.transition(
            ctx, caller=caller, pool_type=REGULAR_POOL, pool_id=pool_id, change=lifecycle.OPEN
        )
    )
    done = [result for result in results if isinstance(result, lifecycle.AlreadyDone)]
    assert [type(result) for result in results if not isinstance(result, lifecycle.AlreadyDone)] == [
        operations.Operation
    ]
    assert len(done) == THREADS - 1
    assert pools.get(ctx, caller=caller, pool_type=REGULAR_POOL, pool_id=pool_id).status == "OPEN"
    found = operations.find(ctx, caller=caller, params={"type": "POOL.OPEN"})
    assert len(found.items) == 1


def test_quota_admits_exactly_the_limit_under_concurrency(ctx: Context, caller: int, project_id: str) -> None:
    ctx.settings.quota_pool_create_per_minute = 3
    body = PoolIn.model_validate(pool_body(project_id))
    results = race(lambda: pools.create(ctx, caller=caller, pool_type=REGULAR_POOL, body=body))
    created = [result for result in results if isinstance(result, Pool)]
    refused = [result for result in results if isinstance(result, TooManyRequests)]
    assert (len(created), len(refused)) == (3, THREADS - 3)
    assert len(pools.find(ctx, caller=caller, pool_type=REGULAR_POOL, params={}).items) == 3


def _submit(ctx: Context, worker: Worker, assignment: WorkerAssignment, label: str) -> WorkerAssignment:
    raw = json.dumps({"solutions": [{"output_values": {"result": label}}]}).encode()
    return assignments.submit(ctx, worker=worker, assignment_id=assignment.assignment.id, raw=raw)


def test_concurrent_submits_grow_a_task_once_and_never_past_max_overlap(
    api: TestClient, ctx: Context, skill: dict[str, Any]
) -> None:
    """Four workers hold the four slots of one task and submit at once, disagreeing (no one has a
    value of the skill, so no answer is ever confident): the task grows once, not once per submit,
    and every later round adds one slot until max_overlap."""
    spec = task_spec(output_spec=CHOICE_RESULT)
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=spec)))
    pool = created(
        api.post(
            "/api/v1/pools", json=dynamic_overlap_pool(project["id"], skill["id"], overlap=4, max_overlap=6)
        )
    )
    task = {"pool_id": pool["id"], "input_values": {"image": "https://img.example/0.png"}}
    response = api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=[task])
    task_id = response.json()["items"]["0"]["id"]
    crowd = [
        workers.create_worker(ctx, name=f"racer{n}", profile=WorkerProfile(languages=["EN"]))[0]
        for n in range(10)
    ]

    def overlap() -> int:
        with ctx.db.read() as conn:
            row = task_store.get_task(conn, owner_id=int(pool["owner"]["id"]), task_id=task_id)
        assert row is not None
        return int(row.overlap)

    def issue_all(to: list[Worker]) -> list[tuple[Worker, WorkerAssignment]]:
        queue: SimpleQueue[Worker] = SimpleQueue()
        for worker in to:
            queue.put(worker)

        def attempt() -> tuple[Worker, WorkerAssignment]:
            worker = queue.get()
            return worker, issuing.issue(ctx, worker=worker, pool_id=pool["id"])

        results = race(attempt, len(to))
        assert all(isinstance(result, tuple | issuing.NothingToIssue) for result in results), results
        return [result for result in results if isinstance(result, tuple)]

    holders = issue_all(crowd[:4])
    assert len(holders) == 4
    queue: SimpleQueue[tuple[Worker, WorkerAssignment, str]] = SimpleQueue()
    for n, (worker, assignment) in enumerate(holders):
        queue.put((worker, assignment, ("cat", "dog")[n % 2]))
    results = race(lambda: _submit(ctx, *queue.get()), 4)
    assert all(isinstance(result, WorkerAssignment) for result in results), results
    assert overlap() == 5

    (winner,) = issue_all(crowd[4:8])  # one slot opened: one of four gets it
    retried = race(lambda: _submit(ctx, *winner, "other"))
    assert sum(isinstance(result, WorkerAssignment) for result in retried) == 1
    assert all(isinstance(result, WorkerAssignment | Conflict) for result in retried), retried
    assert overlap() == 6

    (last,) = issue_all(crowd[8:])
    _submit(ctx, *last, "cat")
    assert overlap() == 6  # max_overlap
    assert issue_all(crowd[:8]) == []
