"""Change requests' bodies, validated from the raw request in one call."""

from typing import Any

from pydantic import TypeAdapter, ValidationError

from kvorum.services.errors import ValidationFailed, validation_payload


def validated_body(adapter: TypeAdapter[Any], raw: bytes) -> dict[str, Any]:
    """The body as a dict, or a VALIDATION_ERROR naming each bad field."""
    try:
        value: dict[str, Any] = adapter.validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed("Validation failed", validation_payload(exc.errors())) from None
    return value
