"""What the requester routes share: the caller, the context, search parameter docs, responses."""

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse

from kvorum.api.auth import context, requester
from kvorum.schemas.operation import OperationOut
from kvorum.schemas.rendered import RenderedJson
from kvorum.services.accounts.requesters import Requester
from kvorum.services.context import Context
from kvorum.services.operations import Operation
from kvorum.services.search import SearchSpec

Caller = Annotated[Requester, Depends(requester)]
Ctx = Annotated[Context, Depends(context)]

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "VALIDATION_ERROR: payload maps each bad field path to {code, message}"},
    401: {"description": "AUTHENTICATION_ERROR: missing or unknown token"},
    404: {"description": "DOES_NOT_EXIST: no such object for this requester"},
}


def search_doc(spec: SearchSpec) -> dict[str, Any]:
    """OpenAPI parameters of a search endpoint, generated from the spec the endpoint enforces."""
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "equals",
        }
        for name in spec.exact
    ]
    for name in spec.ranges:
        for suffix in ("gt", "gte", "lt", "lte"):
            parameters.append(
                {"name": f"{name}_{suffix}", "in": "query", "required": False, "schema": {"type": "string"}}
            )
    parameters.append(
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": f"comma-separated keys of {', '.join(sorted(spec.sorts))}; '-' for descending",
        }
    )
    parameters.append(
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {
                "type": "integer",
                "default": spec.default_limit,
                "maximum": spec.max_limit,
                "minimum": 1,
            },
        }
    )
    return {"parameters": parameters}


def query(request: Request) -> dict[str, str]:
    return dict(request.query_params)


def created(body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=201)


def operation_out(operation: Operation) -> OperationOut:
    return OperationOut.model_validate(operation)


def accepted(operation: Operation | None) -> Response:
    """202 with the operation, or 204 when the action had nothing to do."""
    if operation is None:
        return Response(status_code=204)
    return JSONResponse(operation_out(operation).model_dump(mode="json", exclude_none=True), status_code=202)


def json_text(text: RenderedJson, status_code: int = 200) -> Response:
    """An answer whose JSON the service assembled."""
    return Response(text, status_code=status_code, media_type="application/json")
