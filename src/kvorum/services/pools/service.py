"""Pools and trainings: create, read, search, replace, patch and clone.

A training is a pool of type TRAINING: it shares the table, the id space and the lifecycle
(lifecycle.py); what the API names differently is its PoolType (types.py).
"""

from typing import Any

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.schemas.pool import PoolIn, PoolPatch
from kvorum.schemas.training import TrainingIn
from kvorum.services import operations, quotas
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems
from kvorum.services.pools.checks import check
from kvorum.services.pools.model import Pool
from kvorum.services.pools.types import REGULAR_POOL, PoolType
from kvorum.services.quality.model import with_uuids
from kvorum.store import pools as store


def load(conn: Connection, *, caller: int, pool_type: PoolType | None, pool_id: str | int) -> Pool:
    """The caller's pool of that type (of either type when None), or DOES_NOT_EXIST."""
    key = parse_id(pool_id)
    type_value = None if pool_type is None else pool_type.value
    row = None if key is None else store.get(conn, owner_id=caller, pool_id=key, kind=type_value)
    if row is None:
        raise NotFound(f"{(pool_type or REGULAR_POOL).noun} {pool_id} does not exist")
    return Pool.from_row(row)


def _stored_settings(body: PoolIn | TrainingIn) -> dict[str, Any]:
    """What is stored of a request body: everything it sets but the project, which is a column;
    every quality-control collector has a uuid."""
    stored = body.wire()
    del stored["project_id"]
    if stored.get("quality_control"):
        stored["quality_control"] = with_uuids(stored["quality_control"])
    return stored


def create(ctx: Context, *, caller: int, pool_type: PoolType, body: PoolIn | TrainingIn) -> Pool:
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action=f"{pool_type.quota_prefix}_create")
        project = check(conn, caller, body)
        pool_id = store.insert_pool(
            conn,
            owner_id=caller,
            project_id=project.id,
            kind=pool_type.value,
            spec=_stored_settings(body),
            now=ctx.clock.now(),
        )
        return load(conn, caller=caller, pool_type=pool_type, pool_id=pool_id)


def get(ctx: Context, *, caller: int, pool_type: PoolType | None, pool_id: str) -> Pool:
    """`pool_type=None` reads either type, as `GET /v1/pools/{id}` shows trainings too."""
    with ctx.db.read() as conn:
        return load(conn, caller=caller, pool_type=pool_type, pool_id=pool_id)


def find(
    ctx: Context, *, caller: int, pool_type: PoolType, params: dict[str, str]
) -> search_rules.Page[Pool]:
    return search_rules.fetch_page(
        ctx,
        pool_type.search,
        params,
        lambda conn, search: store.find(conn, owner_id=caller, kind=pool_type.value, search=search),
        Pool.from_row,
    )


def _changeable(pool: Pool, pool_type: PoolType) -> None:
    if pool.status == "ARCHIVED":
        raise Conflict(f"{pool_type.noun} {pool.id} is archived and cannot be changed")


def update(
    ctx: Context, *, caller: int, pool_type: PoolType, pool_id: str, body: PoolIn | TrainingIn
) -> Pool:
    """Replace the settings (PUT); status and history are kept."""
    with ctx.db.write() as conn:
        pool = load(conn, caller=caller, pool_type=pool_type, pool_id=pool_id)
        _changeable(pool, pool_type)
        if int(body.project_id) != pool.project_id:
            problems = Problems()
            problems.add(
                "project_id",
                "VALUE_NOT_ALLOWED",
                f"a {pool_type.noun.lower()} cannot move to another project",
            )
            problems.raise_if_any()
        check(conn, caller, body)
        store.replace_spec(conn, pool_id=pool.id, spec=_stored_settings(body))
        return load(conn, caller=caller, pool_type=pool_type, pool_id=pool.id)


def patch(ctx: Context, *, caller: int, pool_id: str, body: PoolPatch) -> Pool:
    """PATCH changes the priority only."""
    with ctx.db.write() as conn:
        pool = load(conn, caller=caller, pool_type=REGULAR_POOL, pool_id=pool_id)
        _changeable(pool, REGULAR_POOL)
        store.replace_spec(conn, pool_id=pool.id, spec={**pool.stored_settings, "priority": body.priority})
        return load(conn, caller=caller, pool_type=REGULAR_POOL, pool_id=pool.id)


def clone(ctx: Context, *, caller: int, pool_type: PoolType, pool_id: str) -> operations.Operation:
    """Copy the settings into a new closed pool; collector uuids are shared, as in Toloka.

    Answers the finished POOL.CLONE (or TRAINING.CLONE) operation; its details name the copy.
    """
    with ctx.db.write() as conn:
        pool = load(conn, caller=caller, pool_type=pool_type, pool_id=pool_id)
        quotas.charge(ctx, conn, requester_id=caller, action=f"{pool_type.quota_prefix}_clone")
        new_id = store.insert_pool(
            conn,
            owner_id=caller,
            project_id=pool.project_id,
            kind=pool_type.value,
            spec=dict(pool.stored_settings),
            now=ctx.clock.now(),
        )
        return operations.record_finished(
            ctx,
            conn,
            owner_id=caller,
            type=f"{pool_type.operation_prefix}.CLONE",
            parameters={pool_type.id_key: str(pool.id)},
            details={pool_type.id_key: str(new_id)},
        )
