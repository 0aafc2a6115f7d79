from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, created, query, search_doc
from kvorum.api.requester.lifecycle import add_action_routes
from kvorum.schemas.training import TrainingIn
from kvorum.services.pools import service as pools
from kvorum.services.pools.service import TRAINING

router = APIRouter(prefix="/trainings", tags=["trainings"], responses=ERROR_RESPONSES)


@router.post("", status_code=201, responses={429: {"description": "TOO_MANY_REQUESTS: a creation quota"}})
def create_training(body: TrainingIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Create a training; it starts CLOSED."""
    return created(pools.create(ctx, caller=caller.id, kind=TRAINING, body=body))


@router.get("", openapi_extra=search_doc(pools.SEARCH[TRAINING.name]))
def find_trainings(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> dict[str, Any]:
    """Search the caller's trainings."""
    return pools.find(ctx, caller=caller.id, kind=TRAINING, params=params)


@router.get("/{pool_id}")
def get_training(pool_id: str, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """One training."""
    return pools.get(ctx, caller=caller.id, kind=TRAINING, pool_id=pool_id)


@router.put("/{pool_id}")
def update_training(pool_id: str, body: TrainingIn, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """Replace a training's settings; an archived training cannot be changed."""
    return pools.update(ctx, caller=caller.id, kind=TRAINING, pool_id=pool_id, body=body)


add_action_routes(router, TRAINING, ("open", "close", "archive"))
