"""Domain errors. The HTTP edge maps each to a Toloka error body and status code."""

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
