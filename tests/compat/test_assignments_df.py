"""toloka-kit's get_assignments_df reads every answer of a pool, and honours its filters."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from toloka.client import Assignment, GetAssignmentsTsvParameters, Pool, Project, Task
from toloka.client.user_restriction import PoolUserRestriction

from tests.compat import builders
from tests.compat.crowd import Worker
from tests.support.live import LiveServer

pytestmark = pytest.mark.compat

API = Any
Status = GetAssignmentsTsvParameters.Status
Field = GetAssignmentsTsvParameters.Field
ANSWERS = ["cat", 'a "quoted"\tanswer', "two\nlines", "dog"]
"""What the workers answer, one each, so that every answer can be told apart by its worker."""


def test_every_answer_comes_back_and_the_filters_hold(api: API, live_server: LiveServer) -> None:
    project: Project = api.create_project(builders.project())
    sent = builders.pool(project.id, auto_accept_solutions=False)
    sent.defaults = Pool.Defaults(default_overlap_for_new_tasks=4, default_overlap_for_new_task_suites=4)
    sent.set_mixer_config(real_tasks_count=2, golden_tasks_count=0, training_tasks_count=0)
    pool: Pool = api.create_pool(sent)
    images = [f"https://img.example/{n}.png" for n in range(4)]
    api.create_tasks(
        [Task(pool_id=pool.id, input_values={"image": image}) for image in images],
        allow_defaults=True,
        open_pool=True,
    )
    crowd = [Worker(live_server, f"df-{uuid.uuid4().hex[:8]}") for _ in ANSWERS]
    answered: dict[str, list[str]] = {}
    for worker, answer in zip(crowd, ANSWERS, strict=True):
        while (assignment := worker.take(pool.id)) is not None:
            worker.submit(assignment, answer)
            answered.setdefault(worker.id, []).append(assignment["id"])
    assert [len(ids) for ids in answered.values()] == [2, 2, 2, 2]

    submitted = list(api.get_assignments(pool_id=pool.id, status=Assignment.SUBMITTED))
    approved = {item.id for item in submitted[:4]}
    for item in submitted[:4]:
        api.accept_assignment(item.id, "Thanks")
    api.reject_assignment(submitted[4].id, "Look again")

    default = api.get_assignments_df(pool.id)  # APPROVED, toloka-kit's default columns
    assert list(default.columns) == [
        "INPUT:image",
        "OUTPUT:animal",
        "GOLDEN:animal",
        "HINT:text",
        "HINT:default_language",
        "ASSIGNMENT:link",
        "ASSIGNMENT:assignment_id",
        "ASSIGNMENT:worker_id",
        "ASSIGNMENT:status",
        "ASSIGNMENT:started",
    ]
    assert len(default) == 8 and set(default["ASSIGNMENT:status"]) == {"APPROVED"}
    assert {_id(value) for value in default["ASSIGNMENT:assignment_id"]} == {_id(key) for key in approved}

    every = api.get_assignments_df(
        pool.id,
        status=[Status.SUBMITTED, Status.APPROVED, Status.REJECTED],
        field=[Field.WORKER_ID, Field.TASK_ID, Field.STATUS],
    )
    assert len(every) == 16  # four workers, two suites of two tasks each
    by_worker = {str(worker_id): answer for worker_id, answer in zip(answered, ANSWERS, strict=True)}
    for row in every.to_dict("records"):
        assert row["OUTPUT:animal"] == by_worker[str(row["ASSIGNMENT:worker_id"])]
    assert sorted(every["INPUT:image"]) == sorted(images * 4)
    assert every["ASSIGNMENT:status"].value_counts().to_dict() == {
        "APPROVED": 8,
        "SUBMITTED": 6,
        "REJECTED": 2,
    }

    cheat = crowd[0].id
    api.set_user_restriction(PoolUserRestriction(user_id=cheat, pool_id=pool.id, private_comment="Cheats"))
    honest = api.get_assignments_df(
        pool.id, status=[Status.SUBMITTED, Status.APPROVED, Status.REJECTED], exclude_banned=True
    )
    assert len(honest) == 12 and cheat not in {str(value) for value in honest["ASSIGNMENT:worker_id"]}

    later = datetime.now(UTC) + timedelta(days=1)
    assert api.get_assignments_df(pool.id, status=[Status.APPROVED], start_time_from=later).empty
    earlier = api.get_assignments_df(pool.id, status=[Status.APPROVED], start_time_to=later)
    assert len(earlier) == 8


def _id(value: Any) -> str:
    """An id as pandas read it: all-digit ids come back as numbers."""
    return str(value).lstrip("0")
