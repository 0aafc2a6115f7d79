"""Skills and workers' skill values."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, delete, insert, or_, select, update

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import skills, user_skills

SKILL_COLUMNS = {"id": skills.c.id, "created": skills.c.created, "name": skills.c.name}
USER_SKILL_COLUMNS = {
    "id": user_skills.c.id,
    "created": user_skills.c.created,
    "modified": user_skills.c.modified,
    "user_id": user_skills.c.worker_id,
    "skill_id": user_skills.c.skill_id,
}


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
) -> int:
    """Set the worker's value of the skill, replacing the one held; the id of the user skill."""
    where = (user_skills.c.skill_id == skill_id) & (user_skills.c.worker_id == worker_id)
    changed = {"value": value, "modified": now, "expires": expires}
    found = conn.execute(
        update(user_skills).where(where).values(**changed).returning(user_skills.c.id)
    ).scalar_one_or_none()
    if found is None:
        statement = insert(user_skills).values(skill_id=skill_id, worker_id=worker_id, created=now, **changed)
        found = conn.execute(statement.returning(user_skills.c.id)).scalar_one()
    return int(found)


def create(conn: Connection, *, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(skills).values(**values).returning(skills.c.id)).scalar_one())


def get(conn: Connection, *, owner_id: int, skill_id: int) -> Row[Any] | None:
    query = select(skills).where(skills.c.id == skill_id, skills.c.owner_id == owner_id)
    return conn.execute(query).first()


def find(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    return search_store.run(conn, select(skills).where(skills.c.owner_id == owner_id), SKILL_COLUMNS, search)


def change(conn: Connection, *, owner_id: int, skill_id: int, values: dict[str, Any]) -> bool:
    statement = update(skills).where(skills.c.id == skill_id, skills.c.owner_id == owner_id).values(**values)
    return conn.execute(statement).rowcount == 1


def _own_values(owner_id: int, now: datetime) -> Select[Any]:
    """The values of the requester's skills that have not expired."""
    return (
        select(user_skills)
        .join(skills, skills.c.id == user_skills.c.skill_id)
        .where(
            skills.c.owner_id == owner_id,
            or_(user_skills.c.expires.is_(None), user_skills.c.expires > now),
        )
    )


def user_skill(conn: Connection, *, owner_id: int, user_skill_id: int, now: datetime) -> Row[Any] | None:
    return conn.execute(_own_values(owner_id, now).where(user_skills.c.id == user_skill_id)).first()


def find_user_skills(
    conn: Connection, *, owner_id: int, now: datetime, search: Search
) -> tuple[Sequence[Row[Any]], bool]:
    return search_store.run(conn, _own_values(owner_id, now), USER_SKILL_COLUMNS, search)


def owned_value(conn: Connection, *, owner_id: int, user_skill_id: int) -> tuple[int, int] | None:
    """The skill and the worker of one of the requester's user skills, expired or not."""
    query = (
        select(user_skills.c.skill_id, user_skills.c.worker_id)
        .join(skills, skills.c.id == user_skills.c.skill_id)
        .where(user_skills.c.id == user_skill_id, skills.c.owner_id == owner_id)
    )
    row = conn.execute(query).first()
    return None if row is None else (int(row.skill_id), int(row.worker_id))


def remove_value(conn: Connection, *, skill_id: int, worker_id: int) -> None:
    where = (user_skills.c.skill_id == skill_id) & (user_skills.c.worker_id == worker_id)
    conn.execute(delete(user_skills).where(where))


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


def public_names(conn: Connection, *, skill_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The public names (language -> text) of those skills that have one."""
    query = select(skills.c.id, skills.c.public_name).where(skills.c.id.in_(list(skill_ids)))
    return {int(skill_id): dict(name) for skill_id, name in conn.execute(query) if name}


def values_for(
    conn: Connection, *, skill_id: int, worker_ids: Sequence[int], now: datetime
) -> dict[int, float]:
    """These workers' values of one skill that have not expired, by worker."""
    parameters = {"skill_id": skill_id, "worker_ids": list(worker_ids), "now": now}
    return {int(worker_id): float(value) for worker_id, value in conn.execute(_VALUES_FOR, parameters)}


_VALUES_FOR = select(user_skills.c.worker_id, user_skills.c.value).where(
    user_skills.c.skill_id == bindparam("skill_id"),
    user_skills.c.worker_id.in_(bindparam("worker_ids", expanding=True)),
    or_(user_skills.c.expires.is_(None), user_skills.c.expires > bindparam("now")),
)
