"""Training scores: a training grants its skill, valued by the share of right answers in an attempt.

A worker's attempt is scored once they have submitted the training's task_suites_required_to_pass
suites. The skill expires when the training may be retaken (retry_training_after_days), or sooner
when a pool that requires the training sets training_config.training_skill_ttl_days.
"""

from datetime import datetime, timedelta

from sqlalchemy import Connection

from kvorum.services.assignments import grading
from kvorum.services.assignments.events import Subscribers, TrainingFinished
from kvorum.services.assignments.model import Assignment
from kvorum.services.pools.model import Pool
from kvorum.services.workforce import skills
from kvorum.store import assignments as store
from kvorum.store import pools as pool_store
from kvorum.store import skills as skill_store


def score_attempt(
    conn: Connection, events: Subscribers, training: Pool, submitted: Assignment, now: datetime
) -> None:
    """Set the training's skill once the attempt `submitted` belongs to is complete: the share of
    correct answers by weight (each task is answered once per attempt)."""
    answered = store.answered(
        conn, pool_id=training.id, worker_id=submitted.worker_id, attempt=submitted.attempt
    )
    if len(answered) < training.settings.suites_required_to_pass:
        return
    total = correct = 0.0
    for row in answered:
        for task, solution in zip(row.tasks, row.solutions, strict=True):
            total += 1
            correct += grading.credit(solution["output_values"], task.get("known_solutions") or [])
    skill_id = skill_store.training_skill(
        conn,
        training_id=training.id,
        owner_id=training.owner_id,
        name=f"Training {training.id}: {training.settings.private_name}",
        now=now,
    )
    lifetime = skill_lifetime(conn, training)
    value = 100 * correct / total
    expires = None if lifetime is None else now + lifetime
    skills.change_value(
        conn,
        events,
        owner_id=training.owner_id,
        skill_id=skill_id,
        worker_id=submitted.worker_id,
        value=value,
        now=now,
        expires=expires,
    )
    events.publish(conn, TrainingFinished(submitted, now, skill_id, value, expires))


def skill_lifetime(conn: Connection, training: Pool) -> timedelta | None:
    """How long a training's skill lasts: the training's retry_training_after_days, or the
    training_skill_ttl_days of a pool requiring it, whichever is shorter; None is forever."""
    lifetimes = [training.settings.retry_after]
    rows = pool_store.of_project(conn, project_id=training.project_id)
    for pool in (Pool.from_row(row) for row in rows if row.id != training.id):
        requirement = pool.settings.quality_control.training_requirement
        if pool.status != "ARCHIVED" and requirement is not None and requirement.training_id == training.id:
            lifetimes.append(pool.settings.training_skill_ttl)
    known = [lifetime for lifetime in lifetimes if lifetime is not None]
    return min(known) if known else None
