"""The project as services see it: its columns and its stored settings."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    owner_id: int
    status: str
    """ACTIVE or ARCHIVED."""
    created: datetime
    stored_settings: Mapping[str, Any]
    """The settings as stored (names, instructions, task_spec, ...): what the requester sent,
    shown back on the wire."""

    @property
    def task_spec(self) -> Mapping[str, Any]:
        """The task interface: input_spec, output_spec and view_spec."""
        task_spec: Mapping[str, Any] = self.stored_settings["task_spec"]
        return task_spec

    @classmethod
    def from_row(cls, row: Row[Any]) -> "Project":
        return cls(
            id=row.id,
            owner_id=row.owner_id,
            status=row.status,
            created=row.created,
            stored_settings=row.spec,
        )
