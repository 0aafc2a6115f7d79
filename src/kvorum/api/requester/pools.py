from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, created, query, search_doc
from kvorum.api.requester.lifecycle import add_action_routes
from kvorum.schemas.page import PageOut
from kvorum.schemas.pool import PoolIn, PoolPatch
from kvorum.schemas.pool_out import PoolOut
from kvorum.schemas.quality_event_out import QualityEventOut
from kvorum.schemas.training_out import TrainingAsPoolOut
from kvorum.services.pools import service as pools
from kvorum.services.pools.types import REGULAR_POOL
from kvorum.services.quality import history

router = APIRouter(prefix="/pools", tags=["pools"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=201,
    response_model=PoolOut,
    responses={429: {"description": "TOO_MANY_REQUESTS: a creation quota"}},
)
def create_pool(body: PoolIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Create a pool; it starts CLOSED."""
    pool = pools.create(ctx, caller=caller.id, pool_type=REGULAR_POOL, body=body)
    return created(answers.pool(pool, caller.id, with_type=True))


@router.get("", response_model=PageOut[PoolOut], openapi_extra=search_doc(REGULAR_POOL.search))
def find_pools(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the caller's pools (trainings are under /trainings)."""
    found = pools.find(ctx, caller=caller.id, pool_type=REGULAR_POOL, params=params)
    return JSONResponse(answers.page(found, lambda pool: answers.pool(pool, caller.id, with_type=True)))


@router.get("/{pool_id}", response_model=PoolOut | TrainingAsPoolOut)
def get_pool(pool_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    """One pool; a training read here shows type TRAINING."""
    pool = pools.get(ctx, caller=caller.id, pool_type=None, pool_id=pool_id)
    return JSONResponse(answers.pool(pool, caller.id, with_type=True))


@router.put("/{pool_id}", response_model=PoolOut)
def update_pool(pool_id: str, body: PoolIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Replace a pool's settings; an archived pool cannot be changed."""
    pool = pools.update(ctx, caller=caller.id, pool_type=REGULAR_POOL, pool_id=pool_id, body=body)
    return JSONResponse(answers.pool(pool, caller.id, with_type=True))


@router.patch("/{pool_id}", response_model=PoolOut)
def patch_pool(pool_id: str, body: PoolPatch, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Change a pool's priority."""
    pool = pools.patch(ctx, caller=caller.id, pool_id=pool_id, body=body)
    return JSONResponse(answers.pool(pool, caller.id, with_type=True))


@router.get(
    "/{pool_id}/quality-events",
    response_model=PageOut[QualityEventOut],
    openapi_extra=search_doc(history.SEARCH),
)
def find_quality_events(
    pool_id: str, ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)
) -> JSONResponse:
    """What the quality-control rules of a pool (or training) and of its project did: a kvorum
    extension. Each item names the worker, the collector and rule, the collector's values, the
    action and its outcome."""
    found = history.find(ctx, caller=caller.id, pool_id=pool_id, params=params)
    return JSONResponse(answers.page(found, answers.quality_event))


add_action_routes(router, REGULAR_POOL, ("open", "close", "close-for-update", "archive"))
