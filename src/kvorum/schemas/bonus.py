"""A bonus a requester gives a worker."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Required

from pydantic import BeforeValidator, ConfigDict, Field, TypeAdapter
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from kvorum.schemas.common import Bool, Str
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


Amount = Annotated[str, BeforeValidator(lambda value: f"{_amount(value):.2f}")]
"""Kept as its decimal text ("0.50"), which the operation log shows as the input."""


class UserBonusIn(TypedDict, total=False):
    """Other keys (toloka-kit's `__item_idx`, read-only fields echoed back) are kept for the log."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    user_id: Required[ObjectId]
    amount: Required[Amount]
    assignment_id: Annotated[Str, Field(min_length=1, max_length=32)] | None
    private_comment: Annotated[Str, Field(max_length=10_000)] | None
    public_title: LocalizedText | None
    public_message: LocalizedText | None
    without_message: Bool


USER_BONUS = TypeAdapter(UserBonusIn)
USER_BONUSES = TypeAdapter(list[UserBonusIn])
