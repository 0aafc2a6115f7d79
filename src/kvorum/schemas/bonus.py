"""A bonus a requester gives a worker."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from kvorum.schemas.common import Bool, Str, Wire
from kvorum.schemas.ids import ObjectId
from kvorum.schemas.skill import LocalizedText

MAX_AMOUNT = Decimal("100")
"""The largest single bonus, in US dollars."""


def _amount(value: Any) -> Decimal:
    """A positive amount of whole cents, at most MAX_AMOUNT; a JSON number or a decimal string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PydanticCustomError("INVALID_AMOUNT", "amount is a number of US dollars")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PydanticCustomError("INVALID_AMOUNT", "amount is a number of US dollars") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise PydanticCustomError("INVALID_AMOUNT", "amount is more than 0 and at most 100")
    if amount != amount.quantize(Decimal("0.01")):
        raise PydanticCustomError("INVALID_AMOUNT", "amount has at most two decimals")
    return amount


Amount = Annotated[Decimal, BeforeValidator(_amount)]


class UserBonusIn(Wire):
    user_id: ObjectId
    amount: Amount
    assignment_id: Str | None = Field(default=None, min_length=1, max_length=32)
    private_comment: Str | None = Field(default=None, max_length=10_000)
    public_title: LocalizedText | None = None
    public_message: LocalizedText | None = None
    without_message: Bool = False
