"""Projects: the task interface (task_spec) and project-wide quality control."""

from typing import Any

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.schemas.project import ProjectIn
from kvorum.services import operations, quotas
from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems
from kvorum.services.projects.model import Project
from kvorum.services.quality.config import check_quality_control
from kvorum.services.quality.model import with_uuids
from kvorum.store import pools as pool_store
from kvorum.store import projects as store

SEARCH = search_rules.SearchSpec(
    exact={"status": search_rules.one_of("ACTIVE", "ARCHIVED")},
    ranges={"id": search_rules.numeric_id, "created": search_rules.date_time},
    sorts=frozenset({"id", "created", "public_name", "private_comment"}),
    default_limit=20,
    max_limit=300,
)


def load(conn: Connection, *, caller: int, project_id: str | int, lock: bool = False) -> Project:
    """The caller's project, or DOES_NOT_EXIST (another requester's project does not exist for them)."""
    key = parse_id(project_id)
    row = None if key is None else store.get(conn, owner_id=caller, project_id=key, lock=lock)
    if row is None:
        raise NotFound(f"Project {project_id} does not exist")
    return Project.from_row(row)


def _check(conn: Connection, caller: int, body: ProjectIn, project_id: int | None) -> None:
    problems = Problems()
    if body.quality_control is not None:
        check_quality_control(
            conn, caller=caller, qc=body.quality_control, project_id=project_id, problems=problems
        )
    problems.raise_if_any()


def _stored(body: ProjectIn) -> dict[str, Any]:
    stored = body.stored()
    if stored.get("quality_control"):
        stored["quality_control"] = with_uuids(stored["quality_control"])
    return stored


def create(ctx: Context, *, caller: int, body: ProjectIn) -> Project:
    with ctx.db.write() as conn:
        quotas.charge(ctx, conn, requester_id=caller, action="project_create")
        _check(conn, caller, body, None)
        project_id = store.insert_project(conn, owner_id=caller, spec=_stored(body), now=ctx.clock.now())
        return load(conn, caller=caller, project_id=project_id)


def get(ctx: Context, *, caller: int, project_id: str) -> Project:
    with ctx.db.read() as conn:
        return load(conn, caller=caller, project_id=project_id)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> search_rules.Page[Project]:
    return search_rules.fetch_page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find(conn, owner_id=caller, search=search),
        Project.from_row,
    )


def update(ctx: Context, *, caller: int, project_id: str, body: ProjectIn) -> Project:
    with ctx.db.write() as conn:
        project = load(conn, caller=caller, project_id=project_id, lock=True)
        if project.status == "ARCHIVED":
            raise Conflict(f"Project {project_id} is archived and cannot be changed")
        _check(conn, caller, body, project.id)
        store.replace_spec(conn, project_id=project.id, spec=_stored(body))
        return load(conn, caller=caller, project_id=project.id)


def archive(ctx: Context, *, caller: int, project_id: str) -> operations.Operation:
    """Archive a project whose pools and trainings are all archived; the finished PROJECT.ARCHIVE
    operation."""
    with ctx.db.write() as conn:
        project = load(conn, caller=caller, project_id=project_id, lock=True)
        rows = pool_store.of_project(conn, project_id=project.id)
        live = [str(row.id) for row in rows if row.status != "ARCHIVED"]
        if live:
            raise Conflict(
                f"Archive the project's pools and trainings first: {', '.join(live)} are not archived",
                {"pool_ids": live},
            )
        store.set_status(conn, project_id=project.id, status="ARCHIVED")
        return operations.record_finished(
            ctx, conn, owner_id=caller, type="PROJECT.ARCHIVE", parameters={"project_id": str(project.id)}
        )


def require_active(conn: Connection, *, caller: int, project_id: str, path: str) -> Project:
    """The project a pool or training is created in: it must exist, be the caller's and be active."""
    row = store.get(conn, owner_id=caller, project_id=int(project_id))
    if row is None:
        problems = Problems()
        problems.add(path, "ENTITY_DOES_NOT_EXIST", f"project {project_id} does not exist")
        problems.raise_if_any()
    assert row is not None
    if row.status == "ARCHIVED":
        raise Conflict(f"Project {project_id} is archived")
    return Project.from_row(row)
