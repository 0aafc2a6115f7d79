"""ASGI middleware: a request id on every response and log line, and the body size limit."""

import json
import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kvorum.access")


class BodyTooLarge(Exception):
    pass


class RequestContext:
    """Gives each request an id (header `X-Request-Id`, error bodies, the log) and caps body size."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 0
        seen = 0
        too_large = self._declared_length(scope) > self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    too_large = True
                    raise BodyTooLarge
            return message

        async def send_with_id(message: Message) -> None:
            """Adds the request id; once the body is known to be too large, only the 413 goes out."""
            nonlocal status
            if message["type"] == "http.response.start":
                if too_large and status == 0:
                    status = 413
                    await self._too_large(rid, send)
                    return
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            if status != 413 or not too_large:
                await send(message)

        try:
            if too_large:
                await send_with_id({"type": "http.response.start", "status": 413, "headers": []})
                return
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            if status == 0:
                await send_with_id({"type": "http.response.start", "status": 413, "headers": []})
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info(
                "request_id=%s %s %s %s %.1fms",
                rid,
                scope["method"],
                scope["path"],
                status or "-",
                elapsed_ms,
            )

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0

    async def _too_large(self, rid: str, send: Send) -> None:
        body: dict[str, Any] = {
            "request_id": rid,
            "code": "PAYLOAD_TOO_LARGE",
            "message": f"The request body exceeds {self.max_body_bytes} bytes",
            "payload": {"max_body_bytes": self.max_body_bytes},
        }
        encoded = json.dumps(body).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(encoded)).encode()),
            (b"x-request-id", rid.encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": encoded})
