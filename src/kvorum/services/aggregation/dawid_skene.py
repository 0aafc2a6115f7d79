"""Dawid-Skene EM, vectorised, with crowd-kit 1.4.2's `DawidSkene(n_iter=100, tol=1e-5)` semantics.

Same initialisation (majority-vote shares), same order of steps, the same clipping at 1e-10 (of
the error matrices' observed cells, of the class priors, and of the returned probabilities) and
the same stopping rule (the per-answer evidence lower bound gaining less than `tol`), so its
labels and probabilities match crowd-kit's. It runs on the labels and workers that occur only.

Baseline solutions, which crowd-kit has no notion of, add `w * ln(99 (K - 1))` (the evidence of
a 0.99-accurate answer) to their label's log-likelihood in every E-step; a task with baseline
solutions but no answers gets the WEIGHTED_DYNAMIC_OVERLAP posterior of those alone.
"""

from dataclasses import dataclass

import numpy as np

from kvorum.services.aggregation.answers import Answers, FloatArray, IntArray, Labels, Priors
from kvorum.services.aggregation.choice import best_of_rows
from kvorum.services.aggregation.voting import PRIOR_ACCURACY, evidence, unlabelled, weighted_majority

EPS = 1e-10
N_ITER = 100
TOL = 1e-5


@dataclass(frozen=True)
class Compact:
    """The answers re-indexed on the tasks, workers and labels that occur."""

    task: IntArray
    worker_label: IntArray  # worker * n_labels + label: the row of the stacked error matrices
    label: IntArray
    n_tasks: int
    n_workers: int
    n_labels: int


def compact(
    task: IntArray, worker: IntArray, label: IntArray, extra_labels: IntArray
) -> tuple[Compact, IntArray, IntArray]:
    """-> (compact answers, original task index per compact task, original label per compact label)."""
    tasks, task_c = np.unique(task, return_inverse=True)
    workers, worker_c = np.unique(worker, return_inverse=True)
    labels = np.union1d(label, extra_labels)
    label_c = np.searchsorted(labels, label)
    return (
        Compact(task_c, worker_c * len(labels) + label_c, label_c, len(tasks), len(workers), len(labels)),
        tasks,
        labels,
    )


def m_step(data: Compact, probas: FloatArray, observed: np.ndarray) -> FloatArray:
    """Error matrices, stacked: row worker * K + observed label, column true label."""
    rows = data.n_workers * data.n_labels
    errors = np.empty((rows, data.n_labels))
    for c in range(data.n_labels):
        errors[:, c] = np.bincount(data.worker_label, weights=probas[data.task, c], minlength=rows)
    errors = np.where(observed[:, None], np.maximum(errors, EPS), 0.0)
    per_worker = errors.reshape(data.n_workers, data.n_labels, data.n_labels).sum(axis=1)
    return np.asarray(errors / np.repeat(per_worker, data.n_labels, axis=0), np.float64)


def task_sums(data: Compact, per_answer: FloatArray) -> FloatArray:
    """Sums an (answers x labels) matrix over each task's answers."""
    sums = np.empty((data.n_tasks, data.n_labels))
    for c in range(data.n_labels):
        sums[:, c] = np.bincount(data.task, weights=per_answer[:, c], minlength=data.n_tasks)
    return sums


def normalise_log2(log_likelihood: FloatArray) -> FloatArray:
    scaled = np.exp2(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
    return np.asarray(scaled / scaled.sum(axis=1, keepdims=True), np.float64)


def e_step(
    data: Compact, priors: FloatArray, log2_errors: FloatArray, prior_evidence: FloatArray
) -> FloatArray:
    log_likelihood = np.log2(np.maximum(priors, EPS)) + task_sums(data, log2_errors[data.worker_label])
    return normalise_log2(log_likelihood + prior_evidence)


def lower_bound(data: Compact, probas: FloatArray, priors: FloatArray, errors: FloatArray) -> float:
    """crowd-kit's evidence lower bound per answer; clips `probas` in place, as crowd-kit does."""
    with np.errstate(divide="ignore"):
        joint = np.log(errors[data.worker_label]) + np.log(np.maximum(priors, EPS))
    expectation = float(np.sum(probas[data.task] * joint))
    np.maximum(probas, EPS, out=probas)
    entropy = -float(np.sum(np.log(probas) * probas))
    return (expectation + entropy) / len(data.task)


def dawid_skene(answers: Answers, priors: Priors) -> Labels:
    result = unlabelled(answers.n_tasks)
    if not len(answers.task):
        return result
    data, tasks, labels = compact(answers.task, answers.worker, answers.label, priors.label)
    task_of = np.full(answers.n_tasks, -1, np.int64)
    task_of[tasks] = np.arange(data.n_tasks)
    k_evidence = evidence(np.full(1, PRIOR_ACCURACY), np.full(1, float(max(data.n_labels, 2))))[0]
    prior_label = np.searchsorted(labels, priors.label)
    answered = task_of[priors.task] >= 0
    prior_evidence = np.zeros((data.n_tasks, data.n_labels))
    np.add.at(
        prior_evidence,
        (task_of[priors.task[answered]], prior_label[answered]),
        priors.weight[answered] * k_evidence / np.log(2),
    )

    counts = np.zeros((data.n_tasks, data.n_labels))
    np.add.at(counts, (data.task, data.label), 1.0)
    probas = counts / counts.sum(axis=1, keepdims=True)
    observed = np.bincount(data.worker_label, minlength=data.n_workers * data.n_labels) > 0
    class_priors = probas.mean(axis=0)
    errors = m_step(data, probas, observed)
    loss = -np.inf
    for _ in range(N_ITER):
        with np.errstate(divide="ignore"):
            log2_errors = np.log2(errors)
        probas = e_step(data, class_priors, log2_errors, prior_evidence)
        class_priors = probas.mean(axis=0)
        errors = m_step(data, probas, observed)
        new_loss = lower_bound(data, probas, class_priors, errors)
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
