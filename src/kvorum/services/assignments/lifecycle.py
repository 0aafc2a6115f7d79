"""The assignment lifecycle: ACTIVE -> SUBMITTED -> ACCEPTED / REJECTED, or SKIPPED / EXPIRED.

Active, submitted, accepted and rejected assignments hold an overlap slot of their tasks (or
uploaded suite); skipping and expiring give it back. Here are the worker's side (reading,
submitting, skipping their own assignments) and the moves every side makes.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from kvorum.schemas.assignment import Submission
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import grading, training
from kvorum.services.assignments.events import (
    Accepted,
    AccessLost,
    AssignmentEvent,
    Expired,
    ExpiredBy,
    Skipped,
    Submitted,
    Subscribers,
)
from kvorum.services.assignments.model import Assignment, Feedback, WorkerAssignment
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems, ValidationFailed, validation_payload
from kvorum.services.pools.model import Pool
from kvorum.services.tasks.values import ValuesChecker
from kvorum.store import assignments as store
from kvorum.store import pools as pool_store


def move(conn: Connection, assignment: Assignment, to: str, now: datetime, **extra: Any) -> Assignment:
    """Change the status, stamping its time (`submitted` for SUBMITTED, ...), provided no one else
    changed it since it was read; the assignment as moved."""
    values = {"status": to, to.lower(): now, **extra}
    if not store.change_status(
        conn, assignment_id=assignment.id, from_statuses=(assignment.status,), values=values
    ):
        raise Conflict(f"Assignment {assignment.id} changed meanwhile; try again")
    return replace(assignment, **values)


def release(conn: Connection, assignment: Assignment) -> None:
    """Give back the overlap slot the assignment holds."""
    if assignment.mixed:
        store.take(conn, task_ids=[task["id"] for task in assignment.tasks], suite_id=None, delta=-1)
    else:
        store.take(conn, task_ids=[], suite_id=assignment.task_suite_id, delta=-1)


def expire(
    conn: Connection, events: Subscribers, assignment: Assignment, now: datetime, by: ExpiredBy
) -> None:
    """ACTIVE -> EXPIRED; the slot goes back."""
    expired = move(conn, assignment, "EXPIRED", now)
    release(conn, assignment)
    events.publish(conn, Expired(expired, now, by))


def task_spec(pool: Pool) -> Mapping[str, Any]:
    """The task_spec of the pool's project; pools read for workers come with their project."""
    assert pool.project_spec is not None
    spec: Mapping[str, Any] = pool.project_spec["task_spec"]
    return spec


def hidden_inputs(pool: Pool) -> frozenset[str]:
    """The input fields the project hides from workers."""
    return frozenset(name for name, field in task_spec(pool)["input_spec"].items() if field.get("hidden"))


def instructions(pool: Pool) -> str:
    """What the worker reads before and while working: the pool's, or else the project's."""
    assert pool.project_spec is not None
    return pool.settings.public_instructions or str(pool.project_spec.get("public_instructions", ""))


def handed(
    assignment: Assignment, pool: Pool, feedback: Sequence[Feedback] | None = None
) -> WorkerAssignment:
    """The assignment as its worker is shown it."""
    return WorkerAssignment(assignment, hidden_inputs(pool), task_spec(pool), instructions(pool), feedback)


def pool_of(conn: Connection, assignment: Assignment) -> Pool:
    return _pool(conn, assignment.pool_id)


def pool_of_event(conn: Connection, event: AssignmentEvent | AccessLost) -> Pool:
    """The pool an event happened in: the one a submit hands over with it, or read."""
    if isinstance(event, Submitted) and event.pool is not None:
        return event.pool
    return _pool(conn, event.pool_id)


def _pool(conn: Connection, pool_id: int) -> Pool:
    row = pool_store.get_for_workers(conn, pool_id=pool_id)
    assert row is not None
    return Pool.from_row(row)


def _workers_own(conn: Connection, worker: Worker, assignment_id: str) -> Assignment:
    row = store.get(conn, assignment_id=assignment_id)
    if row is None or row.worker_id != worker.id:
        raise NotFound(f"Assignment {assignment_id} does not exist")
    return Assignment.from_row(row)


def get_for_worker(ctx: Context, *, worker: Worker, assignment_id: str) -> WorkerAssignment:
    with ctx.db.read() as conn:
        assignment = _workers_own(conn, worker, assignment_id)
        pool = pool_of(conn, assignment)
    return handed(assignment, pool)


def list_for_worker(
    ctx: Context, *, worker: Worker, status: str | None, after: str | None, limit: int
) -> tuple[list[WorkerAssignment], bool]:
    """A page of the worker's own assignments, oldest first, so a client can resume its work;
    whether more follow."""
    with ctx.db.read() as conn:
        rows, has_more = store.page_of_worker(
            conn, worker_id=worker.id, status=status, after=after, limit=limit
        )
        pools: dict[int, Pool] = {}
        items = []
        for assignment in map(Assignment.from_row, rows):
            if assignment.pool_id not in pools:
                pools[assignment.pool_id] = pool_of(conn, assignment)
            items.append(handed(assignment, pools[assignment.pool_id]))
    return items, has_more


def _expire_if_late(
    conn: Connection, events: Subscribers, assignment: Assignment, now: datetime, by: ExpiredBy
) -> bool:
    """Expire the assignment if its time is up (the timer may not have run yet); whether it did."""
    if assignment.status != "ACTIVE" or assignment.expires > now:
        return False
    expire(conn, events, assignment, now, by)
    return True


def _require_active(assignment: Assignment, expired: bool) -> None:
    if expired or assignment.status != "ACTIVE":
        status = "EXPIRED" if expired else assignment.status
        raise Conflict(f"Assignment {assignment.id} is {status}, not ACTIVE")


def submit(ctx: Context, *, worker: Worker, assignment_id: str, raw: bytes) -> WorkerAssignment:
    """Record the answers; they are checked against the output spec, one solution per task in order.

    Training tasks report whether the answer was right, with the hint.
    """
    try:
        submission = Submission.model_validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed("Validation failed", validation_payload(exc.errors())) from None
    with ctx.db.write() as conn:
        assignment = _workers_own(conn, worker, assignment_id)
        now = ctx.clock.now()
        expired = _expire_if_late(conn, ctx.events, assignment, now, "LATE_SUBMIT")
        if not expired:
            submitted = _record_answers(conn, ctx.events, assignment, submission, now)
    _require_active(assignment, expired)  # after the commit, so that a late assignment stays expired
    return submitted


def _record_answers(
    conn: Connection, events: Subscribers, assignment: Assignment, submission: Submission, now: datetime
) -> WorkerAssignment:
    _require_active(assignment, False)
    pool = pool_of(conn, assignment)
    problems = Problems()
    if len(submission.solutions) != len(assignment.tasks):
        problems.add(
            "solutions",
            "VALUE_OUT_OF_BOUNDS",
            f"send {len(assignment.tasks)} solutions, one per task in order",
        )
    problems.raise_if_any()
    outputs = ValuesChecker(task_spec(pool)["output_spec"])
    errors: dict[str, dict[str, str]] = {}
    for index, solution in enumerate(submission.solutions):
        outputs.check(solution.output_values, f"solutions.{index}.output_values", errors)
    if errors:
        raise ValidationFailed("Some answers do not fit the task", errors)
    solutions = [{"output_values": solution.output_values} for solution in submission.solutions]
    status = "ACCEPTED" if pool.settings.auto_accept else "SUBMITTED"
    answered = move(conn, assignment, status, now, solutions=solutions, submitted=now)
    events.publish(conn, Submitted(replace(answered, status="SUBMITTED", accepted=None), now, pool=pool))
    if answered.status == "ACCEPTED":
        events.publish(conn, Accepted(answered, now, previous="SUBMITTED", by="SUBMIT"))
    if pool.is_training:
        training.score_attempt(conn, events, pool, answered, now)
    feedback = [
        Feedback(
            task["id"],
            grading.correct(solution["output_values"], task["known_solutions"]),
            task.get("message_on_unknown_solution"),
        )
        for task, solution in zip(assignment.tasks, solutions, strict=True)
        if task.get("known_solutions") and task["kind"] == "TRAINING"
    ]
    return handed(answered, pool, feedback)


def skip(ctx: Context, *, worker: Worker, assignment_id: str) -> WorkerAssignment:
    """Give the suite back; its overlap slot goes to someone else."""
    with ctx.db.write() as conn:
        assignment = _workers_own(conn, worker, assignment_id)
        now = ctx.clock.now()
        expired = _expire_if_late(conn, ctx.events, assignment, now, "LATE_SKIP")
        if not expired and assignment.status == "ACTIVE":
            skipped = _give_back(conn, ctx.events, assignment, now)
    _require_active(assignment, expired)
    return skipped


def _give_back(
    conn: Connection, events: Subscribers, assignment: Assignment, now: datetime
) -> WorkerAssignment:
    skipped = move(conn, assignment, "SKIPPED", now)
    release(conn, assignment)
    events.publish(conn, Skipped(skipped, now))
    return handed(skipped, pool_of(conn, assignment))
