"""Whether a worker may take a pool now, and which pass through a training they are on."""

from datetime import datetime

from sqlalchemy import Connection

from kvorum.schemas.common import format_datetime
from kvorum.services.accounts.workers import Worker
from kvorum.services.pools.model import Pool
from kvorum.services.workforce import ratings, restrictions
from kvorum.services.workforce.filters import matches
from kvorum.store import assignments as store
from kvorum.store import skills as skill_store
from kvorum.store.skills import HeldSkill


def unavailable(
    conn: Connection, pool: Pool, worker: Worker, skills: dict[int, float], now: datetime
) -> str | None:
    """Why the worker may not take this pool now; None when they may."""
    settings = pool.settings
    if pool.status != "OPEN":
        return f"pool {pool.id} is not open"
    if settings.will_expire is not None and settings.will_expire <= now:
        return f"pool {pool.id} has expired"
    if not matches(settings.filter, worker.facts(skills)):
        return f"pool {pool.id} is for other workers"
    reason = restrictions.keeps_out(conn, worker_id=worker.id, pool=pool, now=now) or ratings.outranked(
        conn, pool, worker.id, now
    )
    if reason is not None:
        return reason
    if pool.is_training:
        return _training_done(conn, pool, worker, now)
    requirement = settings.quality_control.training_requirement
    if requirement is not None:
        skill_id = skill_store.skill_of_training(conn, training_id=requirement.training_id)
        score = None if skill_id is None else skills.get(skill_id)
        if score is None or score < requirement.passing_value:
            return f"pass training {requirement.training_id} first"
    return None


def _training_skill(conn: Connection, training: Pool, worker: Worker) -> HeldSkill | None:
    """The worker's value of the training's skill, expired or not."""
    skill_id = skill_store.skill_of_training(conn, training_id=training.id)
    return None if skill_id is None else skill_store.held(conn, skill_id=skill_id, worker_id=worker.id)


def _training_done(conn: Connection, training: Pool, worker: Worker, now: datetime) -> str | None:
    """A worker who holds a training's skill is done with it until the skill expires."""
    held = _training_skill(conn, training, worker)
    if held is None or (held.expires is not None and held.expires <= now):
        return None
    retake = "" if held.expires is None else f"; it can be retaken from {format_datetime(held.expires)}"
    return f"you have completed training {training.id}{retake}"


def attempt_of(conn: Connection, pool: Pool, worker: Worker, now: datetime) -> int:
    """The worker's pass through a training: a new one starts once the skill from the last expired.
    Other pools have a single attempt, 0."""
    if not pool.is_training:
        return 0
    attempt, started = store.latest_attempt(conn, pool_id=pool.id, worker_id=worker.id)
    held = _training_skill(conn, pool, worker)
    if held is None or held.expires is None or held.expires > now:
        return attempt
    return attempt + 1 if started is not None and started <= held.modified else attempt
