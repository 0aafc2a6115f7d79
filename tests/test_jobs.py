"""The background jobs in a process of their own: nothing but the job runner is imported there."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

import kvorum
from kvorum.services.context import Context

RUN_ONCE = """
import sys

from kvorum.clock import Clock
from kvorum.jobs.runner import Runner
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db

settings = Settings(database_url=sys.argv[1])
context = Context(db=db.Database(db.create(settings.database_url)), clock=Clock(), settings=settings)
ran = Runner(context).run_once()
context.db.dispose()
edge = sorted(name for name in sys.modules if name.startswith(("kvorum.api", "kvorum.app", "fastapi")))
print(ran, edge)
"""


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def environment() -> dict[str, str]:
    """This process's environment, importing the same kvorum as the tests do."""
    source = str(Path(kvorum.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}


def stored_operation(api: TestClient, ctx: Context, pool: dict[str, Any], count: int) -> str:
    """An async batch of `count` tasks, stored for the background runner."""
    ctx.settings.inline_operation_items = count - 1
    image = "https://img.example/{}.png"
    tasks = [{"pool_id": pool["id"], "input_values": {"image": image.format(n)}} for n in range(count)]
    response = api.post(
        "/api/v1/tasks",
        params={"async_mode": "true", "allow_defaults": "true"},
        content=orjson.dumps(tasks),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "PENDING"
    return str(response.json()["id"])


def test_a_process_with_only_the_job_runner_runs_a_stored_operation(
    api: TestClient, ctx: Context, pool: dict[str, Any], database_url: str
) -> None:
    operation_id = stored_operation(api, ctx, pool, 30_000)
    result = subprocess.run(
        python("-c", RUN_ONCE, database_url),
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=1) == ["1", "[]\n"], result.stdout + result.stderr
    operation = api.get(f"/api/v1/operations/{operation_id}").json()
    assert operation["status"] == "SUCCESS", operation
    assert operation["details"]["success_count"] == 30_000
    log = api.get(f"/api/v1/operations/{operation_id}/log").json()
    assert len(log) == 30_000 and all(item["type"] == "TASK_CREATE" for item in log)
    found = api.get("/api/v1/tasks", params={"pool_id": pool["id"], "limit": 100_000}).json()
    assert len(found["items"]) == 30_000 and not found["has_more"]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_kvorum_jobs_runs_operations_until_a_signal(
    api: TestClient, ctx: Context, pool: dict[str, Any], database_url: str, stop: signal.Signals
) -> None:
    operation_id = stored_operation(api, ctx, pool, 10)
    command = python("-c", "from kvorum.cli import main; main()", "jobs", "--database-url", database_url)
    process = subprocess.Popen(
        command, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while api.get(f"/api/v1/operations/{operation_id}").json()["status"] != "SUCCESS":
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the operation did not run"
            time.sleep(0.2)
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "running background jobs" in stderr
