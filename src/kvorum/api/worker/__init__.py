"""The worker API, /api/worker/v1: what a worker's client (or the web pages) calls.

Answers leave out absent values (response_model_exclude_none), as Toloka's objects do.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from kvorum.api.auth import context
from kvorum.api.worker import views
from kvorum.schemas.assignment import Status
from kvorum.schemas.page import PageOut
from kvorum.schemas.worker_api import MeOut, PoolOfferOut, SubmittedAssignmentOut, WorkerAssignmentOut
from kvorum.services.accounts import workers
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import lifecycle
from kvorum.services.errors import AuthenticationFailed
from kvorum.services.issuing import service as issuing


def worker(request: Request) -> Worker:
    """The worker the `Authorization: Bearer <token>` header names."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Send 'Authorization: Bearer <worker token>'")
    return workers.authenticate(context(request), token=token.strip())


CurrentWorker = Annotated[Worker, Depends(worker)]
MAX_PAGE = 500
router = APIRouter(prefix="/api/worker/v1", tags=["worker"])

# The routes are coroutines that run the service in the thread pool: FastAPI then checks the
# answer against its response model on the event loop, without a second trip to the pool.


@router.get("/me", response_model_exclude_none=True)
async def get_me(me: CurrentWorker, request: Request) -> MeOut:
    """The signed-in worker's profile, skills and earnings."""
    return views.me(await run_in_threadpool(workers.me, context(request), me))


@router.get("/pools", response_model_exclude_none=True)
async def get_pools(me: CurrentWorker, request: Request) -> list[PoolOfferOut]:
    """Pools and trainings this worker may take now, trainings first, then by priority."""
    offers = await run_in_threadpool(issuing.available_pools, context(request), worker=me)
    return [views.offer(offer) for offer in offers]


@router.post("/pools/{pool_id}/assignments", status_code=201, response_model_exclude_none=True)
async def take_assignment(pool_id: str, me: CurrentWorker, request: Request) -> WorkerAssignmentOut:
    """Issue a task suite of the pool: 201 with the ACTIVE assignment, or 404/409 when there is none."""
    return views.assignment(
        await run_in_threadpool(issuing.issue, context(request), worker=me, pool_id=pool_id)
    )


@router.get("/assignments", response_model_exclude_none=True)
async def list_assignments(
    me: CurrentWorker,
    request: Request,
    status: Status | None = None,
    id_gt: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> PageOut[WorkerAssignmentOut]:
    """This worker's own assignments, oldest first, optionally of one status; page on with `id_gt`."""
    return views.assignments(
        await run_in_threadpool(
            lifecycle.list_for_worker, context(request), worker=me, status=status, after=id_gt, limit=limit
        )
    )


@router.get("/assignments/{assignment_id}", response_model_exclude_none=True)
async def get_assignment(assignment_id: str, me: CurrentWorker, request: Request) -> WorkerAssignmentOut:
    """One of this worker's assignments."""
    return views.assignment(
        await run_in_threadpool(
            lifecycle.get_for_worker, context(request), worker=me, assignment_id=assignment_id
        )
    )


@router.post("/assignments/{assignment_id}/submit", response_model_exclude_none=True)
async def submit_assignment(
    assignment_id: str, me: CurrentWorker, request: Request
) -> SubmittedAssignmentOut:
    """Submit {"solutions": [{"output_values": {...}}, ...]}, one per task in order."""
    raw = await request.body()
    return views.submitted(
        await run_in_threadpool(
            lifecycle.submit, context(request), worker=me, assignment_id=assignment_id, raw=raw
        )
    )


@router.post("/assignments/{assignment_id}/skip", response_model_exclude_none=True)
async def skip_assignment(assignment_id: str, me: CurrentWorker, request: Request) -> WorkerAssignmentOut:
    """Give the assignment back without answering."""
    return views.assignment(
        await run_in_threadpool(lifecycle.skip, context(request), worker=me, assignment_id=assignment_id)
    )
