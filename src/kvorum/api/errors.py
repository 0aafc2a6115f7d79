"""Every failure leaves as a Toloka error body: {request_id, code, message, payload}."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kvorum.services.errors import DomainError

log = logging.getLogger("kvorum.api")

PYDANTIC_CODES = {
    "missing": "VALUE_REQUIRED",
    "int_type": "INTEGER_EXPECTED",
    "int_parsing": "INTEGER_EXPECTED",
    "int_from_float": "INTEGER_EXPECTED",
    "float_type": "FLOAT_EXPECTED",
    "float_parsing": "FLOAT_EXPECTED",
    "bool_type": "BOOLEAN_EXPECTED",
    "bool_parsing": "BOOLEAN_EXPECTED",
    "string_type": "STRING_EXPECTED",
    "string_too_short": "STRING_LENGTH_LESS_THAN_MIN",
    "string_too_long": "STRING_LENGTH_GREATER_THAN_MAX",
    "greater_than": "VALUE_LESS_THAN_MIN",
    "greater_than_equal": "VALUE_LESS_THAN_MIN",
    "less_than": "VALUE_GREATER_THAN_MAX",
    "less_than_equal": "VALUE_GREATER_THAN_MAX",
    "literal_error": "UNKNOWN_ENUM_VALUE",
    "enum": "UNKNOWN_ENUM_VALUE",
    "dict_type": "OBJECT_EXPECTED",
    "model_type": "OBJECT_EXPECTED",
    "model_attributes_type": "OBJECT_EXPECTED",
    "list_type": "ARRAY_EXPECTED",
    "too_short": "ARRAY_SIZE_LESS_THAN_MIN",
    "too_long": "ARRAY_SIZE_GREATER_THAN_MAX",
    "datetime_type": "INVALID_DATE_TIME_SYNTAX",
    "datetime_parsing": "INVALID_DATE_TIME_SYNTAX",
    "datetime_from_date_parsing": "INVALID_DATE_TIME_SYNTAX",
    "json_invalid": "JSON_EXPECTED",
    "json_type": "JSON_EXPECTED",
    "uuid_type": "UUID_EXPECTED",
    "uuid_parsing": "UUID_EXPECTED",
    "value_error": "INVALID_VALUE",
    "assertion_error": "INVALID_VALUE",
}


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


def error_body(rid: str, code: str, message: str, payload: Any = None) -> dict[str, Any]:
    return {"request_id": rid, "code": code, "message": message, "payload": payload}


def error_response(
    request: Request, status: int, code: str, message: str, payload: Any = None
) -> JSONResponse:
    return JSONResponse(error_body(request_id(request), code, message, payload), status_code=status)


def field_path(loc: Sequence[int | str]) -> str:
    """('body', 'filter', 'and', 0) -> 'filter.and.0'; the whole body is 'body'."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts[:1]
    return ".".join(str(part) for part in parts)


def validation_payload(errors: Sequence[Any]) -> dict[str, dict[str, str]]:
    """Pydantic errors -> {"dotted.path": {"code", "message"}}; the first error per path wins."""
    payload: dict[str, dict[str, str]] = {}
    for error in errors:
        kind = str(error.get("type", ""))
        code = PYDANTIC_CODES.get(kind, kind if kind.isupper() else "INVALID_VALUE")
        path = field_path(error.get("loc", ()))
        message = str(error.get("msg", "invalid value"))
        if kind == "missing" and path == "body":
            code, message = "NOT_NULL_BODY", "a JSON request body is required"
        payload.setdefault(path, {"code": code, "message": message})
    return payload


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into a Toloka error body."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.payload)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        payload = validation_payload(exc.errors())
        if any(entry["code"] == "JSON_EXPECTED" for entry in payload.values()):
            return error_response(
                request, 400, "VALIDATION_ERROR", "The request body is not valid JSON", payload
            )
        return error_response(request, 400, "VALIDATION_ERROR", "Validation failed", payload)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response(request, 404, "DOES_NOT_EXIST", f"No such resource: {request.url.path}")
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
            return error_response(request, 405, "METHOD_NOT_ALLOWED", message)
        return error_response(request, exc.status_code, "HTTP_ERROR", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request_id=%s unhandled error", request_id(request), exc_info=exc)
        return error_response(
            request, 500, "INTERNAL_ERROR", "Internal error; the request id is in the server log"
        )
