"""Bulk creation of tasks and task suites: sync and async, idempotent, all-or-nothing.

A batch is validated item by item: first the shape (pydantic, in one call over the raw JSON),
then the rules that need the target pool and its project (the bulk type's prepare). Without
skip_invalid_items one invalid item rejects the batch and nothing is written. An async batch is
an operation whose input is stored before the request is answered; the request then tries to
run it at once (so clients skip their polling), and the background runner of any process
finishes what a request could not, after a restart too. A run writes its objects, its log and
its final status in one transaction, guarded by its claim, so it happens exactly once.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic

import orjson
from sqlalchemy import Connection

from kvorum.schemas.rendered import RenderedJson
from kvorum.services import operations, quotas
from kvorum.services.bulk.bulk_type import BulkType, New
from kvorum.services.bulk.params import CreateParams
from kvorum.services.bulk.parsing import Item, Parsed, parse
from kvorum.services.bulk.registry import BULK_TYPES
from kvorum.services.context import Context
from kvorum.services.errors import OperationExists, ValidationFailed
from kvorum.services.pools import lifecycle
from kvorum.services.tasks.targets import TargetPools, Unavailable
from kvorum.store import operations as operation_store

log = logging.getLogger("kvorum.operations")


@dataclass
class Outcome(Generic[New]):
    """What a batch did: its items, whether it was written and when, and the pools it opened."""

    items: list[Item[New]]
    written: bool
    """False when the batch was rejected and nothing was written."""
    at: datetime
    """When it ran: the creation time of what it wrote."""
    pool_openings: list[dict[str, Any]] = field(default_factory=list)
    """POOL_OPEN log items."""

    @property
    def invalid(self) -> int:
        return sum(1 for item in self.items if item.errors)

    def details(self) -> dict[str, int]:
        total, invalid = len(self.items), self.invalid
        success = total - invalid if self.written else 0
        return {
            "total_count": total,
            "valid_count": total - invalid,
            "not_valid_count": invalid,
            "success_count": success,
            "failed_count": total - success,
        }


def run_batch(
    ctx: Context,
    conn: Connection,
    *,
    caller: int,
    bulk_type: BulkType[New],
    items: list[Item[New]],
    params: CreateParams,
) -> Outcome[New]:
    """Check items against their pools and projects; write the valid ones unless the batch is rejected."""
    targets = TargetPools(conn, caller)
    check = None if bulk_type.start is None else bulk_type.start(conn, caller)
    valid: list[Item[New]] = []
    ready: list[New] = []
    for item in items:
        if item.errors:
            continue
        if check is not None:
            item.new = check(item.sent, params, item.errors)
        else:
            assert bulk_type.prepare is not None
            pool = targets.resolve(item.sent["pool_id"])
            if isinstance(pool, Unavailable):
                item.errors["pool_id"] = pool.error()
                continue
            item.pool, item.new = pool, bulk_type.prepare(item.sent, pool, params, item.errors)
        if item.new is not None:
            valid.append(item)
            ready.append(item.new)
    written = params.skip_invalid_items or len(valid) == len(items)
    outcome = Outcome(items=items, written=written, at=ctx.clock.now())
    if not written or not valid:
        return outcome
    for item, new_id in zip(valid, bulk_type.persist(conn, ready, outcome.at), strict=True):
        item.id = new_id
    if params.open_pool:
        outcome.pool_openings = lifecycle.open_pools(
            ctx, conn, caller, {item.pool.id for item in valid if item.pool is not None}
        )
    return outcome


def log_items(bulk_type: BulkType[New], outcome: Outcome[New]) -> list[dict[str, Any]]:
    """One log item per input object, in input order, then the pool openings."""
    entries = []
    for item in outcome.items:
        if item.id is not None:
            entries.append(
                {
                    "type": bulk_type.log_create,
                    "success": True,
                    "input": item.sent,
                    "output": {bulk_type.output_key: item.id},
                }
            )
        else:
            entries.append(
                {"type": bulk_type.log_validate, "success": False, "input": item.sent, "output": item.errors}
            )
    return entries + outcome.pool_openings


def _operation_values(
    caller: int, bulk_type: BulkType[Any], operation_id: str, params: CreateParams
) -> dict[str, Any]:
    return {
        "id": operation_id,
        "owner_id": caller,
        "type": bulk_type.operation_type,
        "progress": 0,
        "parameters": params.recorded(),
    }


def submit(
    ctx: Context, *, caller: int, bulk_type: BulkType[New], raw: bytes, params: CreateParams
) -> operations.Operation:
    """Accept an async batch as an operation.

    A batch up to `inline_operation_items` runs in the request, in the same transaction that
    records the operation, so the client gets a finished operation and skips its polling; if
    the process dies first, nothing was accepted and the client's retry runs it. A larger batch
    is stored and left to the background runner.
    """
    parsed = parse(bulk_type, raw, limit=bulk_type.async_limit)
    operation_id = params.operation_id or str(uuid.uuid4())
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=bulk_type.quota_action, amount=parsed.units)
        if len(parsed.items) <= ctx.settings.inline_operation_items:
            _run_inline(ctx, conn, caller, bulk_type, parsed, params, operation_id)
        else:
            values = _operation_values(caller, bulk_type, operation_id, params)
            _insert_operation(conn, {**values, "status": "PENDING", "submitted": ctx.clock.now()})
            operation_store.insert_input(conn, operation_id=operation_id, body=raw)
    return operations.get(ctx, caller=caller, operation_id=operation_id)


def _insert_operation(conn: Connection, values: dict[str, Any]) -> None:
    if not operation_store.insert_operation(conn, values):
        raise OperationExists(f"Operation {values['id']} already exists", {"operation_id": values["id"]})


def _run_inline(
    ctx: Context,
    conn: Connection,
    caller: int,
    bulk_type: BulkType[New],
    parsed: Parsed[New],
    params: CreateParams,
    operation_id: str,
) -> Outcome[New]:
    """Record the operation and run its batch inside the caller's transaction."""
    claim, now = uuid.uuid4().hex, ctx.clock.now()
    values = _operation_values(caller, bulk_type, operation_id, params)
    _insert_operation(conn, {**values, "status": "RUNNING", "claim": claim, "submitted": now, "started": now})
    outcome = run_batch(ctx, conn, caller=caller, bulk_type=bulk_type, items=parsed.items, params=params)
    _finish(ctx, conn, operation_id, claim, bulk_type, outcome)
    return outcome


class _ClaimLost(Exception):
    pass


def _finish(
    ctx: Context,
    conn: Connection,
    operation_id: str,
    claim: str,
    bulk_type: BulkType[New],
    outcome: Outcome[New],
) -> None:
    finished = operation_store.finish(
        conn,
        operation_id=operation_id,
        claim=claim,
        status="SUCCESS" if outcome.written else "FAIL",
        now=ctx.clock.now(),
        details=outcome.details(),
        log_body=orjson.dumps(log_items(bulk_type, outcome)).decode(),
    )
    if not finished:
        raise _ClaimLost


def run(ctx: Context, operation_id: str) -> bool:
    """Claim and run one stored operation; False when another runner holds it."""
    return operations.run_stored(ctx, operation_id, lambda claim: _execute(ctx, operation_id, claim))


def _execute(ctx: Context, operation_id: str, claim: str) -> bool:
    try:
        with ctx.db.write() as conn:
            operation = operation_store.get_any(conn, operation_id=operation_id)
            if operation is None or operation.claim != claim or operation.status != "RUNNING":
                raise _ClaimLost
            bulk_type = BULK_TYPES[operation.type]
            body = operation_store.input_body(conn, operation_id=operation_id)
            assert body is not None  # kept until the operation finishes
            outcome = run_batch(
                ctx,
                conn,
                caller=operation.owner_id,
                bulk_type=bulk_type,
                items=parse(bulk_type, body, limit=bulk_type.async_limit).items,
                params=CreateParams(**operation.parameters),
            )
            _finish(ctx, conn, operation_id, claim, bulk_type, outcome)
    except _ClaimLost:
        log.warning("operation %s was taken over by another runner", operation_id)
        return False
    return True


def run_due(ctx: Context, *, limit: int = 10) -> int:
    """Run batches that wait: pending ones and those whose runner died. Returns how many ran."""
    return operations.run_due(ctx, BULK_TYPES.keys(), run, limit=limit)


def create_now(
    ctx: Context, *, caller: int, bulk_type: BulkType[New], raw: bytes, params: CreateParams
) -> RenderedJson:
    """Sync mode: create within the request and answer with the objects.

    One object answers the object or a VALIDATION_ERROR naming its fields; an array answers
    {"items": {index: object}, "validation_errors": {index: errors}}. The operation_id, when
    given, is recorded as a finished operation so that it cannot be used twice.
    """
    parsed = parse(bulk_type, raw, limit=bulk_type.sync_limit)
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=bulk_type.quota_action, amount=parsed.units)
        outcome = _run_inline(
            ctx, conn, caller, bulk_type, parsed, params, params.operation_id or str(uuid.uuid4())
        )
        if parsed.single and outcome.invalid:
            raise ValidationFailed("Validation failed", parsed.items[0].errors)
        if not outcome.written:
            raise ValidationFailed(
                "Validation failed: nothing was created",
                {str(index): item.errors for index, item in enumerate(parsed.items) if item.errors},
            )
    rendered = [
        (index, bulk_type.render(item.new, item.id, outcome.at))
        for index, item in enumerate(parsed.items)
        if item.new is not None and item.id is not None
    ]
    if parsed.single:
        return rendered[0][1]
    entries = ",".join(f'"{index}":{text}' for index, text in rendered)
    errors = {str(index): item.errors for index, item in enumerate(parsed.items) if item.errors}
    return RenderedJson(
        '{"items":{' + entries + '},"validation_errors":' + orjson.dumps(errors).decode() + "}"
    )
