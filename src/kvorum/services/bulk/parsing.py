"""A bulk request body read into items: one call to pydantic-core over the raw JSON when all is well."""

from dataclasses import dataclass, field
from typing import Any, Generic

import orjson
from pydantic import ValidationError

from kvorum.services.bulk.bulk_type import BulkType, New
from kvorum.services.errors import ValidationFailed, validation_payload
from kvorum.services.tasks.targets import TargetPool
from kvorum.services.tasks.values import Errors


@dataclass(slots=True)
class Item(Generic[New]):
    """One input object: as sent, then either checked and written, or with its errors."""

    sent: Any
    """The JSON value as sent; validated by the bulk type's schema unless it has errors."""
    errors: Errors = field(default_factory=dict)
    pool: TargetPool | None = None
    new: New | None = None
    id: str | None = None
    """Once written."""


@dataclass(frozen=True)
class Parsed(Generic[New]):
    items: list[Item[New]]
    single: bool
    """The body was one object, not an array."""
    units: int
    """What the valid items cost of the creation quota."""


def parse(bulk_type: BulkType[New], raw: bytes, *, limit: int) -> Parsed[New]:
    """Raw body -> items with their shape errors; a body that is not an object or array is refused."""
    start = raw.lstrip()[:1]
    if start not in (b"{", b"["):
        try:
            orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            message = f"The request body is not valid JSON: {exc}"
            raise ValidationFailed(message, _body_error("JSON_EXPECTED", message)) from None
        message = f"Send a {bulk_type.noun} object or an array of them"
        raise ValidationFailed(message, _body_error("OBJECT_EXPECTED", message))
    single = start == b"{"
    items: list[Item[New]]
    try:
        if single:
            items = [Item(sent=bulk_type.one.validate_json(raw))]
        else:
            items = [Item(sent=value) for value in bulk_type.many.validate_json(raw)]
    except ValidationError:
        items = _parse_slowly(bulk_type, raw, single)
    if len(items) > limit:
        raise ValidationFailed(
            f"At most {limit} {bulk_type.noun}s per request in this mode; this one has {len(items)}",
            {"body": {"code": "ARRAY_SIZE_GREATER_THAN_MAX", "message": f"at most {limit} items"}},
        )
    if not items:
        message = f"The array of {bulk_type.noun}s is empty"
        raise ValidationFailed(message, _body_error("ARRAY_SIZE_LESS_THAN_MIN", message))
    units = sum(bulk_type.units(item.sent) for item in items if not item.errors)
    return Parsed(items=items, single=single, units=units)


def _body_error(code: str, message: str) -> Errors:
    return {"body": {"code": code, "message": message}}


def _parse_slowly(bulk_type: BulkType[New], raw: bytes, single: bool) -> list[Item[New]]:
    """Per-item validation, to tell valid items from invalid ones when the fast path failed."""
    try:
        values = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        message = f"The request body is not valid JSON: {exc}"
        raise ValidationFailed(message, _body_error("JSON_EXPECTED", message)) from None
    items: list[Item[New]] = []
    for value in [values] if single else values:
        try:
            items.append(Item(sent=bulk_type.one.validate_python(value)))
        except ValidationError as exc:
            items.append(Item(sent=value, errors=validation_payload(exc.errors())))
    return items
