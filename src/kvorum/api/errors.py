"""Every failure leaves as a Toloka error body: {request_id, code, message, payload}."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kvorum.services.errors import DomainError, validation_payload

log = logging.getLogger("kvorum.api")


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


def error_body(rid: str, code: str, message: str, payload: Any = None) -> dict[str, Any]:
    return {"request_id": rid, "code": code, "message": message, "payload": payload}


def error_response(
    request: Request, status: int, code: str, message: str, payload: Any = None
) -> JSONResponse:
    return JSONResponse(error_body(request_id(request), code, message, payload), status_code=status)


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """An unknown path or method, as the Toloka error body."""
    if exc.status_code == 404:
        return error_response(request, 404, "DOES_NOT_EXIST", f"No such resource: {request.url.path}")
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request, 405, "METHOD_NOT_ALLOWED", message)
    return error_response(request, exc.status_code, "HTTP_ERROR", str(exc.detail))


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

    app.exception_handler(HTTPException)(http_error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request_id=%s unhandled error", request_id(request), exc_info=exc)
        return error_response(
            request, 500, "INTERNAL_ERROR", "Internal error; the request id is in the server log"
        )
