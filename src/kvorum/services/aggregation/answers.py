"""The arrays every aggregation method reads and returns, and how Python rows become them.

Methods work on dense integer indices so that they can be vectorised; the index maps returned by
`index_answers` turn the results back into task keys and label strings.
"""

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Answers:
    """One row per counted answer; label indices follow the ascending order of canonical labels."""

    task: IntArray
    worker: IntArray
    label: IntArray
    n_tasks: int
    n_workers: int
    n_labels: int


@dataclass(frozen=True)
class Priors:
    """Baseline solutions: each adds its label with a confidence_weight in [0, 1]."""

    task: IntArray
    label: IntArray
    weight: FloatArray


@dataclass(frozen=True)
class Golden:
    """Known true labels of control tasks: methods that learn worker quality (DAWID_SKENE) fix them."""

    task: IntArray
    label: IntArray


@dataclass(frozen=True)
class Labels:
    """One row per task index; a task with no evidence has label -1 and confidence nan."""

    label: IntArray
    confidence: FloatArray


class IndexedAnswers(NamedTuple):
    answers: Answers
    task_keys: list[Hashable]
    worker_keys: list[Hashable]
    labels: list[str]
    priors: Priors


def canonical_label(values: Sequence[Any]) -> str:
    """The label of an answer: its values for the requested fields, in field order, as canonical JSON."""
    return json.dumps(list(values), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def possible_labels(output_spec: Mapping[str, Mapping[str, Any]], fields: Sequence[str]) -> int | None:
    """K: how many labels the fields can take together, the product of each field's value count
    (a boolean: 2; a string or integer with allowed_values: their count); None when a field takes
    open values (K is then counted per task from the labels seen)."""
    count = 1
    for name in fields:
        spec = output_spec[name]
        if spec.get("type") == "boolean":
            count *= 2
        elif spec.get("type") in ("string", "integer") and spec.get("allowed_values"):
            count *= len(spec["allowed_values"])
        else:
            return None
    return count


def no_priors() -> Priors:
    return Priors(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))


def index_answers(
    rows: Iterable[tuple[Hashable, Hashable, str]],
    priors: Iterable[tuple[Hashable, str, float]] = (),
    *,
    tasks: Iterable[Hashable] = (),
) -> IndexedAnswers:
    """(task_key, worker_key, label) rows and (task_key, label, weight) priors -> index arrays and maps.

    `tasks` lists keys to include even if nothing answered them (they come back unlabelled).
    Tasks and workers are indexed in order of first appearance; labels in ascending string order.
    """
    task_ids: dict[Hashable, int] = {key: i for i, key in enumerate(dict.fromkeys(tasks))}
    worker_ids: dict[Hashable, int] = {}
    label_ids: dict[str, int] = {}
    answer_cols: tuple[list[int], list[int], list[int]] = ([], [], [])
    for task, worker, label in rows:
        answer_cols[0].append(task_ids.setdefault(task, len(task_ids)))
        answer_cols[1].append(worker_ids.setdefault(worker, len(worker_ids)))
        answer_cols[2].append(label_ids.setdefault(label, len(label_ids)))
    prior_cols: tuple[list[int], list[int], list[float]] = ([], [], [])
    for task, label, weight in priors:
        prior_cols[0].append(task_ids.setdefault(task, len(task_ids)))
        prior_cols[1].append(label_ids.setdefault(label, len(label_ids)))
        prior_cols[2].append(float(weight))
    labels = sorted(label_ids)
    rank = np.zeros(len(labels), np.int64)
    rank[[label_ids[label] for label in labels]] = np.arange(len(labels))
    answers = Answers(
        task=np.asarray(answer_cols[0], np.int64),
        worker=np.asarray(answer_cols[1], np.int64),
        label=rank[np.asarray(answer_cols[2], np.int64)],
        n_tasks=len(task_ids),
        n_workers=len(worker_ids),
        n_labels=len(labels),
    )
    indexed_priors = Priors(
        task=np.asarray(prior_cols[0], np.int64),
        label=rank[np.asarray(prior_cols[1], np.int64)],
        weight=np.asarray(prior_cols[2], np.float64),
    )
    return IndexedAnswers(answers, list(task_ids), list(worker_ids), labels, indexed_priors)
