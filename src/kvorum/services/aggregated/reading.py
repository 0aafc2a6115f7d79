"""The answers that count, read from the store in batches straight into numpy arrays.

An answer counts when its assignment is SUBMITTED or ACCEPTED, its task is a real one (training
answers never count; control answers only for the methods that learn the workers' quality from
them, DAWID_SKENE, with the control tasks' known solutions, and control tasks get no result), and
it has a value (not null) for every requested field. Its label is the
canonical JSON of those values in field order; labels are indexed in ascending order of that text
and tasks in ascending order of their ids, so results come out sorted by task_id. Baseline
solutions become priors weighted by their confidence_weight (1 when absent).

Each batch of rows becomes arrays of provisional indices of its task ids, worker ids and values'
JSON text; the indices are put in order at the end, and only each distinct value text is parsed.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from sqlalchemy import Connection

from kvorum.services.aggregated.request import LEARNS_FROM_CONTROL, Plan
from kvorum.services.aggregation.answers import Answers, FloatArray, Golden, IntArray, Priors, canonical_label
from kvorum.store import aggregation as store

BATCH = 20_000
"""Answers read per round trip."""
SEPARATOR = "\x00"
"""Joins the value texts of several fields into one key; JSON text never holds a raw NUL."""

BoolArray = npt.NDArray[np.bool_]
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
    golden: Golden
    """Known labels of the control tasks among the tasks, for the methods that learn from them."""
    control: BoolArray
    """By task index: a control task, which gets no result."""


class _Index:
    """Provisional indices, in order of first appearance, of the keys seen so far."""

    def __init__(self) -> None:
        self.positions: dict[Any, int] = {}

    def of(self, keys: Sequence[Any]) -> IntArray:
        positions = self.positions
        for key in dict.fromkeys(keys):
            positions.setdefault(key, len(positions))
        return np.fromiter(map(positions.__getitem__, keys), dtype=np.int64, count=len(keys))

    def sorted(self) -> tuple[list[Any], IntArray]:
        """The keys in ascending order, and for each provisional index its place in that order."""
        keys = list(self.positions)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        rank = np.zeros(len(keys), np.int64)
        rank[order] = np.arange(len(keys))
        return [keys[index] for index in order], rank


def _read(
    conn: Connection, plan: Plan, progress: Progress, tasks: _Index, workers: _Index, keys: _Index
) -> list[IntArray]:
    """(task, worker, key) provisional index arrays of every answer, batch by batch; the key of an
    answer that lacks a field is None."""
    total = store.issued_answers(conn, pool_id=plan.pool_id) if plan.task_id is None else 0
    columns: list[list[IntArray]] = [[], [], []]
    done = 0
    progress("reading", done, total)
    for rows in store.answer_batches(
        conn,
        pool_id=plan.pool_id,
        fields=plan.fields,
        batch_size=BATCH,
        task_id=plan.task_id,
        with_control=_learns_from_control(plan),
    ):
        task_ids, worker_ids, *values = zip(*rows, strict=True)
        key_texts = (
            values[0]
            if len(values) == 1
            else [None if None in texts else SEPARATOR.join(texts) for texts in zip(*values, strict=True)]
        )
        columns[0].append(tasks.of(task_ids))
        columns[1].append(workers.of(worker_ids))
        columns[2].append(keys.of(key_texts))
        done += len(rows)
        progress("reading", done, max(total, done))
    progress("reading", done, done)
    return [np.concatenate(column) if column else np.zeros(0, np.int64) for column in columns]


def _canonical(key: str | None) -> str | None:
    """The canonical label of a key of value texts; None when a value is absent or null."""
    if key is None:
        return None
    values = [orjson.loads(text) for text in key.split(SEPARATOR)]
    return None if None in values else canonical_label(values)


def _learns_from_control(plan: Plan) -> bool:
    return plan.method in LEARNS_FROM_CONTROL and plan.task_id is None


def _solutions(
    bodies: Sequence[tuple[str, str]], key: str, fields: tuple[str, ...]
) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(task_id, canonical label, the solution) of each of the tasks' `key` solutions that has a
    value for every field."""
    found = []
    for task_id, body in bodies:
        for solution in orjson.loads(body).get(key) or ():
            values: Mapping[str, Any] = solution["output_values"]
            picked = [values.get(name) for name in fields]
            if None not in picked:
                found.append((task_id, canonical_label(picked), solution))
    return found


def collect(conn: Connection, plan: Plan, progress: Progress = no_progress) -> Collected:
    """Every counted answer and baseline solution of the plan's pool (or task)."""
    tasks, workers, keys = _Index(), _Index(), _Index()
    answer_task, answer_worker, answer_key = _read(conn, plan, progress, tasks, workers, keys)
    baselines = store.baseline_tasks(conn, pool_id=plan.pool_id, task_id=plan.task_id)
    priors = _solutions(baselines, "baseline_solutions", plan.fields)
    controls = store.control_tasks(conn, pool_id=plan.pool_id) if _learns_from_control(plan) else []
    known = [row for row in _solutions(controls, "known_solutions", plan.fields) if row[0] in tasks.positions]
    prior_task = tasks.of([task_id for task_id, _, _ in priors])
    golden_task = tasks.of([task_id for task_id, _, _ in known])
    task_ids, task_rank = tasks.sorted()
    key_labels = [_canonical(key) for key in keys.positions]
    given = {label for _, label, _ in priors} | {label for _, label, _ in known}
    labels = sorted({label for label in key_labels if label is not None} | given)
    rank = {label: index for index, label in enumerate(labels)}
    key_rank = np.array([-1 if label is None else rank[label] for label in key_labels], dtype=np.int64)
    answer_label = key_rank[answer_key]
    counted = answer_label >= 0
    answers = Answers(
        task=task_rank[answer_task[counted]],
        worker=answer_worker[counted],
        label=answer_label[counted],
        n_tasks=len(task_ids),
        n_workers=len(workers.positions),
        n_labels=len(labels),
    )
    prior_rows = Priors(
        task=task_rank[prior_task],
        label=np.array([rank[label] for _, label, _ in priors], dtype=np.int64),
        weight=np.array([float(solution.get("confidence_weight", 1.0)) for _, _, solution in priors]),
    )
    golden = Golden(task_rank[golden_task], np.array([rank[label] for _, label, _ in known], dtype=np.int64))
    control = np.zeros(len(task_ids), dtype=bool)
    control[task_rank[tasks.of([task_id for task_id, _ in controls if task_id in tasks.positions])]] = True
    return Collected(answers, prior_rows, task_ids, labels, list(workers.positions), golden, control)


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
