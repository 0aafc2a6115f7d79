"""`aggregate`: the one entry point, by Toloka-style method name.

kvorum's own methods are WEIGHTED_DYNAMIC_OVERLAP, DAWID_SKENE and MAJORITY_VOTE; the other
classification methods of crowd-kit come through `extension` when the `kvorum[crowdkit]` extra is
installed. Rows are put in a canonical order first, so no result depends on the order of the input.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from kvorum.services.aggregation import extension
from kvorum.services.aggregation.answers import (
    Answers,
    FloatArray,
    Golden,
    IntArray,
    Labels,
    Priors,
    no_priors,
)
from kvorum.services.aggregation.dawid_skene import dawid_skene
from kvorum.services.aggregation.voting import majority_vote, weighted_majority
from kvorum.services.errors import ValidationFailed


@dataclass(frozen=True)
class Inputs:
    """What a caller may know besides the answers; each method reads what it can use."""

    priors: Priors
    golden: Golden
    worker_accuracy: FloatArray | None
    possible_labels: IntArray | None


NATIVE: dict[str, Callable[[Answers, Inputs], Labels]] = {
    "WEIGHTED_DYNAMIC_OVERLAP": lambda answers, given: weighted_majority(
        answers, given.priors, given.worker_accuracy, given.possible_labels
    ),
    "DAWID_SKENE": lambda answers, given: dawid_skene(answers, given.priors, given.golden),
    "MAJORITY_VOTE": lambda answers, given: majority_vote(answers, given.priors),
}
METHODS: tuple[str, ...] = (*NATIVE, *(extension.METHODS if extension.available() else ()))
"""The methods `aggregate` accepts here: the crowd-kit ones only when the extra is installed."""
KNOWN: tuple[str, ...] = (*NATIVE, *extension.METHODS)


def invalid(message: str, field: str = "answers") -> ValidationFailed:
    return ValidationFailed(message, {field: {"code": "INVALID_VALUE", "message": message}})


def check(answers: Answers, given: Inputs) -> None:
    """Arrays out of shape or range are reported as a domain error, never an IndexError."""
    priors, golden, accuracy, k = given.priors, given.golden, given.worker_accuracy, given.possible_labels
    n = len(answers.task)
    if len(answers.worker) != n or len(answers.label) != n:
        raise invalid("answers: task, worker and label must have equal lengths")
    if len(priors.label) != len(priors.task) or len(priors.weight) != len(priors.task):
        raise invalid("priors: task, label and weight must have equal lengths", "priors")
    if len(golden.label) != len(golden.task):
        raise invalid("golden: task and label must have equal lengths", "golden")
    for name, values, bound in (
        ("answers.task", answers.task, answers.n_tasks),
        ("answers.worker", answers.worker, answers.n_workers),
        ("answers.label", answers.label, answers.n_labels),
        ("priors.task", priors.task, answers.n_tasks),
        ("priors.label", priors.label, answers.n_labels),
        ("golden.task", golden.task, answers.n_tasks),
        ("golden.label", golden.label, answers.n_labels),
    ):
        if len(values) and (values.min() < 0 or values.max() >= bound):
            raise invalid(f"{name}: an index is outside 0..{bound - 1}", name.split(".")[0])
    if len(priors.weight) and not bool(np.all((priors.weight >= 0) & (priors.weight <= 1))):
        raise invalid("priors: confidence_weight must be within [0, 1]", "priors")
    if accuracy is not None and len(accuracy) != answers.n_workers:
        raise invalid("worker_accuracy: one value per worker index is required", "worker_accuracy")
    if k is not None and len(k) != answers.n_tasks:
        raise invalid("possible_labels: one value per task index is required", "possible_labels")


def answer_order(answers: Answers) -> IntArray | None:
    """The permutation that sorts rows by (task, worker, label), or None when they are sorted already."""
    workers, labels = max(answers.n_workers, 1), max(answers.n_labels, 1)
    if answers.n_tasks * workers * labels >= 2**62:
        return np.lexsort((answers.label, answers.worker, answers.task))
    key = (answers.task * workers + answers.worker) * labels + answers.label
    return None if bool(np.all(key[1:] >= key[:-1])) else np.argsort(key, kind="stable")


def canonical(answers: Answers, priors: Priors) -> tuple[Answers, Priors]:
    order = answer_order(answers)
    if order is not None:
        answers = Answers(
            answers.task[order],
            answers.worker[order],
            answers.label[order],
            answers.n_tasks,
            answers.n_workers,
            answers.n_labels,
        )
    prior_order = np.lexsort((priors.weight, priors.label, priors.task))
    return answers, Priors(priors.task[prior_order], priors.label[prior_order], priors.weight[prior_order])


def aggregate(
    method: str,
    answers: Answers,
    *,
    priors: Priors | None = None,
    worker_accuracy: FloatArray | None = None,
    possible_labels: IntArray | None = None,
    golden: Golden | None = None,
) -> Labels:
    """One label and confidence per task index.

    `worker_accuracy` (per worker index, in [0, 1], nan = no value) and `possible_labels` (K per
    task, from the output_spec; 0 = count the labels seen) are read by WEIGHTED_DYNAMIC_OVERLAP
    only; `golden` (known labels of control tasks whose answers are among `answers`) by
    DAWID_SKENE only.
    """
    if method not in KNOWN:
        raise ValidationFailed(
            f"unknown aggregation type {method!r}",
            {"type": {"code": "UNKNOWN_ENUM_VALUE", "message": f"must be one of {', '.join(KNOWN)}"}},
        )
    empty = np.zeros(0, np.int64)
    given = Inputs(
        no_priors() if priors is None else priors,
        Golden(empty, empty) if golden is None else golden,
        worker_accuracy,
        possible_labels,
    )
    check(answers, given)
    answers, ordered = canonical(answers, given.priors)
    if method in NATIVE:
        return NATIVE[method](answers, replace(given, priors=ordered))
    return extension.aggregate(method, answers)
