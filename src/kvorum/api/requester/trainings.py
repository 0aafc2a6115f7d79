from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, created, query, search_doc
from kvorum.api.requester.lifecycle import add_action_routes
from kvorum.schemas.page import PageOut
from kvorum.schemas.training import TrainingIn
from kvorum.schemas.training_out import TrainingOut
from kvorum.services.pools import service as pools
from kvorum.services.pools.types import TRAINING_POOL

router = APIRouter(prefix="/trainings", tags=["trainings"], responses=ERROR_RESPONSES)


@router.post(
    "",
    status_code=201,
    response_model=TrainingOut,
    responses={429: {"description": "TOO_MANY_REQUESTS: a creation quota"}},
)
def create_training(body: TrainingIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Create a training; it starts CLOSED."""
    training = pools.create(ctx, caller=caller.id, pool_type=TRAINING_POOL, body=body)
    return created(answers.pool(training, caller.id, with_type=False))


@router.get("", response_model=PageOut[TrainingOut], openapi_extra=search_doc(TRAINING_POOL.search))
def find_trainings(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the caller's trainings."""
    found = pools.find(ctx, caller=caller.id, pool_type=TRAINING_POOL, params=params)
    return JSONResponse(
        answers.page(found, lambda training: answers.pool(training, caller.id, with_type=False))
    )


@router.get("/{pool_id}", response_model=TrainingOut)
def get_training(pool_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    """One training."""
    training = pools.get(ctx, caller=caller.id, pool_type=TRAINING_POOL, pool_id=pool_id)
    return JSONResponse(answers.pool(training, caller.id, with_type=False))


@router.put("/{pool_id}", response_model=TrainingOut)
def update_training(pool_id: str, body: TrainingIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Replace a training's settings; an archived training cannot be changed."""
    training = pools.update(ctx, caller=caller.id, pool_type=TRAINING_POOL, pool_id=pool_id, body=body)
    return JSONResponse(answers.pool(training, caller.id, with_type=False))


add_action_routes(router, TRAINING_POOL, ("open", "close", "archive"))
