"""Majority vote and weighted majority (WEIGHTED_DYNAMIC_OVERLAP), on sparse (task, label) pairs.

Pairs rather than a tasks x labels matrix, so that free-text labels (one label per answer) cost no
more than the answers themselves.
"""

from dataclasses import dataclass

import numpy as np

from kvorum.services.aggregation.answers import Answers, FloatArray, IntArray, Labels, Priors
from kvorum.services.aggregation.choice import best_of_pairs

SKILL_MIN, SKILL_MAX, NO_SKILL = 0.01, 0.99, 0.5
PRIOR_ACCURACY = 0.99


@dataclass(frozen=True)
class Pairs:
    """Distinct (task, label) pairs, sorted by task then label, with the summed weight of each."""

    task: IntArray
    label: IntArray
    score: FloatArray


def sum_pairs(answers: Answers, answer_weight: FloatArray, priors: Priors, prior_weight: FloatArray) -> Pairs:
    """Adds each answer's and each prior's weight to its (task, label) pair."""
    task = np.concatenate([answers.task, priors.task])
    label = np.concatenate([answers.label, priors.label])
    keys, inverse = np.unique(task * max(answers.n_labels, 1) + label, return_inverse=True)
    weight = np.concatenate([answer_weight, prior_weight]).astype(np.float64)
    score = np.asarray(np.bincount(inverse, weights=weight, minlength=len(keys)), np.float64)
    return Pairs(keys // max(answers.n_labels, 1), keys % max(answers.n_labels, 1), score)


def unlabelled(n_tasks: int) -> Labels:
    return Labels(np.full(n_tasks, -1, np.int64), np.full(n_tasks, np.nan))


def choose(pairs: Pairs, confidence: FloatArray, n_tasks: int) -> Labels:
    """The winning pair of each task (by `confidence`, the shared tie-break) becomes its label."""
    result = unlabelled(n_tasks)
    won = best_of_pairs(pairs.task, confidence)
    result.label[pairs.task[won]] = pairs.label[won]
    result.confidence[pairs.task[won]] = confidence[won]
    return result


def majority_vote(answers: Answers, priors: Priors) -> Labels:
    """One vote per answer, w per baseline solution; confidence = the winner's share of the votes."""
    counted = priors.weight > 0
    kept = Priors(priors.task[counted], priors.label[counted], priors.weight[counted])
    pairs = sum_pairs(answers, np.ones(len(answers.task)), kept, kept.weight)
    totals = np.bincount(pairs.task, weights=pairs.score, minlength=answers.n_tasks)
    return choose(pairs, pairs.score / totals[pairs.task], answers.n_tasks)


def evidence(accuracy: FloatArray, k: FloatArray) -> FloatArray:
    """ln(q (K - 1) / (1 - q)): how much one answer of accuracy q raises its label's log-odds."""
    q = np.clip(np.where(np.isnan(accuracy), NO_SKILL, accuracy), SKILL_MIN, SKILL_MAX)
    return np.asarray(np.log(q * (k - 1) / (1 - q)), np.float64)


def weighted_majority(
    answers: Answers, priors: Priors, worker_accuracy: FloatArray | None, possible_labels: IntArray | None
) -> Labels:
    """The naive-Bayes posterior of WEIGHTED_DYNAMIC_OVERLAP with a uniform prior over K labels.

    K per task is `possible_labels` when given (at least the labels seen), else the number of
    distinct labels seen among its answers and baseline solutions; never below 2.
    """
    seen_pairs = sum_pairs(answers, np.zeros(len(answers.task)), priors, np.zeros(len(priors.task)))
    seen = np.bincount(seen_pairs.task, minlength=answers.n_tasks).astype(np.float64)
    k = np.maximum(seen, 2.0)
    if possible_labels is not None:
        k = np.maximum(k, possible_labels.astype(np.float64))
    accuracy = (
        np.full(len(answers.task), np.nan)
        if worker_accuracy is None
        else np.asarray(worker_accuracy, np.float64)[answers.worker]
    )
    pairs = sum_pairs(
        answers,
        evidence(accuracy, k[answers.task]),
        priors,
        priors.weight * evidence(np.full(len(priors.task), PRIOR_ACCURACY), k[priors.task]),
    )
    top = np.zeros(answers.n_tasks)
    np.maximum.at(top, pairs.task, pairs.score)
    shifted = np.exp(pairs.score - top[pairs.task])
    unseen = (k - seen) * np.exp(-top)
    denominator = np.bincount(pairs.task, weights=shifted, minlength=answers.n_tasks) + unseen
    return choose(pairs, shifted / denominator[pairs.task], answers.n_tasks)
