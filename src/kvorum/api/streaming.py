"""Streamed answers whose generator is closed however the response ends.

Starlette leaves a streamed body's iterator to the garbage collector when the client goes away
mid-answer. An export's generator holds a database cursor and its transaction, which must end at
once, not whenever a collection happens to run (the server collects cycles rarely, see app.py).
"""

from collections.abc import Generator

import anyio
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send


class ClosingStreamingResponse(StreamingResponse):
    """A StreamingResponse of a generator that is read in the thread pool and closed at the end."""

    def __init__(
        self, chunks: Generator[str, None, None], *, media_type: str, headers: dict[str, str]
    ) -> None:
        super().__init__(chunks, media_type=media_type, headers=headers)
        self._chunks = chunks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(self._chunks.close)
