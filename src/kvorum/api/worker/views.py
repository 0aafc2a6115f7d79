"""The worker API's answers, built from what the services return.

A task shows its worker only the inputs the project does not hide; known solutions and hints stay
out (a hint reaches the worker only as feedback on their own training answer).
"""

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
    assignment, hidden = handed.assignment, handed.hidden_inputs
    tasks = [
        {
            "id": task["id"],
            "input_values": {key: value for key, value in task["input_values"].items() if key not in hidden}
            if hidden
            else task["input_values"],
        }
        for task in assignment.tasks
    ]
    return {
        "id": assignment.id,
        "pool_id": str(assignment.pool_id),
        "task_suite_id": assignment.task_suite_id,
        "status": assignment.status,
        "reward": assignment.reward,
        "expires": assignment.expires,
        "tasks": tasks,
        "created": assignment.created,
        "submitted": assignment.submitted,
        "accepted": assignment.accepted,
        "rejected": assignment.rejected,
        "skipped": assignment.skipped,
        "expired": assignment.expired,
        "solutions": assignment.solutions,
    }


def assignment(handed: WorkerAssignment) -> WorkerAssignmentOut:
    return WorkerAssignmentOut.model_validate(_fields(handed))


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
