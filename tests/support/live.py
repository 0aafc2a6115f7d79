"""A live `kvorum serve` subprocess on a fresh database, and a sync-style facade for the async client."""

import asyncio
import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from toloka.async_client import AsyncTolokaClient

from tests.support.databases import Databases

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class LiveServer:
    backend: str
    url: str
    token: str
    log_path: Path
    process: subprocess.Popen[bytes]
    database_url: str


def fresh_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AbstractContextManager[str]:
    """A fresh database from the suite's `databases` fixture; a session-scoped request works as well."""
    databases: Databases = request.getfixturevalue("databases")
    return databases.fresh(backend, tmp_path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _kvorum(*args: str) -> list[str]:
    return [sys.executable, "-m", "kvorum", *args]


def create_account(database_url: str, kind: str, name: str, *options: str) -> str:
    """`kvorum requester|worker create NAME [options]`; the token is the last stdout line."""
    env = {**os.environ, "KVORUM_DATABASE_URL": database_url}
    command = _kvorum(kind, "create", name, *options)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, f"{kind} create failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip().splitlines()[-1].strip()


def create_requester(database_url: str, name: str = "alice") -> str:
    return create_account(database_url, "requester", name)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kvorum serve exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"kvorum serve not ready after {READY_TIMEOUT_S} s:\n{log_path.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_S)


@contextmanager
def running_server(
    backend: str,
    database_url: str,
    log_dir: Path,
    env: dict[str, str] | None = None,
    token: str | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[LiveServer]:
    """`kvorum serve` on a free port until the block ends; a new requester's token unless one is given."""
    token = token or create_requester(database_url)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / f"kvorum-serve-{port}.log"
    serve = _kvorum(
        "serve", "--host", "127.0.0.1", "--port", str(port), "--database-url", database_url, *extra_args
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            serve, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=log_dir
        )
    try:
        _wait_ready(url, process, log_path)
        yield LiveServer(
            backend=backend,
            url=url,
            token=token,
            log_path=log_path,
            process=process,
            database_url=database_url,
        )
    finally:
        _stop(process)


@contextmanager
def live_server_on_fresh_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    with (
        fresh_database(backend, request, tmp_path) as database_url,
        running_server(backend, database_url, tmp_path, env) as server,
    ):
        yield server


async def _collect(generator: Any) -> list[Any]:
    return [item async for item in generator]


class AsyncFacade:
    """Calls an AsyncTolokaClient like the sync one: each coroutine runs to completion on one loop.

    The loop lives as long as the test (the async client caches one httpx session per loop).
    Async-generator methods (`get_pools`, ...) come back as lists.
    """

    def __init__(self, client: AsyncTolokaClient, runner: asyncio.Runner) -> None:
        self._client = client
        self._runner = runner

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.isasyncgen(result) or hasattr(result, "__aiter__"):
                return self._runner.run(_collect(result))
            if inspect.isawaitable(result):
                return self._runner.run(result)  # type: ignore[arg-type]
            return result

        return call
