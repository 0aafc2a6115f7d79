"""What the worker API answers. A worker never sees known solutions, hints (but in the feedback on
their own training answers), hidden inputs or other workers' answers: these models have no field
for them."""

from typing import Any

from pydantic import BaseModel

from kvorum.schemas.assignment import Solution, Status
from kvorum.schemas.common import UtcDateTime


class WorkerTaskOut(BaseModel):
    """A task as its worker sees it: the inputs the project does not hide."""

    id: str
    input_values: dict[str, Any]


class WorkerAssignmentOut(BaseModel):
    """One of the worker's assignments: their tasks, and their own answers once submitted."""

    id: str
    pool_id: str
    task_suite_id: str
    status: Status
    reward: float
    expires: UtcDateTime
    tasks: list[WorkerTaskOut]
    created: UtcDateTime
    submitted: UtcDateTime | None = None
    accepted: UtcDateTime | None = None
    rejected: UtcDateTime | None = None
    skipped: UtcDateTime | None = None
    expired: UtcDateTime | None = None
    solutions: list[Solution] | None = None
    view_spec: dict[str, Any]
    """The project's view spec, as the requester saved it: how to draw the tasks."""
    output_spec: dict[str, Any]
    """The fields each solution's output_values must have."""
    instructions: str
    """The pool's (or else the project's) instructions; requester HTML, to be sanitized before it is shown."""


class FeedbackOut(BaseModel):
    """Whether the answer to a training task was right, with the task's hint if it has one."""

    task_id: str
    correct: bool
    hint: str | None = None


class SubmittedAssignmentOut(WorkerAssignmentOut):
    feedback: list[FeedbackOut]
    """One item per training task with known solutions; empty in other pools."""


class PoolOfferOut(BaseModel):
    """An open pool or training the worker may take now, with what they read before starting."""

    id: str
    type: str
    title: str
    reward: float
    description: str
    instructions: str
    priority: int
    assignment_max_duration_seconds: int
    """How long an assignment of the pool may stay active."""


class EarningsOut(BaseModel):
    accepted: float
    """Rewards of accepted assignments."""
    pending: float
    """Rewards of submitted assignments awaiting review: not earned yet, not in `total`."""
    bonuses: float
    """Bonuses requesters gave."""
    total: float
    """What has been earned: `accepted` + `bonuses`."""


class MeOut(BaseModel):
    id: str
    name: str
    profile: dict[str, Any]
    skills: dict[str, float]
    """Skill id -> value, of the skills that have not expired."""
    earnings: EarningsOut
