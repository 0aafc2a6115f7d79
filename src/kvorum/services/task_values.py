"""Checks input and output values against a project's field specs.

A spec is compiled once into one checker per field, so that validating 100,000 tasks costs a
few dictionary lookups and isinstance calls per value rather than re-reading the spec.
"""

import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

Errors = dict[str, dict[str, str]]
Check = Callable[[Any, str, Errors], None]


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


def _url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


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


def _scalar_check(spec: Mapping[str, Any]) -> Check:
    """A checker for one value of the spec's scalar type, with its constraints."""
    kind = spec["type"].removeprefix("array_")
    is_type, type_code, type_message = _TYPE_CHECKS[kind]
    constraints: list[Callable[[Any, str, Errors], None]] = []

    def bound(key: str, code: str, test: Callable[[Any, Any], bool], measure: Callable[[Any], Any]) -> None:
        limit = spec.get(key)
        if limit is not None:
            message = f"{key.replace('_', ' ')} is {limit}"

            def check(value: Any, path: str, errors: Errors) -> None:
                if test(measure(value), limit):
                    _error(errors, path, code, message)

            constraints.append(check)

    bound("min_length", "STRING_LENGTH_LESS_THAN_MIN", lambda size, low: size < low, len)
    bound("max_length", "STRING_LENGTH_GREATER_THAN_MAX", lambda size, high: size > high, len)
    bound("min_value", "VALUE_LESS_THAN_MIN", lambda value, low: value < low, lambda value: value)
    bound("max_value", "VALUE_GREATER_THAN_MAX", lambda value, high: value > high, lambda value: value)
    allowed = spec.get("allowed_values")
    if allowed is not None:
        allowed_set = {(type(value), value) for value in allowed}

        def check_allowed(value: Any, path: str, errors: Errors) -> None:
            if (type(value), value) not in allowed_set:
                _error(errors, path, "VALUE_NOT_ALLOWED", f"allowed values are {allowed}")

        constraints.append(check_allowed)
    pattern = spec.get("pattern")
    if pattern is not None:
        compiled = re.compile(pattern)

        def check_pattern(value: Any, path: str, errors: Errors) -> None:
            if compiled.fullmatch(value) is None:
                _error(errors, path, "PATTERN_MISMATCH", f"the value does not match {pattern}")

        constraints.append(check_pattern)
    if kind == "url":
        constraints.append(
            lambda value, path, errors: (
                None
                if _url(value)
                else _error(errors, path, "INVALID_URL_SYNTAX", "an http or https URL is expected")
            )
        )
    if kind == "coordinates":
        constraints.append(
            lambda value, path, errors: (
                None
                if _coordinates(value)
                else _error(
                    errors, path, "INVALID_COORDINATES_SYNTAX", "'latitude,longitude' in degrees is expected"
                )
            )
        )

    def check(value: Any, path: str, errors: Errors) -> None:
        if not is_type(value):
            _error(errors, path, type_code, type_message)
            return
        for constraint in constraints:
            constraint(value, path, errors)

    return check


def _field_check(spec: Mapping[str, Any]) -> Check:
    element = _scalar_check(spec)
    if not spec["type"].startswith("array_"):
        return element
    low, high = spec.get("min_size"), spec.get("max_size")

    def check_array(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, list):
            _error(errors, path, "ARRAY_EXPECTED", "an array is expected")
            return
        if low is not None and len(value) < low:
            _error(errors, path, "ARRAY_SIZE_LESS_THAN_MIN", f"at least {low} items are expected")
        if high is not None and len(value) > high:
            _error(errors, path, "ARRAY_SIZE_GREATER_THAN_MAX", f"at most {high} items are expected")
        for index, item in enumerate(value):
            element(item, f"{path}.{index}", errors)

    return check_array


class ValuesChecker:
    """Checks a values object (input_values, output_values) against a field spec mapping."""

    def __init__(self, spec: Mapping[str, Mapping[str, Any]]) -> None:
        self._fields = {
            name: (_field_check(field), bool(field.get("required", True))) for name, field in spec.items()
        }

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
                entry[0](value, f"{path}.{name}", errors)
        for name, (_, required) in fields.items():
            if required and name not in values:
                _error(errors, f"{path}.{name}", "VALUE_REQUIRED", "a value is required")
