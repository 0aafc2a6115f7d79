"""User restrictions: bans of workers from a requester's pools, projects or all their projects."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import user_restrictions

COLUMNS = {
    "id": user_restrictions.c.id,
    "created": user_restrictions.c.created,
    "scope": user_restrictions.c.scope,
    "user_id": user_restrictions.c.worker_id,
    "project_id": user_restrictions.c.project_id,
    "pool_id": user_restrictions.c.pool_id,
}


def put(conn: Connection, *, values: dict[str, Any]) -> tuple[int, bool]:
    """Set the worker's restriction on a target, replacing one already there; (id, whether it is new)."""
    table = user_restrictions
    key = (table.c.owner_id, table.c.worker_id, table.c.scope, table.c.target_id)
    existing = conn.execute(
        select(table.c.id).where(*(column == values[column.name] for column in key))
    ).scalar_one_or_none()
    changed = {"private_comment": values["private_comment"], "will_expire": values["will_expire"]}
    if existing is not None:
        conn.execute(update(table).where(table.c.id == existing).values(**changed))
        return int(existing), False
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(table).values(**values).on_conflict_do_update(index_elements=key, set_=changed)
    return int(conn.execute(statement.returning(table.c.id)).scalar_one()), True


def get(conn: Connection, *, owner_id: int, restriction_id: int) -> Row[Any] | None:
    query = select(user_restrictions).where(
        user_restrictions.c.id == restriction_id, user_restrictions.c.owner_id == owner_id
    )
    return conn.execute(query).first()


def find(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    base = select(user_restrictions).where(user_restrictions.c.owner_id == owner_id)
    return search_store.run(conn, base, COLUMNS, search)


def remove(conn: Connection, *, owner_id: int, restriction_id: int) -> bool:
    statement = delete(user_restrictions).where(
        user_restrictions.c.id == restriction_id, user_restrictions.c.owner_id == owner_id
    )
    return conn.execute(statement).rowcount == 1


def blocking(conn: Connection, *, worker_id: int, pool: Any, now: datetime) -> Row[Any] | None:
    """The restriction in force that keeps the worker out of the pool, if any (the longest lasting)."""
    parameters = {
        "worker_id": worker_id,
        "pool_id": pool.id,
        "project_id": pool.project_id,
        "owner_id": pool.owner_id,
        "now": now,
    }
    return conn.execute(_BLOCKING, parameters).first()


_BLOCKING = (
    select(user_restrictions)
    .where(
        user_restrictions.c.worker_id == bindparam("worker_id"),
        or_(
            and_(user_restrictions.c.scope == "POOL", user_restrictions.c.pool_id == bindparam("pool_id")),
            and_(
                user_restrictions.c.scope == "PROJECT",
                user_restrictions.c.project_id == bindparam("project_id"),
            ),
            and_(
                user_restrictions.c.scope == "ALL_PROJECTS",
                user_restrictions.c.owner_id == bindparam("owner_id"),
            ),
        ),
        or_(user_restrictions.c.will_expire.is_(None), user_restrictions.c.will_expire > bindparam("now")),
    )
    .order_by(user_restrictions.c.will_expire.is_(None).desc(), user_restrictions.c.will_expire.desc())
)
"""Issuing checks every request against it, so it is built once."""


def any_in_force(
    conn: Connection, *, owner_id: int, worker_id: int, targets: Sequence[tuple[str, int]], now: datetime
) -> bool:
    """Whether the requester keeps the worker out of one of these (scope, target_id) now."""
    table = user_restrictions
    query = select(table.c.id).where(
        table.c.owner_id == owner_id,
        table.c.worker_id == worker_id,
        or_(*(and_(table.c.scope == scope, table.c.target_id == target) for scope, target in targets)),
        or_(table.c.will_expire.is_(None), table.c.will_expire > now),
    )
    return conn.execute(query.limit(1)).first() is not None
