"""`aggregate`: the one entry point, by Toloka-style method name.

kvorum's own methods are WEIGHTED_DYNAMIC_OVERLAP, DAWID_SKENE and MAJORITY_VOTE; the other
classification methods of crowd-kit come through `extension` when the `kvorum[crowdkit]` extra is
installed. Rows are put in a canonical order first, so no result depends on the order of the input.
"""

from collections.abc import Callable

import numpy as np

from kvorum.services.aggregation import extension
from kvorum.services.aggregation.answers import Answers, FloatArray, IntArray, Labels, Priors, no_priors
from kvorum.services.aggregation.dawid_skene import dawid_skene
from kvorum.services.aggregation.voting import majority_vote, weighted_majority
from kvorum.services.errors import ValidationFailed

Method = Callable[[Answers, Priors, FloatArray | None, IntArray | None], Labels]

NATIVE: dict[str, Method] = {
    "WEIGHTED_DYNAMIC_OVERLAP": weighted_majority,
    "DAWID_SKENE": lambda answers, priors, _accuracy, _k: dawid_skene(answers, priors),
    "MAJORITY_VOTE": lambda answers, priors, _accuracy, _k: majority_vote(answers, priors),
}
METHODS: tuple[str, ...] = (*NATIVE, *(extension.METHODS if extension.available() else ()))
"""The methods `aggregate` accepts here: the crowd-kit ones only when the extra is installed."""
KNOWN: tuple[str, ...] = (*NATIVE, *extension.METHODS)


def invalid(message: str, field: str = "answers") -> ValidationFailed:
    return ValidationFailed(message, {field: {"code": "INVALID_VALUE", "message": message}})


def check(answers: Answers, priors: Priors, accuracy: FloatArray | None, k: IntArray | None) -> None:
    """Arrays out of shape or range are reported as a domain error, never an IndexError."""
    n = len(answers.task)
    if len(answers.worker) != n or len(answers.label) != n:
        raise invalid("answers: task, worker and label must have equal lengths")
    if len(priors.label) != len(priors.task) or len(priors.weight) != len(priors.task):
        raise invalid("priors: task, label and weight must have equal lengths", "priors")
    for name, values, bound in (
        ("answers.task", answers.task, answers.n_tasks),
        ("answers.worker", answers.worker, answers.n_workers),
        ("answers.label", answers.label, answers.n_labels),
        ("priors.task", priors.task, answers.n_tasks),
        ("priors.label", priors.label, answers.n_labels),
    ):
        if len(values) and (values.min() < 0 or values.max() >= bound):
            raise invalid(f"{name}: an index is outside 0..{bound - 1}", name.split(".")[0])
    if len(priors.weight) and not bool(np.all((priors.weight >= 0) & (priors.weight <= 1))):
        raise invalid("priors: confidence_weight must be within [0, 1]", "priors")
    if accuracy is not None and len(accuracy) != answers.n_workers:
        raise invalid("worker_accuracy: one value per worker index is required", "worker_accuracy")
    if k is not None and len(k) != answers.n_tasks:
        raise invalid("possible_labels: one value per task index is required", "possible_labels")


def canonical(answers: Answers, priors: Priors) -> tuple[Answers, Priors]:
    answer_order = np.lexsort((answers.label, answers.worker, answers.task))
    prior_order = np.lexsort((priors.weight, priors.label, priors.task))
    return (
        Answers(
            answers.task[answer_order],
            answers.worker[answer_order],
            answers.label[answer_order],
            answers.n_tasks,
            answers.n_workers,
            answers.n_labels,
        ),
        Priors(priors.task[prior_order], priors.label[prior_order], priors.weight[prior_order]),
    )


def aggregate(
    method: str,
    answers: Answers,
    *,
    priors: Priors | None = None,
    worker_accuracy: FloatArray | None = None,
    possible_labels: IntArray | None = None,
) -> Labels:
    """One label and confidence per task index.

    `worker_accuracy` (per worker index, in [0, 1], nan = no value) and `possible_labels` (K per
    task) are read by WEIGHTED_DYNAMIC_OVERLAP only.
    """
    if method not in KNOWN:
        raise ValidationFailed(
            f"unknown aggregation type {method!r}",
            {"type": {"code": "UNKNOWN_ENUM_VALUE", "message": f"must be one of {', '.join(KNOWN)}"}},
        )
    priors = no_priors() if priors is None else priors
    check(answers, priors, worker_accuracy, possible_labels)
    answers, priors = canonical(answers, priors)
    if method in NATIVE:
        return NATIVE[method](answers, priors, worker_accuracy, possible_labels)
    return extension.aggregate(method, answers)
