"""Tasks and task suites as services read them back: what their wire form is rendered from.

Slotted, not frozen: a batch builds one per object, up to 100,000, and a frozen dataclass costs
three times as much to build.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row


@dataclass(slots=True)
class Task:
    id: str
    pool_id: int
    created: datetime
    overlap: int | None
    """None with infinite_overlap."""
    infinite_overlap: bool
    taken: int
    """Assignments holding a slot of the overlap."""
    body: str
    """The task's other fields as a stored JSON object."""

    @classmethod
    def from_row(cls, row: Row[Any]) -> "Task":
        return cls(row.id, row.pool_id, row.created, row.overlap, row.infinite_overlap, row.taken, row.body)


@dataclass(slots=True)
class TaskSuite:
    id: str
    pool_id: int
    created: datetime
    overlap: int | None
    infinite_overlap: bool
    taken: int
    issuing_order_override: float
    body: str
    """The suite's tasks and other fields as a stored JSON object."""

    @classmethod
    def from_row(cls, row: Row[Any]) -> "TaskSuite":
        return cls(
            row.id,
            row.pool_id,
            row.created,
            row.overlap,
            row.infinite_overlap,
            row.taken,
            row.issuing_order_override,
            row.body,
        )
