"""Checks input and output values against a project's field specs.

A spec is compiled once into one checker per field, so that validating 100,000 tasks costs a
few dictionary lookups and isinstance calls per value rather than re-reading the spec.
"""

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

Errors = dict[str, dict[str, str]]
"""Problems by field path (input_values.image, tasks.0.known_solutions, ...): {code, message}."""


def _error(errors: Errors, path: str, code: str, message: str) -> None:
    errors.setdefault(path, {"code": code, "message": message})


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)) and math.isfinite(value)


def _coordinates(text: str) -> bool:
    parts = text.split(",")
    if len(parts) != 2:
        return False
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        return False
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


_URL = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


def _url(text: str) -> bool:
    """An absolute http(s) URL with a host and no white space."""
    return _URL.fullmatch(text) is not None


_TYPE_CHECKS: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "string": (lambda v: isinstance(v, str), "STRING_EXPECTED", "a string is expected"),
    "integer": (_is_int, "INTEGER_EXPECTED", "an integer is expected"),
    "float": (_is_number, "FLOAT_EXPECTED", "a number is expected"),
    "boolean": (lambda v: isinstance(v, bool), "BOOLEAN_EXPECTED", "true or false is expected"),
    "url": (lambda v: isinstance(v, str), "STRING_EXPECTED", "a URL string is expected"),
    "file": (lambda v: isinstance(v, str) and bool(v), "STRING_EXPECTED", "a file id is expected"),
    "coordinates": (lambda v: isinstance(v, str), "STRING_EXPECTED", "'latitude,longitude' is expected"),
    "json": (lambda v: isinstance(v, dict), "OBJECT_EXPECTED", "a JSON object is expected"),
}


Problem = tuple[str, str]
"""(code, message) of one bad value."""
FieldCheck = Callable[[Any], list[tuple[str, str, str]] | None]
"""Checks one field's value: None, or (sub-path, code, message) for each problem."""


def _scalar_check(spec: Mapping[str, Any]) -> Callable[[Any], Problem | None]:
    """A checker for one value of the spec's scalar type: None, or the first problem found."""
    value_type = spec["type"].removeprefix("array_")
    is_type, type_code, type_message = _TYPE_CHECKS[value_type]
    constraints: list[Callable[[Any], Problem | None]] = []

    def bound(key: str, code: str, test: Callable[[Any, Any], bool], measure: Callable[[Any], Any]) -> None:
        limit = spec.get(key)
        if limit is not None:
            problem = (code, f"{key.replace('_', ' ')} is {limit}")
            constraints.append(lambda value: problem if test(measure(value), limit) else None)

    bound("min_length", "STRING_LENGTH_LESS_THAN_MIN", lambda size, low: size < low, len)
    bound("max_length", "STRING_LENGTH_GREATER_THAN_MAX", lambda size, high: size > high, len)
    bound("min_value", "VALUE_LESS_THAN_MIN", lambda value, low: value < low, lambda value: value)
    bound("max_value", "VALUE_GREATER_THAN_MAX", lambda value, high: value > high, lambda value: value)
    allowed = spec.get("allowed_values")
    if allowed is not None:
        allowed_set = {(type(value), value) for value in allowed}
        not_allowed = ("VALUE_NOT_ALLOWED", f"allowed values are {allowed}")
        constraints.append(lambda value: None if (type(value), value) in allowed_set else not_allowed)
    pattern = spec.get("pattern")
    if pattern is not None:
        compiled = re.compile(pattern)
        mismatch = ("PATTERN_MISMATCH", f"the value does not match {pattern}")
        constraints.append(lambda value: None if compiled.fullmatch(value) else mismatch)
    if value_type == "url":
        bad_url = ("INVALID_URL_SYNTAX", "an http or https URL is expected")
        constraints.append(lambda value: None if _url(value) else bad_url)
    if value_type == "coordinates":
        bad_point = ("INVALID_COORDINATES_SYNTAX", "'latitude,longitude' in degrees is expected")
        constraints.append(lambda value: None if _coordinates(value) else bad_point)
    wrong_type = (type_code, type_message)

    def check(value: Any) -> Problem | None:
        if not is_type(value):
            return wrong_type
        for constraint in constraints:
            problem = constraint(value)
            if problem is not None:
                return problem
        return None

    return check


def _field_check(spec: Mapping[str, Any]) -> FieldCheck:
    element = _scalar_check(spec)
    if not spec["type"].startswith("array_"):

        def check_scalar(value: Any) -> list[tuple[str, str, str]] | None:
            problem = element(value)
            return None if problem is None else [("", *problem)]

        return check_scalar
    low, high = spec.get("min_size"), spec.get("max_size")

    def check_array(value: Any) -> list[tuple[str, str, str]] | None:
        if not isinstance(value, list):
            return [("", "ARRAY_EXPECTED", "an array is expected")]
        problems = []
        if low is not None and len(value) < low:
            problems.append(("", "ARRAY_SIZE_LESS_THAN_MIN", f"at least {low} items are expected"))
        if high is not None and len(value) > high:
            problems.append(("", "ARRAY_SIZE_GREATER_THAN_MAX", f"at most {high} items are expected"))
        for index, item in enumerate(value):
            problem = element(item)
            if problem is not None:
                problems.append((f".{index}", *problem))
        return problems or None

    return check_array


class ValuesChecker:
    """Checks a values object (input_values, output_values) against a field spec mapping."""

    def __init__(self, spec: Mapping[str, Mapping[str, Any]]) -> None:
        self._fields = {
            name: (_field_check(field), bool(field.get("required", True))) for name, field in spec.items()
        }
        self._required = [name for name, (_, required) in self._fields.items() if required]

    def check(self, values: Any, path: str, errors: Errors) -> None:
        """Record every problem of `values` under `path`: types, constraints, missing and unknown fields."""
        if not isinstance(values, dict):
            _error(errors, path, "OBJECT_EXPECTED", "an object of field values is expected")
            return
        fields = self._fields
        for name, value in values.items():
            entry = fields.get(name)
            if entry is None:
                _error(
                    errors, f"{path}.{name}", "VALUE_NOT_ALLOWED", f"{name!r} is not a field of the project"
                )
            elif value is None:
                if entry[1]:
                    _error(errors, f"{path}.{name}", "VALUE_REQUIRED", "a value is required")
            else:
                problems = entry[0](value)
                if problems is not None:
                    for suffix, code, message in problems:
                        _error(errors, f"{path}.{name}{suffix}", code, message)
        for name in self._required:
            if name not in values:
                _error(errors, f"{path}.{name}", "VALUE_REQUIRED", "a value is required")
