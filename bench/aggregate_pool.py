"""aggregate-by-pool DAWID_SKENE end to end through the API, next to crowd-kit's DawidSkene in memory.

    python -m bench.aggregate_pool [--tasks 100000] [--overlap 5] [--workers 2000] [--classes 4]
                                   [--suite 5] [--low 0.5] [--high 0.95] [--seed 1]
                                   [--backend sqlite|postgresql]

A pool of `--tasks` real tasks, each answered by `--overlap` of `--workers` simulated workers (each
with an accuracy of its own between `--low` and `--high`), `--suite` answers an assignment, is
written directly into a fresh database with the drivers' bulk paths. Then, each in a fresh
process so that its peak RSS is its own:

- kvorum: the in-process app (its jobs runner on, the garbage collector tuned as `kvorum serve`
  tunes it) takes POST /api/v1/aggregated-solutions/aggregate-by-pool; the time runs until
  GET /api/v1/operations/{id} says SUCCESS, which covers the operation, reading every answer from
  the database and writing every label (CPU time counts the client's polling too; the
  operation's own started-to-finished time is shown). Paging all the labels back (limit 100,000)
  is timed apart.
- crowd-kit: `DawidSkene(n_iter=100, tol=1e-5).fit_predict` on the same answers in a DataFrame
  (building the frame is not timed).

Prints both times (wall and CPU: on a shared host the CPU time is the steadier figure), their
ratio, each peak RSS, and how many labels agree.
"""

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

POLL_SECONDS = 0.1
"""How often the client polls the operation."""
JOB_POLL_SECONDS = 0.05
"""How often the jobs runner looks for work."""
BOUND_SECONDS = 600
"""No phase waits longer than this."""


def generate(args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(task, worker, class) of every answer: each task's `overlap` workers are distinct."""
    rng = np.random.default_rng(args.seed)
    truth = rng.integers(0, args.classes, args.tasks)
    accuracy = rng.uniform(args.low, args.high, args.workers)
    stride = max(args.workers // args.overlap, 1)
    first = rng.integers(0, args.workers, args.tasks)
    workers = (first[:, None] + np.arange(args.overlap) * stride) % args.workers
    right = rng.random(workers.shape) < accuracy[workers]
    wrong = (truth[:, None] + rng.integers(1, args.classes, workers.shape)) % args.classes
    labels = np.where(right, truth[:, None], wrong)
    tasks = np.repeat(np.arange(args.tasks), args.overlap)
    return tasks, workers.ravel(), labels.ravel()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(url: str, jobs: bool) -> Any:
    from fastapi.testclient import TestClient

    from kvorum.app import create_app
    from kvorum.settings import Settings

    settings = Settings(database_url=url, run_background_jobs=jobs, job_poll_seconds=JOB_POLL_SECONDS)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def fill(args: argparse.Namespace) -> dict[str, Any]:
    from kvorum.services.accounts import requesters as accounts
    from kvorum.store import db, migrate
    from tests.helpers import pool_body, project_body, task_spec
    from tests.support.answers import fill_pool

    engine = db.create(args.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    classes = [f"c{n}" for n in range(args.classes)]
    with _app(args.database_url, jobs=False) as client:
        ctx = client.app.state.context
        requester, token = accounts.create_requester(ctx, name="bench")
        client.headers["Authorization"] = f"OAuth {token}"
        spec = task_spec(output_spec={"result": {"type": "string", "allowed_values": classes}})
        project = client.post("/api/v1/projects", json=project_body(task_spec=spec)).json()
        pool = client.post("/api/v1/pools", json=pool_body(project["id"])).json()
        tasks, workers, labels = generate(args)
        answers = list(
            zip(tasks.tolist(), workers.tolist(), [classes[label] for label in labels.tolist()], strict=True)
        )
        started = time.perf_counter()
        fill_pool(
            ctx,
            owner_id=requester.id,
            pool_id=int(pool["id"]),
            field="result",
            answers=answers,
            n_tasks=args.tasks,
            n_workers=args.workers,
            tasks_per_suite=args.suite,
        )
    return {"token": token, "pool_id": pool["id"], "fill_seconds": time.perf_counter() - started}


def through_api(args: argparse.Namespace) -> dict[str, Any]:
    from kvorum.app import GC_THRESHOLDS

    body = {"type": "DAWID_SKENE", "pool_id": args.pool_id, "fields": [{"name": "result"}]}
    with _app(args.database_url, jobs=True) as client:
        gc.set_threshold(*GC_THRESHOLDS)  # as a `kvorum serve` process runs
        gc.freeze()
        client.headers["Authorization"] = f"OAuth {args.token}"
        started, cpu = time.perf_counter(), time.process_time()
        operation = client.post("/api/v1/aggregated-solutions/aggregate-by-pool", json=body).json()
        while operation["status"] not in ("SUCCESS", "FAIL"):
            if time.perf_counter() - started > BOUND_SECONDS:
                raise SystemExit(f"aggregation did not finish within {BOUND_SECONDS} s")
            time.sleep(POLL_SECONDS)
            operation = client.get(f"/api/v1/operations/{operation['id']}").json()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert operation["status"] == "SUCCESS", operation
        ran = datetime.fromisoformat(operation["finished"]) - datetime.fromisoformat(operation["started"])
        rss = peak_rss_mb()
        started = time.perf_counter()
        labels: list[str] = []
        params: dict[str, Any] = {"limit": 100_000}
        while True:
            page = client.get(f"/api/v1/aggregated-solutions/{operation['id']}", params=params).json()
            labels.extend(item["output_values"]["result"] for item in page["items"])
            if not page["has_more"]:
                break
            params["task_id_gt"] = page["items"][-1]["task_id"]
        page_seconds = time.perf_counter() - started
    Path(args.labels).write_text("\n".join(labels))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "ran": ran.total_seconds(),
        "page_seconds": page_seconds,
        "peak_rss_mb": rss,
        "labels": len(labels),
    }


def with_crowd_kit(args: argparse.Namespace) -> dict[str, Any]:
    import pandas as pd
    from crowdkit.aggregation import DawidSkene

    tasks, workers, labels = generate(args)
    frame = pd.DataFrame(
        {"task": tasks, "worker": workers, "label": [f"c{label}" for label in labels.tolist()]}
    )
    started, cpu = time.perf_counter(), time.process_time()
    model = DawidSkene(n_iter=100, tol=1e-5)
    result = model.fit_predict(frame)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    Path(args.labels).write_text("\n".join(result.sort_index().tolist()))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_rss_mb": peak_rss_mb(),
        "iterations": len(model.loss_history_),
    }


PHASES = {"fill": fill, "api": through_api, "crowdkit": with_crowd_kit}


def phase(name: str, args: argparse.Namespace, **extra: str) -> dict[str, Any]:
    """Run one phase in a fresh interpreter; its JSON answer."""
    sizes = ["--tasks", args.tasks, "--overlap", args.overlap, "--workers", args.workers]
    sizes += ["--classes", args.classes, "--suite", args.suite, "--seed", args.seed]
    sizes += ["--low", args.low, "--high", args.high]
    command = [sys.executable, "-m", "bench.aggregate_pool", "--phase", name, *map(str, sizes)]
    for key, value in extra.items():
        command += [f"--{key.replace('_', '-')}", value]
    done = subprocess.run(command, capture_output=True, text=True, timeout=BOUND_SECONDS, check=False)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--overlap", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2_000)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--suite", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--low", type=float, default=0.5, help="the least accurate worker's accuracy")
    parser.add_argument("--high", type=float, default=0.95, help="the most accurate worker's accuracy")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--phase", choices=tuple(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--pool-id", help=argparse.SUPPRESS)
    parser.add_argument("--labels", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not (1 <= args.tasks <= 2_000_000 and 1 <= args.overlap <= args.workers and args.classes >= 2):
        parser.error("need 1 <= tasks <= 2,000,000, 1 <= overlap <= workers, classes >= 2")
    if not 0 <= args.low <= args.high <= 1:
        parser.error("need 0 <= low <= high <= 1")
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kvorum-agg-")))
        if args.backend == "postgresql":
            from tests.support.pgserver import PostgresServer

            server = stack.enter_context(PostgresServer())
            server.create_database("bench")
            url = server.url_for("bench")
        else:
            url = f"sqlite:///{folder / 'kvorum.db'}"
        shape = f"{args.tasks:,} tasks x {args.overlap}, {args.workers:,} workers, {args.classes} classes"
        print(f"{args.tasks * args.overlap:,} answers ({shape}) on {args.backend}")
        filled = phase("fill", args, database_url=url)
        print(f"  filled the store in {filled['fill_seconds']:.1f} s")
        ours_file, theirs_file = folder / "ours.txt", folder / "theirs.txt"
        ours = phase(
            "api",
            args,
            database_url=url,
            token=filled["token"],
            pool_id=filled["pool_id"],
            labels=str(ours_file),
        )
        theirs = phase("crowdkit", args, labels=str(theirs_file))
        pairs = zip(ours_file.read_text().split("\n"), theirs_file.read_text().split("\n"), strict=True)
        agree = sum(a == b for a, b in pairs)
        print(
            f"  kvorum, aggregate-by-pool to SUCCESS: {ours['seconds']:.2f} s (CPU {ours['cpu']:.2f} s), "
            f"peak RSS {ours['peak_rss_mb']:.0f} MB"
        )
        print(f"  kvorum, the operation itself (started to finished): {ours['ran']:.2f} s")
        print(f"  kvorum, paging the {ours['labels']:,} labels back: {ours['page_seconds']:.2f} s")
        print(
            f"  crowd-kit fit_predict in memory: {theirs['seconds']:.2f} s (CPU {theirs['cpu']:.2f} s), "
            f"peak RSS {theirs['peak_rss_mb']:.0f} MB, {theirs['iterations']} EM iterations"
        )
        ratio, cpu_ratio = theirs["seconds"] / ours["seconds"], theirs["cpu"] / ours["cpu"]
        print(
            f"  crowd-kit / kvorum: {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU; "
            f"labels agreeing: {agree:,} of {args.tasks:,}"
        )


if __name__ == "__main__":
    main()
