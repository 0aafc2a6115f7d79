from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, accepted, created, query, search_doc
from kvorum.schemas.project import ProjectIn
from kvorum.services.projects import service as projects

router = APIRouter(prefix="/projects", tags=["projects"], responses=ERROR_RESPONSES)


@router.post("", status_code=201)
def create_project(body: ProjectIn, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Create a project."""
    return created(projects.create(ctx, caller=caller.id, body=body))


@router.get("", openapi_extra=search_doc(projects.SEARCH))
def find_projects(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> dict[str, Any]:
    """Search the caller's projects."""
    return projects.find(ctx, caller=caller.id, params=params)


@router.get("/{project_id}")
def get_project(project_id: str, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """One project."""
    return projects.get(ctx, caller=caller.id, project_id=project_id)


@router.put("/{project_id}")
def update_project(project_id: str, body: ProjectIn, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """Replace a project's settings."""
    return projects.update(ctx, caller=caller.id, project_id=project_id, body=body)


@router.post("/{project_id}/archive", status_code=202)
def archive_project(project_id: str, ctx: Ctx, caller: Caller) -> JSONResponse:
    """Archive a project whose pools and trainings are archived; answers a PROJECT.ARCHIVE operation."""
    response = accepted(projects.archive(ctx, caller=caller.id, project_id=project_id))
    assert isinstance(response, JSONResponse)
    return response
