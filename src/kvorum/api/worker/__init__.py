"""The worker API, /api/worker/v1: what a worker's client (or the web pages) calls."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from kvorum.api.auth import context
from kvorum.services.accounts import workers
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import service as assignments
from kvorum.services.errors import AuthenticationFailed
from kvorum.services.issuing import service as issuing


def worker(request: Request) -> Worker:
    """The worker the `Authorization: Bearer <token>` header names."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Send 'Authorization: Bearer <worker token>'")
    return workers.authenticate(context(request), token=token.strip())


CurrentWorker = Annotated[Worker, Depends(worker)]
router = APIRouter(prefix="/api/worker/v1", tags=["worker"])


@router.get("/me")
def get_me(me: CurrentWorker, request: Request) -> dict[str, Any]:
    """The signed-in worker's profile, skills and earnings."""
    return workers.me(context(request), me)


@router.get("/pools")
def get_pools(me: CurrentWorker, request: Request) -> list[dict[str, Any]]:
    """Pools and trainings this worker may take now, trainings first, then by priority."""
    return issuing.available_pools(context(request), worker=me)


@router.post("/pools/{pool_id}/assignments", status_code=201)
def take_assignment(pool_id: str, me: CurrentWorker, request: Request) -> JSONResponse:
    """Issue a task suite of the pool: 201 with the ACTIVE assignment, or 404/409 when there is none."""
    return JSONResponse(issuing.issue(context(request), worker=me, pool_id=pool_id), status_code=201)


@router.get("/assignments/{assignment_id}")
def get_assignment(assignment_id: str, me: CurrentWorker, request: Request) -> dict[str, Any]:
    """One of this worker's assignments."""
    return assignments.get_for_worker(context(request), worker=me, assignment_id=assignment_id)


@router.post("/assignments/{assignment_id}/submit")
async def submit_assignment(assignment_id: str, me: CurrentWorker, request: Request) -> dict[str, Any]:
    """Submit {"solutions": [{"output_values": {...}}, ...]}, one per task in order."""
    raw = await request.body()
    return await run_in_threadpool(
        assignments.submit, context(request), worker=me, assignment_id=assignment_id, raw=raw
    )


@router.post("/assignments/{assignment_id}/skip")
def skip_assignment(assignment_id: str, me: CurrentWorker, request: Request) -> dict[str, Any]:
    """Give the assignment back without answering."""
    return assignments.skip(context(request), worker=me, assignment_id=assignment_id)
