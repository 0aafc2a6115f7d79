"""What pool filters and quality-control rules share: a condition compares a key with a value
by an operator; these are the operator groups and the value checks both languages use."""

from collections.abc import Callable
from typing import Any

from kvorum.schemas.ids import is_id

COMPARABLE = frozenset({"EQ", "NE", "GT", "GTE", "LT", "LTE"})
IDENTITY = frozenset({"EQ", "NE"})
INCLUSION = frozenset({"IN", "NOT_IN"})

ValueCheck = Callable[[Any], str | None]
"""None when a value is fine, else what is expected."""


class OneOf:
    """A check that a value is one of a fixed set, which stays readable as `values`."""

    def __init__(self, *values: str) -> None:
        self.values = values

    def __call__(self, value: Any) -> str | None:
        return None if value in self.values else f"one of {', '.join(self.values)}"


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def skill_id(value: Any) -> str | None:
    return None if is_id(value) else "a skill id (a string of digits)"
