"""The assignments TSV export of a large pool, through a live server.

    python -m bench.export_tsv [--answers 500000] [--suite-size 5] [--baseline-answers 50000]
                               [--no-postgres]

`--answers` answers (`--suite-size` tasks per assignment, so answers / suite-size assignments) are
inserted straight into the store in bulk: the assignments of one pool, spread over 1,000 workers,
most accepted, some submitted or rejected, each with its tasks' input values and the worker's
answers, as issuing and submitting leave them. Then `GET /api/new/requester/pools/{id}/assignments.tsv`
is read from a `kvorum serve` process on 127.0.0.1, and the bench prints rows per second and the
server's resident memory: at idle before the export (VmRSS), and its peak (VmHWM) after it.

The baseline in the same run is reading the same answers the other way the API offers, pages of
`GET /api/v1/assignments` (limit 1,000, by id_gt), over the first `--baseline-answers` answers.
"""

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from kvorum.store import db, migrate
from kvorum.store.tables import assignments, workers
from tests.helpers import mixer_pool, project_body
from tests.support.live import create_requester, running_server
from tests.support.pgserver import PostgresServer

MAX_ANSWERS = 2_000_000
WORKERS = 1_000
INSERT_BATCH = 5_000
LABELS = ("cat", "dog", "other")
STATUSES = ("ACCEPTED",) * 8 + ("SUBMITTED", "REJECTED")


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) // 1024
    return found


def setup_pool(url: str, token: str) -> tuple[str, int]:
    """A project and a pool made through the API; the pool's id and the requester's id."""
    headers = {"Authorization": f"OAuth {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        project = http.post("/api/v1/projects", json=project_body()).json()
        pool = http.post("/api/v1/pools", json=mixer_pool(project["id"], real=5)).json()
        owner = int(http.get("/api/v1/requester").json()["id"])
    return str(pool["id"]), owner


def _assignment_rows(
    owner: int, pool_id: int, worker_ids: list[int], count: int, suite_size: int
) -> Iterator[dict[str, Any]]:
    rng = random.Random(7)
    start = datetime(2030, 1, 1)
    for n in range(count):
        status = rng.choice(STATUSES)
        created = start + timedelta(seconds=n)
        tasks = [
            {
                "id": format(n * suite_size + k + 1, "016x"),
                "kind": "REAL",
                "input_values": {"image": f"https://img.example/{n * suite_size + k}.png"},
            }
            for k in range(suite_size)
        ]
        yield {
            "id": format(n + 1, "016x"),
            "owner_id": owner,
            "pool_id": pool_id,
            "task_suite_id": format(n + 1, "016x"),
            "worker_id": rng.choice(worker_ids),
            "status": status,
            "reward": 0.01,
            "mixed": True,
            "created": created,
            "expires": created + timedelta(minutes=10),
            "submitted": created + timedelta(seconds=30),
            "accepted": created + timedelta(hours=1) if status == "ACCEPTED" else None,
            "rejected": created + timedelta(hours=1) if status == "REJECTED" else None,
            "tasks": tasks,
            "solutions": [{"output_values": {"result": rng.choice(LABELS)}} for _ in tasks],
        }


def fill(database_url: str, owner: int, pool_id: str, answers: int, suite_size: int) -> float:
    """Insert the workers and assignments in bulk; seconds taken."""
    started = time.perf_counter()
    engine = db.create(database_url)
    with engine.begin() as conn:
        made = datetime(2030, 1, 1)
        names = [
            {"name": f"bench-{uuid.uuid4().hex}", "created": made, "profile": {}} for _ in range(WORKERS)
        ]
        made_workers = conn.execute(
            insert(workers).returning(workers.c.id, sort_by_parameter_order=True), names
        )
        worker_ids = [int(key) for key in made_workers.scalars()]
    batch: list[dict[str, Any]] = []
    rows = _assignment_rows(owner, int(pool_id), worker_ids, answers // suite_size, suite_size)
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            with engine.begin() as conn:
                conn.execute(insert(assignments), batch)
            batch = []
    if batch:
        with engine.begin() as conn:
            conn.execute(insert(assignments), batch)
    engine.dispose()
    return time.perf_counter() - started


def export(url: str, token: str, pool_id: str) -> tuple[int, float]:
    """Rows read from the TSV export of every answer, and seconds taken."""
    params = {
        "status": "APPROVED,SUBMITTED,REJECTED",
        "field": "ASSIGNMENT:assignment_id,ASSIGNMENT:worker_id",
    }
    headers = {"Authorization": f"OAuth {token}"}
    started = time.perf_counter()
    lines = 0
    with (
        httpx.Client(base_url=url, headers=headers, timeout=60) as http,
        http.stream("GET", f"/api/new/requester/pools/{pool_id}/assignments.tsv", params=params) as response,
    ):
        assert response.status_code == 200, response.read()
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
    return lines - 1, time.perf_counter() - started


def pages(url: str, token: str, pool_id: str, answers: int) -> tuple[int, float]:
    """Answers read through GET /api/v1/assignments pages until `answers` are read, and seconds taken."""
    headers = {"Authorization": f"OAuth {token}"}
    started = time.perf_counter()
    read = 0
    params: dict[str, str] = {"pool_id": pool_id, "limit": "1000", "sort": "id"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        while read < answers:
            page = http.get("/api/v1/assignments", params=params).json()
            read += sum(len(item["solutions"]) for item in page["items"])
            if not page["has_more"]:
                break
            params["id_gt"] = page["items"][-1]["id"]
    return read, time.perf_counter() - started


def run(backend: str, database_url: str, folder: Path, args: argparse.Namespace) -> None:
    engine = db.create(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    token = create_requester(database_url)
    with running_server(backend, database_url, folder, token=token) as server:
        pool_id, owner = setup_pool(server.url, token)
        filled = fill(database_url, owner, pool_id, args.answers, args.suite_size)
        idle = memory(server.process.pid)
        rows, seconds = export(server.url, token, pool_id)
        after = memory(server.process.pid)
        base_rows, base_seconds = pages(server.url, token, pool_id, args.baseline_answers)
    print(
        f"{backend:10} inserted {args.answers:,} answers in {filled:.1f} s | "
        f"TSV export: {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s | "
        f"server RSS idle {idle['VmRSS']} MiB, peak {after['VmHWM']} MiB "
        f"(+{after['VmHWM'] - idle['VmRSS']} MiB) | "
        f"baseline JSON pages: {base_rows:,} answers in {base_seconds:.1f} s = "
        f"{base_rows / base_seconds:,.0f} answers/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=500_000)
    parser.add_argument("--suite-size", type=int, default=5)
    parser.add_argument("--baseline-answers", type=int, default=50_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.suite_size <= 100 or not args.suite_size <= args.answers <= MAX_ANSWERS:
        parser.error(f"--answers is between --suite-size and {MAX_ANSWERS:,}; --suite-size 1 to 100")
    args.baseline_answers = min(args.baseline_answers, args.answers)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        run("sqlite", f"sqlite:///{folder / 'export.db'}", folder, args)
        if not args.no_postgres:
            pg = stack.enter_context(PostgresServer())
            name = f"bench_{uuid.uuid4().hex[:8]}"
            pg.create_database(name)
            run("postgresql", pg.url_for(name), folder, args)


if __name__ == "__main__":
    main()
