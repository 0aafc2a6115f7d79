"""Interval lists (dynamic pricing, task distribution functions): each proper, none overlapping."""

from itertools import pairwise
from typing import Any

from kvorum.services.errors import Problems

SKILL_RANGE = (0, 100)
TASK_COUNT_RANGE = (0, 1_000_000)


def check_intervals(
    intervals: list[dict[str, Any]], path: str, bounds: tuple[int, int], problems: Problems
) -> None:
    """Inclusive [from, to] intervals, open ends meaning the bounds; errors name the interval."""
    low, high = bounds
    spans = []
    for index, interval in enumerate(intervals):
        start, end = interval.get("from", low), interval.get("to", high)
        if start > end:
            problems.add(f"{path}.{index}", "VALUE_OUT_OF_BOUNDS", f"from {start} is above to {end}")
        spans.append((start, end, index))
    spans.sort()
    for (_, end, first), (start, _, second) in pairwise(spans):
        if start <= end:
            problems.add(f"{path}.{second}", "VALUE_OUT_OF_BOUNDS", f"overlaps interval {first}")


def check_distribution(function: dict[str, Any] | None, path: str, problems: Problems) -> None:
    """A task distribution function's intervals, when the function is given."""
    if function is not None:
        check_intervals(function["intervals"], f"{path}.intervals", TASK_COUNT_RANGE, problems)
