"""The tie-break every method shares: among labels scoring equal within a relative 1e-9, the smallest wins.

Scores here are non-negative (votes, probabilities), so "equal" is `score >= best * (1 - TIE_RTOL)`,
and the smallest label index is the smallest canonical label. Nothing depends on row order.
"""

import numpy as np

from kvorum.services.aggregation.answers import FloatArray, IntArray

TIE_RTOL = 1e-9


def best_of_rows(scores: FloatArray) -> IntArray:
    """Per row of a dense (tasks x labels) matrix, the column index that wins."""
    best = scores.max(axis=1, keepdims=True)
    return np.asarray(np.argmax(scores >= best * (1 - TIE_RTOL), axis=1), np.int64)


def group_starts(sorted_groups: IntArray) -> IntArray:
    """Index of the first row of each run of equal values in a sorted array."""
    if not len(sorted_groups):
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.concatenate(([True], sorted_groups[1:] != sorted_groups[:-1]))).astype(np.int64)


def best_of_pairs(pair_task: IntArray, score: FloatArray) -> IntArray:
    """Pairs sorted by (task, label) -> the index of the winning pair of each task present, in task order."""
    starts = group_starts(pair_task)
    if not len(starts):
        return starts
    best = np.maximum.reduceat(score, starts)
    sizes = np.diff(np.append(starts, len(pair_task)))
    candidate = score >= np.repeat(best, sizes) * (1 - TIE_RTOL)
    first = np.flatnonzero(candidate)
    return first[group_starts(pair_task[first])]
