"""Aggregation through toloka-kit, sync and async: five workers of known accuracy answer a pool over
the worker API, then aggregate_solutions_by_pool (DAWID_SKENE, WEIGHTED_DYNAMIC_OVERLAP by a skill
holding each worker's accuracy), wait_operation, get_aggregated_solutions and find_aggregated_solutions
page the labels, and aggregate_solutions_by_task labels one task. The accuracy of the labels against
the known truth is printed and must beat the best single worker."""

import random
import uuid
from decimal import Decimal
from typing import Any

import pytest
from toloka.client import Pool, Skill, Task
from toloka.client.aggregation import AggregatedSolutionType, PoolAggregatedSolutionRequest
from toloka.client.project import field_spec
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import ClassicViewSpec

from tests.compat import builders
from tests.compat.crowd import Worker
from tests.support.live import LiveServer

pytestmark = pytest.mark.compat

CLASSES = ["bird", "cat", "dog"]
TASKS, OVERLAP, SUITE = 40, 5, 4
ACCURACY = [0.85, 0.75, 0.7, 0.65, 0.6]
"""Each worker's chance of giving the true class; otherwise a wrong class, at random."""
FIELDS = [PoolAggregatedSolutionRequest.Field(name="result")]


def image(n: int) -> str:
    return f"https://img.example/agg-{n}.png"


TRUTH = {image(n): CLASSES[n % len(CLASSES)] for n in range(TASKS)}


def answerer(seed: str, accuracy: float) -> Any:
    """The worker's answer to a task: the truth with probability `accuracy`, the same on every run."""

    def answer(task: dict[str, Any]) -> str:
        picture = task["input_values"]["image"]
        chance = random.Random(f"{seed}/{picture}")
        if chance.random() < accuracy:
            return TRUTH[picture]
        return chance.choice([label for label in CLASSES if label != TRUTH[picture]])

    return answer


def accuracy_of(labels: dict[str, str], truth: dict[str, str]) -> float:
    return sum(labels[task_id] == truth[task_id] for task_id in truth) / len(truth)


def test_aggregation_through_toloka_kit(api: Any, live_server: LiveServer) -> None:
    spec = TaskSpec(
        input_spec={"image": field_spec.UrlSpec()},
        output_spec={"result": field_spec.StringSpec(allowed_values=CLASSES)},
        view_spec=ClassicViewSpec(markup="<img src='{{input.image}}'>"),
    )
    project = api.create_project(builders.project(task_spec=spec))
    pool = builders.pool(
        project.id,
        defaults=Pool.Defaults(
            default_overlap_for_new_tasks=OVERLAP, default_overlap_for_new_task_suites=OVERLAP
        ),
    )
    pool.set_mixer_config(real_tasks_count=SUITE, golden_tasks_count=0, training_tasks_count=0)
    pool = api.create_pool(pool)
    tasks = [Task(pool_id=pool.id, input_values={"image": image(n)}) for n in range(TASKS)]
    made = api.create_tasks(tasks, allow_defaults=True, open_pool=True)
    truth = {made.items[str(n)].id: TRUTH[image(n)] for n in range(TASKS)}
    skill = api.create_skill(Skill(name="Known accuracy", hidden=True))

    run = uuid.uuid4().hex[:8]
    given: dict[str, dict[str, str]] = {}
    for number, accuracy in enumerate(ACCURACY):
        worker = Worker(live_server, f"agg-{run}-{number}", "result")
        answer = answerer(f"{number}", accuracy)
        answers: dict[str, str] = {}
        while (assignment := worker.take(pool.id)) is not None:
            worker.submit(assignment, answer)
            answers.update({task["id"]: answer(task) for task in assignment["tasks"]})
        assert len(answers) == TASKS
        given[worker.id] = answers
        api.set_user_skill(skill_id=skill.id, user_id=worker.id, value=Decimal(round(accuracy * 100)))
    best_worker = max(accuracy_of(answers, truth) for answers in given.values())

    found: dict[str, float] = {}
    for kind, skill_id in (
        (AggregatedSolutionType.DAWID_SKENE, None),
        ("WEIGHTED_DYNAMIC_OVERLAP", skill.id),
    ):
        operation = api.aggregate_solutions_by_pool(
            type=kind, pool_id=pool.id, answer_weight_skill_id=skill_id, fields=FIELDS
        )
        operation = api.wait_operation(operation)
        assert operation.status == operation.Status.SUCCESS
        assert operation.parameters.pool_id == pool.id
        solutions = list(api.get_aggregated_solutions(operation.id, batch_size=7))  # six pages
        assert [solution.task_id for solution in solutions] == sorted(truth)
        assert all(solution.pool_id == pool.id and 0 < solution.confidence <= 1 for solution in solutions)
        labels = {solution.task_id: solution.output_values["result"] for solution in solutions}
        found[AggregatedSolutionType(kind).value] = accuracy_of(labels, truth)

        page = api.find_aggregated_solutions(operation.id, task_id_gt=solutions[9].task_id, limit=5)
        assert page.has_more is True
        assert [item.task_id for item in page.items] == [solution.task_id for solution in solutions[10:15]]

        first = solutions[0]
        single = api.aggregate_solutions_by_task(  # toloka-kit sends type WEIGHTED_DYNAMIC_OVERLAP
            pool_id=pool.id,
            task_id=first.task_id,
            answer_weight_skill_id=skill.id,
            fields=FIELDS,
        )
        assert single.task_id == first.task_id and single.pool_id == pool.id
        assert single.output_values["result"] in CLASSES and 0 < single.confidence <= 1

    print(
        f"label accuracy vs truth: best worker {best_worker:.3f}, "
        + ", ".join(f"{k} {v:.3f}" for k, v in found.items())
    )
    assert found["DAWID_SKENE"] >= best_worker
    assert found["WEIGHTED_DYNAMIC_OVERLAP"] >= best_worker
