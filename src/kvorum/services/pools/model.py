"""The pool (or training) as services see it: its columns, its stored settings and their typed reading."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from kvorum.services.pools.settings import PoolSettings


@dataclass(frozen=True, slots=True)
class Pool:
    id: int
    owner_id: int
    project_id: int
    type: str
    """REGULAR or TRAINING."""
    status: str
    created: datetime
    last_started: datetime | None
    last_stopped: datetime | None
    last_close_reason: str | None
    stored_settings: Mapping[str, Any]
    """The settings as stored: what the requester sent, shown back on the wire (services read `settings`)."""
    settings: PoolSettings
    project_spec: Mapping[str, Any] | None = None
    """The project's stored settings (its task_spec among them), where the pool was read together
    with its project (workers' reads)."""

    @property
    def is_training(self) -> bool:
        return self.settings.is_training

    @classmethod
    def from_row(cls, row: Row[Any]) -> "Pool":
        mapping = row._mapping
        return cls(
            id=row.id,
            owner_id=row.owner_id,
            project_id=row.project_id,
            type=row.kind,
            status=row.status,
            created=row.created,
            last_started=row.last_started,
            last_stopped=row.last_stopped,
            last_close_reason=row.last_close_reason,
            stored_settings=row.spec,
            settings=PoolSettings.parse(row.spec, row.kind),
            project_spec=mapping.get("project_spec"),
        )
