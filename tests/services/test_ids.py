"""Every place that reads a numeric id agrees on what one is: up to 18 ASCII digits."""

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from kvorum.schemas.ids import ObjectId, is_id, parse_id
from kvorum.schemas.task import PoolId
from kvorum.services.search import numeric_id

IDS = ["0", "7", "123456789012345678"]
NOT_IDS = ["", "1234567890123456789", "-1", "+1", " 1", "1 ", "1\n", "1.0", "١٢", "0x1f", "abc"]
OBJECT_ID: TypeAdapter[str] = TypeAdapter(ObjectId)
POOL_ID: TypeAdapter[str] = TypeAdapter(PoolId)


@pytest.mark.parametrize("text", IDS)
def test_ids_are_read_alike(text: str) -> None:
    assert is_id(text)
    assert parse_id(text) == numeric_id(text) == int(text)
    assert OBJECT_ID.validate_python(text) == POOL_ID.validate_python(text) == text


@pytest.mark.parametrize("text", NOT_IDS)
def test_non_ids_are_refused_alike(text: str) -> None:
    assert not is_id(text)
    assert parse_id(text) is None
    with pytest.raises(ValueError, match="expected an id"):
        numeric_id(text)
    for adapter in (OBJECT_ID, POOL_ID):
        with pytest.raises(ValidationError):
            adapter.validate_python(text)


@pytest.mark.parametrize("value", [7, True, None, 7.0, ["7"]])
def test_is_id_wants_text(value: Any) -> None:
    assert not is_id(value)


def test_object_ids_may_be_sent_as_integers() -> None:
    assert OBJECT_ID.validate_python(42) == "42"
    for value in (-1, 10**18, True):
        with pytest.raises(ValidationError):
            OBJECT_ID.validate_python(value)
