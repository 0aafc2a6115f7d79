"""The answer of a search endpoint."""

from typing import Generic, TypeVar

from pydantic import BaseModel

Item = TypeVar("Item")


class PageOut(BaseModel, Generic[Item]):
    """One page of matches; with `has_more`, ask again from past the last item (e.g. `id_gt`)."""

    items: list[Item]
    has_more: bool
