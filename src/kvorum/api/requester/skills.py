from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, query, search_doc
from kvorum.schemas.page import PageOut
from kvorum.schemas.skill import SkillIn, UserSkillIn
from kvorum.schemas.skill_out import SkillOut, UserSkillOut
from kvorum.services.workforce import skills

router = APIRouter(tags=["skills"], responses=ERROR_RESPONSES)


@router.post("/skills", status_code=201, response_model=SkillOut)
def create_skill(body: SkillIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Make a skill whose values the caller sets by hand or by quality control."""
    made = skills.create(ctx, caller=caller.id, body=body)
    return JSONResponse(answers.skill(made, caller.id), status_code=201)


@router.get("/skills", response_model=PageOut[SkillOut], openapi_extra=search_doc(skills.SEARCH))
def find_skills(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the caller's skills, their trainings' skills included."""
    found = skills.find(ctx, caller=caller.id, params=params)
    return JSONResponse(answers.page(found, lambda item: answers.skill(item, caller.id)))


@router.get("/skills/{skill_id}", response_model=SkillOut)
def get_skill(skill_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    return JSONResponse(answers.skill(skills.get(ctx, caller=caller.id, skill_id=skill_id), caller.id))


@router.put("/skills/{skill_id}", response_model=SkillOut)
def update_skill(skill_id: str, body: SkillIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Replace a skill's settings."""
    updated = skills.update(ctx, caller=caller.id, skill_id=skill_id, body=body)
    return JSONResponse(answers.skill(updated, caller.id))


@router.put("/user-skills", status_code=201, response_model=UserSkillOut)
def set_user_skill(body: UserSkillIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Set a worker's value of one of the caller's skills, replacing the value held."""
    value = skills.set_value(ctx, caller=caller.id, body=body)
    return JSONResponse(answers.user_skill(value), status_code=201)


@router.get(
    "/user-skills", response_model=PageOut[UserSkillOut], openapi_extra=search_doc(skills.USER_SKILL_SEARCH)
)
def find_user_skills(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search workers' values of the caller's skills that have not expired."""
    found = skills.find_values(ctx, caller=caller.id, params=params)
    return JSONResponse(answers.page(found, answers.user_skill))


@router.get("/user-skills/{user_skill_id}", response_model=UserSkillOut)
def get_user_skill(user_skill_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    value = skills.get_value(ctx, caller=caller.id, user_skill_id=user_skill_id)
    return JSONResponse(answers.user_skill(value))


@router.delete("/user-skills/{user_skill_id}", status_code=204)
def delete_user_skill(user_skill_id: str, ctx: Ctx, caller: Caller) -> Response:
    """Take a worker's value away."""
    skills.delete_value(ctx, caller=caller.id, user_skill_id=user_skill_id)
    return Response(status_code=204)
