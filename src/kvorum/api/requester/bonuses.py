from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.bodies import body_doc
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.api.requester.creation import Params, create, created_doc
from kvorum.schemas.bonus_out import UserBonusOut
from kvorum.schemas.page import PageOut
from kvorum.schemas.task_out import Batch
from kvorum.services.workforce import bonuses

router = APIRouter(tags=["user bonuses"], responses=ERROR_RESPONSES)


@router.post(
    "/user-bonuses",
    status_code=201,
    openapi_extra=body_doc("UserBonusIn", many=True),
    responses=created_doc(UserBonusOut | Batch[UserBonusOut]),
)
async def create_user_bonuses(request: Request, ctx: Ctx, caller: Caller, params: Params) -> Response:
    """Give workers bonuses, each optionally for one of the worker's assignments in the caller's
    pools: 201 with them, or (async_mode=true) 202 with a USER_BONUS.BATCH_CREATE operation."""
    return await create(request, ctx, caller, params, bonuses.BATCH_CREATE)


@router.get("/user-bonuses", response_model=PageOut[UserBonusOut], openapi_extra=search_doc(bonuses.SEARCH))
def find_user_bonuses(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the bonuses the caller gave."""
    return JSONResponse(answers.page(bonuses.find(ctx, caller=caller.id, params=params), bonuses.render))


@router.get("/user-bonuses/{bonus_id}", response_model=UserBonusOut)
def get_user_bonus(bonus_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    return JSONResponse(bonuses.render(bonuses.get(ctx, caller=caller.id, bonus_id=bonus_id)))
