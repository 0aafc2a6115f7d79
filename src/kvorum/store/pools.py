"""Pools and trainings share one table (and one id space): a training is a pool of kind TRAINING."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, exists, insert, select, update

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import assignments, pools, projects

COLUMNS = {
    "id": pools.c.id,
    "status": pools.c.status,
    "project_id": pools.c.project_id,
    "created": pools.c.created,
    "last_started": pools.c.last_started,
}


def insert_pool(
    conn: Connection, *, owner_id: int, project_id: int, kind: str, spec: dict[str, Any], now: datetime
) -> int:
    values = {
        "owner_id": owner_id,
        "project_id": project_id,
        "kind": kind,
        "status": "CLOSED",
        "created": now,
        "spec": spec,
    }
    return int(conn.execute(insert(pools).values(**values).returning(pools.c.id)).scalar_one())


def get(conn: Connection, *, owner_id: int, pool_id: int, kind: str | None = None) -> Row[Any] | None:
    query = select(pools).where(pools.c.id == pool_id, pools.c.owner_id == owner_id)
    if kind is not None:
        query = query.where(pools.c.kind == kind)
    return conn.execute(query).first()


def find(conn: Connection, *, owner_id: int, kind: str, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    base = select(pools).where(pools.c.owner_id == owner_id, pools.c.kind == kind)
    return search_store.run(conn, base, COLUMNS, search)


def of_project(conn: Connection, *, project_id: int) -> Sequence[Row[Any]]:
    return conn.execute(select(pools).where(pools.c.project_id == project_id).order_by(pools.c.id)).all()


def worked_in(
    conn: Connection,
    *,
    owner_id: int,
    worker_id: int,
    project_id: int | None = None,
    pool_id: int | None = None,
) -> Sequence[Row[Any]]:
    """The owner's pools and trainings in which the worker has an assignment (of any status),
    narrowed to one project or one pool when given."""
    has_worked = exists().where(assignments.c.pool_id == pools.c.id, assignments.c.worker_id == worker_id)
    query = select(pools).where(pools.c.owner_id == owner_id, has_worked)
    if project_id is not None:
        query = query.where(pools.c.project_id == project_id)
    if pool_id is not None:
        query = query.where(pools.c.id == pool_id)
    return conn.execute(query.order_by(pools.c.id)).all()


def replace_spec(conn: Connection, *, pool_id: int, spec: dict[str, Any]) -> None:
    conn.execute(update(pools).where(pools.c.id == pool_id).values(spec=spec))


def change_status(
    conn: Connection, *, pool_id: int, from_statuses: Sequence[str], values: dict[str, Any]
) -> bool:
    """Move a pool out of one of `from_statuses`; False when another request got there first."""
    statement = update(pools).where(pools.c.id == pool_id, pools.c.status.in_(from_statuses)).values(**values)
    return conn.execute(statement).rowcount == 1


def get_for_workers(conn: Connection, *, pool_id: int) -> Row[Any] | None:
    """A pool as workers see it: any requester's, joined with its project's task_spec and instructions."""
    return conn.execute(_FOR_WORKERS, {"pool_id": pool_id}).first()


_FOR_WORKERS = (
    select(pools, projects.c.spec.label("project_spec"))
    .join(projects, projects.c.id == pools.c.project_id)
    .where(pools.c.id == bindparam("pool_id"))
)


def open_for_workers(conn: Connection) -> Sequence[Row[Any]]:
    """Every open pool and training, highest priority first, with its project's spec."""
    query = (
        select(pools, projects.c.spec.label("project_spec"))
        .join(projects, projects.c.id == pools.c.project_id)
        .where(pools.c.status == "OPEN")
        .order_by(pools.c.id)
    )
    return conn.execute(query).all()


def open_pools(conn: Connection) -> Sequence[Row[Any]]:
    return conn.execute(select(pools).where(pools.c.status == "OPEN").order_by(pools.c.id)).all()


def get_any(conn: Connection, *, pool_id: int) -> Row[Any] | None:
    """A pool of any requester, for the server's own timers."""
    return conn.execute(select(pools).where(pools.c.id == pool_id)).first()
