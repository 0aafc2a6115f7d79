"""Operations: the record of every asynchronous action, polled by clients until it finishes."""

import uuid
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.schemas.common import format_datetime
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import NotFound
from kvorum.store import operations as store

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


def record_finished(
    ctx: Context,
    conn: Connection,
    *,
    owner_id: int,
    type: str,
    parameters: dict[str, Any],
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record an action that completed inside the request, and return its operation view."""
    now = ctx.clock.now()
    values = {
        "id": str(uuid.uuid4()),
        "owner_id": owner_id,
        "type": type,
        "status": "SUCCESS",
        "submitted": now,
        "started": now,
        "finished": now,
        "progress": 100,
        "parameters": parameters,
        "details": details,
    }
    store.insert_operation(conn, values)
    return view(values)


def view(row: Row[Any] | dict[str, Any]) -> dict[str, Any]:
    data = row if isinstance(row, dict) else row._asdict()
    result: dict[str, Any] = {
        "id": data["id"],
        "type": data["type"],
        "status": data["status"],
        "submitted": format_datetime(data["submitted"]),
        "parameters": data["parameters"],
        "progress": data["progress"],
    }
    for key in ("started", "finished"):
        if data[key] is not None:
            result[key] = format_datetime(data[key])
    if data["details"] is not None:
        result["details"] = data["details"]
    return result


def get(ctx: Context, *, caller: int, operation_id: str) -> dict[str, Any]:
    with ctx.db.read() as conn:
        row = store.get(conn, owner_id=caller, operation_id=operation_id)
    if row is None:
        raise NotFound(f"Operation {operation_id} does not exist")
    return view(row)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> dict[str, Any]:
    return search_rules.page(
        ctx, SEARCH, params, lambda conn, search: store.find(conn, owner_id=caller, search=search), view
    )


def log(ctx: Context, *, caller: int, operation_id: str) -> str:
    """The operation's log as JSON text: a bare array, empty until the operation has finished."""
    with ctx.db.read() as conn:
        if store.get(conn, owner_id=caller, operation_id=operation_id) is None:
            raise NotFound(f"Operation {operation_id} does not exist")
        return store.log(conn, operation_id=operation_id) or "[]"
