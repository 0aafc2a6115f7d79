"""The assignment as services see it, and what worker-facing calls return about one."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

STATUSES = ("ACTIVE", "SUBMITTED", "ACCEPTED", "REJECTED", "SKIPPED", "EXPIRED")
TIMES = ("submitted", "accepted", "rejected", "skipped", "expired")
"""The moments an assignment records, besides `created`: one per status it can move to."""


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    owner_id: int
    pool_id: int
    task_suite_id: str
    worker_id: int
    status: str
    reward: float
    mixed: bool
    """Drawn by the mixer from single tasks, rather than an uploaded suite."""
    attempt: int
    """The worker's pass through a training; 0 in other pools."""
    tasks: Sequence[Mapping[str, Any]]
    """Each task as issued: {"id", "kind" (its role: REAL, GOLDEN or TRAINING), <its stored body>}."""
    created: datetime
    expires: datetime
    submitted: datetime | None = None
    accepted: datetime | None = None
    rejected: datetime | None = None
    skipped: datetime | None = None
    expired: datetime | None = None
    solutions: Sequence[Mapping[str, Any]] | None = None
    """One {"output_values": {...}} per task, in order, once submitted."""
    public_comment: str | None = None

    @classmethod
    def from_row(cls, row: Row[Any]) -> "Assignment":
        return cls.from_values(row._mapping)

    @classmethod
    def from_values(cls, row: Mapping[Any, Any]) -> "Assignment":
        """From the column values: read, or about to be stored."""
        return cls(
            id=row["id"],
            owner_id=row["owner_id"],
            pool_id=row["pool_id"],
            task_suite_id=row["task_suite_id"],
            worker_id=row["worker_id"],
            status=row["status"],
            reward=row["reward"],
            mixed=row["mixed"],
            attempt=row["attempt"],
            tasks=row["tasks"],
            created=row["created"],
            expires=row["expires"],
            submitted=row.get("submitted"),
            accepted=row.get("accepted"),
            rejected=row.get("rejected"),
            skipped=row.get("skipped"),
            expired=row.get("expired"),
            solutions=row.get("solutions"),
            public_comment=row.get("public_comment"),
        )


@dataclass(frozen=True, slots=True)
class Feedback:
    """The verdict on a training task's answer, told to the worker at submit."""

    task_id: str
    correct: bool
    hint: str | None
    """The task's message_on_unknown_solution, if it has one."""


@dataclass(frozen=True, slots=True)
class WorkerAssignment:
    """One of a worker's assignments, with what showing it to the worker needs: the input fields the
    project hides from workers, the specs and instructions, and after a submit the feedback on
    training tasks."""

    assignment: Assignment
    hidden_inputs: frozenset[str]
    task_spec: Mapping[str, Any]
    """The project's input, output and view specs: what drawing the tasks needs."""
    instructions: str
    feedback: Sequence[Feedback] | None = None

    def shown_tasks(self) -> list[dict[str, Any]]:
        """Each task as its worker sees it: its id, and the inputs the project does not hide."""
        hidden = self.hidden_inputs
        return [
            {
                "id": task["id"],
                "input_values": {
                    key: value for key, value in task["input_values"].items() if key not in hidden
                }
                if hidden
                else task["input_values"],
            }
            for task in self.assignment.tasks
        ]


@dataclass(frozen=True, slots=True)
class AssignmentPage:
    items: Sequence[Assignment]
    has_more: bool
