"""What is issued: a task suite, drawn by the mixer or uploaded by the requester."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kvorum.services.accounts.workers import Worker


@dataclass(frozen=True)
class Suite:
    """Each task as {"id", "kind", <its stored body>}, and the uploaded suite it came from (None
    for a suite the mixer drew)."""

    tasks: list[dict[str, Any]]
    suite_id: str | None

    @property
    def mixed(self) -> bool:
        return self.suite_id is None


def reserved_elsewhere(item: Mapping[str, Any], worker: Worker) -> bool:
    """A task or suite reserved for other workers, or unavailable to this one."""
    me = str(worker.id)
    reserved: list[str] = item.get("reserved_for") or []
    unavailable: list[str] = item.get("unavailable_for") or []
    return (bool(reserved) and me not in reserved) or me in unavailable
