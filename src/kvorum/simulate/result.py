"""What a simulation did, worker by worker: the answers given, skips, walk-outs, bans seen, pay.

The object is filled in while the run goes, so a progress display reads the same figures the
report reads at the end.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from kvorum.simulate.behaviours import Profile

StopReason = Literal["done", "max_assignments", "max_seconds"]


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    pool_id: str
    assignment_id: str
    task_id: str
    task_key: str
    given: str
    truth: str | None

    @property
    def correct(self) -> bool | None:
        return None if self.truth is None else self.given == self.truth


def share_correct(answers: list[GivenAnswer]) -> float | None:
    """The share of right answers among those to tasks of known truth; None when there are none."""
    graded = [answer.correct for answer in answers if answer.correct is not None]
    return sum(graded) / len(graded) if graded else None


@dataclass(frozen=True, slots=True)
class Ban:
    """The worker was shut out: the refusal the server gave, and when (seconds into the run, on the
    server's clock in time-travel mode)."""

    pool_id: str
    message: str
    at_seconds: float


@dataclass(slots=True)
class WorkerRun:
    profile: Profile
    user_id: str = ""
    answers: list[GivenAnswer] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)
    """Assignments the worker walked away from; the server expires them."""
    lost: list[str] = field(default_factory=list)
    """Assignments the server took back before the worker submitted (expired, or a ban)."""
    ban: Ban | None = None
    refused: dict[str, str] = field(default_factory=dict)
    """Pools that turned the worker away for another reason than a ban (a training not passed,
    a filter, a closed pool), with the server's message."""
    earned: Decimal = Decimal(0)
    """Rewards of the assignments the worker submitted."""

    @property
    def taken(self) -> int:
        return len(self.submitted) + len(self.skipped) + len(self.abandoned) + len(self.lost)

    @property
    def true_accuracy(self) -> float | None:
        """The share of this worker's answers to tasks of known truth that were right."""
        return share_correct(self.answers)


@dataclass(slots=True)
class SimulationResult:
    pools: tuple[str, ...]
    labels: tuple[str, ...]
    workers: list[WorkerRun]
    time_travel: bool
    elapsed_seconds: float = 0.0
    simulated_seconds: float = 0.0
    """Seconds the server's clock moved (time-travel mode only)."""
    stopped_by: StopReason = "done"

    @property
    def answers(self) -> list[GivenAnswer]:
        return [answer for worker in self.workers for answer in worker.answers]

    @property
    def answer_count(self) -> int:
        return sum(len(worker.answers) for worker in self.workers)

    @property
    def assignments(self) -> int:
        return sum(worker.taken for worker in self.workers)

    @property
    def skips(self) -> int:
        return sum(len(worker.skipped) for worker in self.workers)

    @property
    def abandoned(self) -> int:
        return sum(len(worker.abandoned) for worker in self.workers)

    @property
    def bans(self) -> list[WorkerRun]:
        return [worker for worker in self.workers if worker.ban is not None]

    @property
    def cost(self) -> Decimal:
        """Rewards of every submitted assignment (bonuses are the requester's and not seen here)."""
        return sum((worker.earned for worker in self.workers), Decimal(0))

    @property
    def accuracy(self) -> float | None:
        """The share of all answers to tasks of known truth that were right (before any aggregation)."""
        return share_correct(self.answers)
