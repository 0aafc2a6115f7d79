"""A bulk type: one sort of object created in bulk (tasks, task suites) and what differs between them."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import Connection

from kvorum.schemas.rendered import RenderedJson
from kvorum.services.bulk.params import CreateParams
from kvorum.services.tasks.targets import TargetPool
from kvorum.services.tasks.values import Errors

New = TypeVar("New")
"""An object that passed its checks, not yet written."""

ItemCheck = Callable[[Mapping[str, Any], CreateParams, Errors], New | None]
"""Checks one item of a batch that does not go to a pool: the object, or None with its errors."""


@dataclass(frozen=True, kw_only=True)
class BulkType(Generic[New]):
    """Items go to pools (`prepare`: each item names its `pool_id`) or not (`start`)."""

    noun: str
    operation_type: str
    """The type of its operations, by which a stored operation finds its bulk type again."""
    quota_action: str
    log_create: str
    log_validate: str
    output_key: str
    """The log's output key of a created object's id."""
    one: TypeAdapter[Any]
    many: TypeAdapter[list[Any]]
    units: Callable[[Any], int]
    """What one valid input costs of the creation quota."""
    persist: Callable[[Connection, Sequence[New], datetime], list[str]]
    """Give the objects ids and write them at the given time; answers the ids in the order given."""
    render: Callable[[New, str, datetime], RenderedJson]
    """The wire form of a written object, from its id and creation time: sync mode's answer.
    Only sync mode renders, so an async batch builds nothing more per object once written."""
    prepare: Callable[[Mapping[str, Any], TargetPool, CreateParams, Errors], New | None] | None = None
    """The checked object, or None with every problem recorded in the errors."""
    start: Callable[[Connection, int], ItemCheck[New]] | None = None
    """The check of a batch's items for this caller, inside the batch's transaction."""
    sync_limit: int = 5_000
    async_limit: int = 100_000
