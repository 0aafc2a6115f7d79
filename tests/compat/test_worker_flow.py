"""Issue 4's whole story: a toloka-kit script sets up a training and a pool, workers pass or fail the
training and do the work over the worker API, one lets an assignment expire, the requester reviews
with toloka-kit, and the pool closes COMPLETED. Time is skipped on the server, never slept."""

from collections import Counter

import pytest
from toloka.client import Assignment, Pool, Task, TolokaClient, Training, actions, collectors, conditions
from toloka.client.quality_control import QualityControl

from tests.compat import builders
from tests.compat.crowd import Worker, advance
from tests.support.live import LiveServer

pytestmark = pytest.mark.compat


def test_the_whole_flow(time_travel_server: LiveServer) -> None:
    server = time_travel_server
    client = TolokaClient(server.token, url=server.url)
    project = client.create_project(builders.project())
    training = client.create_training(
        Training(
            project_id=project.id,
            private_name="Cats only",
            may_contain_adult_content=False,
            assignment_max_duration_seconds=600,
            training_tasks_in_task_suite_count=10,
            task_suites_required_to_pass=1,
        )
    )
    lessons = [
        Task(
            pool_id=training.id,
            input_values={"image": f"https://img.example/lesson-{n}.png"},
            known_solutions=[Task.KnownSolution(output_values={"animal": "cat"})],
            message_on_unknown_solution="Whiskers: a cat.",
        )
        for n in range(10)
    ]
    client.create_tasks(lessons, open_pool=True)

    sent = builders.pool(project.id, assignment_max_duration_seconds=600)
    sent.defaults = Pool.Defaults(default_overlap_for_new_tasks=3, default_overlap_for_new_task_suites=3)
    sent.auto_accept_solutions = False
    sent.auto_accept_period_day = 5
    sent.auto_close_after_complete_delay_seconds = 60
    sent.set_mixer_config(real_tasks_count=2, golden_tasks_count=1, training_tasks_count=0)
    sent.quality_control = QualityControl(
        training_requirement=QualityControl.TrainingRequirement(
            training_pool_id=training.id, training_passing_skill_value=80
        )
    )
    sent.quality_control.add_action(  # a rejected suite is done again (Toloka re-issues none by itself)
        collector=collectors.AssignmentsAssessment(),
        conditions=[conditions.AssessmentEvent == conditions.AssessmentEvent.REJECT],
        action=actions.ChangeOverlap(delta=1, open_pool=True),
    )
    pool = client.create_pool(sent)
    work = [Task(pool_id=pool.id, input_values={"image": f"https://img.example/{n}.png"}) for n in range(6)]
    golden = [
        Task(
            pool_id=pool.id,
            input_values={"image": f"https://img.example/golden-{n}.png"},
            known_solutions=[Task.KnownSolution(output_values={"animal": "dog"})],
        )
        for n in range(4)
    ]
    client.create_tasks(work + golden, allow_defaults=True)
    assert client.open_pool(pool.id).status == Pool.Status.OPEN

    crowd = [Worker(server, f"worker-{n}") for n in range(6)]
    for worker in (*crowd[:4], crowd[5]):
        result = worker.submit(worker.take(training.id), "cat")
        assert all(item["correct"] for item in result["feedback"])
    failed = crowd[4].submit(crowd[4].take(training.id), "dog")
    assert not any(item["correct"] for item in failed["feedback"])
    assert crowd[4].take(pool.id) is None
    assert crowd[4].http.get("/api/worker/v1/pools").json() == []

    idle = crowd[0].take(pool.id)  # left to expire
    assert idle is not None
    for worker in crowd[1:3]:
        while (assignment := worker.take(pool.id)) is not None:
            worker.submit(assignment, "dog")
    assert advance(server, 601)["expired"] == 1
    for worker in (crowd[0], crowd[3]):
        while (assignment := worker.take(pool.id)) is not None:
            worker.submit(assignment, "dog")

    submitted = list(client.get_assignments(pool_id=pool.id, status=Assignment.SUBMITTED))
    assert len(submitted) == 9  # 6 tasks x overlap 3, two per suite
    rejected = client.reject_assignment(submitted[0].id, "Look again")
    assert rejected.status == Assignment.REJECTED
    for assignment in submitted[1:]:
        client.accept_assignment(assignment.id, "Thanks")
    redo = crowd[5].take(
        pool.id
    )  # the rejected suite, re-issued by the rule, for someone who has not seen its tasks
    assert redo is not None and crowd[5].take(pool.id) is None
    crowd[5].submit(redo, "dog")
    client.accept_assignment(redo["id"], "Thanks")

    expired = list(client.get_assignments(pool_id=pool.id, status=Assignment.EXPIRED))
    assert [item.id for item in expired] == [idle["id"]]
    accepted = list(client.get_assignments(pool_id=pool.id, status=Assignment.ACCEPTED))
    held = Counter(task.id for item in accepted for task in item.tasks if not task.known_solutions)
    assert len(held) == 6 and set(held.values()) == {3}

    assert advance(server, 30)["pools_closed"] == 0
    assert advance(server, 31)["pools_closed"] == 1
    closed = client.get_pool(pool.id)
    assert (closed.status, closed.last_close_reason) == (Pool.Status.CLOSED, Pool.CloseReason.COMPLETED)
    earned = crowd[1].http.get("/api/worker/v1/me").json()["earnings"]
    assert earned["accepted"] > 0
