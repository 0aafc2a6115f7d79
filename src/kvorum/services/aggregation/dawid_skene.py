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
    """The answers re-indexed on the tasks, labels and (worker, observed label) cells that occur.

    An error-matrix column exists only for a cell that occurs, as in crowd-kit: cells no answer
    reaches take no part in normalising. Matrices are label-major (labels x tasks, labels x
    cells), so each label's row is contiguous for the sums and every reduction over labels is
    elementwise.
    """

    task: IntArray
    label: IntArray
    cell: IntArray  # each answer's (worker, observed label) cell
    cell_worker: IntArray  # each cell's worker
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
        task=task_c,
        label=label_c,
        cell=cell.astype(np.int64),
        cell_worker=(cells // len(labels)).astype(np.int64),
        n_tasks=len(tasks),
        n_workers=len(workers),
        n_labels=len(labels),
    )
    return data, tasks, labels


def m_step(data: Compact, posterior: FloatArray) -> tuple[FloatArray, FloatArray]:
    """-> (error matrices, the sums they normalise): row true label, column (worker, observed label)."""
    n_cells = len(data.cell_worker)
    sums = np.empty((data.n_labels, n_cells))
    for c in range(data.n_labels):
        sums[c] = np.bincount(data.cell, weights=posterior[c][data.task], minlength=n_cells)
    errors = np.maximum(sums, EPS)
    per_worker = np.empty((data.n_labels, data.n_workers))
    for c in range(data.n_labels):
        per_worker[c] = np.bincount(data.cell_worker, weights=errors[c], minlength=data.n_workers)
    return np.asarray(errors / per_worker[:, data.cell_worker], np.float64), sums


def normalise_log2(log_likelihood: FloatArray) -> FloatArray:
    """Label-major log2-likelihoods -> posteriors, each column shifted to its maximum first."""
    scaled = np.exp2(log_likelihood - log_likelihood.max(axis=0))
    return np.asarray(scaled / scaled.sum(axis=0), np.float64)


def e_step(
    data: Compact, priors: FloatArray, errors: FloatArray, prior_evidence: FloatArray | None
) -> FloatArray:
    log2_errors = np.log2(errors)
    log_likelihood = np.empty((data.n_labels, data.n_tasks))
    for c in range(data.n_labels):
        log_likelihood[c] = np.bincount(data.task, weights=log2_errors[c][data.cell], minlength=data.n_tasks)
    log_likelihood += np.log2(np.maximum(priors, EPS))[:, None]
    return normalise_log2(log_likelihood if prior_evidence is None else log_likelihood + prior_evidence)


def lower_bound(
    posterior: FloatArray, priors: FloatArray, errors: FloatArray, sums: FloatArray, per_task: FloatArray
) -> float:
    """crowd-kit's evidence lower bound per answer; clips `posterior` in place, as crowd-kit does.

    Its sum over answers of probas * (log errors + log priors) is taken over the error cells and the
    tasks instead: `sums` holds the posteriors summed per error cell, `per_task` the answers per task.
    """
    expectation = float(np.sum(sums * np.log(errors)))
    expectation += float(np.log(np.maximum(priors, EPS)) @ (posterior @ per_task))
    np.maximum(posterior, EPS, out=posterior)
    entropy = -float(np.sum(np.log(posterior) * posterior))
    return (expectation + entropy) / float(per_task.sum())


def known_columns(golden: Golden, task_of: IntArray, labels: IntArray) -> tuple[IntArray, FloatArray]:
    """-> (the compact tasks with known labels, their fixed posteriors, label-major)."""
    answered = task_of[golden.task] >= 0
    columns, column_of = np.unique(task_of[golden.task[answered]], return_inverse=True)
    fixed = np.zeros((len(labels), len(columns)))
    np.add.at(fixed, (np.searchsorted(labels, golden.label[answered]), column_of), 1.0)
    return columns.astype(np.int64), np.asarray(fixed / fixed.sum(axis=0), np.float64)


def prior_log2_evidence(
    priors: Priors, task_of: IntArray, labels: IntArray, n_tasks: int
) -> FloatArray | None:
    """Label-major log2 evidence of the baseline solutions of answered tasks; None if there is none."""
    answered = task_of[priors.task] >= 0
    if not answered.any():
        return None
    per_weight = evidence(np.full(1, PRIOR_ACCURACY), np.full(1, float(max(len(labels), 2))))[0] / np.log(2)
    added = np.zeros((len(labels), n_tasks))
    where = (np.searchsorted(labels, priors.label[answered]), task_of[priors.task[answered]])
    np.add.at(added, where, priors.weight[answered] * per_weight)
    return added


def from_priors_alone(answers: Answers, priors: Priors, task_of: IntArray, result: Labels) -> None:
    """Tasks with baseline solutions and no answers take the WEIGHTED_DYNAMIC_OVERLAP posterior of those."""
    alone = task_of[priors.task] < 0
    if not alone.any():
        return
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


def dawid_skene(answers: Answers, priors: Priors, golden: Golden) -> Labels:
    result = unlabelled(answers.n_tasks)
    if not len(answers.task):
        return result
    data, tasks, labels = compact(answers, np.concatenate([priors.label, golden.label]))
    task_of = np.full(answers.n_tasks, -1, np.int64)
    task_of[tasks] = np.arange(data.n_tasks)
    known, fixed = known_columns(golden, task_of, labels)
    prior_evidence = prior_log2_evidence(priors, task_of, labels, data.n_tasks)

    cells = data.n_tasks * data.n_labels
    counts = np.bincount(data.label * data.n_tasks + data.task, minlength=cells).astype(np.float64)
    counts = counts.reshape(data.n_labels, data.n_tasks)
    per_task = counts.sum(axis=0)
    posterior = counts / per_task
    posterior[:, known] = fixed
    class_priors = posterior.mean(axis=1)
    errors, _ = m_step(data, posterior)
    loss = -np.inf
    for _ in range(N_ITER):
        posterior = e_step(data, class_priors, errors, prior_evidence)
        posterior[:, known] = fixed
        class_priors = posterior.mean(axis=1)
        errors, sums = m_step(data, posterior)
        new_loss = lower_bound(posterior, class_priors, errors, sums, per_task)
        if new_loss - loss < TOL:
            break
        loss = new_loss

    probas = posterior.T
    chosen = best_of_rows(probas)
    result.label[tasks] = labels[chosen]
    result.confidence[tasks] = probas[np.arange(data.n_tasks), chosen]
    from_priors_alone(answers, priors, task_of, result)
    return result
