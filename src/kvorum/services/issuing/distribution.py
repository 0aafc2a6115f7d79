"""Task distribution functions: how many control (or training) tasks a worker's next suite gets.

While the worker's count of completed tasks lies in an interval [from, to], every `frequency`-th
task is selected, starting with the interval's first (frequency 3: tasks 1, 4, 7, ...). When a
suite spans several intervals, the interval of its first task decides, as in Toloka.
"""

from kvorum.services.pools.settings import Distribution


def selected(function: Distribution, done: int, size: int) -> int:
    """How many of the worker's next `size` tasks (numbers done+1 .. done+size) the function selects."""
    first, last = done + 1, done + size
    for low, high, frequency in function.intervals:
        if low <= first and (high is None or first <= high):
            return (last - low) // frequency - (first - 1 - low) // frequency
    return 0
