"""Operations (the records of asynchronous actions), their inputs, logs, and leases."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from kvorum.store import search as search_store
from kvorum.store.search import Search
from kvorum.store.tables import operation_inputs, operation_logs, operations

COLUMNS = {
    "id": operations.c.id,
    "type": operations.c.type,
    "status": operations.c.status,
    "submitted": operations.c.submitted,
    "finished": operations.c.finished,
}
PUBLIC = [column for column in operations.c if column.name not in ("claim", "lease_until")]


def insert_operation(conn: Connection, values: dict[str, Any]) -> bool:
    """Insert an operation; False when one with this id already exists (the idempotency key was used)."""
    try:
        with conn.begin_nested():
            conn.execute(insert(operations).values(**values))
    except IntegrityError:
        return False
    return True


def insert_input(conn: Connection, *, operation_id: str, body: bytes) -> None:
    conn.execute(insert(operation_inputs).values(operation_id=operation_id, body=body))


def input_body(conn: Connection, *, operation_id: str) -> bytes | None:
    query = select(operation_inputs.c.body).where(operation_inputs.c.operation_id == operation_id)
    body = conn.execute(query).scalar_one_or_none()
    return None if body is None else bytes(body)


def get(conn: Connection, *, owner_id: int, operation_id: str) -> Row[Any] | None:
    query = select(*PUBLIC).where(operations.c.id == operation_id, operations.c.owner_id == owner_id)
    return conn.execute(query).first()


def get_any(conn: Connection, *, operation_id: str) -> Row[Any] | None:
    return conn.execute(select(operations).where(operations.c.id == operation_id)).first()


def find(conn: Connection, *, owner_id: int, search: Search) -> tuple[Sequence[Row[Any]], bool]:
    return search_store.run(conn, select(*PUBLIC).where(operations.c.owner_id == owner_id), COLUMNS, search)


def log(conn: Connection, *, operation_id: str) -> str | None:
    query = select(operation_logs.c.body).where(operation_logs.c.operation_id == operation_id)
    body = conn.execute(query).scalar_one_or_none()
    return None if body is None else str(body)


def claimable(conn: Connection, *, types: Collection[str], now: datetime, limit: int) -> Sequence[str]:
    """Operations of these types waiting to run: pending ones, and running ones whose runner's lease
    ran out."""
    query = (
        select(operations.c.id)
        .where(
            or_(
                operations.c.status == "PENDING",
                (operations.c.status == "RUNNING") & (operations.c.lease_until < now),
            ),
            operations.c.type.in_(types),
        )
        .order_by(operations.c.submitted)
        .limit(limit)
    )
    return list(conn.execute(query).scalars())


def claim(conn: Connection, *, operation_id: str, claim: str, now: datetime, lease_until: datetime) -> bool:
    """Take an operation to run; False when another runner holds a live lease on it."""
    statement = (
        update(operations)
        .where(
            operations.c.id == operation_id,
            or_(
                operations.c.status == "PENDING",
                (operations.c.status == "RUNNING") & (operations.c.lease_until < now),
            ),
        )
        .values(
            status="RUNNING",
            claim=claim,
            lease_until=lease_until,
            started=now,
        )
    )
    return conn.execute(statement).rowcount == 1


def finish(
    conn: Connection,
    *,
    operation_id: str,
    claim: str,
    status: str,
    now: datetime,
    details: dict[str, Any] | None,
    log_body: str,
) -> bool:
    """Record the end of a run; False (and nothing written) when the claim was lost to another runner."""
    statement = (
        update(operations)
        .where(operations.c.id == operation_id, operations.c.claim == claim, operations.c.status == "RUNNING")
        .values(status=status, finished=now, progress=100, details=details, lease_until=None)
    )
    if conn.execute(statement).rowcount != 1:
        return False
    conn.execute(insert(operation_logs).values(operation_id=operation_id, body=log_body))
    conn.execute(delete(operation_inputs).where(operation_inputs.c.operation_id == operation_id))
    return True
