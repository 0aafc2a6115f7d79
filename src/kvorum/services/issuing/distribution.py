"""Task distribution functions: which of a worker's next tasks are selected.

While the worker's count of completed tasks lies in an interval [from, to], every `frequency`-th
task is selected, starting with the interval's first (frequency 3: tasks 1, 4, 7, ...). When a
suite spans several intervals, the interval of its first task decides, as in Toloka. The mixer
counts the selected places to give them to control (or training) tasks; spot checks raise the
overlap of the selected tasks.
"""

from kvorum.services.pools.settings import Distribution


def picked(function: Distribution, done: int, size: int) -> list[bool]:
    """For each of the worker's next `size` tasks (numbers done+1 .. done+size): is it selected."""
    first = done + 1
    for low, high, frequency in function.intervals:
        if low <= first and (high is None or first <= high):
            return [(number - low) % frequency == 0 for number in range(first, first + size)]
    return [False] * size


def selected(function: Distribution, done: int, size: int) -> int:
    """How many of the worker's next `size` tasks the function selects."""
    return sum(picked(function, done, size))
