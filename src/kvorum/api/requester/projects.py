from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from kvorum.api.requester import answers
from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, accepted, created, query, search_doc
from kvorum.schemas.operation import OperationOut
from kvorum.schemas.page import PageOut
from kvorum.schemas.project import ProjectIn
from kvorum.schemas.project_out import ProjectOut
from kvorum.services.projects import service as projects

router = APIRouter(prefix="/projects", tags=["projects"], responses=ERROR_RESPONSES)


@router.post("", status_code=201, response_model=ProjectOut)
def create_project(body: ProjectIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Create a project."""
    return created(answers.project(projects.create(ctx, caller=caller.id, body=body), caller.id))


@router.get("", response_model=PageOut[ProjectOut], openapi_extra=search_doc(projects.SEARCH))
def find_projects(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> JSONResponse:
    """Search the caller's projects."""
    found = projects.find(ctx, caller=caller.id, params=params)
    return JSONResponse(answers.page(found, lambda project: answers.project(project, caller.id)))


@router.get("/{project_id}", response_model=ProjectOut)
def get_project(project_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    """One project."""
    return JSONResponse(
        answers.project(projects.get(ctx, caller=caller.id, project_id=project_id), caller.id)
    )


@router.put("/{project_id}", response_model=ProjectOut)
def update_project(project_id: str, body: ProjectIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Replace a project's settings."""
    project = projects.update(ctx, caller=caller.id, project_id=project_id, body=body)
    return JSONResponse(answers.project(project, caller.id))


@router.post("/{project_id}/archive", status_code=202, response_model=OperationOut)
def archive_project(project_id: str, ctx: Ctx, caller: Caller) -> Response:
    """Archive a project whose pools and trainings are archived; answers a PROJECT.ARCHIVE operation."""
    return accepted(projects.archive(ctx, caller=caller.id, project_id=project_id))
