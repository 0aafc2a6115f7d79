"""Dawid-Skene EM, vectorised, with crowd-kit 1.4.2's `DawidSkene(n_iter=100, tol=1e-5)` semantics.

Same initialisation (majority-vote shares), same order of steps, the same clipping at 1e-10 (of
the error matrices' observed cells, of the class priors, and of the returned probabilities) and
the same stopping rule (the per-answer evidence lower bound gaining less than `tol`), so its
labels and probabilities match crowd-kit's. It runs on the labels and workers that occur only.

Baseline solutions, which crowd-kit has no notion of, add `w * ln(99 (K - 1))` (the evidence of
a 0.99-accurate answer) to their label's log-likelihood in every E-step; a task with baseline
solutions but no answers gets the WEIGHTED_DYNAMIC_OVERLAP posterior of those alone.

Known labels of control tasks (`Golden`) act as crowd-kit's `true_labels`: after the
initialisation and after every E-step, such a task's posterior is set to its known label (split
evenly when a control task has several correct labels), so its answers teach the error matrices.
"""

from dataclasses import dataclass

import numpy as np

from kvorum.services.aggregation.answers import (
    Answers,
    FloatArray,
    Golden,
    IntArray,
    Labels,
    Priors,
)
from kvorum.services.aggregation.choice import best_of_rows
from kvorum.services.aggregation.voting import PRIOR_ACCURACY, evidence, unlabelled, weighted_majority
from kvorum.services.errors import ValidationFailed

EPS = 1e-10
N_ITER = 100
TOL = 1e-5


MAX_CELLS = 50_000_000
"""The largest matrix (tasks x labels, or observed (worker, label) pairs x labels) it builds: 400 MB."""


@dataclass(frozen=True)
class Compact:
    """The answers re-indexed on the tasks, labels and (worker, observed label) pairs that occur.

    An error-matrix row exists only for a pair that occurs, as in crowd-kit: cells no answer
    reaches take no part in normalising.
    """

    task: IntArray
    label: IntArray
    cell: IntArray  # each answer's (worker, observed label) row
    cell_worker: IntArray  # each row's worker
    n_tasks: int
    n_workers: int
    n_labels: int


def occurring(values: IntArray, bound: int) -> tuple[IntArray, IntArray]:
    """-> (the values that occur, ascending; each value's position among them), without a sort."""
    present = np.bincount(values, minlength=bound) > 0
    position = np.cumsum(present) - 1
    return np.flatnonzero(present).astype(np.int64), position[values].astype(np.int64)


def compact(answers: Answers, extra_labels: IntArray) -> tuple[Compact, IntArray, IntArray]:
    """-> (compact answers, original task index per compact task, original label per compact label)."""
    tasks, task_c = occurring(answers.task, answers.n_tasks)
    workers, worker_c = occurring(answers.worker, answers.n_workers)
    labels, label_c = occurring(np.concatenate([answers.label, extra_labels]), answers.n_labels)
    label_c = label_c[: len(answers.label)]
    cells, cell = np.unique(worker_c * len(labels) + label_c, return_inverse=True)
    if max(len(tasks), len(cells)) * len(labels) > MAX_CELLS:
        message = (
            f"DAWID_SKENE over {len(labels)} distinct labels is too large; request fields with fewer values"
        )
        raise ValidationFailed(message, {"fields": {"code": "INVALID_VALUE", "message": message}})
    data = Compact(
        task_c, label_c, cell.astype(np.int64), cells // len(labels), len(tasks), len(workers), len(labels)
    )
    return data, tasks, labels


def m_step(data: Compact, probas: FloatArray) -> tuple[FloatArray, FloatArray]:
    """-> (error matrices, the sums they normalise): row (worker, observed label), column true label."""
    rows = len(data.cell_worker)
    by_label = np.ascontiguousarray(probas.T)
    sums = np.empty((rows, data.n_labels))
    for c in range(data.n_labels):
        sums[:, c] = np.bincount(data.cell, weights=by_label[c][data.task], minlength=rows)
    errors = np.maximum(sums, EPS)
    per_worker = np.empty((data.n_workers, data.n_labels))
    for c in range(data.n_labels):
        per_worker[:, c] = np.bincount(data.cell_worker, weights=errors[:, c], minlength=data.n_workers)
    return np.asarray(errors / per_worker[data.cell_worker], np.float64), sums


def normalise_log2(log_likelihood: FloatArray) -> FloatArray:
    scaled = np.exp2(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
    return np.asarray(scaled / scaled.sum(axis=1, keepdims=True), np.float64)


def e_step(data: Compact, priors: FloatArray, errors: FloatArray, prior_evidence: FloatArray) -> FloatArray:
    log2_errors = np.ascontiguousarray(np.log2(errors).T)
    log_likelihood = np.empty((data.n_tasks, data.n_labels))
    for c in range(data.n_labels):
        log_likelihood[:, c] = np.bincount(
            data.task, weights=log2_errors[c][data.cell], minlength=data.n_tasks
        )
    return normalise_log2(log_likelihood + np.log2(np.maximum(priors, EPS)) + prior_evidence)


def lower_bound(
    probas: FloatArray, priors: FloatArray, errors: FloatArray, sums: FloatArray, per_task: FloatArray
) -> float:
    """crowd-kit's evidence lower bound per answer; clips `probas` in place, as crowd-kit does.

    Its sum over answers of probas * (log errors + log priors) is taken over the error cells and the
    tasks instead: `sums` holds the probas summed per error cell, `per_task` the answers per task.
    """
    expectation = float(np.sum(sums * np.log(errors)))
    expectation += float(np.log(np.maximum(priors, EPS)) @ (per_task @ probas))
    np.maximum(probas, EPS, out=probas)
    entropy = -float(np.sum(np.log(probas) * probas))
    return (expectation + entropy) / float(per_task.sum())


def known_rows(golden: Golden, task_of: IntArray, labels: IntArray) -> tuple[IntArray, FloatArray]:
    """-> (the compact tasks with known labels, their fixed posteriors)."""
    answered = task_of[golden.task] >= 0
    rows, row_of = np.unique(task_of[golden.task[answered]], return_inverse=True)
    fixed = np.zeros((len(rows), len(labels)))
    np.add.at(fixed, (row_of, np.searchsorted(labels, golden.label[answered])), 1.0)
    return rows.astype(np.int64), np.asarray(fixed / fixed.sum(axis=1, keepdims=True), np.float64)


def dawid_skene(answers: Answers, priors: Priors, golden: Golden) -> Labels:
    result = unlabelled(answers.n_tasks)
    if not len(answers.task):
        return result
    data, tasks, labels = compact(answers, np.concatenate([priors.label, golden.label]))
    task_of = np.full(answers.n_tasks, -1, np.int64)
    task_of[tasks] = np.arange(data.n_tasks)
    known, fixed = known_rows(golden, task_of, labels)
    k_evidence = evidence(np.full(1, PRIOR_ACCURACY), np.full(1, float(max(data.n_labels, 2))))[0]
    prior_label = np.searchsorted(labels, priors.label)
    answered = task_of[priors.task] >= 0
    prior_evidence = np.zeros((data.n_tasks, data.n_labels))
    np.add.at(
        prior_evidence,
        (task_of[priors.task[answered]], prior_label[answered]),
        priors.weight[answered] * k_evidence / np.log(2),
    )

    cells = data.n_tasks * data.n_labels
    counts = np.bincount(data.task * data.n_labels + data.label, minlength=cells).astype(np.float64)
    counts = counts.reshape(data.n_tasks, data.n_labels)
    per_task = counts.sum(axis=1)
    probas = counts / per_task[:, None]
    probas[known] = fixed
    class_priors = probas.mean(axis=0)
    errors, _ = m_step(data, probas)
    loss = -np.inf
    for _ in range(N_ITER):
        probas = e_step(data, class_priors, errors, prior_evidence)
        probas[known] = fixed
        class_priors = probas.mean(axis=0)
        errors, sums = m_step(data, probas)
        new_loss = lower_bound(probas, class_priors, errors, sums, per_task)
        if new_loss - loss < TOL:
            break
        loss = new_loss

    chosen = best_of_rows(probas)
    result.label[tasks] = labels[chosen]
    result.confidence[tasks] = probas[np.arange(data.n_tasks), chosen]
    alone = ~answered
    if alone.any():
        empty = np.zeros(0, np.int64)
        by_priors = weighted_majority(
            Answers(empty, empty, empty, answers.n_tasks, 0, answers.n_labels),
            Priors(priors.task[alone], priors.label[alone], priors.weight[alone]),
            None,
            None,
        )
        taken = by_priors.label >= 0
        result.label[taken] = by_priors.label[taken]
        result.confidence[taken] = by_priors.confidence[taken]
    return result
