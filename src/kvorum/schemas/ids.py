"""Identifier types on the wire."""

import re
from typing import Annotated, Any, TypeGuard

from pydantic import BeforeValidator, StrictStr
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[0-9]{1,18}$"
"""A numeric id as text: a string of up to 18 digits, so that every id fits a 64-bit integer."""
_ID = re.compile(ID_PATTERN)


def is_id(value: object) -> TypeGuard[str]:
    """Whether a value is a numeric id as the API writes it."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _object_id(value: Any) -> Any:
    """Accept a numeric id as a string or an integer (the docs show both), and emit a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not is_id(value):
        raise PydanticCustomError("INVALID_VALUE", "an id of this kind is a string of digits")
    return value


ObjectId = Annotated[StrictStr, BeforeValidator(_object_id)]
"""The id of a project, pool, training or skill: a string of digits."""


def parse_id(value: str | int) -> int | None:
    """The integer behind a numeric id, or None when it cannot name anything."""
    if isinstance(value, int):
        return value
    return int(value) if is_id(value) else None
