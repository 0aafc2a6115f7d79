"""Dynamic overlap through toloka-kit: a script sets up a pool at overlap 1 that grows up to 5 until
the answers, weighted by the workers' skill, reach a confidence of 0.9; workers of known accuracy
work through it over the worker API.

Each worker's skill value is its accuracy. An expert (95) alone is sure enough; a novice (75) is
not, and two novices who agree are (0.95). So a task grows past the answers its workers' skill
calls for only where they disagree, and the pool stays open until every task is done, then closes
COMPLETED.
"""

from decimal import Decimal
from typing import Any

import pytest
from toloka.client import Pool, Skill, Task, TolokaClient
from toloka.client.project import field_spec
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import ClassicViewSpec

from tests.compat import builders
from tests.compat.crowd import Worker, advance
from tests.support.live import LiveServer

pytestmark = pytest.mark.compat

LABELS = ["cat", "dog", "other"]
TASKS = 10
HARD = {4, 6, 9}
"""Tasks whose picture is unclear: one of the novices gets them wrong."""
DELAY = 60


def image(n: int) -> str:
    return f"https://img.example/{LABELS[n % 3]}/{n}.png"


def truth(task: dict[str, Any]) -> str:
    return str(task["input_values"]["image"].split("/")[3])


def number(task: dict[str, Any]) -> int:
    return int(task["input_values"]["image"].rsplit("/", 1)[1].removesuffix(".png"))


def mistaken(task: dict[str, Any]) -> str:
    """Right on clear pictures, wrong on unclear ones."""
    if number(task) not in HARD:
        return truth(task)
    return LABELS[(LABELS.index(truth(task)) + 1) % 3]


def dynamic_pool(project_id: str, skill_id: str) -> Pool:
    pool = builders.pool(
        project_id,
        auto_close_after_complete_delay_seconds=DELAY,
        defaults=Pool.Defaults(default_overlap_for_new_tasks=1, default_overlap_for_new_task_suites=1),
        dynamic_overlap_config=builders.dynamic_overlap(skill_id, max_overlap=5, min_confidence=0.9),
    )
    pool.set_mixer_config(real_tasks_count=1, golden_tasks_count=0, training_tasks_count=0)
    return pool


def work_through(worker: Worker, pool_id: str, answer: Any, limit: int = TASKS) -> list[int]:
    """Take and answer suites until the pool has none left for the worker: the tasks answered."""
    done = []
    while len(done) < limit and (assignment := worker.take(pool_id)) is not None:
        worker.submit(assignment, answer)
        done.append(number(assignment["tasks"][0]))
    return done


def test_overlap_grows_only_where_answers_disagree(time_travel_server: LiveServer) -> None:
    server = time_travel_server
    client = TolokaClient(server.token, url=server.url)
    spec = TaskSpec(
        input_spec={"image": field_spec.UrlSpec()},
        output_spec={"result": field_spec.StringSpec(allowed_values=LABELS)},
        view_spec=ClassicViewSpec(markup="<img src='{{input.image}}'>"),
    )
    project = client.create_project(builders.project(task_spec=spec))
    skill = client.create_skill(Skill(name="Accuracy on control tasks", hidden=True))
    pool = client.create_pool(dynamic_pool(project.id, skill.id))
    assert pool.dynamic_overlap_config.max_overlap == 5
    tasks = [Task(pool_id=pool.id, input_values={"image": image(n)}) for n in range(TASKS)]
    created = client.create_tasks(tasks, allow_defaults=True, open_pool=True)
    ids = [created.items[str(n)].id for n in range(TASKS)]

    def worker(name: str, accuracy: int) -> Worker:
        found = Worker(server, name, "result")
        client.set_user_skill(skill_id=skill.id, user_id=found.id, value=Decimal(accuracy))
        return found

    def overlaps() -> list[int]:
        return [client.get_task(task_id).overlap for task_id in ids]

    expert, first, second, third = worker("expert", 95), worker("n1", 75), worker("n2", 75), worker("n3", 75)
    assert work_through(expert, pool.id, truth, limit=2) == [0, 1]
    assert overlaps()[:2] == [1, 1]  # the expert alone is sure enough

    assert work_through(first, pool.id, truth) == list(range(2, TASKS))
    assert overlaps() == [1, 1] + [2] * (TASKS - 2)  # a novice alone is not
    advance(server, DELAY + 1)
    assert client.get_pool(pool.id).status == Pool.Status.OPEN

    assert work_through(second, pool.id, mistaken) == list(range(2, TASKS))
    assert overlaps() == [3 if n in HARD else 1 if n < 2 else 2 for n in range(TASKS)]
    assert work_through(third, pool.id, truth) == sorted(HARD)  # two of three: 0.84, still unsure
    assert work_through(expert, pool.id, truth) == sorted(HARD)  # the expert settles them
    final = overlaps()
    assert final == [4 if n in HARD else 1 if n < 2 else 2 for n in range(TASKS)]
    assert all(client.get_task(task_id).remaining_overlap == 0 for task_id in ids)

    answers: dict[str, set[str]] = {task_id: set() for task_id in ids}
    for assignment in client.get_assignments(pool_id=pool.id):
        for task, solution in zip(assignment.tasks, assignment.solutions, strict=True):
            answers[task.id].add(solution.output_values["result"])
    grown = {n for n, task_id in enumerate(ids) if final[n] > (1 if n < 2 else 2)}
    assert grown == HARD
    assert all(len(answers[ids[n]]) > 1 for n in grown)  # grown where the answers disagree
    assert all(len(answers[ids[n]]) == 1 for n in range(TASKS) if n not in grown)

    advance(server, DELAY + 1)
    closed = client.get_pool(pool.id)
    assert (closed.status, closed.last_close_reason) == (Pool.Status.CLOSED, Pool.CloseReason.COMPLETED)
