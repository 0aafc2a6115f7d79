"""The create endpoints of tasks and task suites share their query parameters and answers."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from kvorum.api.requester.common import accepted, json_text
from kvorum.schemas.operation import OperationOut
from kvorum.services.accounts.requesters import Requester
from kvorum.services.bulk import running
from kvorum.services.bulk.bulk_type import BulkType
from kvorum.services.bulk.params import CreateParams
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


def created_doc(answer: object) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a create endpoint whose 201 answer is `answer`."""
    return {
        201: {"model": answer, "description": "the object, or {items, validation_errors} for an array"},
        202: {"model": OperationOut, "description": "async_mode=true: the operation"},
    }


async def create(
    request: Request, ctx: Context, caller: Requester, query: CreateQuery, bulk_type: BulkType[Any]
) -> Response:
    """202 with the operation (async_mode), or 201 with the created objects."""
    raw = await request.body()
    params = CreateParams(
        async_mode=query.async_mode,
        allow_defaults=query.allow_defaults,
        skip_invalid_items=query.skip_invalid_items,
        open_pool=query.open_pool,
        operation_id=str(query.operation_id) if query.operation_id else None,
    )
    if params.async_mode:
        operation = await run_in_threadpool(
            running.submit, ctx, caller=caller.id, bulk_type=bulk_type, raw=raw, params=params
        )
        return accepted(operation)
    text = await run_in_threadpool(
        running.create_now, ctx, caller=caller.id, bulk_type=bulk_type, raw=raw, params=params
    )
    return json_text(text, status_code=201)
