"""What happens to assignments, told to the subscribers listed in services/subscriptions.py.

Each change publishes exactly one event of its kind, inside the transaction that made the change;
subscribers write through the same connection, so a rollback undoes the change and whatever its
subscribers did. A submit to a pool that accepts automatically is two changes: Submitted, then
Accepted. The kinds follow Toloka's assignment webhook events (ASSIGNMENT_CREATED, _SUBMITTED,
_SKIPPED, _EXPIRED, _APPROVED, _REJECTED), plus the end of a training attempt, and one event
about a worker rather than an assignment: AccessLost, when a restriction or a skill change takes
a pool away from a worker who has worked in it.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import Connection

from kvorum.services.assignments.model import Assignment
from kvorum.services.pools.model import Pool

ExpiredBy = Literal["TIMER", "LATE_SUBMIT", "LATE_SKIP", "RESTRICTION"]
AcceptedBy = Literal["REVIEW", "TIMER", "SUBMIT", "RULE"]


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, published to the subscribers of its kind."""


@dataclass(frozen=True, slots=True)
class AssignmentEvent(Event):
    assignment: Assignment
    """The assignment as the change left it."""
    at: datetime

    @property
    def assignment_id(self) -> str:
        return self.assignment.id

    @property
    def pool_id(self) -> int:
        return self.assignment.pool_id

    @property
    def owner_id(self) -> int:
        return self.assignment.owner_id

    @property
    def worker_id(self) -> int:
        return self.assignment.worker_id


@dataclass(frozen=True, slots=True)
class Issued(AssignmentEvent):
    """A worker was issued a task suite: a new ACTIVE assignment."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One task of a submitted assignment and the worker's answer to it."""

    task_id: str
    role: str
    """REAL, GOLDEN (a control task) or TRAINING."""
    known_solutions: Sequence[Mapping[str, Any]]
    """Empty for a real task."""
    output_values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Submitted(AssignmentEvent):
    """The worker answered every task: ACTIVE -> SUBMITTED."""

    pool: Pool | None = field(default=None, kw_only=True, compare=False)
    """The pool as the submit read it in this transaction, so that the subscribers of the most
    frequent event need not read it again."""

    def answers(self) -> Iterator[Answer]:
        """Each task with its role, known solutions and the worker's answer, in order."""
        for task, solution in zip(self.assignment.tasks, self.assignment.solutions or (), strict=True):
            yield Answer(
                task["id"], task["kind"], task.get("known_solutions") or (), solution["output_values"]
            )


@dataclass(frozen=True, slots=True)
class Skipped(AssignmentEvent):
    """The worker gave the suite back: ACTIVE -> SKIPPED."""


@dataclass(frozen=True, slots=True)
class Expired(AssignmentEvent):
    """The assignment's time ran out: ACTIVE -> EXPIRED, by the timer or on the worker's late
    submit or skip."""

    by: ExpiredBy


@dataclass(frozen=True, slots=True)
class Accepted(AssignmentEvent):
    """The answers were accepted: by the requester's review (of a SUBMITTED or a REJECTED
    assignment), by the auto-accept timer, at submit in a pool that accepts automatically, or by a
    quality-control rule (APPROVE_ALL_ASSIGNMENTS)."""

    previous: Literal["SUBMITTED", "REJECTED"]
    by: AcceptedBy


@dataclass(frozen=True, slots=True)
class Rejected(AssignmentEvent):
    """The requester or a quality-control rule rejected the answers: SUBMITTED -> REJECTED
    (public_comment says why)."""


@dataclass(frozen=True, slots=True)
class TrainingFinished(AssignmentEvent):
    """The worker submitted the suites a training attempt requires (this assignment the last) and
    holds the training's skill with the attempt's score."""

    skill_id: int
    value: float
    expires: datetime | None


@dataclass(frozen=True, slots=True)
class AccessLost(Event):
    """A worker who has assignments in a pool may no longer take it: a restriction now covers it
    (reason RESTRICTION), or a change of their value of `skill_id` fails the pool's filter
    (SKILL_CHANGE). Toloka's USERS_ASSESSMENT collector hears of this."""

    worker_id: int
    pool_id: int
    owner_id: int
    reason: Literal["RESTRICTION", "SKILL_CHANGE"]
    at: datetime
    skill_id: int | None = None


AnyEvent = TypeVar("AnyEvent", bound=Event)
Handler = Callable[[Connection, Any, "Subscribers"], None]
"""A subscriber as stored: called with the transaction's connection, an event of the kind it
subscribed to, and the subscribers that publish it (so that what it does can be told in turn)."""


@dataclass(frozen=True)
class Subscribers:
    """Who is told of which kind of event, in the order they subscribed."""

    handlers: Mapping[type[Event], tuple[Handler, ...]] = field(default_factory=dict)

    def subscribe(
        self, kind: type[AnyEvent], handler: Callable[[Connection, AnyEvent], None]
    ) -> "Subscribers":
        """These subscribers and one more."""
        return self.subscribe_publishing(kind, lambda conn, event, _: handler(conn, event))

    def subscribe_publishing(
        self, kind: type[AnyEvent], handler: Callable[[Connection, AnyEvent, "Subscribers"], None]
    ) -> "Subscribers":
        """These subscribers and one whose actions make events of their own (a rule that rejects
        assignments): it is handed the subscribers to publish them to."""
        return Subscribers({**self.handlers, kind: (*self.handlers.get(kind, ()), handler)})

    def publish(self, conn: Connection, event: Event) -> None:
        for handler in self.handlers.get(type(event), ()):
            handler(conn, event, self)
