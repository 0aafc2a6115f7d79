"""Operations (the records of asynchronous actions) and their logs."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import operation_log, operations

COLUMNS = {
    "id": operations.c.id,
    "type": operations.c.type,
    "status": operations.c.status,
    "submitted": operations.c.submitted,
    "finished": operations.c.finished,
}


def insert_operation(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(operations).values(**values))


def get(conn: Connection, *, owner_id: int, operation_id: str) -> Row[Any] | None:
    query = select(operations).where(operations.c.id == operation_id, operations.c.owner_id == owner_id)
    return conn.execute(query).first()


def find(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    return search_store.run(
        conn, select(operations).where(operations.c.owner_id == owner_id), COLUMNS, search
    )


def log(conn: Connection, *, operation_id: str) -> Sequence[Row[Any]]:
    query = (
        select(operation_log)
        .where(operation_log.c.operation_id == operation_id)
        .order_by(operation_log.c.seq)
    )
    return conn.execute(query).all()
