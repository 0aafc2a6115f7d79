"""Operations: the record of every asynchronous action, polled by clients until it finishes."""

import logging
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Row

from kvorum.schemas.rendered import RenderedJson
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import NotFound
from kvorum.store import operations as store

logger = logging.getLogger("kvorum.operations")
SEARCH = search_rules.SearchSpec(
    exact={
        "type": search_rules.text_value,
        "status": search_rules.one_of("PENDING", "RUNNING", "SUCCESS", "FAIL"),
    },
    ranges={
        "id": search_rules.text_value,
        "submitted": search_rules.date_time,
        "finished": search_rules.date_time,
    },
    sorts=frozenset({"id", "submitted", "finished"}),
    default_limit=50,
    max_limit=500,
)


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    type: str
    """What was done, e.g. TASK.BATCH_CREATE or POOL.OPEN."""
    status: str
    """PENDING, RUNNING, SUCCESS or FAIL."""
    submitted: datetime
    parameters: Mapping[str, Any]
    progress: int
    started: datetime | None = None
    finished: datetime | None = None
    details: Mapping[str, Any] | None = None

    @classmethod
    def from_row(cls, row: Row[Any]) -> "Operation":
        return cls(
            id=row.id,
            type=row.type,
            status=row.status,
            submitted=row.submitted,
            parameters=row.parameters,
            progress=row.progress,
            started=row.started,
            finished=row.finished,
            details=row.details,
        )


def record_finished(
    ctx: Context,
    conn: Connection,
    *,
    owner_id: int,
    type: str,
    parameters: dict[str, Any],
    details: dict[str, Any] | None = None,
) -> Operation:
    """Record an action that completed inside the request."""
    now = ctx.clock.now()
    operation = Operation(
        id=str(uuid.uuid4()),
        type=type,
        status="SUCCESS",
        submitted=now,
        parameters=parameters,
        progress=100,
        started=now,
        finished=now,
        details=details,
    )
    store.insert_operation(
        conn,
        {
            "id": operation.id,
            "owner_id": owner_id,
            "type": type,
            "status": operation.status,
            "submitted": now,
            "started": now,
            "finished": now,
            "progress": operation.progress,
            "parameters": parameters,
            "details": details,
        },
    )
    return operation


def get(ctx: Context, *, caller: int, operation_id: str) -> Operation:
    with ctx.db.read() as conn:
        row = store.get(conn, owner_id=caller, operation_id=operation_id)
    if row is None:
        raise NotFound(f"Operation {operation_id} does not exist")
    return Operation.from_row(row)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> search_rules.Page[Operation]:
    return search_rules.fetch_page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find(conn, owner_id=caller, search=search),
        Operation.from_row,
    )


def log(ctx: Context, *, caller: int, operation_id: str) -> RenderedJson:
    """The operation's log as stored: a bare array, empty until the operation has finished."""
    with ctx.db.read() as conn:
        if store.get(conn, owner_id=caller, operation_id=operation_id) is None:
            raise NotFound(f"Operation {operation_id} does not exist")
        return RenderedJson(store.log(conn, operation_id=operation_id) or "[]")


def run_stored(ctx: Context, operation_id: str, execute: Callable[[str], bool]) -> bool:
    """Claim a stored operation and run `execute(claim)`; False when another runner holds it.

    `execute` records the end itself, guarded by the claim. Anything it raises unexpectedly ends
    the operation as FAIL with INTERNAL_ERROR.
    """
    claim, now = uuid.uuid4().hex, ctx.clock.now()
    lease_until = now + timedelta(seconds=ctx.settings.operation_lease_seconds)
    with ctx.db.write() as conn:
        if not store.claim(conn, operation_id=operation_id, claim=claim, now=now, lease_until=lease_until):
            return False
    try:
        return execute(claim)
    except Exception:
        logger.exception("operation %s failed unexpectedly", operation_id)
        with ctx.db.write() as conn:
            failure = [
                {"type": "OPERATION", "success": False, "input": {}, "output": {"code": "INTERNAL_ERROR"}}
            ]
            return store.finish(
                conn,
                operation_id=operation_id,
                claim=claim,
                status="FAIL",
                now=ctx.clock.now(),
                details={"error": "INTERNAL_ERROR"},
                log_body=orjson.dumps(failure).decode(),
            )


def run_due(ctx: Context, types: Collection[str], run: Callable[[Context, str], bool], *, limit: int) -> int:
    """Run waiting operations of these types: pending ones and those whose runner died. Returns how
    many ran."""
    with ctx.db.read() as conn:
        due = store.claimable(conn, types=types, now=ctx.clock.now(), limit=limit)
    return sum(1 for operation_id in due if run(ctx, operation_id))
