from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.schemas.bonus import UserBonusIn
from kvorum.schemas.bonus_out import UserBonusOut
from kvorum.schemas.page import PageOut
from kvorum.services.workforce import bonuses

router = APIRouter(tags=["user bonuses"], responses=ERROR_RESPONSES)


@router.post("/user-bonuses", status_code=201, response_model=UserBonusOut)
def create_user_bonus(body: UserBonusIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Give a worker a bonus, optionally for one of their assignments in the caller's pools."""
    made = bonuses.create(ctx, caller=caller.id, body=body)
    return JSONResponse(answers.user_bonus(made), status_code=201)


@router.get("/user-bonuses", response_model=PageOut[UserBonusOut], openapi_extra=search_doc(bonuses.SEARCH))
def find_user_bonuses(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the bonuses the caller gave."""
    return JSONResponse(answers.page(bonuses.find(ctx, caller=caller.id, params=params), answers.user_bonus))


@router.get("/user-bonuses/{bonus_id}", response_model=UserBonusOut)
def get_user_bonus(bonus_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    return JSONResponse(answers.user_bonus(bonuses.get(ctx, caller=caller.id, bonus_id=bonus_id)))
