from typing import Any

from fastapi import APIRouter, Depends, Response

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, json_text, query, search_doc
from kvorum.services import operations

router = APIRouter(prefix="/operations", tags=["operations"], responses=ERROR_RESPONSES)


@router.get("", openapi_extra=search_doc(operations.SEARCH))
def find_operations(ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)) -> dict[str, Any]:
    """Search the caller's operations."""
    return operations.find(ctx, caller=caller.id, params=params)


@router.get("/{operation_id}")
def get_operation(operation_id: str, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    """One operation; poll it until its status is SUCCESS or FAIL."""
    return operations.get(ctx, caller=caller.id, operation_id=operation_id)


@router.get("/{operation_id}/log")
def get_operation_log(operation_id: str, ctx: Ctx, caller: Caller) -> Response:
    """The operation's log: a bare array, one item per input object."""
    return json_text(operations.log(ctx, caller=caller.id, operation_id=operation_id))
