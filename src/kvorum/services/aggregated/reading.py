"""The answers that count, read from the store in batches straight into index arrays.

An answer counts when its assignment is SUBMITTED or ACCEPTED, its task is a real one (control and
training answers do not), and it has a value (not null) for every requested field. Its label is the
canonical JSON of those values in field order; labels are indexed in ascending order of that text
and tasks in ascending order of their ids, so results come out sorted by task_id. Baseline
solutions become priors weighted by their confidence_weight (1 when absent).
"""

from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import orjson
from sqlalchemy import Connection, Row

from kvorum.services.aggregated.request import Plan
from kvorum.services.aggregation.answers import Answers, FloatArray, IntArray, Priors, canonical_label
from kvorum.store import aggregation as store

BATCH = 5_000
"""Assignments read per round trip."""

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as work advances; stages are 'reading', 'aggregating' and 'writing'."""


def no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class Collected:
    """The indexed answers and priors, with what each index stands for."""

    answers: Answers
    priors: Priors
    task_ids: list[str]
    """By task index: ascending."""
    labels: list[str]
    """Canonical labels by label index: ascending."""
    worker_ids: list[int]
    """By worker index."""


class _Indexer:
    """Gives tasks, workers and labels provisional indices as answers stream in; `build` sorts them."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.tasks: dict[str, int] = {}
        self.workers: dict[int, int] = {}
        self.codes: dict[Hashable, int] = {}
        """A label's values, typed (so that 1, 1.0 and true differ) -> its provisional index."""
        self.labels: list[str] = []
        self.answer_columns = (array("q"), array("q"), array("q"))
        self.prior_columns = (array("q"), array("q"), array("d"))

    def label(self, output_values: Mapping[str, Any]) -> int | None:
        """The provisional index of the answer's label; None when a requested field has no value."""
        values = tuple(output_values.get(name) for name in self.fields)
        if None in values:
            return None
        try:
            key: Hashable = tuple((value.__class__, value) for value in values)
            return self.codes[key]
        except KeyError:
            pass
        except TypeError:  # a JSON array or object: keyed by its canonical text
            key = canonical_label(values)
            if key in self.codes:
                return self.codes[key]
        self.codes[key] = len(self.labels)
        self.labels.append(canonical_label(values))
        return self.codes[key]

    def add_assignment(self, worker_id: int, tasks: str, solutions: str, only_task: str | None) -> None:
        task_column, worker_column, label_column = self.answer_columns
        worker = self.workers.setdefault(worker_id, len(self.workers))
        for task, solution in zip(orjson.loads(tasks), orjson.loads(solutions), strict=True):
            if task["kind"] != "REAL" or (only_task is not None and task["id"] != only_task):
                continue
            label = self.label(solution["output_values"])
            if label is None:
                continue
            task_column.append(self.tasks.setdefault(task["id"], len(self.tasks)))
            worker_column.append(worker)
            label_column.append(label)

    def add_priors(self, task_id: str, body: str) -> None:
        task_column, label_column, weight_column = self.prior_columns
        for baseline in orjson.loads(body).get("baseline_solutions") or ():
            label = self.label(baseline["output_values"])
            if label is not None:
                task_column.append(self.tasks.setdefault(task_id, len(self.tasks)))
                label_column.append(label)
                weight_column.append(float(baseline.get("confidence_weight", 1.0)))

    def build(self) -> Collected:
        task_ids, task_rank = _sorted_ranks(list(self.tasks))
        labels, label_rank = _sorted_ranks(self.labels)
        task_column, worker_column, label_column = self.answer_columns
        prior_task, prior_label, prior_weight = self.prior_columns
        answers = Answers(
            task=task_rank[_ints(task_column)],
            worker=_ints(worker_column),
            label=label_rank[_ints(label_column)],
            n_tasks=len(task_ids),
            n_workers=len(self.workers),
            n_labels=len(labels),
        )
        priors = Priors(
            task=task_rank[_ints(prior_task)],
            label=label_rank[_ints(prior_label)],
            weight=np.frombuffer(prior_weight, dtype=np.float64) if prior_weight else np.zeros(0),
        )
        return Collected(answers, priors, task_ids, labels, list(self.workers))


def _ints(column: "array[int]") -> IntArray:
    return np.frombuffer(column, dtype=np.int64) if column else np.zeros(0, np.int64)


def _sorted_ranks(keys: list[str]) -> tuple[list[str], IntArray]:
    """The keys sorted, and for each provisional index (position in `keys`) its sorted index."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.zeros(len(keys), np.int64)
    rank[order] = np.arange(len(keys))
    return [keys[index] for index in order], rank


def collect(conn: Connection, plan: Plan, progress: Progress = no_progress) -> Collected:
    """Every counted answer and baseline solution of the plan's pool (or task)."""
    indexer = _Indexer(plan.fields)
    rows: Iterable[Sequence[Row[Any]]]
    if plan.task_id is None:
        total = store.answered_count(conn, pool_id=plan.pool_id)
        rows = store.answer_batches(conn, pool_id=plan.pool_id, batch_size=BATCH)
    else:
        batch = store.answers_to_task(conn, pool_id=plan.pool_id, task_id=plan.task_id)
        total, rows = len(batch), [batch]
    done = 0
    progress("reading", done, total)
    for batch in rows:
        for row in batch:
            indexer.add_assignment(row.worker_id, row.tasks, row.solutions, plan.task_id)
        done += len(batch)
        progress("reading", done, total)
    for task_id, body in store.baseline_tasks(conn, pool_id=plan.pool_id, task_id=plan.task_id):
        indexer.add_priors(task_id, body)
    return indexer.build()


def worker_accuracy(conn: Connection, plan: Plan, collected: Collected, now: datetime) -> FloatArray | None:
    """Each worker's value of the plan's skill / 100 (nan where none), for WEIGHTED_DYNAMIC_OVERLAP."""
    if plan.skill_id is None:
        return None
    index = {worker_id: position for position, worker_id in enumerate(collected.worker_ids)}
    accuracy = np.full(len(collected.worker_ids), np.nan)
    for worker_id, value in store.skill_values(conn, skill_id=plan.skill_id, now=now):
        if worker_id in index:
            accuracy[index[worker_id]] = value / 100
    return accuracy
