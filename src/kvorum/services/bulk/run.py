"""Bulk creation of tasks and task suites: sync and async, idempotent, all-or-nothing.

A batch is validated item by item: first the shape (pydantic, in one call over the raw JSON),
then the rules that need the target pool and its project (kind.prepare). Without
skip_invalid_items one invalid item rejects the batch and nothing is written. An async batch is
an operation whose input is stored before the request is answered; the request then tries to
run it at once (so clients skip their polling), and the background runner of any server
process finishes what a request could not, after a restart too. A run writes its objects, its
log and its final status in one transaction, guarded by its claim, so it happens exactly once.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection

from kvorum.services import operations, quotas
from kvorum.services.context import Context
from kvorum.services.errors import OperationExists, ValidationFailed, validation_payload
from kvorum.services.pools import lifecycle
from kvorum.services.tasks.targets import TargetPool, TargetPools
from kvorum.store import operations as operation_store

log = logging.getLogger("kvorum.operations")

Errors = dict[str, dict[str, str]]


@dataclass(frozen=True)
class CreateParams:
    """The query parameters of a create request."""

    async_mode: bool = False
    allow_defaults: bool = False
    skip_invalid_items: bool = False
    open_pool: bool = False
    operation_id: str | None = None

    def recorded(self) -> dict[str, bool]:
        """What an operation shows as its `parameters`."""
        return {
            "skip_invalid_items": self.skip_invalid_items,
            "allow_defaults": self.allow_defaults,
            "open_pool": self.open_pool,
        }


@dataclass(slots=True)
class Item:
    """One input object: as sent, and either prepared for insertion or with its errors."""

    sent: Any
    errors: Errors = field(default_factory=dict)
    pool: TargetPool | None = None
    row: tuple[Any, ...] | None = None
    id: str | None = None


@dataclass(frozen=True)
class Parsed:
    items: list[Item]
    single: bool
    units: int


@dataclass(frozen=True)
class ObjectKind:
    """What differs between tasks and task suites."""

    noun: str
    operation_type: str
    quota_action: str
    log_create: str
    log_validate: str
    output_key: str
    single: TypeAdapter[Any]
    many: TypeAdapter[Any]
    units: Callable[[Any], int]
    prepare: Callable[[Item, TargetPools, CreateParams], None]
    persist: Callable[[Connection, list[Item], datetime], None]
    render: Callable[[tuple[Any, ...]], str]
    sync_limit: int = 5_000
    async_limit: int = 100_000


KINDS: dict[str, ObjectKind] = {}


def register(kind: ObjectKind) -> ObjectKind:
    KINDS[kind.operation_type] = kind
    return kind


def parse(kind: ObjectKind, raw: bytes, *, limit: int) -> Parsed:
    """Raw body -> items with their shape errors; a body that is not an object or array is refused."""
    start = raw.lstrip()[:1]
    if start not in (b"{", b"["):
        try:
            orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            message = f"The request body is not valid JSON: {exc}"
            raise ValidationFailed(message, _body_error("JSON_EXPECTED", message)) from None
        message = f"Send a {kind.noun} object or an array of them"
        raise ValidationFailed(message, _body_error("OBJECT_EXPECTED", message))
    single = start == b"{"
    try:
        validated = kind.single.validate_json(raw) if single else kind.many.validate_json(raw)
        items = [Item(sent=validated)] if single else [Item(sent=value) for value in validated]
    except ValidationError:
        items = _parse_slowly(kind, raw, single)
    if len(items) > limit:
        raise ValidationFailed(
            f"At most {limit} {kind.noun}s per request in this mode; this one has {len(items)}",
            {"body": {"code": "ARRAY_SIZE_GREATER_THAN_MAX", "message": f"at most {limit} items"}},
        )
    if not items:
        message = f"The array of {kind.noun}s is empty"
        raise ValidationFailed(message, _body_error("ARRAY_SIZE_LESS_THAN_MIN", message))
    units = sum(kind.units(item.sent) for item in items if not item.errors)
    return Parsed(items=items, single=single, units=units)


def _body_error(code: str, message: str) -> Errors:
    return {"body": {"code": code, "message": message}}


def _parse_slowly(kind: ObjectKind, raw: bytes, single: bool) -> list[Item]:
    """Per-item validation, to tell valid items from invalid ones when the fast path failed."""
    try:
        values = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        message = f"The request body is not valid JSON: {exc}"
        raise ValidationFailed(message, _body_error("JSON_EXPECTED", message)) from None
    items = []
    for value in [values] if single else values:
        try:
            items.append(Item(sent=kind.single.validate_python(value)))
        except ValidationError as exc:
            items.append(Item(sent=value, errors=validation_payload(exc.errors())))
    return items


@dataclass
class Outcome:
    """What a batch did: the created items, the invalid ones, and the pools it opened."""

    items: list[Item]
    created: bool
    log_extra: list[dict[str, Any]] = field(default_factory=list)

    @property
    def invalid(self) -> int:
        return sum(1 for item in self.items if item.errors)

    def details(self) -> dict[str, int]:
        total, invalid = len(self.items), self.invalid
        success = total - invalid if self.created else 0
        return {
            "total_count": total,
            "valid_count": total - invalid,
            "not_valid_count": invalid,
            "success_count": success,
            "failed_count": total - success,
        }


def run_batch(
    ctx: Context, conn: Connection, *, caller: int, kind: ObjectKind, items: list[Item], params: CreateParams
) -> Outcome:
    """Validate against pools and projects, then write the valid items unless the batch is rejected."""
    targets = TargetPools(conn, caller)
    for item in items:
        if not item.errors:
            kind.prepare(item, targets, params)
    outcome = Outcome(
        items=items, created=not any(item.errors for item in items) or params.skip_invalid_items
    )
    valid = [item for item in items if not item.errors]
    if not outcome.created or not valid:
        return outcome
    kind.persist(conn, valid, ctx.clock.now())
    if params.open_pool:
        outcome.log_extra = lifecycle.open_pools(
            ctx, conn, caller, {item.pool.id for item in valid if item.pool}
        )
    return outcome


def log_items(kind: ObjectKind, outcome: Outcome) -> list[dict[str, Any]]:
    """One log item per input object, in input order, then the pool openings."""
    entries = []
    for item in outcome.items:
        if item.id is not None:
            entries.append(
                {
                    "type": kind.log_create,
                    "success": True,
                    "input": item.sent,
                    "output": {kind.output_key: item.id},
                }
            )
        else:
            entries.append(
                {"type": kind.log_validate, "success": False, "input": item.sent, "output": item.errors}
            )
    return entries + outcome.log_extra


def _operation_values(
    caller: int, kind: ObjectKind, operation_id: str, params: CreateParams, now: datetime
) -> dict[str, Any]:
    return {
        "id": operation_id,
        "owner_id": caller,
        "type": kind.operation_type,
        "status": "PENDING",
        "submitted": now,
        "progress": 0,
        "parameters": params.recorded(),
    }


def submit(
    ctx: Context, *, caller: int, kind: ObjectKind, raw: bytes, params: CreateParams
) -> dict[str, Any]:
    """Accept an async batch as an operation.

    A batch up to `inline_operation_items` runs in the request, in the same transaction that
    records the operation, so the client gets a finished operation and skips its polling; if
    the process dies first, nothing was accepted and the client's retry runs it. A larger batch
    is stored and left to the background runner.
    """
    parsed = parse(kind, raw, limit=kind.async_limit)
    operation_id = params.operation_id or str(uuid.uuid4())
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=kind.quota_action, amount=parsed.units)
        if len(parsed.items) <= ctx.settings.inline_operation_items:
            _run_inline(ctx, conn, caller, kind, parsed, params, operation_id)
        else:
            _insert_operation(conn, _operation_values(caller, kind, operation_id, params, ctx.clock.now()))
            operation_store.insert_input(conn, operation_id=operation_id, body=raw)
    return operations.get(ctx, caller=caller, operation_id=operation_id)


def _insert_operation(conn: Connection, values: dict[str, Any]) -> None:
    if not operation_store.insert_operation(conn, values):
        raise OperationExists(f"Operation {values['id']} already exists", {"operation_id": values["id"]})


def _run_inline(
    ctx: Context,
    conn: Connection,
    caller: int,
    kind: ObjectKind,
    parsed: Parsed,
    params: CreateParams,
    operation_id: str,
) -> Outcome:
    """Record the operation and run its batch inside the caller's transaction."""
    claim, now = uuid.uuid4().hex, ctx.clock.now()
    values = {
        **_operation_values(caller, kind, operation_id, params, now),
        "status": "RUNNING",
        "claim": claim,
    }
    _insert_operation(conn, {**values, "started": now})
    outcome = run_batch(ctx, conn, caller=caller, kind=kind, items=parsed.items, params=params)
    _finish(ctx, conn, operation_id, claim, kind, outcome)
    return outcome


def _finish(
    ctx: Context, conn: Connection, operation_id: str, claim: str, kind: ObjectKind, outcome: Outcome
) -> None:
    finished = operation_store.finish(
        conn,
        operation_id=operation_id,
        claim=claim,
        status="SUCCESS" if outcome.created else "FAIL",
        now=ctx.clock.now(),
        details=outcome.details(),
        log_body=orjson.dumps(log_items(kind, outcome)).decode(),
    )
    if not finished:
        raise _ClaimLost


def run(ctx: Context, operation_id: str) -> bool:
    """Claim and run one stored operation; False when another runner holds it."""
    claim, now = uuid.uuid4().hex, ctx.clock.now()
    lease_until = now + timedelta(seconds=ctx.settings.operation_lease_seconds)
    with ctx.db.write() as conn:
        if not operation_store.claim(
            conn, operation_id=operation_id, claim=claim, now=now, lease_until=lease_until
        ):
            return False
    try:
        return _execute(ctx, operation_id, claim)
    except Exception:
        log.exception("operation %s failed unexpectedly", operation_id)
        with ctx.db.write() as conn:
            failure = [
                {"type": "OPERATION", "success": False, "input": {}, "output": {"code": "INTERNAL_ERROR"}}
            ]
            return operation_store.finish(
                conn,
                operation_id=operation_id,
                claim=claim,
                status="FAIL",
                now=ctx.clock.now(),
                details={"error": "INTERNAL_ERROR"},
                log_body=orjson.dumps(failure).decode(),
            )


class _ClaimLost(Exception):
    pass


def _execute(ctx: Context, operation_id: str, claim: str) -> bool:
    try:
        with ctx.db.write() as conn:
            operation = operation_store.get_any(conn, operation_id=operation_id)
            if operation is None or operation.claim != claim or operation.status != "RUNNING":
                raise _ClaimLost
            kind = KINDS[operation.type]
            body = operation_store.input_body(conn, operation_id=operation_id)
            assert body is not None  # kept until the operation finishes
            params = CreateParams(**operation.parameters)
            outcome = run_batch(
                ctx,
                conn,
                caller=operation.owner_id,
                kind=kind,
                items=parse(kind, body, limit=kind.async_limit).items,
                params=params,
            )
            _finish(ctx, conn, operation_id, claim, kind, outcome)
    except _ClaimLost:
        log.warning("operation %s was taken over by another runner", operation_id)
        return False
    return True


def run_due(ctx: Context, *, limit: int = 10) -> int:
    """Run operations that wait: pending ones and those whose runner died. Returns how many ran."""
    with ctx.db.read() as conn:
        due = operation_store.claimable(conn, now=ctx.clock.now(), limit=limit)
    return sum(1 for operation_id in due if run(ctx, operation_id))


def create_now(ctx: Context, *, caller: int, kind: ObjectKind, raw: bytes, params: CreateParams) -> str:
    """Sync mode: create within the request and answer with the objects (JSON text).

    One object answers the object or a VALIDATION_ERROR naming its fields; an array answers
    {"items": {index: object}, "validation_errors": {index: errors}}. The operation_id, when
    given, is recorded as a finished operation so that it cannot be used twice.
    """
    parsed = parse(kind, raw, limit=kind.sync_limit)
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=kind.quota_action, amount=parsed.units)
        outcome = _run_inline(
            ctx, conn, caller, kind, parsed, params, params.operation_id or str(uuid.uuid4())
        )
        if parsed.single and outcome.invalid:
            raise ValidationFailed("Validation failed", parsed.items[0].errors)
        if not outcome.created:
            raise ValidationFailed(
                "Validation failed: nothing was created",
                {str(index): item.errors for index, item in enumerate(parsed.items) if item.errors},
            )
    rendered = [
        kind.render(item.row) for item in parsed.items if item.row is not None and item.id is not None
    ]
    if parsed.single:
        return rendered[0]
    created = iter(rendered)
    entries = [f'"{index}":{next(created)}' for index, item in enumerate(parsed.items) if item.id is not None]
    errors = {str(index): item.errors for index, item in enumerate(parsed.items) if item.errors}
    return '{"items":{' + ",".join(entries) + '},"validation_errors":' + orjson.dumps(errors).decode() + "}"
