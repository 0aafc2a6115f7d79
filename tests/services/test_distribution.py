from datetime import timedelta

import pytest

from kvorum.services.issuing.distribution import picked, selected
from kvorum.services.pools.settings import Distribution

FUNCTION = Distribution.parse(
    {
        "scope": "POOL",
        "distribution": "UNIFORM",
        "window_days": 7,
        "intervals": [
            {"from": 1, "to": 10, "frequency": 3},
            {"from": 11, "to": 100, "frequency": 10},
            {"from": 101, "frequency": 1},
        ],
    }
)


@pytest.mark.parametrize(
    ("done", "size", "expected"),
    [
        (0, 1, 1),  # task 1 is selected
        (0, 3, 1),  # tasks 1..3: only 1
        (0, 4, 2),  # 1 and 4
        (0, 10, 4),  # 1, 4, 7, 10
        (3, 3, 1),  # 4..6: 4
        (4, 2, 0),  # 5..6
        (9, 5, 2),  # 10..14 spans two intervals: the first decides, 10 and 13
        (10, 10, 1),  # 11..20: 11
        (100, 5, 5),  # 101..105: every task
        (500, 0, 0),
    ],
)
def test_selected(done: int, size: int, expected: int) -> None:
    assert selected(FUNCTION, done, size) == expected


def test_outside_every_interval_selects_nothing() -> None:
    assert selected(Distribution("POOL", timedelta(days=7), ((5, 6, 1),)), 0, 3) == 0


@pytest.mark.parametrize(
    ("done", "size", "numbers"),
    [
        (0, 5, [1, 4]),
        (3, 4, [4, 7]),
        (9, 5, [10, 13]),  # the first task's interval decides
        (10, 3, [11]),
        (100, 2, [101, 102]),
    ],
)
def test_picked_names_the_selected_tasks(done: int, size: int, numbers: list[int]) -> None:
    chosen = picked(FUNCTION, done, size)
    assert [done + 1 + n for n, pick in enumerate(chosen) if pick] == numbers
    assert len(chosen) == size
