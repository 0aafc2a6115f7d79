"""Matching a worker's answer to a task's known solutions.

An answer matches a known solution when it has the solution's value in each of the solution's
output fields (fields the solution leaves out may hold anything). A known solution's
correctness_weight (1 when absent) is the credit an answer matching it earns.
"""

from collections.abc import Mapping, Sequence
from typing import Any

KnownSolution = Mapping[str, Any]
"""{"output_values": {...}, "correctness_weight": ...}, as the requester uploaded it."""


def matches(answer: Mapping[str, Any], solution: KnownSolution) -> bool:
    return all(answer.get(key) == value for key, value in solution["output_values"].items())


def correct(answer: Mapping[str, Any], known: Sequence[KnownSolution]) -> bool:
    return any(matches(answer, solution) for solution in known)


def credit(answer: Mapping[str, Any], known: Sequence[KnownSolution]) -> float:
    """The weight of the best known solution the answer matches; 0 when it matches none."""
    weights = [solution.get("correctness_weight", 1) for solution in known if matches(answer, solution)]
    return float(max(weights, default=0))
