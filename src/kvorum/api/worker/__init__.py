"""The worker API, /api/worker/v1: what a worker's client (or the web pages) calls."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from kvorum.api.auth import context
from kvorum.services import workers
from kvorum.services.errors import AuthenticationFailed
from kvorum.services.workers import Worker


def worker(request: Request) -> Worker:
    """The worker the `Authorization: Bearer <token>` header names."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Send 'Authorization: Bearer <worker token>'")
    return workers.authenticate(context(request), token=token.strip())


CurrentWorker = Annotated[Worker, Depends(worker)]
router = APIRouter(prefix="/api/worker/v1", tags=["worker"])


@router.get("/me")
def get_me(me: CurrentWorker) -> dict[str, Any]:
    """The signed-in worker's profile."""
    return workers.me(me)
