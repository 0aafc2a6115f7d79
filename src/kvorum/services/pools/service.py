"""Pools and trainings: create, read, search, replace, patch and clone.

A training is a pool of type TRAINING: it shares the table, the id space and the lifecycle
(lifecycle.py); what differs on the wire is described by `Kind`.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from kvorum.schemas.common import format_datetime, owner
from kvorum.schemas.ids import parse_id
from kvorum.schemas.pool import PoolIn, PoolPatch
from kvorum.schemas.training import TrainingIn
from kvorum.services import operations, quotas
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems
from kvorum.services.pools.checks import check
from kvorum.store import pools as store


@dataclass(frozen=True)
class Kind:
    """What differs between pools and trainings on the wire."""

    name: str
    noun: str
    operation_prefix: str
    id_key: str
    action_prefix: str
    default_limit: int


POOL = Kind("REGULAR", "Pool", "POOL", "pool_id", "pool", 20)
TRAINING = Kind("TRAINING", "Training", "TRAINING", "training_id", "training", 50)


def search_spec(kind: Kind) -> search_rules.SearchSpec:
    return search_rules.SearchSpec(
        exact={
            "status": search_rules.one_of("OPEN", "CLOSED", "ARCHIVED", "LOCKED"),
            "project_id": search_rules.numeric_id,
        },
        ranges={
            "id": search_rules.numeric_id,
            "created": search_rules.date_time,
            "last_started": search_rules.date_time,
        },
        sorts=frozenset({"id", "created", "last_started"}),
        default_limit=kind.default_limit,
        max_limit=300,
    )


SEARCH = {POOL.name: search_spec(POOL), TRAINING.name: search_spec(TRAINING)}


def view(row: Row[Any], caller: int, *, with_type: bool) -> dict[str, Any]:
    """The wire form; `type` is shown where the pools endpoints show it."""
    result: dict[str, Any] = {
        **row.spec,
        "id": str(row.id),
        "project_id": str(row.project_id),
        "status": row.status,
        "created": format_datetime(row.created),
        "owner": owner(row.owner_id, caller),
    }
    for key in ("last_started", "last_stopped"):
        if getattr(row, key) is not None:
            result[key] = format_datetime(getattr(row, key))
    if row.last_close_reason is not None:
        result["last_close_reason"] = row.last_close_reason
    if with_type:
        result["type"] = row.kind
    return result


def load(conn: Connection, *, caller: int, kind: Kind | None, pool_id: str | int) -> Row[Any]:
    """The caller's pool (or training), or DOES_NOT_EXIST."""
    key, kind_name = parse_id(pool_id), kind.name if kind else None
    row = None if key is None else store.get(conn, owner_id=caller, pool_id=key, kind=kind_name)
    if row is None:
        raise NotFound(f"{(kind or POOL).noun} {pool_id} does not exist")
    return row


def create(ctx: Context, *, caller: int, kind: Kind, body: PoolIn | TrainingIn) -> dict[str, Any]:
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=f"{kind.action_prefix}_create")
        project = check(conn, caller, body)
        spec = body.wire()
        del spec["project_id"]
        pool_id = store.insert_pool(
            conn, owner_id=caller, project_id=project.id, kind=kind.name, spec=spec, now=ctx.clock.now()
        )
        return view(load(conn, caller=caller, kind=kind, pool_id=pool_id), caller, with_type=kind is POOL)


def get(ctx: Context, *, caller: int, kind: Kind | None, pool_id: str) -> dict[str, Any]:
    """`kind=None` reads either kind, as `GET /v1/pools/{id}` shows trainings too."""
    with ctx.db.read() as conn:
        return view(
            load(conn, caller=caller, kind=kind, pool_id=pool_id), caller, with_type=kind is not TRAINING
        )


def find(ctx: Context, *, caller: int, kind: Kind, params: dict[str, str]) -> dict[str, Any]:
    return search_rules.page(
        ctx,
        SEARCH[kind.name],
        params,
        lambda conn, search: store.find(conn, owner_id=caller, kind=kind.name, search=search),
        lambda row: view(row, caller, with_type=kind is POOL),
    )


def _changeable(row: Row[Any], kind: Kind) -> None:
    if row.status == "ARCHIVED":
        raise Conflict(f"{kind.noun} {row.id} is archived and cannot be changed")


def update(
    ctx: Context, *, caller: int, kind: Kind, pool_id: str, body: PoolIn | TrainingIn
) -> dict[str, Any]:
    """Replace the settings (PUT); status and history are kept."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=kind, pool_id=pool_id)
        _changeable(row, kind)
        if int(body.project_id) != row.project_id:
            problems = Problems()
            problems.add(
                "project_id", "VALUE_NOT_ALLOWED", f"a {kind.noun.lower()} cannot move to another project"
            )
            problems.raise_if_any()
        check(conn, caller, body)
        spec = body.wire()
        del spec["project_id"]
        store.replace_spec(conn, pool_id=row.id, spec=spec)
        return view(load(conn, caller=caller, kind=kind, pool_id=row.id), caller, with_type=kind is POOL)


def patch(ctx: Context, *, caller: int, pool_id: str, body: PoolPatch) -> dict[str, Any]:
    """PATCH changes the priority only."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=POOL, pool_id=pool_id)
        _changeable(row, POOL)
        store.replace_spec(conn, pool_id=row.id, spec={**row.spec, "priority": body.priority})
        return view(load(conn, caller=caller, kind=POOL, pool_id=row.id), caller, with_type=True)


def clone(ctx: Context, *, caller: int, kind: Kind, pool_id: str) -> operations.Operation:
    """Copy the settings into a new closed pool; collector uuids are shared, as in Toloka."""
    with ctx.db.write() as conn:
        row = load(conn, caller=caller, kind=kind, pool_id=pool_id)
        quotas.charge(ctx, conn, requester_id=caller, action=f"{kind.action_prefix}_clone")
        new_id = store.insert_pool(
            conn,
            owner_id=caller,
            project_id=row.project_id,
            kind=kind.name,
            spec=row.spec,
            now=ctx.clock.now(),
        )
        return operations.record_finished(
            ctx,
            conn,
            owner_id=caller,
            type=f"{kind.operation_prefix}.CLONE",
            parameters={kind.id_key: str(row.id)},
            details={kind.id_key: str(new_id)},
        )
