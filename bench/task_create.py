"""Bulk task creation: kvorum against a floor measured in the same run.

    python -m bench.task_create [--tasks 100000] [--batch 10000] [--no-postgres] [--no-toloka-kit]

Floor: stdlib json.loads of the same request bodies plus sqlite3 executemany of the same rows in
one transaction per batch (WAL). kvorum: a live `kvorum serve` on 127.0.0.1 taking the batches
as async requests, timed until every operation is SUCCESS and the last task is readable. Also
timed: one sync request of 5,000 tasks, the same on PostgreSQL, and toloka-kit's own
create_tasks end to end (its CPU time is the client's share). Prints figures; never fails on them.
"""

import argparse
import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from kvorum.store import db, migrate
from tests.helpers import CHOICE_RESULT, HIDDEN_NOTE, IMAGE_INPUT, pool_body, project_body, task_spec
from tests.support.live import running_server
from tests.support.pgserver import PostgresServer


def bodies(pool_id: str, total: int, batch: int) -> list[bytes]:
    """The request bodies: `total` image tasks in arrays of `batch`."""
    result = []
    for start in range(0, total, batch):
        tasks = [
            {
                "pool_id": pool_id,
                "input_values": {"image": f"https://img.example/{n}.png", "note": f"task number {n}"},
                "__item_idx": str(n - start),
            }
            for n in range(start, min(start + batch, total))
        ]
        result.append(json.dumps(tasks).encode())
    return result


def floor(raw_bodies: list[bytes]) -> float:
    """Seconds for json.loads of every body plus inserting the rows, one transaction per body."""
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "floor.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE tasks (id TEXT PRIMARY KEY, pool_id INTEGER, created TEXT, overlap INTEGER,"
            " infinite_overlap INTEGER, golden INTEGER, body TEXT)"
        )
        started = time.perf_counter()
        number = 0
        for raw in raw_bodies:
            rows = []
            for task in json.loads(raw):
                number += 1
                body = json.dumps({"input_values": task["input_values"]})
                rows.append((f"{number:016x}", int(task["pool_id"]), "2030-01-01 00:00:00", 3, 0, 0, body))
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
    return elapsed


@contextmanager
def server(backend: str, workdir: Path, pg: PostgresServer | None) -> Iterator[Any]:
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        assert pg is not None
        name = f"bench_{uuid.uuid4().hex[:8]}"
        pg.create_database(name)
        url = pg.url_for(name)
    engine = db.create(url)
    migrate.upgrade(engine)
    engine.dispose()
    unlimited = {f"KVORUM_QUOTA_TASK_CREATE_PER_{window}": "1000000000" for window in ("MINUTE", "DAY")}
    with running_server(backend, url, workdir, env=unlimited) as live:
        yield live


def peak_rss_mb(log_dir: Path) -> float:
    """Peak resident memory of the kvorum process serving in `log_dir`."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            cwd = (status.parent / "cwd").resolve()
            if cwd == log_dir.resolve() and "kvorum" in (status.parent / "cmdline").read_text():
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return float("nan")


def setup_pool(http: httpx.Client) -> str:
    """A pool of image tasks with a note, at overlap 3 (as the floor's rows)."""
    spec = task_spec(IMAGE_INPUT | HIDDEN_NOTE, CHOICE_RESULT)
    project = http.post("/api/v1/projects", json=project_body(task_spec=spec)).json()
    defaults = {"default_overlap_for_new_task_suites": 3, "default_overlap_for_new_tasks": 3}
    return str(http.post("/api/v1/pools", json=pool_body(project["id"], defaults=defaults)).json()["id"])


def kvorum_async(live: Any, total: int, batch: int) -> tuple[float, int]:
    with httpx.Client(
        base_url=live.url, headers={"Authorization": f"OAuth {live.token}"}, timeout=120
    ) as http:
        pool_id = setup_pool(http)
        raw_bodies = bodies(pool_id, total, batch)
        started = time.perf_counter()
        operations = []
        for raw in raw_bodies:
            params = {"async_mode": "true", "allow_defaults": "true", "operation_id": str(uuid.uuid4())}
            response = http.post(
                "/api/v1/tasks", params=params, content=raw, headers={"Content-Type": "application/json"}
            )
            response.raise_for_status()
            operations.append(response.json())
        deadline = time.monotonic() + 600
        for operation in operations:
            while operation["status"] not in ("SUCCESS", "FAIL") and time.monotonic() < deadline:
                time.sleep(0.05)
                operation = http.get(f"/api/v1/operations/{operation['id']}").json()
            assert operation["status"] == "SUCCESS", operation
        last = http.get("/api/v1/tasks", params={"pool_id": pool_id, "sort": "-id", "limit": 1}).json()
        elapsed = time.perf_counter() - started
        assert last["items"], "no task readable"
        count = len(http.get("/api/v1/tasks", params={"pool_id": pool_id, "limit": 100_000}).json()["items"])
    return elapsed, count


def kvorum_sync(live: Any, size: int) -> float:
    with httpx.Client(
        base_url=live.url, headers={"Authorization": f"OAuth {live.token}"}, timeout=120
    ) as http:
        pool_id = setup_pool(http)
        raw = bodies(pool_id, size, size)[0]
        started = time.perf_counter()
        response = http.post(
            "/api/v1/tasks",
            params={"allow_defaults": "true"},
            content=raw,
            headers={"Content-Type": "application/json"},
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 201 and len(response.json()["items"]) == size, response.text[:300]
    return elapsed


def toloka_kit(live: Any, total: int, batch: int) -> tuple[float, float, int]:
    """Wall and client CPU seconds of toloka-kit's create_tasks over all batches, and tasks returned."""
    import toloka.client as toloka

    client = toloka.TolokaClient(live.token, url=live.url)
    with httpx.Client(base_url=live.url, headers={"Authorization": f"OAuth {live.token}"}) as http:
        pool_id = setup_pool(http)
    tasks = [
        toloka.Task(
            pool_id=pool_id, input_values={"image": f"https://img.example/{n}.png", "note": f"task {n}"}
        )
        for n in range(total)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    returned = 0
    for start in range(0, total, batch):
        result = client.create_tasks(tasks[start : start + batch], allow_defaults=True)
        returned += len(result.items)
    return time.perf_counter() - started, time.process_time() - cpu, returned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-toloka-kit", action="store_true")
    args = parser.parse_args()
    total, batch = args.tasks, args.batch

    floor_seconds = floor(bodies("1", total, batch))
    floor_rate = total / floor_seconds
    print(
        f"floor (json.loads + sqlite3 executemany, WAL): {floor_rate:10,.0f} tasks/s  ({floor_seconds:.2f} s)"
    )

    backends = ["sqlite"] if args.no_postgres else ["sqlite", "postgresql"]
    pg = None if args.no_postgres else PostgresServer().start()
    try:
        for backend in backends:
            with tempfile.TemporaryDirectory() as folder, server(backend, Path(folder), pg) as live:
                elapsed, count = kvorum_async(live, total, batch)
                rss = peak_rss_mb(Path(folder))
                rate = total / elapsed
                label = f"kvorum {backend:10} async {total // batch} x {batch}:"
                print(
                    f"{label} {rate:10,.0f} tasks/s  ({elapsed:.2f} s, {rate / floor_rate:.0%} of floor, "
                    f"{count} readable, peak server RSS {rss:.0f} MB)"
                )
                sync_seconds = kvorum_sync(live, 5_000)
                print(
                    f"kvorum {backend:10} one sync request of 5,000: {5_000 / sync_seconds:10,.0f} tasks/s  "
                    f"({sync_seconds:.2f} s)"
                )
                if backend == "sqlite" and not args.no_toloka_kit:
                    wall, cpu, returned = toloka_kit(live, total, batch)
                    print(
                        f"toloka-kit create_tasks {total // batch} x {batch} end to end: {wall:.2f} s wall, "
                        f"{cpu:.2f} s client CPU ({wall / cpu:.2f}x), {returned} tasks returned"
                    )
    finally:
        if pg is not None:
            pg.stop()


if __name__ == "__main__":
    main()
