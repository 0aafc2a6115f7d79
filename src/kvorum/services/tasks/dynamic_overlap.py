"""Dynamic overlap (pool.dynamic_overlap_config, type BASIC): a task gets more answers until they agree.

Whenever an answer to a real task comes in (submitted, or accepted after a rejection) or goes
(rejected), the confidence of each real task of the assignment is computed again:
WEIGHTED_DYNAMIC_OVERLAP over the task's answers from SUBMITTED and ACCEPTED assignments, on the
configured fields, each weighted by its worker's current value of answer_weight_skill_id, with the
task's baseline solutions as priors. Once every slot of the task's overlap is resolved (answered
or rejected), the task is done if it has at least its overlap of answers (a rejected one gives up
its part) and the confidence reaches min_confidence; otherwise its overlap grows by one, up to
max_overlap, and the task is issued again. The pool stays open meanwhile (a pool closed COMPLETED
opens again when a rejection gives a task another slot).

A decision reads only the state (the task's overlap and answers), never what the event says
changed, so hearing the same state twice grows nothing more; the task rows are locked first, so
concurrent submits on one task decide one after the other, each seeing the answers before it.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from math import nan
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection

from kvorum.services.aggregation import aggregate, canonical_label, index_answers, possible_labels
from kvorum.services.assignments.events import Accepted, AssignmentEvent
from kvorum.services.assignments.lifecycle import pool_of_event, task_spec
from kvorum.services.pools import lifecycle
from kvorum.services.pools.settings import DynamicOverlap
from kvorum.store import quality as answer_store
from kvorum.store import skills as skill_store
from kvorum.store import tasks as task_store

RESOLVED = ("SUBMITTED", "ACCEPTED", "REJECTED")
"""Assignments that hold a slot of the task's overlap and will not answer any more; the answers of
all but the rejected ones count."""


@dataclass(frozen=True, slots=True)
class TaskAnswers:
    """What a decision on one task reads."""

    overlap: int
    resolved: int
    """Slots answered or rejected."""
    rejected: int
    """Slots whose answers were rejected: they hold their slot, but the task needs another answer."""
    answers: Sequence[tuple[int, str]]
    """(worker, label) of each counted answer that has every configured field."""
    priors: Sequence[tuple[str, float]]
    """(label, confidence_weight) of each baseline solution that has every configured field."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """A task's confidence and whether it needs another answer."""

    confidence: float
    grow: bool


def label_of(values: Mapping[str, Any], fields: Sequence[str]) -> str | None:
    """The label of an answer on the fields; None when it lacks one of them (it does not count)."""
    if any(name not in values for name in fields):
        return None
    return canonical_label([values[name] for name in fields])


def decide(
    config: DynamicOverlap,
    tasks: Sequence[TaskAnswers],
    skill_values: Mapping[int, float],
    k: int | None,
) -> list[Verdict]:
    """The verdict on each task, computed together in one call of the aggregation method."""
    indexed = index_answers(
        ((n, worker, label) for n, task in enumerate(tasks) for worker, label in task.answers),
        ((n, label, weight) for n, task in enumerate(tasks) for label, weight in task.priors),
        tasks=range(len(tasks)),
    )
    values = [skill_values.get(cast(int, worker), nan) for worker in indexed.worker_keys]
    accuracy = np.array(values, np.float64) / 100
    labelled = aggregate(
        "WEIGHTED_DYNAMIC_OVERLAP",
        indexed.answers,
        priors=indexed.priors,
        worker_accuracy=accuracy,
        possible_labels=None if k is None else np.full(len(tasks), k, np.int64),
    )
    confidences = dict(zip(indexed.task_keys, labelled.confidence.tolist(), strict=True))
    verdicts = []
    for n, task in enumerate(tasks):
        confidence = float(confidences[n])
        done = len(task.answers) >= task.overlap - task.rejected and confidence >= config.min_confidence
        pending = task.resolved < task.overlap
        verdicts.append(Verdict(confidence, not done and not pending and task.overlap < config.max_overlap))
    return verdicts


def hear(conn: Connection, event: AssignmentEvent) -> None:
    """Decide on the real tasks of the assignment that may still grow and whose every slot is
    resolved (a task with a free or active slot waits for its answer)."""
    assignment = event.assignment
    if not assignment.mixed or (isinstance(event, Accepted) and event.by == "SUBMIT"):
        return  # an uploaded suite has its own overlap; an acceptance at submit changes no answer
    real = {task["id"]: task for task in assignment.tasks if task["kind"] == "REAL"}
    if not real:
        return
    pool = pool_of_event(conn, event)
    config = pool.settings.dynamic_overlap
    if config is None:
        return
    overlaps = task_store.lock_overlaps(conn, task_ids=list(real), below=config.max_overlap)
    if not overlaps:
        return
    states = _states(conn, overlaps, real, config.fields)
    deciding = {task_id: state for task_id, state in states.items() if state.resolved >= state.overlap}
    if not deciding:
        return  # every task still waits for an answer
    workers = sorted({worker for state in deciding.values() for worker, _ in state.answers})
    skills = (
        skill_store.values_for(conn, skill_id=config.answer_weight_skill_id, worker_ids=workers, now=event.at)
        if workers
        else {}
    )
    k = possible_labels(task_spec(pool)["output_spec"], config.fields)
    verdicts = decide(config, list(deciding.values()), skills, k)
    grown = [
        (task_id, state.overlap)
        for (task_id, state), verdict in zip(deciding.items(), verdicts, strict=True)
        if verdict.grow
    ]
    if grown:
        _grow(conn, grown, event.at)
        if pool.status == "CLOSED" and pool.last_close_reason == "COMPLETED":
            lifecycle.reopen(conn, pool, event.at)


def _states(
    conn: Connection,
    overlaps: Mapping[str, int],
    tasks: Mapping[str, Mapping[str, Any]],
    fields: Sequence[str],
) -> dict[str, TaskAnswers]:
    """What the decision on each task reads: its answers in one query, its baseline solutions as issued."""
    resolved: dict[str, int] = defaultdict(int)
    rejected: dict[str, int] = defaultdict(int)
    answers: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in answer_store.answers_to(conn, task_ids=list(overlaps), statuses=RESOLVED):
        resolved[row.task_id] += 1
        if row.status == "REJECTED":
            rejected[row.task_id] += 1
        elif (label := label_of(row.output_values, fields)) is not None:
            answers[row.task_id].append((row.worker_id, label))
    return {
        task_id: TaskAnswers(
            overlap,
            resolved[task_id],
            rejected[task_id],
            answers[task_id],
            [
                (label, float(solution.get("confidence_weight", 1)))
                for solution in tasks[task_id].get("baseline_solutions") or ()
                if (label := label_of(solution["output_values"], fields)) is not None
            ],
        )
        for task_id, overlap in overlaps.items()
    }


def _grow(conn: Connection, grown: Sequence[tuple[str, int]], now: datetime) -> None:
    """One more slot for each task, from the overlap the decision read."""
    by_overlap: dict[int, list[str]] = defaultdict(list)
    for task_id, overlap in grown:
        by_overlap[overlap].append(task_id)
    for overlap, task_ids in by_overlap.items():
        task_store.raise_overlap(conn, task_ids=task_ids, overlap=overlap + 1, now=now)
