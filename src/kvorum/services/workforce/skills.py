"""Skills and workers' values of them. A requester makes skills and sets values by hand; a
training sets its own skill's value. Filters, pricing and training requirements read the
values that have not expired (store.skills.values_of), whoever set them. Every change goes through
`change_value`, which tells of the pools the change takes away from the worker."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.schemas.ids import parse_id
from kvorum.schemas.skill import SkillIn, UserSkillIn
from kvorum.services import search as search_rules
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments.events import AccessLost, Subscribers
from kvorum.services.context import Context
from kvorum.services.errors import NotFound, Problems
from kvorum.services.pools.model import Pool
from kvorum.services.workforce.filters import matches, mentions
from kvorum.store import pools as pool_store
from kvorum.store import skills as store
from kvorum.store.accounts import WORKERS, by_id

SEARCH = search_rules.SearchSpec(
    exact={"name": search_rules.text_value},
    ranges={"id": search_rules.numeric_id, "created": search_rules.date_time},
    sorts=frozenset({"id", "created"}),
    default_limit=50,
    max_limit=500,
)

USER_SKILL_SEARCH = search_rules.SearchSpec(
    exact={"user_id": search_rules.numeric_id, "skill_id": search_rules.numeric_id},
    ranges={
        "id": search_rules.numeric_id,
        "created": search_rules.date_time,
        "modified": search_rules.date_time,
    },
    sorts=frozenset({"id", "created", "modified"}),
    default_limit=50,
    max_limit=1000,
)


@dataclass(frozen=True, slots=True)
class Skill:
    id: int
    owner_id: int
    name: str
    private_comment: str | None
    hidden: bool
    skill_ttl_hours: int | None
    """A value not set again within this many hours expires; None: never."""
    public_name: dict[str, str] | None
    public_requester_description: dict[str, str] | None
    training_pool_id: int | None
    """The training that grants this skill, if one does."""
    created: datetime

    @classmethod
    def from_row(cls, row: Row[Any]) -> "Skill":
        return cls(
            id=row.id,
            owner_id=row.owner_id,
            name=row.name,
            private_comment=row.private_comment,
            hidden=row.hidden,
            skill_ttl_hours=row.skill_ttl_hours,
            public_name=row.public_name,
            public_requester_description=row.public_requester_description,
            training_pool_id=row.training_pool_id,
            created=row.created,
        )


@dataclass(frozen=True, slots=True)
class UserSkill:
    id: int
    skill_id: int
    worker_id: int
    exact_value: float
    created: datetime
    modified: datetime

    @property
    def value(self) -> int:
        """The integer part of the value, as Toloka answers it."""
        return math.floor(self.exact_value)

    @classmethod
    def from_row(cls, row: Row[Any]) -> "UserSkill":
        return cls(
            id=row.id,
            skill_id=row.skill_id,
            worker_id=row.worker_id,
            exact_value=float(row.value),
            created=row.created,
            modified=row.modified,
        )


def _settings(body: SkillIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "private_comment": body.private_comment,
        "hidden": body.hidden,
        "skill_ttl_hours": body.skill_ttl_hours,
        "public_name": body.public_name,
        "public_requester_description": body.public_requester_description,
    }


def _id(text: str, what: str) -> int:
    key = parse_id(text)
    if key is None:
        raise NotFound(f"{what} {text} does not exist")
    return key


def create(ctx: Context, *, caller: int, body: SkillIn) -> Skill:
    with ctx.db.write() as conn:
        values = {**_settings(body), "owner_id": caller, "created": ctx.clock.now()}
        skill_id = store.create(conn, values=values)
        row = store.get(conn, owner_id=caller, skill_id=skill_id)
    assert row is not None
    return Skill.from_row(row)


def get(ctx: Context, *, caller: int, skill_id: str) -> Skill:
    with ctx.db.read() as conn:
        row = store.get(conn, owner_id=caller, skill_id=_id(skill_id, "Skill"))
    if row is None:
        raise NotFound(f"Skill {skill_id} does not exist")
    return Skill.from_row(row)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> search_rules.Page[Skill]:
    return search_rules.fetch_page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find(conn, owner_id=caller, search=search),
        Skill.from_row,
    )


def update(ctx: Context, *, caller: int, skill_id: str, body: SkillIn) -> Skill:
    """Replace a skill's settings; values already set keep the expiry they were set with."""
    key = _id(skill_id, "Skill")
    with ctx.db.write() as conn:
        if not store.change(conn, owner_id=caller, skill_id=key, values=_settings(body)):
            raise NotFound(f"Skill {skill_id} does not exist")
        row = store.get(conn, owner_id=caller, skill_id=key)
    assert row is not None
    return Skill.from_row(row)


class Default(Enum):
    """An argument left to its rule."""

    SKILL_TTL = "now + the skill's skill_ttl_hours, or never"


def change_value(
    conn: Connection,
    events: Subscribers,
    *,
    owner_id: int,
    skill_id: int,
    worker_id: int,
    value: float | None,
    now: datetime,
    expires: datetime | Default | None = Default.SKILL_TTL,
) -> int | None:
    """Set a worker's value of one of owner_id's skills, or delete it (value None): the one way
    requesters, trainings and quality-control rules change values. The user-skill id; None after a
    delete. `expires` defaults to now + the skill's skill_ttl_hours (never without one); a training
    passes its own, None for never.

    Each of the owner's pools, not archived, that the worker has worked in and whose filter names
    the skill, and that the filter let the worker into before the change but no longer does,
    publishes AccessLost (SKILL_CHANGE). A value that expires by time (skill_ttl_hours) changes
    nothing here, so its expiry publishes nothing."""
    skill = store.get(conn, owner_id=owner_id, skill_id=skill_id)
    if skill is None:
        raise NotFound(f"Skill {skill_id} does not exist")
    worked = pool_store.worked_in(conn, owner_id=owner_id, worker_id=worker_id)
    watching = [
        pool
        for pool in map(Pool.from_row, worked)
        if pool.status != "ARCHIVED" and mentions(pool.settings.filter, "skill", str(skill_id))
    ]
    before = store.values_of(conn, worker_id=worker_id, now=now)
    user_skill_id = None
    if value is None:
        store.remove_value(conn, skill_id=skill_id, worker_id=worker_id)
    else:
        if expires is Default.SKILL_TTL:
            ttl = skill.skill_ttl_hours
            expires = None if ttl is None else now + timedelta(hours=ttl)
        user_skill_id = store.set_value(
            conn, skill_id=skill_id, worker_id=worker_id, value=float(value), now=now, expires=expires
        )
    if watching:
        _tell_lost(conn, events, watching, worker_id=worker_id, skill_id=skill_id, before=before, now=now)
    return user_skill_id


def _tell_lost(
    conn: Connection,
    events: Subscribers,
    pools: Sequence[Pool],
    *,
    worker_id: int,
    skill_id: int,
    before: dict[int, float],
    now: datetime,
) -> None:
    """Publish AccessLost for each pool whose filter let the worker in with the `before` values and
    does not with the values now stored."""
    row = by_id(conn, WORKERS, account_id=worker_id)
    assert row is not None  # they have assignments
    worker = Worker(row.id, row.name, row.profile)
    facts_before = worker.facts(before)
    facts_after = worker.facts(store.values_of(conn, worker_id=worker_id, now=now))
    for pool in pools:
        if matches(pool.settings.filter, facts_before) and not matches(pool.settings.filter, facts_after):
            lost = AccessLost(
                worker_id=worker_id,
                pool_id=pool.id,
                owner_id=pool.owner_id,
                reason="SKILL_CHANGE",
                at=now,
                skill_id=skill_id,
            )
            events.publish(conn, lost)


def set_value(ctx: Context, *, caller: int, body: UserSkillIn) -> UserSkill:
    """Set a worker's value of one of the caller's skills; it counts at once wherever skills are read."""
    problems = Problems()
    value = body.exact_value if body.exact_value is not None else body.value
    if value is None:
        problems.add("value", "VALUE_REQUIRED", "value or exact_value is required")
    elif body.value is not None and body.value not in (value, math.floor(value)):
        problems.add("value", "INVALID_VALUE", "value is exact_value or its integer part")
    problems.raise_if_any()
    assert value is not None
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        skill_id, worker_id = parse_id(body.skill_id), parse_id(body.user_id)
        skill = None if skill_id is None else store.get(conn, owner_id=caller, skill_id=skill_id)
        if skill is None:
            problems.add("skill_id", "ENTITY_DOES_NOT_EXIST", f"skill {body.skill_id} does not exist")
        if worker_id is None or by_id(conn, WORKERS, account_id=worker_id) is None:
            problems.add("user_id", "ENTITY_DOES_NOT_EXIST", f"worker {body.user_id} does not exist")
        problems.raise_if_any()
        assert skill is not None and worker_id is not None
        user_skill_id = change_value(
            conn, ctx.events, owner_id=caller, skill_id=skill.id, worker_id=worker_id, value=value, now=now
        )
        assert user_skill_id is not None
        row = store.user_skill(conn, owner_id=caller, user_skill_id=user_skill_id, now=now)
    assert row is not None
    return UserSkill.from_row(row)


def get_value(ctx: Context, *, caller: int, user_skill_id: str) -> UserSkill:
    """A value that has not expired."""
    key = _id(user_skill_id, "User skill")
    with ctx.db.read() as conn:
        row = store.user_skill(conn, owner_id=caller, user_skill_id=key, now=ctx.clock.now())
    if row is None:
        raise NotFound(f"User skill {user_skill_id} does not exist")
    return UserSkill.from_row(row)


def find_values(ctx: Context, *, caller: int, params: dict[str, str]) -> search_rules.Page[UserSkill]:
    now = ctx.clock.now()
    return search_rules.fetch_page(
        ctx,
        USER_SKILL_SEARCH,
        params,
        lambda conn, search: store.find_user_skills(conn, owner_id=caller, now=now, search=search),
        UserSkill.from_row,
    )


def delete_value(ctx: Context, *, caller: int, user_skill_id: str) -> None:
    """Take a worker's value away: pools that require the skill no longer count it."""
    key = _id(user_skill_id, "User skill")
    with ctx.db.write() as conn:
        found = store.owned_value(conn, owner_id=caller, user_skill_id=key)
        if found is None:
            raise NotFound(f"User skill {user_skill_id} does not exist")
        skill_id, worker_id = found
        change_value(
            conn,
            ctx.events,
            owner_id=caller,
            skill_id=skill_id,
            worker_id=worker_id,
            value=None,
            now=ctx.clock.now(),
        )
