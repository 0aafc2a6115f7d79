"""Identifier types on the wire."""

from typing import Annotated, Any

from pydantic import BeforeValidator, StrictStr
from pydantic_core import PydanticCustomError


def _object_id(value: Any) -> Any:
    """Accept a numeric id as a string or an integer (the docs show both), and emit a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise PydanticCustomError("INVALID_VALUE", "an id of this kind is a string of digits")
    return value


ObjectId = Annotated[StrictStr, BeforeValidator(_object_id)]
"""The id of a project, pool, training or skill: a string of digits."""


def parse_id(value: str | int) -> int | None:
    """The integer behind a numeric id, or None when it cannot name anything."""
    if isinstance(value, int):
        return value
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None
