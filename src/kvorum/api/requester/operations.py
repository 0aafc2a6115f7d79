from fastapi import APIRouter, Depends, Response

from kvorum.api.requester.common import (
    ERROR_RESPONSES,
    Caller,
    Ctx,
    json_text,
    operation_out,
    query,
    search_doc,
)
from kvorum.schemas.operation import OperationLog, OperationOut
from kvorum.schemas.page import PageOut
from kvorum.services import operations

router = APIRouter(prefix="/operations", tags=["operations"], responses=ERROR_RESPONSES)


@router.get("", openapi_extra=search_doc(operations.SEARCH), response_model_exclude_none=True)
def find_operations(
    ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)
) -> PageOut[OperationOut]:
    """Search the caller's operations."""
    found = operations.find(ctx, caller=caller.id, params=params)
    return PageOut(items=[operation_out(operation) for operation in found.items], has_more=found.has_more)


@router.get("/{operation_id}", response_model_exclude_none=True)
def get_operation(operation_id: str, ctx: Ctx, caller: Caller) -> OperationOut:
    """One operation; poll it until its status is SUCCESS or FAIL."""
    return operation_out(operations.get(ctx, caller=caller.id, operation_id=operation_id))


@router.get("/{operation_id}/log", responses={200: {"model": OperationLog}})
def get_operation_log(operation_id: str, ctx: Ctx, caller: Caller) -> Response:
    """The operation's log: a bare array, one item per input object."""
    return json_text(operations.log(ctx, caller=caller.id, operation_id=operation_id))
