"""Building blocks shared by every wire model."""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
)
from pydantic_core import PydanticCustomError

from kvorum.clock import truncate


def to_naive_utc(value: datetime) -> datetime:
    """Naive values are UTC already; aware ones are converted."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def format_datetime(value: datetime) -> str:
    """The API's date-time format: naive UTC ISO-8601 with milliseconds, no offset."""
    return to_naive_utc(truncate(value)).isoformat(timespec="milliseconds")


UtcDateTime = Annotated[
    datetime,
    AfterValidator(to_naive_utc),
    PlainSerializer(format_datetime, return_type=str, when_used="json"),
]
"""A date-time on the wire: accepts ISO-8601 with or without offset, emits naive UTC."""

Bool = StrictBool
Int = StrictInt
Str = StrictStr


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("FLOAT_EXPECTED", "a number is expected")
    return value


Number = Annotated[int | float, BeforeValidator(_number)]
"""A JSON number; integers stay integers so that what is read back equals what was sent."""

Metadata = dict[StrictStr, list[StrictStr]]


class Wire(BaseModel):
    """A request body: unknown and read-only keys are ignored, as the client echoes them back."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def wire(self) -> dict[str, Any]:
        """The JSON form that is stored and returned: set fields only, by wire name."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


def owner(requester_id: int, caller_id: int) -> dict[str, Any]:
    """The `owner` object of a requester-side resource."""
    return {"id": str(requester_id), "myself": requester_id == caller_id, "company_id": str(requester_id)}
