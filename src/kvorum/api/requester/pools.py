from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, created, query, search_doc
from kvorum.api.requester.lifecycle import add_action_routes
from kvorum.schemas.pool import PoolIn, PoolPatch
from kvorum.services.pools import service as pools
from kvorum.services.pools.service import POOL

router = APIRouter(prefix="/pools", tags=["pools"], responses=ERROR_RESPONSES)


@router.post("", status_code=201, responses={429: {"description": "TOO_MANY_REQUESTS: a creation quota"}})
def create_pool(body: PoolIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Create a pool; it starts CLOSED."""
    return created(pools.create(ctx, caller=caller.id, kind=POOL, body=body))


@router.get("", openapi_extra=search_doc(pools.SEARCH[POOL.name]))
def find_pools(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> dict[str, Any]:
    """Search the caller's pools (trainings are under /trainings)."""
    return pools.find(ctx, caller=caller.id, kind=POOL, params=params)


@router.get("/{pool_id}")
def get_pool(pool_id: str, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """One pool; a training read here shows type TRAINING."""
    return pools.get(ctx, caller=caller.id, kind=None, pool_id=pool_id)


@router.put("/{pool_id}")
def update_pool(pool_id: str, body: PoolIn, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """Replace a pool's settings; an archived pool cannot be changed."""
    return pools.update(ctx, caller=caller.id, kind=POOL, pool_id=pool_id, body=body)


@router.patch("/{pool_id}")
def patch_pool(pool_id: str, body: PoolPatch, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """Change a pool's priority."""
    return pools.patch(ctx, caller=caller.id, pool_id=pool_id, body=body)


add_action_routes(router, POOL, ("open", "close", "close-for-update", "archive"))
