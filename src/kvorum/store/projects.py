"""Projects, always scoped by owner."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import projects

COLUMNS = {
    "id": projects.c.id,
    "status": projects.c.status,
    "created": projects.c.created,
    "public_name": projects.c.public_name,
    "private_comment": projects.c.private_comment,
}


def insert_project(conn: Connection, *, owner_id: int, spec: dict[str, Any], now: datetime) -> int:
    values = {
        "owner_id": owner_id,
        "status": "ACTIVE",
        "created": now,
        "public_name": spec["public_name"],
        "private_comment": spec.get("private_comment"),
        "spec": spec,
    }
    return int(conn.execute(insert(projects).values(**values).returning(projects.c.id)).scalar_one())


def get(conn: Connection, *, owner_id: int, project_id: int, lock: bool = False) -> Row[Any] | None:
    query = select(projects).where(projects.c.id == project_id, projects.c.owner_id == owner_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def find(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    return search_store.run(conn, select(projects).where(projects.c.owner_id == owner_id), COLUMNS, search)


def replace_spec(conn: Connection, *, project_id: int, spec: dict[str, Any]) -> None:
    conn.execute(
        update(projects)
        .where(projects.c.id == project_id)
        .values(spec=spec, public_name=spec["public_name"], private_comment=spec.get("private_comment"))
    )


def set_status(conn: Connection, *, project_id: int, status: str) -> None:
    conn.execute(update(projects).where(projects.c.id == project_id).values(status=status))
