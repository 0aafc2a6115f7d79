"""Assignments on the wire: what a worker submits, a requester's review, and the Toloka assignment
object requesters read."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kvorum.schemas.common import Str, UtcDateTime
from kvorum.schemas.owner import Owner

Status = Literal["ACTIVE", "SUBMITTED", "ACCEPTED", "REJECTED", "SKIPPED", "EXPIRED"]


class Solution(BaseModel):
    """The answer to one task."""

    model_config = ConfigDict(extra="forbid")
    output_values: dict[Str, Any]


class Submission(BaseModel):
    """One solution per task of the assignment, in order."""

    model_config = ConfigDict(extra="forbid")
    solutions: list[Solution] = Field(max_length=10_000)


class Review(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str
    public_comment: Str | None = Field(default=None, max_length=2048)


class AssignmentTaskOut(BaseModel):
    """A task as it was issued, with everything the requester uploaded for it."""

    model_config = ConfigDict(extra="allow")
    id: str
    pool_id: str
    input_values: dict[str, Any]
    known_solutions: list[dict[str, Any]] | None = None
    message_on_unknown_solution: str | None = None


class AssignmentOut(BaseModel):
    """The Toloka assignment object."""

    id: str
    task_suite_id: str
    pool_id: str
    user_id: str
    status: Status
    reward: float
    mixed: bool
    automerged: bool
    tasks: list[AssignmentTaskOut]
    owner: Owner
    created: UtcDateTime
    submitted: UtcDateTime | None = None
    accepted: UtcDateTime | None = None
    rejected: UtcDateTime | None = None
    skipped: UtcDateTime | None = None
    expired: UtcDateTime | None = None
    solutions: list[Solution] | None = None
    public_comment: str | None = None


class AssignmentsPage(BaseModel):
    items: list[AssignmentOut]
    has_more: bool
