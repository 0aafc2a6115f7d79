"""What quality control and dynamic overlap add to a submit, measured in one process so that
every side shares the host's noise.

    python -m bench.dynamic_overlap [--submits 1500] [--workers 60] [--no-postgres]

Three pools of one project in one database, alike (5 real tasks and 1 control task a suite,
overlap 3, auto-accept) but for bench.assignments' five RULES on one, and a dynamic_overlap_config
on another (up to 5, min_confidence 0.9, weighted by a skill every worker holds at its accuracy,
70-95%). Each worker takes a suite of each pool in turn and answers it (the true label that
often, another one otherwise); the submit calls of the pools alternate, through the services,
with no HTTP or queue in between. Prints p50, p99 and mean submit time of each pool and the
difference from the pool with no rules, per backend, and how many tasks grew.
"""

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bench.assignments import LABELS, MAX_OVERLAP, OVERLAP, RULES, accuracy_of, answer
from kvorum.app import create_app
from kvorum.clock import SettableClock
from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import requesters, workers
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import lifecycle
from kvorum.services.context import Context
from kvorum.services.issuing import service as issuing
from kvorum.settings import Settings
from kvorum.store import db, migrate
from kvorum.store.tables import tasks as tasks_table
from tests.helpers import CHOICE_RESULT, dynamic_overlap_pool, mixer_pool, project_body, task_spec
from tests.support.pgserver import PostgresServer


@contextmanager
def database(backend: str, folder: Path, postgres: PostgresServer | None) -> Iterator[str]:
    """The URL of a new, migrated database."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'dynamic.db'}"
    else:
        assert postgres is not None
        postgres.create_database("dynamic_bench")
        url = postgres.url_for("dynamic_bench")
    engine = db.create(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        if postgres is not None and backend != "sqlite":
            postgres.drop_database("dynamic_bench")


def setup(api: TestClient, ctx: Context, count: int, tasks: int) -> tuple[dict[str, str], list[Worker]]:
    """The pools by name, opened with `tasks` tasks (and as many control tasks) each, and `count`
    workers holding the skill."""
    project = api.post("/api/v1/projects", json=project_body(task_spec=task_spec(output_spec=CHOICE_RESULT)))
    project_id = project.json()["id"]
    skill = api.post("/api/v1/skills", json={"name": "Accuracy"}).json()
    shape = {"real": 5, "golden": 1, "overlap": OVERLAP, "assignment_max_duration_seconds": 3600}
    bodies = {
        "no rules": mixer_pool(project_id, **shape),
        "5 rules": mixer_pool(project_id, quality_control={"configs": RULES}, **shape),
        "dynamic overlap": dynamic_overlap_pool(project_id, skill["id"], max_overlap=MAX_OVERLAP, **shape),
    }
    pools = {}
    for name, body in bodies.items():
        pool_id = api.post("/api/v1/pools", json=body).json()["id"]
        items = [
            {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{LABELS[n % 3]}/{n}.png"}}
            for n in range(tasks)
        ] + [
            {
                "pool_id": pool_id,
                "input_values": {"image": f"https://img.example/{LABELS[n % 3]}/c{n}.png"},
                "known_solutions": [{"output_values": {"result": LABELS[n % 3]}}],
            }
            for n in range(tasks)
        ]
        response = api.post(
            "/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=items
        )
        assert response.status_code == 201, response.text
        pools[name] = pool_id
    crowd = []
    for n in range(count):
        worker = workers.create_worker(ctx, name=f"w{n}", profile=WorkerProfile(languages=["EN"]))[0]
        value = {"skill_id": skill["id"], "user_id": str(worker.id), "value": round(accuracy_of(n) * 100, 1)}
        assert api.put("/api/v1/user-skills", json=value).status_code in (200, 201)
        crowd.append(worker)
    return pools, crowd


def run(backend: str, url: str, args: argparse.Namespace) -> None:
    settings = Settings(database_url=url, run_background_jobs=False)
    for quota in ("task_create", "pool_create", "project_create"):
        setattr(settings, f"quota_{quota}_per_minute", 10**9)
        setattr(settings, f"quota_{quota}_per_day", 10**9)
    with TestClient(create_app(settings, SettableClock())) as api:
        ctx: Context = api.app.state.context  # type: ignore[attr-defined]
        api.headers["Authorization"] = f"OAuth {requesters.create_requester(ctx, name='bench')[1]}"
        pools, crowd = setup(api, ctx, args.workers, 2 * args.submits)
        timings: dict[str, list[float]] = {name: [] for name in pools}
        for _ in range(args.submits // len(crowd) + 1):
            for n, worker in enumerate(crowd):
                for name, pool_id in pools.items():
                    if len(timings[name]) >= args.submits:
                        continue
                    issued = issuing.issue(ctx, worker=worker, pool_id=pool_id).assignment
                    solutions = [answer(task, accuracy_of(n)) for task in issued.tasks]
                    raw = json.dumps({"solutions": solutions}).encode()
                    started = time.perf_counter()
                    lifecycle.submit(ctx, worker=worker, assignment_id=issued.id, raw=raw)
                    timings[name].append(time.perf_counter() - started)
        with ctx.db.read() as conn:
            query = select(func.count()).where(
                tasks_table.c.pool_id == int(pools["dynamic overlap"]), tasks_table.c.overlap > OVERLAP
            )
            grown = int(conn.execute(query).scalar_one())
    figures = {name: _figures(found) for name, found in timings.items()}
    plain = figures["no rules"]
    sides = " | ".join(
        f"{name} p50 {p50:.2f} ms p99 {p99:.2f} ms mean {mean:.2f} ms"
        for name, (p50, p99, mean) in figures.items()
    )
    differences = "; ".join(
        f"{name} p50 {p50 - plain[0]:+.2f} ms p99 {p99 - plain[1]:+.2f} ms mean {mean - plain[2]:+.2f} ms"
        for name, (p50, p99, mean) in figures.items()
        if name != "no rules"
    )
    print(
        f"{backend:10} {len(timings['no rules'])} submits each, interleaved: {sides}\n"
        f"{'':10} difference from no rules: {differences}; tasks grown {grown}",
        flush=True,
    )


def _figures(found: list[float]) -> tuple[float, float, float]:
    ordered = sorted(found)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return ordered[len(ordered) // 2] * 1000, p99 * 1000, statistics.mean(found) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=1500, help="per pool")
    parser.add_argument("--workers", type=int, default=60)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    random.seed(1)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pg = None if args.no_postgres else stack.enter_context(PostgresServer())
        for backend in ("sqlite", *(() if pg is None else ("postgresql",))):
            with database(backend, folder, pg) as url:
                run(backend, url, args)


if __name__ == "__main__":
    main()
