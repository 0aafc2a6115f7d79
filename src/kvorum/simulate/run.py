"""A simulated crowd working a live server: one asyncio task per worker, one connection pool,
bounded in assignments and in time."""

import asyncio
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kvorum.simulate import behaviours, classification, crowd
from kvorum.simulate.accounts import Accounts
from kvorum.simulate.behaviours import Profile
from kvorum.simulate.crowd import CrowdSpec
from kvorum.simulate.errors import ConfigError
from kvorum.simulate.pace import Pace, RealPace, ServerClock
from kvorum.simulate.result import Ban, GivenAnswer, SimulationResult, StopReason, WorkerRun
from kvorum.simulate.server import DEFAULT_URL, Refusal, Server, checked_url
from kvorum.simulate.truth import GroundTruth, task_key

GRACE_S = 60.0
"""How long past `max_seconds` the run waits for requests in flight before it cancels them."""

Observer = Callable[[SimulationResult], None]


@dataclass(frozen=True, slots=True)
class Simulation:
    """One run: the crowd, where it works, and its bounds.

    With no `pools`, the run first creates a classification pool from the ground truth
    (`setup`); otherwise the workers work the given pools in order (a training before its pool).
    """

    crowd: CrowdSpec = field(default_factory=CrowdSpec)
    seed: int = 1
    url: str = DEFAULT_URL
    pools: tuple[str, ...] = ()
    setup: classification.Setup = field(default_factory=classification.Setup)
    max_assignments: int = 10_000
    max_seconds: float = 300.0
    time_scale: float = 0.01
    """Wall-clock seconds slept per simulated second on a server whose clock cannot be moved."""
    connections: int = 32
    requester_token: str | None = field(default=None, repr=False)
    """For creating the pool from the ground truth; not needed when `pools` are given."""

    def expected_assignments(self, truth: GroundTruth) -> int:
        """How many assignments the run should take: the pool made from the ground truth, filled to its
        overlap, or `max_assignments` on given pools (skips and walk-outs add a few more)."""
        if self.pools:
            return self.max_assignments
        suites = math.ceil(len(truth.items) / self.setup.tasks_per_suite)
        return min(self.max_assignments, suites * self.setup.overlap)

    def __post_init__(self) -> None:
        checked_url(self.url, explicit=True)
        if self.max_assignments < 1 or self.max_seconds <= 0:
            raise ConfigError("run: max_assignments and max_seconds must be positive")
        if not 0 <= self.time_scale <= 10:
            raise ConfigError("run.time_scale: between 0 and 10")


class _Bounds:
    """The assignments left to take and the deadline, shared by every worker."""

    def __init__(self, simulation: Simulation) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + simulation.max_seconds
        self.left = simulation.max_assignments
        self.stopped_by: StopReason = "done"

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def take_one(self) -> bool:
        """Reserve one assignment; False (and the reason recorded) once the run must stop."""
        if time.monotonic() >= self.deadline:
            self.stopped_by = "max_seconds"
            return False
        if self.left <= 0:
            self.stopped_by = "max_assignments"
            return False
        self.left -= 1
        return True

    def give_back(self) -> None:
        self.left += 1


@dataclass(slots=True)
class _Crew:
    """What every worker's task shares."""

    server: Server
    truth: GroundTruth
    setup: classification.Setup
    pace: Pace
    bounds: _Bounds
    result: SimulationResult
    observe: Observer
    seed: int

    def seconds(self) -> float:
        """Seconds into the run: on the server's clock in time-travel mode, else on the wall clock."""
        return self.pace.now if isinstance(self.pace, ServerClock) else self.bounds.elapsed()


async def simulate(
    simulation: Simulation, truth: GroundTruth, accounts: Accounts, observe: Observer | None = None
) -> SimulationResult:
    """Run the crowd on the server until the work, the assignments allowed or the time runs out."""
    if not simulation.pools and simulation.requester_token is None:
        raise ConfigError("creating the pool from the ground truth needs a requester token")
    server = Server(
        simulation.url, requester_token=simulation.requester_token, connections=simulation.connections
    )
    try:
        result, tokens = await _prepare(server, simulation, truth, accounts)
        bounds = _Bounds(simulation)
        pace = ServerClock(server) if result.time_travel else RealPace(simulation.time_scale, bounds.deadline)
        observer = observe or (lambda _: None)
        crew = _Crew(server, truth, simulation.setup, pace, bounds, result, observer, simulation.seed)
        for _ in result.workers:
            pace.enter()
        runs = [_work(crew, worker, token) for worker, token in zip(result.workers, tokens, strict=True)]
        try:
            async with asyncio.timeout(simulation.max_seconds + GRACE_S):
                await asyncio.gather(*runs)
        except TimeoutError:
            bounds.stopped_by = "max_seconds"
        result.elapsed_seconds = bounds.elapsed()
        result.stopped_by = bounds.stopped_by
        result.simulated_seconds = pace.now if isinstance(pace, ServerClock) else 0.0
        crew.observe(result)
        return result
    finally:
        await server.aclose()


def run(
    simulation: Simulation, truth: GroundTruth, accounts: Accounts, observe: Observer | None = None
) -> SimulationResult:
    """`simulate` on an event loop of its own."""
    return asyncio.run(simulate(simulation, truth, accounts, observe))


async def _prepare(
    server: Server, simulation: Simulation, truth: GroundTruth, accounts: Accounts
) -> tuple[SimulationResult, list[str]]:
    """The pools (made from the ground truth when none are given) and the crowd's accounts: an empty
    result, and each worker's token."""
    time_travel = await server.time_travel()
    pools = simulation.pools or (await classification.create(server, truth, simulation.setup),)
    profiles = crowd.profiles(simulation.crowd, truth.labels, simulation.seed)
    tokens = await asyncio.to_thread(accounts.worker_tokens, [profile.name for profile in profiles])
    ids = await asyncio.gather(*(server.worker_id(token) for token in tokens))
    workers = [WorkerRun(profile, user_id) for profile, user_id in zip(profiles, ids, strict=True)]
    return SimulationResult(pools, truth.labels, workers, time_travel), tokens


async def _work(crew: _Crew, worker: WorkerRun, token: str) -> None:
    """One worker: the pools in order, each until it has nothing left for them or shuts them out."""
    rng = crowd.choices_rng(crew.seed, worker.profile.index)
    try:
        for pool_id in crew.result.pools:
            while crew.bounds.take_one():
                taken = await crew.server.take(token, pool_id)
                if isinstance(taken, Refusal):
                    crew.bounds.give_back()
                    if "restricted" in taken.message:
                        worker.ban = Ban(pool_id, taken.message, crew.seconds())
                        crew.observe(crew.result)
                        return
                    if taken.code != "ALL_ASSIGNMENTS_EXHAUSTED":
                        worker.refused[pool_id] = taken.message
                    break
                if not await _do(crew, worker, token, taken, rng):
                    return
                crew.observe(crew.result)
    finally:
        await crew.pace.leave()


async def _do(
    crew: _Crew, worker: WorkerRun, token: str, assignment: dict[str, Any], rng: random.Random
) -> bool:
    """Work one assignment as the worker's behaviour says; False when the worker walks away for good."""
    profile = worker.profile
    decision = behaviours.decide(profile, rng)
    if decision == "abandon":
        worker.abandoned.append(assignment["id"])
        return False
    tasks = assignment["tasks"]
    await crew.pace.spend(profile.seconds_per_task * (1 if decision == "skip" else len(tasks)))
    if decision == "skip":
        skipped = await crew.server.skip(token, assignment["id"])
        (worker.lost if isinstance(skipped, Refusal) else worker.skipped).append(assignment["id"])
        return True
    given = [_answer(crew, profile, assignment, task) for task in tasks]
    outputs = [{crew.setup.output: answer.given} for answer in given]
    submitted = await crew.server.submit(token, assignment["id"], outputs)
    if isinstance(submitted, Refusal):
        worker.lost.append(assignment["id"])
        return True
    worker.submitted.append(assignment["id"])
    worker.answers.extend(given)
    worker.earned += Decimal(str(assignment.get("reward", 0)))
    return True


def _answer(crew: _Crew, profile: Profile, assignment: dict[str, Any], task: dict[str, Any]) -> GivenAnswer:
    key = task_key(task["input_values"])
    truth = crew.truth.label_of(task["input_values"])
    rng = crowd.answer_rng(crew.seed, profile, key)
    return GivenAnswer(
        pool_id=assignment["pool_id"],
        assignment_id=assignment["id"],
        task_id=task["id"],
        task_key=key,
        given=behaviours.answer(profile, crew.truth.labels, truth, rng),
        truth=truth,
    )
