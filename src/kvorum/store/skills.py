"""Skills and workers' skill values."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, or_, select, update

from kvorum.store.tables import skills, user_skills


@dataclass(frozen=True, slots=True)
class HeldSkill:
    """A worker's value of a skill, with when it was last set and when it expires (None: never)."""

    value: float
    modified: datetime
    expires: datetime | None


def training_skill(conn: Connection, *, training_id: int, owner_id: int, name: str, now: datetime) -> int:
    """The id of the skill a training grants, created (with this name) the first time it is needed."""
    found = skill_of_training(conn, training_id=training_id)
    if found is not None:
        return found
    statement = insert(skills).values(owner_id=owner_id, name=name, training_pool_id=training_id, created=now)
    return int(conn.execute(statement.returning(skills.c.id)).scalar_one())


def skill_of_training(conn: Connection, *, training_id: int) -> int | None:
    found = conn.execute(
        select(skills.c.id).where(skills.c.training_pool_id == training_id)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def set_value(
    conn: Connection,
    *,
    skill_id: int,
    worker_id: int,
    value: float,
    now: datetime,
    expires: datetime | None = None,
) -> None:
    where = (user_skills.c.skill_id == skill_id) & (user_skills.c.worker_id == worker_id)
    changed = {"value": value, "modified": now, "expires": expires}
    if conn.execute(update(user_skills).where(where).values(**changed)).rowcount == 0:
        conn.execute(
            insert(user_skills).values(skill_id=skill_id, worker_id=worker_id, created=now, **changed)
        )


def held(conn: Connection, *, skill_id: int, worker_id: int) -> HeldSkill | None:
    """The worker's value of the skill, expired or not."""
    where = (user_skills.c.skill_id == skill_id) & (user_skills.c.worker_id == worker_id)
    query = select(user_skills.c.value, user_skills.c.modified, user_skills.c.expires).where(where)
    row = conn.execute(query).first()
    return None if row is None else HeldSkill(float(row.value), row.modified, row.expires)


def values_of(conn: Connection, *, worker_id: int, now: datetime) -> dict[int, float]:
    """The worker's skill values that have not expired."""
    rows = conn.execute(_VALUES_OF, {"worker_id": worker_id, "now": now})
    return {int(skill_id): float(value) for skill_id, value in rows}


_VALUES_OF = select(user_skills.c.skill_id, user_skills.c.value).where(
    user_skills.c.worker_id == bindparam("worker_id"),
    or_(user_skills.c.expires.is_(None), user_skills.c.expires > bindparam("now")),
)
