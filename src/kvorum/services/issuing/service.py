"""Which pools a worker may take now, and issuing a task suite of one as a new assignment.

A pool with a mixer_config builds each suite from its real, control (golden) and training tasks
in the configured counts (mixer.py); a training builds suites of its training tasks; any other
pool issues the suites the requester uploaded (uploaded.py). A task is issued to at most
`overlap` workers at a time (active, submitted and accepted assignments hold a slot), never twice
to one worker in a pool (in one training attempt).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments.events import Issued
from kvorum.services.assignments.lifecycle import handed, instructions
from kvorum.services.assignments.model import Assignment, WorkerAssignment
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound
from kvorum.services.issuing.eligibility import attempt_of, unavailable
from kvorum.services.issuing.mixer import Seat, free_for, mixed
from kvorum.services.issuing.pricing import reward
from kvorum.services.issuing.uploaded import uploaded
from kvorum.services.pools.model import Pool
from kvorum.store import assignments as store
from kvorum.store import pools as pool_store
from kvorum.store import skills as skill_store
from kvorum.store import tasks as task_store


class NothingToIssue(Conflict):
    code = "ALL_ASSIGNMENTS_EXHAUSTED"


class ActiveAssignment(Conflict):
    code = "THERE_IS_ACTIVE_ASSIGNMENT"


@dataclass(frozen=True, slots=True)
class PoolOffer:
    """An open pool or training the worker may take now, with what they read before starting."""

    id: int
    type: str
    title: str
    reward: float
    description: str
    instructions: str
    priority: int
    time_allowed: timedelta
    """How long an assignment of the pool may stay active."""
    unavailable: str | None = None
    """Why the worker cannot take the pool now (on the pool board); None when they can."""


def issue(ctx: Context, *, worker: Worker, pool_id: str) -> WorkerAssignment:
    """Issue the worker a task suite of the pool as a new ACTIVE assignment."""
    with ctx.db.write() as conn:
        key = parse_id(pool_id)
        row = None if key is None else pool_store.get_for_workers(conn, pool_id=key)
        if row is None:
            raise NotFound(f"Pool {pool_id} does not exist")
        pool = Pool.from_row(row)
        now = ctx.clock.now()
        skills = skill_store.values_of(conn, worker_id=worker.id, now=now)
        reason = unavailable(conn, pool, worker, skills, now)
        if reason is not None:
            raise Conflict(f"You cannot take tasks from this pool: {reason}")
        store.serialize_issuing(conn, pool_id=pool.id)
        if store.active_in_pool(conn, pool_id=pool.id, worker_id=worker.id) is not None:
            raise ActiveAssignment(f"Finish or skip your active assignment in pool {pool.id} first")
        seat = Seat(worker, attempt_of(conn, pool, worker, now))
        mixer = pool.settings.mixer
        suite = uploaded(conn, pool, worker) if mixer is None else mixed(conn, pool, mixer, seat, now)
        if suite is None:
            raise NothingToIssue(f"Pool {pool.id} has no tasks left for you")
        assignment_id = task_store.allocate_ids(conn, sequence="assignment", count=1)[0]
        suite_id = suite.suite_id or task_store.allocate_ids(conn, sequence="task_suite", count=1)[0]
        task_ids = [task["id"] for task in suite.tasks]
        store.take(conn, task_ids=task_ids if suite.mixed else [], suite_id=suite.suite_id, delta=1)
        values = {
            "id": assignment_id,
            "owner_id": pool.owner_id,
            "pool_id": pool.id,
            "task_suite_id": suite_id,
            "worker_id": worker.id,
            "status": "ACTIVE",
            "reward": reward(pool, skills),
            "mixed": suite.mixed,
            "created": now,
            "expires": now + pool.settings.assignment_max_duration,
            "tasks": suite.tasks,
            "attempt": seat.attempt,
        }
        members = [
            {
                "assignment_id": assignment_id,
                "position": n,
                "task_id": task_id,
                "pool_id": pool.id,
                "worker_id": worker.id,
                "attempt": seat.attempt,
            }
            for n, task_id in enumerate(task_ids)
        ]
        store.insert_assignment(conn, values, members)
        assignment = Assignment.from_values(values)
        ctx.events.publish(conn, Issued(assignment, now))
    return handed(assignment, pool)


def _has_work(conn: Connection, pool: Pool, worker: Worker, now: datetime) -> bool:
    """Whether the pool has anything it could issue this worker (what its suites are built around)."""
    mixer = pool.settings.mixer
    if mixer is None:
        return uploaded(conn, pool, worker) is not None
    seat = Seat(worker, attempt_of(conn, pool, worker, now))
    return bool(free_for(conn, pool, seat, mixer.lead_role, 1))


def available_pools(ctx: Context, *, worker: Worker) -> list[PoolOffer]:
    """The open pools and trainings the worker may take now: trainings first, then by priority."""
    return [offer for offer in pool_board(ctx, worker=worker) if offer.unavailable is None]


def pool_board(ctx: Context, *, worker: Worker) -> list[PoolOffer]:
    """Every open pool and training, each with why the worker cannot take it now, if they cannot;
    trainings first, then by priority (what the worker's pages list)."""
    now = ctx.clock.now()
    with ctx.db.read() as conn:
        skills = skill_store.values_of(conn, worker_id=worker.id, now=now)
        offers = []
        for pool in map(Pool.from_row, pool_store.open_for_workers(conn)):
            reason = unavailable(conn, pool, worker, skills, now)
            if reason is None and not _has_work(conn, pool, worker, now):
                reason = "it has no tasks left for you"
            offers.append(_offer(pool, reason))
    return sorted(offers, key=lambda offer: (offer.type != "TRAINING", -offer.priority, offer.id))


def _offer(pool: Pool, unavailable: str | None) -> PoolOffer:
    project = pool.project_spec
    assert project is not None
    return PoolOffer(
        id=pool.id,
        type=pool.type,
        title=project["public_name"],
        reward=pool.settings.reward,
        description=pool.settings.public_description or project["public_description"],
        instructions=instructions(pool),
        priority=pool.settings.priority,
        time_allowed=pool.settings.assignment_max_duration,
        unavailable=unavailable,
    )
