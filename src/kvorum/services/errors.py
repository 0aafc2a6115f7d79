"""Domain errors. The HTTP edge maps each to a Toloka error body and status code."""

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """A failure the caller can act on; `code` is the Toloka error code."""

    status = 400
    code = "VALIDATION_ERROR"

    def __init__(self, message: str, payload: Any = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.payload = payload
        if code is not None:
            self.code = code


class ValidationFailed(DomainError):
    """Field errors keyed by dotted path: {"path": {"code": ..., "message": ...}}."""

    status = 400
    code = "VALIDATION_ERROR"


class AuthenticationFailed(DomainError):
    status = 401
    code = "AUTHENTICATION_ERROR"


class AccessDenied(DomainError):
    status = 403
    code = "ACCESS_DENIED"


class NotFound(DomainError):
    status = 404
    code = "DOES_NOT_EXIST"


class Conflict(DomainError):
    """The object is in a state that forbids the action."""

    status = 409
    code = "CONFLICT_STATE"


class TooManyRequests(DomainError):
    status = 429
    code = "TOO_MANY_REQUESTS"


class Problems:
    """Collects field errors so one response names every bad field, then raises them at once."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def add(self, path: str, code: str, message: str) -> None:
        self.items.setdefault(path, {"code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, message: str = "Validation failed") -> None:
        if self.items:
            raise ValidationFailed(message, self.items)


PYDANTIC_CODES = {
    "missing": "VALUE_REQUIRED",
    "int_type": "INTEGER_EXPECTED",
    "int_parsing": "INTEGER_EXPECTED",
    "int_from_float": "INTEGER_EXPECTED",
    "float_type": "FLOAT_EXPECTED",
    "float_parsing": "FLOAT_EXPECTED",
    "bool_type": "BOOLEAN_EXPECTED",
    "bool_parsing": "BOOLEAN_EXPECTED",
    "string_type": "STRING_EXPECTED",
    "string_too_short": "STRING_LENGTH_LESS_THAN_MIN",
    "string_too_long": "STRING_LENGTH_GREATER_THAN_MAX",
    "greater_than": "VALUE_LESS_THAN_MIN",
    "greater_than_equal": "VALUE_LESS_THAN_MIN",
    "less_than": "VALUE_GREATER_THAN_MAX",
    "less_than_equal": "VALUE_GREATER_THAN_MAX",
    "literal_error": "UNKNOWN_ENUM_VALUE",
    "enum": "UNKNOWN_ENUM_VALUE",
    "dict_type": "OBJECT_EXPECTED",
    "model_type": "OBJECT_EXPECTED",
    "model_attributes_type": "OBJECT_EXPECTED",
    "list_type": "ARRAY_EXPECTED",
    "too_short": "ARRAY_SIZE_LESS_THAN_MIN",
    "too_long": "ARRAY_SIZE_GREATER_THAN_MAX",
    "datetime_type": "INVALID_DATE_TIME_SYNTAX",
    "datetime_parsing": "INVALID_DATE_TIME_SYNTAX",
    "datetime_from_date_parsing": "INVALID_DATE_TIME_SYNTAX",
    "json_invalid": "JSON_EXPECTED",
    "json_type": "JSON_EXPECTED",
    "uuid_type": "UUID_EXPECTED",
    "uuid_parsing": "UUID_EXPECTED",
    "value_error": "INVALID_VALUE",
    "assertion_error": "INVALID_VALUE",
}


def field_path(loc: Sequence[int | str]) -> str:
    """('body', 'filter', 'and', 0) -> 'filter.and.0'; the whole body is 'body'."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts[:1]
    return ".".join(str(part) for part in parts)


def validation_payload(errors: Sequence[Any], *, skip: int = 0) -> dict[str, dict[str, str]]:
    """Pydantic errors -> {"dotted.path": {"code", "message"}}; the first error per path wins.

    `skip` drops leading location parts (the item index of a batch).
    """
    payload: dict[str, dict[str, str]] = {}
    for error in errors:
        kind = str(error.get("type", ""))
        code = PYDANTIC_CODES.get(kind, kind if kind.isupper() else "INVALID_VALUE")
        path = field_path(tuple(error.get("loc", ()))[skip:]) or "body"
        message = str(error.get("msg", "invalid value"))
        if kind == "missing" and path == "body":
            code, message = "NOT_NULL_BODY", "a JSON request body is required"
        payload.setdefault(path, {"code": code, "message": message})
    return payload


class OperationExists(DomainError):
    """An operation with the request's operation_id exists: the request was already accepted."""

    status = 409
    code = "OPERATION_ALREADY_EXISTS"
