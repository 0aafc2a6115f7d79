"""The answers that count, read from the store in batches straight into numpy arrays.

An answer counts when its assignment is SUBMITTED or ACCEPTED, its task is a real one (control and
training answers do not), and it has a value (not null) for every requested field. Its label is the
canonical JSON of those values in field order; labels are indexed in ascending order of that text
and tasks in ascending order of their ids, so results come out sorted by task_id. Baseline
solutions become priors weighted by their confidence_weight (1 when absent).

Each batch of rows becomes arrays of task ids, worker ids and the values' JSON text; the indices
come from np.unique over them at the end, and only each distinct value text is parsed in Python.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import orjson
from sqlalchemy import Connection, Row

from kvorum.services.aggregated.request import Plan
from kvorum.services.aggregation.answers import Answers, FloatArray, Priors, canonical_label
from kvorum.store import aggregation as store

BATCH = 20_000
"""Answers read per round trip."""
SEPARATOR = "\x00"
"""Joins the value texts of several fields into one key; JSON text never holds a raw NUL."""

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


@dataclass(frozen=True)
class _Chunk:
    tasks: Any
    workers: Any
    keys: Any
    """Per answer, its values' JSON texts joined by SEPARATOR."""


def _chunk(rows: Sequence[Row[Any]], n_fields: int) -> _Chunk:
    """A batch of rows as arrays, without the answers that lack a requested field."""
    columns = list(zip(*rows, strict=True))
    keys = (
        columns[2]
        if n_fields == 1
        else [None if None in texts else SEPARATOR.join(texts) for texts in zip(*columns[2:], strict=True)]
    )
    kept = np.array([key is not None for key in keys], dtype=bool)
    return _Chunk(
        np.array(columns[0], dtype=str)[kept],
        np.array(columns[1], dtype=np.int64)[kept],
        np.array(keys, dtype=object)[kept].astype(str),
    )


def _batches(conn: Connection, plan: Plan, progress: Progress) -> Iterator[_Chunk]:
    total = store.answered_count(conn, pool_id=plan.pool_id) if plan.task_id is None else 0
    done = 0
    progress("reading", done, total)
    for rows in store.answer_batches(
        conn, pool_id=plan.pool_id, fields=plan.fields, batch_size=BATCH, task_id=plan.task_id
    ):
        yield _chunk(rows, len(plan.fields))
        done += len(rows)
        progress("reading", done, max(total, done))


def _canonical(key: str) -> str | None:
    """The canonical label of a key of value texts; None when a value is null (an empty answer)."""
    values = [orjson.loads(text) for text in key.split(SEPARATOR)]
    return None if None in values else canonical_label(values)


def _priors(conn: Connection, plan: Plan) -> list[tuple[str, str, float]]:
    """(task_id, canonical label, confidence_weight) of each baseline solution that has the values."""
    found = []
    for task_id, body in store.baseline_tasks(conn, pool_id=plan.pool_id, task_id=plan.task_id):
        for baseline in orjson.loads(body).get("baseline_solutions") or ():
            values: Mapping[str, Any] = baseline["output_values"]
            picked = [values.get(name) for name in plan.fields]
            if None not in picked:
                found.append(
                    (task_id, canonical_label(picked), float(baseline.get("confidence_weight", 1.0)))
                )
    return found


def collect(conn: Connection, plan: Plan, progress: Progress = no_progress) -> Collected:
    """Every counted answer and baseline solution of the plan's pool (or task)."""
    chunks = list(_batches(conn, plan, progress))
    priors = _priors(conn, plan)
    task_column = np.concatenate(
        [chunk.tasks for chunk in chunks] + [np.array([task for task, _, _ in priors], dtype=str)]
    )
    worker_column = np.concatenate([chunk.workers for chunk in chunks] + [np.zeros(0, np.int64)])
    key_column = np.concatenate([chunk.keys for chunk in chunks] + [np.zeros(0, dtype=str)])
    del chunks
    task_ids, task_index = np.unique(task_column, return_inverse=True)
    worker_ids, worker_index = np.unique(worker_column, return_inverse=True)
    keys, key_index = np.unique(key_column, return_inverse=True)
    key_labels = [_canonical(str(key)) for key in keys.tolist()]
    labels = sorted({label for label in key_labels if label is not None} | {label for _, label, _ in priors})
    rank = {label: index for index, label in enumerate(labels)}
    key_rank = np.array([rank[label] if label is not None else -1 for label in key_labels], dtype=np.int64)
    n_answers = len(worker_column)
    answer_labels = key_rank[key_index] if len(keys) else np.zeros(0, np.int64)
    counted = answer_labels >= 0
    answers = Answers(
        task=task_index[:n_answers][counted].astype(np.int64),
        worker=worker_index[counted].astype(np.int64),
        label=answer_labels[counted],
        n_tasks=len(task_ids),
        n_workers=len(worker_ids),
        n_labels=len(labels),
    )
    prior_rows = Priors(
        task=task_index[n_answers:].astype(np.int64),
        label=np.array([rank[label] for _, label, _ in priors], dtype=np.int64),
        weight=np.array([weight for _, _, weight in priors], dtype=np.float64),
    )
    return Collected(answers, prior_rows, task_ids.tolist(), labels, worker_ids.tolist())


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
