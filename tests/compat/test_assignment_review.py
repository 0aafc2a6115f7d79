"""Workers answer over the worker API; the requester reads and reviews with toloka-kit."""

import uuid
from typing import Any

import httpx
import pytest
from toloka.client import Assignment, Pool, Project, Task
from toloka.client.exceptions import ConflictStateApiError

from tests.compat import builders
from tests.support.live import LiveServer, create_account

pytestmark = pytest.mark.compat

API = Any


def worker(server: LiveServer, *options: str) -> httpx.Client:
    token = create_account(server.database_url, "worker", f"worker-{uuid.uuid4().hex[:8]}", *options)
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_requester_reviews_what_workers_did(api: API, live_server: LiveServer) -> None:
    project: Project = api.create_project(builders.project())
    sent = builders.pool(project.id)
    sent.auto_accept_solutions = False
    sent.auto_accept_period_day = 3
    sent.set_mixer_config(real_tasks_count=2, golden_tasks_count=0, training_tasks_count=0)
    pool: Pool = api.create_pool(sent)
    tasks = [
        Task(input_values={"image": f"https://img.example/{n}.png"}, pool_id=pool.id, overlap=1)
        for n in range(4)
    ]
    api.create_tasks(tasks, open_pool=True)

    done = []
    for _ in range(2):
        client = worker(live_server, "--languages", "EN")
        taken = client.post(f"/api/worker/v1/pools/{pool.id}/assignments")
        assert taken.status_code == 201, taken.text
        assignment = taken.json()
        answers = {"solutions": [{"output_values": {"animal": "cat"}} for _ in assignment["tasks"]]}
        assert (
            client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=answers).status_code
            == 200
        )
        done.append(assignment["id"])

    found = list(api.get_assignments(pool_id=pool.id, status=[Assignment.SUBMITTED]))
    assert sorted(item.id for item in found) == sorted(done)
    first = api.get_assignment(done[0])
    assert first.status == Assignment.SUBMITTED and first.pool_id == pool.id
    assert [solution.output_values for solution in first.solutions] == [{"animal": "cat"}] * 2
    assert first.tasks[0].input_values["image"].startswith("https://img.example/")

    accepted = api.accept_assignment(done[0], "Well done")
    assert accepted.status == Assignment.ACCEPTED and accepted.accepted is not None
    rejected = api.reject_assignment(done[1], "Those are dogs")
    assert rejected.status == Assignment.REJECTED and rejected.public_comment == "Those are dogs"
    with pytest.raises(ConflictStateApiError):
        api.reject_assignment(done[0], "Changed my mind")
    by_task = api.find_assignments(task_id=first.tasks[0].id)
    assert [item.id for item in by_task.items] == [done[0]]
    statuses = {item.status for item in api.get_assignments(pool_id=pool.id, status=["ACCEPTED", "REJECTED"])}
    assert statuses == {Assignment.ACCEPTED, Assignment.REJECTED}
