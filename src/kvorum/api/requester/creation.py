"""The create endpoints of tasks and task suites share their query parameters and answers."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from kvorum.services.accounts.requesters import Requester
from kvorum.services.bulk import run as batch
from kvorum.services.context import Context


class CreateQuery(BaseModel):
    """Query parameters of POST /tasks and /task-suites."""

    model_config = ConfigDict(extra="forbid")

    async_mode: bool = False
    allow_defaults: bool = False
    skip_invalid_items: bool = False
    open_pool: bool = False
    operation_id: UUID | None = None


Params = Annotated[CreateQuery, Query()]


async def create(
    request: Request, ctx: Context, caller: Requester, query: CreateQuery, kind: batch.ObjectKind
) -> Response:
    """202 with the operation (async_mode), or 201 with the created objects."""
    raw = await request.body()
    params = batch.CreateParams(
        async_mode=query.async_mode,
        allow_defaults=query.allow_defaults,
        skip_invalid_items=query.skip_invalid_items,
        open_pool=query.open_pool,
        operation_id=str(query.operation_id) if query.operation_id else None,
    )
    if params.async_mode:
        operation = await run_in_threadpool(
            batch.submit, ctx, caller=caller.id, kind=kind, raw=raw, params=params
        )
        return JSONResponse(operation, status_code=202)
    text = await run_in_threadpool(batch.create_now, ctx, caller=caller.id, kind=kind, raw=raw, params=params)
    return Response(text, status_code=201, media_type="application/json")
