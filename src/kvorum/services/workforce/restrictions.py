"""User restrictions: a requester keeps a worker out of a pool, a project or all their projects,
for a while or until the restriction is deleted. Issuing checks them (issuing.unavailable); setting
one also takes the worker's active assignments in its scope away (`restrict`)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Row

from kvorum.schemas.common import format_datetime
from kvorum.schemas.ids import parse_id
from kvorum.schemas.user_restriction import SCOPES, UserRestrictionIn
from kvorum.services import search as search_rules
from kvorum.services.assignments.events import AccessLost, Subscribers
from kvorum.services.assignments.lifecycle import expire
from kvorum.services.assignments.model import Assignment
from kvorum.services.context import Context
from kvorum.services.errors import AccessDenied, NotFound, Problems
from kvorum.services.pools.model import Pool
from kvorum.store import assignments as assignment_store
from kvorum.store import pools as pool_store
from kvorum.store import projects as project_store
from kvorum.store import restrictions as store
from kvorum.store.accounts import WORKERS, by_id

SEARCH = search_rules.SearchSpec(
    exact={
        "scope": search_rules.one_of(*SCOPES),
        "user_id": search_rules.numeric_id,
        "project_id": search_rules.numeric_id,
        "pool_id": search_rules.numeric_id,
    },
    ranges={"id": search_rules.numeric_id, "created": search_rules.date_time},
    sorts=frozenset({"id", "created"}),
    default_limit=50,
    max_limit=500,
)

TARGETS = {"PROJECT": "project_id", "POOL": "pool_id"}
"""The id field each scope names; ALL_PROJECTS names none."""


@dataclass(frozen=True, slots=True)
class UserRestriction:
    id: int
    scope: str
    """ALL_PROJECTS, PROJECT, POOL (or SYSTEM)."""
    worker_id: int
    project_id: int | None
    """Of a PROJECT restriction."""
    pool_id: int | None
    """Of a POOL restriction."""
    private_comment: str | None
    will_expire: datetime | None
    """None: in force until deleted."""
    created: datetime

    @classmethod
    def from_row(cls, row: Row[Any]) -> "UserRestriction":
        return cls(
            id=row.id,
            scope=row.scope,
            worker_id=row.worker_id,
            project_id=row.project_id,
            pool_id=row.pool_id,
            private_comment=row.private_comment,
            will_expire=row.will_expire,
            created=row.created,
        )


@dataclass(frozen=True, slots=True)
class PutResult:
    restriction: UserRestriction
    new: bool
    """False when it replaced the worker's restriction on the same target."""


class RestrictedPlace(Protocol):
    """What a restriction check needs of a pool: the pool, its project and its requester."""

    @property
    def id(self) -> int: ...

    @property
    def project_id(self) -> int: ...

    @property
    def owner_id(self) -> int: ...


def keeps_out(conn: Connection, *, worker_id: int, pool: RestrictedPlace, now: datetime) -> str | None:
    """Why a restriction in force keeps the worker out of the pool; None when none does."""
    row = store.blocking(conn, worker_id=worker_id, pool=pool, now=now)
    if row is None:
        return None
    restriction = UserRestriction.from_row(row)
    until = "" if restriction.will_expire is None else f" until {format_datetime(restriction.will_expire)}"
    return f"you are restricted from {RESTRICTED[restriction.scope]}{until}"


RESTRICTED = {"POOL": "this pool", "PROJECT": "this project", "ALL_PROJECTS": "this requester's projects"}


def put(ctx: Context, *, caller: int, body: UserRestrictionIn) -> PutResult:
    """Set a restriction, replacing the worker's restriction on the same target."""
    if body.scope == "SYSTEM":
        raise AccessDenied("SYSTEM restrictions are set by the platform", code="SYSTEM_SCOPE_MODIFICATION")
    problems = Problems()
    if body.scope not in TARGETS and body.scope != "ALL_PROJECTS":
        problems.add("scope", "VALUE_NOT_ALLOWED", "scope is one of ALL_PROJECTS, PROJECT, POOL")
    wanted = TARGETS.get(body.scope)
    for field in TARGETS.values():
        value = getattr(body, field)
        if field == wanted and value is None:
            problems.add(field, "VALUE_REQUIRED", f"a {body.scope} restriction names its {field}")
        elif field != wanted and value is not None:
            problems.add(field, "VALUE_NOT_ALLOWED", f"{field} does not apply to a {body.scope} restriction")
    now = ctx.clock.now()
    if body.will_expire is not None and body.will_expire <= now:
        problems.add("will_expire", "VALUE_LESS_THAN_MIN", "will_expire must be in the future")
    problems.raise_if_any()
    with ctx.db.write() as conn:
        worker_id = parse_id(body.user_id)
        if worker_id is None or by_id(conn, WORKERS, account_id=worker_id) is None:
            problems.add("user_id", "ENTITY_DOES_NOT_EXIST", f"worker {body.user_id} does not exist")
        target = 0 if wanted is None else int(getattr(body, wanted))
        if body.scope == "PROJECT" and project_store.get(conn, owner_id=caller, project_id=target) is None:
            problems.add("project_id", "ENTITY_DOES_NOT_EXIST", f"project {body.project_id} does not exist")
        if body.scope == "POOL" and pool_store.get(conn, owner_id=caller, pool_id=target, kind=None) is None:
            problems.add("pool_id", "ENTITY_DOES_NOT_EXIST", f"pool {body.pool_id} does not exist")
        problems.raise_if_any()
        assert worker_id is not None
        return restrict(
            conn,
            ctx.events,
            owner_id=caller,
            worker_id=worker_id,
            scope=body.scope,
            target_id=target,
            private_comment=body.private_comment,
            will_expire=body.will_expire,
            now=now,
        )


def restrict(
    conn: Connection,
    events: Subscribers,
    *,
    owner_id: int,
    worker_id: int,
    scope: str,
    target_id: int,
    private_comment: str | None,
    will_expire: datetime | None,
    now: datetime,
) -> PutResult:
    """Store a (validated) restriction, replacing the worker's one on the same target, and act on it
    at once: the worker's ACTIVE assignments in its scope expire, giving their slots back, and each
    pool of the scope they worked in, not archived, that no restriction kept them out of already,
    publishes AccessLost (so replacing a restriction in force tells nothing again).

    `target_id` is the pool id of a POOL restriction, the project id of a PROJECT one, 0 for
    ALL_PROJECTS. Quality-control rules restrict through here too."""
    narrowed = {TARGETS[scope]: target_id} if scope in TARGETS else {}
    worked = [
        Pool.from_row(row)
        for row in pool_store.worked_in(conn, owner_id=owner_id, worker_id=worker_id, **narrowed)
    ]
    losing = [
        pool
        for pool in worked
        if pool.status != "ARCHIVED" and keeps_out(conn, worker_id=worker_id, pool=pool, now=now) is None
    ]
    restriction_id, new = store.put(
        conn,
        values={
            "owner_id": owner_id,
            "scope": scope,
            "worker_id": worker_id,
            "project_id": target_id if scope == "PROJECT" else None,
            "pool_id": target_id if scope == "POOL" else None,
            "target_id": target_id,
            "private_comment": private_comment,
            "will_expire": will_expire,
            "created": now,
        },
    )
    active = assignment_store.active_of(conn, worker_id=worker_id, pool_ids=[pool.id for pool in worked])
    for assignment in map(Assignment.from_row, active):
        expire(conn, events, assignment, now, by="RESTRICTION")
    for pool in losing:
        lost = AccessLost(worker_id, pool.id, owner_id, reason="RESTRICTION", at=now)
        events.publish(conn, lost)
    stored = store.get(conn, owner_id=owner_id, restriction_id=restriction_id)
    assert stored is not None
    return PutResult(UserRestriction.from_row(stored), new)


def _id(restriction_id: str) -> int:
    key = parse_id(restriction_id)
    if key is None:
        raise NotFound(f"User restriction {restriction_id} does not exist")
    return key


def get(ctx: Context, *, caller: int, restriction_id: str) -> UserRestriction:
    with ctx.db.read() as conn:
        row = store.get(conn, owner_id=caller, restriction_id=_id(restriction_id))
    if row is None:
        raise NotFound(f"User restriction {restriction_id} does not exist")
    return UserRestriction.from_row(row)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> search_rules.Page[UserRestriction]:
    return search_rules.fetch_page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find(conn, owner_id=caller, search=search),
        UserRestriction.from_row,
    )


def delete(ctx: Context, *, caller: int, restriction_id: str) -> None:
    """Lift a restriction: the worker may take the pools it covered again."""
    with ctx.db.write() as conn:
        if not store.remove(conn, owner_id=caller, restriction_id=_id(restriction_id)):
            raise NotFound(f"User restriction {restriction_id} does not exist")
