"""Workers on the worker API of a live server, and the server's settable clock (KVORUM_TIME_TRAVEL)."""

from collections.abc import Callable
from functools import cached_property
from typing import Any

import httpx

from tests.support.live import LiveServer, create_account

Answer = str | Callable[[dict[str, Any]], str]
"""One answer for every task of a suite, or the answer to each task."""


class Worker:
    """A worker account speaking the worker API (/api/worker/v1) over HTTP."""

    def __init__(self, server: LiveServer, name: str, output: str = "animal") -> None:
        token = create_account(server.database_url, "worker", name, "--languages", "EN")
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self.output = output
        """The output field the worker answers."""

    @cached_property
    def id(self) -> str:
        return str(self.me()["id"])

    def me(self) -> dict[str, Any]:
        return dict(self.http.get("/api/worker/v1/me").json())

    def take(self, pool_id: str) -> dict[str, Any] | None:
        response = self.http.post(f"/api/worker/v1/pools/{pool_id}/assignments")
        assert response.status_code in (201, 409), response.text
        return dict(response.json()) if response.status_code == 201 else None

    def submit(self, assignment: dict[str, Any], answer: Answer) -> dict[str, Any]:
        solutions = [
            {"output_values": {self.output: answer if isinstance(answer, str) else answer(task)}}
            for task in assignment["tasks"]
        ]
        response = self.http.post(
            f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def skip(self, assignment: dict[str, Any]) -> None:
        response = self.http.post(f"/api/worker/v1/assignments/{assignment['id']}/skip")
        assert response.status_code == 200, response.text


def advance(server: LiveServer, seconds: float) -> dict[str, Any]:
    """Move the server's clock forward and run the timers that fell due."""
    response = httpx.post(f"{server.url}/api/testing/advance-clock", json={"seconds": seconds})
    assert response.status_code == 200, response.text
    return dict(response.json())
