"""The live server as the crowd and its requester see it: the worker API, and requester calls
shaped as toloka-kit makes them.

One httpx.AsyncClient (one connection pool) carries every call, and a request hook refuses any
host but the one the run was pointed at.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from kvorum.simulate.errors import ConfigError, ServerError

LOCAL_HOST = "127.0.0.1"
DEFAULT_URL = f"http://{LOCAL_HOST}:8080"
TIMEOUT_S = 30.0
OPERATION_POLL_S = 0.2
OPERATION_POLLS = 300


def checked_url(url: str, *, explicit: bool) -> str:
    """The server's base URL; a URL that was not named explicitly must be 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--url: {url!r} is not an http(s) URL with a host")
    if not explicit and parts.hostname != LOCAL_HOST:
        raise ConfigError(f"the simulator targets {LOCAL_HOST} unless a server URL is given explicitly")
    return url.rstrip("/")


@dataclass(frozen=True, slots=True)
class Refusal:
    """A 4xx answer a worker can meet in normal work: nothing left, shut out, assignment gone."""

    status: int
    code: str
    message: str


class Server:
    """Calls to one kvorum server, as workers (Bearer tokens) and as a requester (OAuth token)."""

    def __init__(self, url: str, *, requester_token: str | None = None, connections: int = 32) -> None:
        self.url = url
        origin = httpx.URL(url)
        self._origin = (origin.scheme, origin.host, origin.port)
        self._requester = {"Authorization": f"OAuth {requester_token}"} if requester_token else {}
        self.http = httpx.AsyncClient(
            base_url=url,
            timeout=TIMEOUT_S,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            event_hooks={"request": [self._only_origin]},
        )

    async def _only_origin(self, request: httpx.Request) -> None:
        if (request.url.scheme, request.url.host, request.url.port) != self._origin:
            raise ServerError(f"refusing a request to {request.url}: the run targets {self.url} only")

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ServerError(f"{method} {self.url}{path}: cannot reach the server ({exc!r})") from None

    async def _expect(
        self, method: str, path: str, statuses: tuple[int, ...], unauthorized: str = "", **kwargs: Any
    ) -> Any:
        """The JSON of an answer with one of `statuses`; a ServerError (`unauthorized` on a 401) else."""
        response = await self._call(method, path, **kwargs)
        if response.status_code == 401 and unauthorized:
            raise ServerError(unauthorized)
        if response.status_code not in statuses:
            raise ServerError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    # The clock of a server started with KVORUM_TIME_TRAVEL=true.

    async def time_travel(self) -> bool:
        """Whether the server's clock can be moved (POST /api/testing/advance-clock exists)."""
        response = await self._call("POST", "/api/testing/advance-clock", json={"seconds": 0})
        return response.status_code == 200

    async def advance(self, seconds: float) -> None:
        await self._expect("POST", "/api/testing/advance-clock", (200,), json={"seconds": seconds})

    # The worker API.

    async def worker_id(self, token: str) -> str:
        unknown = f"{self.url} does not know the workers' tokens: were the accounts made in its database?"
        me = await self._expect(
            "GET", "/api/worker/v1/me", (200,), headers=_bearer(token), unauthorized=unknown
        )
        return str(me["id"])

    async def take(self, token: str, pool_id: str) -> dict[str, Any] | Refusal:
        path = f"/api/worker/v1/pools/{pool_id}/assignments"
        return await self._worker_step("POST", path, token, 201)

    async def submit(
        self, token: str, assignment_id: str, outputs: list[dict[str, Any]]
    ) -> dict[str, Any] | Refusal:
        body = {"solutions": [{"output_values": values} for values in outputs]}
        path = f"/api/worker/v1/assignments/{assignment_id}/submit"
        return await self._worker_step("POST", path, token, 200, json=body)

    async def skip(self, token: str, assignment_id: str) -> dict[str, Any] | Refusal:
        return await self._worker_step("POST", f"/api/worker/v1/assignments/{assignment_id}/skip", token, 200)

    async def _worker_step(
        self, method: str, path: str, token: str, ok: int, **kwargs: Any
    ) -> dict[str, Any] | Refusal:
        response = await self._call(method, path, headers=_bearer(token), **kwargs)
        if response.status_code == ok:
            return dict(response.json())
        if response.status_code in (404, 409):
            body = response.json()
            return Refusal(response.status_code, str(body.get("code")), str(body.get("message")))
        raise ServerError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")

    # Requester calls, shaped as toloka-kit 1.2.3 sends them.

    async def _as_requester(self, method: str, path: str, ok: int, **kwargs: Any) -> Any:
        return await self._expect(method, path, (ok,), headers=self._requester, **kwargs)

    async def create_project(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(await self._as_requester("POST", "/api/v1/projects", 201, json=body))

    async def create_pool(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(await self._as_requester("POST", "/api/v1/pools", 201, json=body))

    async def create_tasks(self, tasks: list[dict[str, Any]], operation_id: str) -> dict[str, Any]:
        """`create_tasks(..., open_pool=True)`: an async batch, then its operation polled to the end."""
        params = {
            "async_mode": "true",
            "allow_defaults": "true",
            "open_pool": "true",
            "operation_id": operation_id,
            "skip_invalid_items": "false",
        }
        operation = await self._as_requester("POST", "/api/v1/tasks", 202, json=tasks, params=params)
        return await self._finished(operation, "creating the tasks")

    async def _finished(self, operation: dict[str, Any], what: str) -> dict[str, Any]:
        """The operation polled until it ends (`wait_operation`); a ServerError unless it succeeded."""
        for _ in range(OPERATION_POLLS):
            if operation["status"] in ("SUCCESS", "FAIL"):
                break
            await asyncio.sleep(OPERATION_POLL_S)
            operation = await self._as_requester("GET", f"/api/v1/operations/{operation['id']}", 200)
        if operation["status"] != "SUCCESS":
            raise ServerError(f"{what} ended {operation['status']}: {operation}")
        return dict(operation)

    async def assignments(self, pool_id: str) -> AsyncIterator[dict[str, Any]]:
        """Every assignment of the pool, paged by id as toloka-kit's `get_assignments` does."""
        params: dict[str, str] = {"pool_id": pool_id, "sort": "id", "limit": "1000"}
        while True:
            page = await self._as_requester("GET", "/api/v1/assignments", 200, params=params)
            for item in page["items"]:
                yield item
            if not page["has_more"] or not page["items"]:
                return
            params["id_gt"] = page["items"][-1]["id"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
