"""Workers taking and submitting assignments at once, against a live server.

    python bench/assignments.py [--workers 200] [--seconds 20] [--tasks 20000] [--think 1.0]
                                [--no-postgres]

A pool of `--tasks` real tasks with overlap 3 and a mixer of 5 real + 1 control task; `--workers`
simulated workers (HTTP clients on 127.0.0.1) each loop: take an assignment, submit it. Prints
completed assignments per second, p50/p99 latency of issuing and submitting, and the number of
tasks issued beyond their overlap (must be 0). The baseline in the same run is the server's
bare round trip (GET /api/worker/v1/me) under the same concurrency. Bounded in count and time.

Runs: SQLite with one and with two server processes, and PostgreSQL with two, each as a closed
loop (a worker submits at once, so the server is saturated and latency is what the queue makes
it); then SQLite with one and two processes where each worker spends `--think` seconds on a suite, as
people do, to show latency below saturation.
"""

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "compat")]

from live import create_requester, running_server  # noqa: E402

from helpers import mixer_pool, project_body  # noqa: E402
from kvorum.clock import Clock  # noqa: E402
from kvorum.schemas.worker import WorkerProfile  # noqa: E402
from kvorum.services.accounts import workers  # noqa: E402
from kvorum.services.context import Context  # noqa: E402
from kvorum.settings import Settings  # noqa: E402
from kvorum.store import db, migrate  # noqa: E402
from pgserver import PostgresServer  # noqa: E402

OVERLAP = 3
UNLIMITED = {f"KVORUM_QUOTA_TASK_CREATE_PER_{window}": "1000000000" for window in ("MINUTE", "DAY")}


class Connection:
    """A minimal keep-alive HTTP/1.1 client: 200 httpx clients would saturate the load generator's core."""

    def __init__(self, url: str, token: str) -> None:
        self._host, self._port = url.removeprefix("http://").split(":")
        self._auth = f"Authorization: Bearer {token}\r\n"
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, int(self._port))
        assert self._reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self._host}\r\n{self._auth}"
        head += f"Content-Length: {len(payload)}\r\n"
        if payload:
            head += "Content-Type: application/json\r\n"
        self._writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self._reader.readline()
        length = 0
        while (line := await self._reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        content = await self._reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(content) if content else None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def prepare(database_url: str, count: int) -> tuple[str, list[str]]:
    """A migrated database with a requester and `count` workers; their tokens."""
    engine = db.create(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    requester = create_requester(database_url)
    ctx = Context(
        db=db.Database(db.create(database_url)), clock=Clock(), settings=Settings(database_url=database_url)
    )
    tokens = [
        workers.create_worker(ctx, name=f"w{n}", profile=WorkerProfile(languages=["EN"]))[1]
        for n in range(count)
    ]
    ctx.db.dispose()
    return requester, tokens


def setup_pool(url: str, token: str, tasks: int) -> str:
    with httpx.Client(base_url=url, headers={"Authorization": f"OAuth {token}"}, timeout=120) as http:
        project = http.post("/api/v1/projects", json=project_body()).json()
        body = mixer_pool(project["id"], overlap=OVERLAP, assignment_max_duration_seconds=3600)
        body["mixer_config"] = {"real_tasks_count": 5, "golden_tasks_count": 1, "training_tasks_count": 0}
        pool_id = str(http.post("/api/v1/pools", json=body).json()["id"])
        real = [
            {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{n}.png"}}
            for n in range(tasks)
        ]
        golden = [
            {
                "pool_id": pool_id,
                "input_values": {"image": f"https://img.example/c{n}.png"},
                "known_solutions": [{"output_values": {"result": "cat"}}],
            }
            for n in range(200)
        ]
        for start in range(0, len(real), 10_000):
            http.post(
                "/api/v1/tasks",
                params={"async_mode": "true", "allow_defaults": "true"},
                json=real[start : start + 10_000],
            )
        http.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=golden)
    return pool_id


async def worker_loop(
    urls: list[str],
    token: str,
    n: int,
    pool_id: str,
    deadline: float,
    timings: dict[str, list[float]],
    think: float,
) -> int:
    """Take and submit until the deadline (or 1,000 assignments, or nothing is left)."""
    done = 0
    http = Connection(urls[n % len(urls)], token)
    await asyncio.sleep(random.uniform(0, think))  # people arrive over time, not all at one instant
    try:
        while time.monotonic() < deadline and done < 1000:
            started = time.perf_counter()
            status, assignment = await http.request("POST", f"/api/worker/v1/pools/{pool_id}/assignments")
            timings["issue"].append(time.perf_counter() - started)
            if status != 201:
                return done
            answers = {"solutions": [{"output_values": {"result": "cat"}} for _ in assignment["tasks"]]}
            if think:
                await asyncio.sleep(random.uniform(0.5, 1.5) * think)
            started = time.perf_counter()
            path = f"/api/worker/v1/assignments/{assignment['id']}/submit"
            status, _ = await http.request("POST", path, answers)
            timings["submit"].append(time.perf_counter() - started)
            done += status == 200
    finally:
        await http.close()
    return done


async def baseline(urls: list[str], tokens: list[str], seconds: float) -> float:
    """Round trips per second of GET /me under the same concurrency."""
    deadline, count = time.monotonic() + seconds, 0

    async def loop(n: int, token: str) -> None:
        nonlocal count
        http = Connection(urls[n % len(urls)], token)
        while time.monotonic() < deadline:
            await http.request("GET", "/api/worker/v1/me")
            count += 1
        await http.close()

    await asyncio.gather(*(loop(n, token) for n, token in enumerate(tokens)))
    return count / seconds


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * share))] * 1000 if values else float("nan")


def over_issued(url: str, token: str, pool_id: str) -> int:
    with httpx.Client(base_url=url, headers={"Authorization": f"OAuth {token}"}, timeout=120) as http:
        found = http.get("/api/v1/assignments", params={"pool_id": pool_id, "limit": 100_000}).json()["items"]
    holding = Counter(
        task["id"]
        for item in found
        if item["status"] in ("ACTIVE", "SUBMITTED", "ACCEPTED")
        for task in item["tasks"]
        if not task.get("known_solutions")
    )
    return sum(1 for count in holding.values() if count > OVERLAP)


def run(
    backend: str, url: str, folder: Path, args: argparse.Namespace, processes: int, think: float = 0
) -> None:
    requester, tokens = prepare(url, args.workers)
    with ExitStack() as stack:
        servers = [
            stack.enter_context(running_server(backend, url, folder, UNLIMITED, token=requester))
            for _ in range(processes)
        ]
        urls = [server.url for server in servers]
        pool_id = setup_pool(urls[0], requester, args.tasks)
        base = asyncio.run(baseline(urls, tokens, 3))
        timings: dict[str, list[float]] = {"issue": [], "submit": []}
        deadline = time.monotonic() + args.seconds
        started = time.perf_counter()
        done = asyncio.run(_all(urls, tokens, pool_id, deadline, timings, think))
        elapsed = time.perf_counter() - started
        over = over_issued(urls[0], requester, pool_id)
    issue, submit = timings["issue"], timings["submit"]
    loop = f"think {think:.1f} s" if think else "closed loop"
    print(
        f"{backend:10} x{processes} process(es), {loop}: {done / elapsed:7.1f} completed assignments/s "
        f"(baseline GET /me {base:7.1f}/s); "
        f"issue p50 {percentile(issue, 0.5):.0f} ms p99 {percentile(issue, 0.99):.0f} ms; "
        f"submit p50 {percentile(submit, 0.5):.0f} ms p99 {percentile(submit, 0.99):.0f} ms; "
        f"over-issued tasks: {over}"
    )


async def _all(
    urls: list[str],
    tokens: list[str],
    pool_id: str,
    deadline: float,
    timings: dict[str, list[float]],
    think: float,
) -> int:
    results = await asyncio.gather(
        *(worker_loop(urls, t, n, pool_id, deadline, timings, think) for n, t in enumerate(tokens))
    )
    return sum(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    for processes, think in ((1, 0.0), (2, 0.0), (1, args.think), (2, args.think)):
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder), args, processes, think)
    if not args.no_postgres:
        with PostgresServer() as pg, tempfile.TemporaryDirectory() as folder:
            name = f"bench_{uuid.uuid4().hex[:8]}"
            pg.create_database(name)
            run("postgresql", pg.url_for(name), Path(folder), args, 2)


if __name__ == "__main__":
    main()
