"""The worker API's answers, built from what the services return.

A task shows its worker only the inputs the project does not hide; known solutions and hints stay
out (a hint reaches the worker only as feedback on their own training answer).
"""

from kvorum.schemas.page import PageOut
from kvorum.schemas.worker_api import (
    EarningsOut,
    MeOut,
    PoolOfferOut,
    SubmittedAssignmentOut,
    WorkerAssignmentOut,
)
from kvorum.services.accounts.workers import Summary
from kvorum.services.assignments.model import WorkerAssignment
from kvorum.services.issuing.service import PoolOffer
from kvorum.services.workforce.ledger import usd


def _fields(handed: WorkerAssignment) -> dict[str, object]:
    assignment = handed.assignment
    return {
        "id": assignment.id,
        "pool_id": str(assignment.pool_id),
        "task_suite_id": assignment.task_suite_id,
        "status": assignment.status,
        "reward": assignment.reward,
        "expires": assignment.expires,
        "tasks": handed.shown_tasks(),
        "created": assignment.created,
        "submitted": assignment.submitted,
        "accepted": assignment.accepted,
        "rejected": assignment.rejected,
        "skipped": assignment.skipped,
        "expired": assignment.expired,
        "solutions": assignment.solutions,
        "view_spec": handed.task_spec["view_spec"],
        "output_spec": handed.task_spec["output_spec"],
        "instructions": handed.instructions,
    }


def assignment(handed: WorkerAssignment) -> WorkerAssignmentOut:
    return WorkerAssignmentOut.model_validate(_fields(handed))


def assignments(page: tuple[list[WorkerAssignment], bool]) -> PageOut[WorkerAssignmentOut]:
    items, has_more = page
    return PageOut[WorkerAssignmentOut](items=[assignment(item) for item in items], has_more=has_more)


def submitted(handed: WorkerAssignment) -> SubmittedAssignmentOut:
    feedback = [
        {"task_id": item.task_id, "correct": item.correct, "hint": item.hint}
        for item in handed.feedback or ()
    ]
    return SubmittedAssignmentOut.model_validate({**_fields(handed), "feedback": feedback})


def offer(pool: PoolOffer) -> PoolOfferOut:
    return PoolOfferOut(
        id=str(pool.id),
        type=pool.type,
        title=pool.title,
        reward=pool.reward,
        description=pool.description,
        instructions=pool.instructions,
        priority=pool.priority,
        assignment_max_duration_seconds=int(pool.time_allowed.total_seconds()),
    )


def me(summary: Summary) -> MeOut:
    """Earnings are added up in the ledger's exact unit; each figure becomes US dollars once, here."""
    worker, earnings = summary.worker, summary.earnings
    return MeOut(
        id=str(worker.id),
        name=worker.name,
        profile=worker.profile,
        skills={str(skill_id): value for skill_id, value in summary.skills.items()},
        earnings=EarningsOut(
            accepted=usd(earnings.accepted),
            pending=usd(earnings.pending),
            bonuses=usd(earnings.bonuses),
            total=usd(earnings.total),
        ),
    )
