"""One page of a search, as every list endpoint answers it."""

from typing import Generic, TypeVar

from pydantic import BaseModel

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    has_more: bool
    """More objects match: ask again from the last one (e.g. id_gt) for the next page."""
