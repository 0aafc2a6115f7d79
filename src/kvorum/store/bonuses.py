"""Bonuses requesters give workers."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import user_bonuses

COLUMNS = {
    "id": user_bonuses.c.id,
    "created": user_bonuses.c.created,
    "user_id": user_bonuses.c.worker_id,
    "assignment_id": user_bonuses.c.assignment_id,
    "private_comment": user_bonuses.c.private_comment,
}


def create(conn: Connection, *, values: dict[str, Any]) -> int:
    statement = insert(user_bonuses).values(**values).returning(user_bonuses.c.id)
    return int(conn.execute(statement).scalar_one())


def get(conn: Connection, *, owner_id: int, bonus_id: int) -> Row[Any] | None:
    query = select(user_bonuses).where(user_bonuses.c.id == bonus_id, user_bonuses.c.owner_id == owner_id)
    return conn.execute(query).first()


def find(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    base = select(user_bonuses).where(user_bonuses.c.owner_id == owner_id)
    return search_store.run(conn, base, COLUMNS, search)
