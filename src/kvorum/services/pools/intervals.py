"""Interval lists (dynamic pricing, task distribution functions): each proper, none overlapping."""

from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol

from kvorum.schemas.quality_control import TaskDistributionFunction
from kvorum.services.errors import Problems

SKILL_RANGE = (0, 100)
TASK_COUNT_RANGE = (0, 1_000_000)


class Interval(Protocol):
    """An inclusive [from, to] interval of a request body; an open end means the range's bound."""

    @property
    def from_(self) -> int | None: ...

    @property
    def to(self) -> int | None: ...


def check_intervals(
    intervals: Sequence[Interval], path: str, bounds: tuple[int, int], problems: Problems
) -> None:
    """Each interval proper, none overlapping another; errors name the interval."""
    low, high = bounds
    spans = []
    for index, interval in enumerate(intervals):
        start = low if interval.from_ is None else interval.from_
        end = high if interval.to is None else interval.to
        if start > end:
            problems.add(f"{path}.{index}", "VALUE_OUT_OF_BOUNDS", f"from {start} is above to {end}")
        spans.append((start, end, index))
    spans.sort()
    for (_, end, first), (start, _, second) in pairwise(spans):
        if start <= end:
            problems.add(f"{path}.{second}", "VALUE_OUT_OF_BOUNDS", f"overlaps interval {first}")


def check_distribution(function: TaskDistributionFunction | None, path: str, problems: Problems) -> None:
    """A task distribution function's intervals, when the function is given."""
    if function is not None:
        check_intervals(function.intervals, f"{path}.intervals", TASK_COUNT_RANGE, problems)
