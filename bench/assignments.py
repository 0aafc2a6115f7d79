"""Workers taking and submitting assignments at once, against a live server.

    python -m bench.assignments [--workers 200] [--seconds 20] [--tasks 20000] [--think 1.0]
                                [--rounds 2] [--rules-only] [--dynamic-overlap-only] [--no-postgres]

A pool of `--tasks` real tasks with overlap 3 and a mixer of 5 real + 1 control task; `--workers`
simulated workers (HTTP clients on 127.0.0.1) each loop: take an assignment, submit it. Each
worker has an accuracy of its own (70-95%): it gives a picture's true label that often and another
label otherwise, so control tasks are mostly answered right and real tasks mostly agree. Prints
completed assignments per second, p50/p99 latency of issuing and submitting, and the number of
tasks issued beyond their overlap (must be 0). The baseline in the same run is the server's
bare round trip (GET /api/worker/v1/me) under the same concurrency. Each measurement is bounded
in count and time (`--seconds`) and starts from a fresh copy of one prepared database.

Runs: SQLite with one and with two server processes, and PostgreSQL with two, each as a closed
loop (a worker submits at once, so the server is saturated and latency is what the queue makes
it); then SQLite with one and two processes where each worker spends `--think` seconds on a suite, as
people do, to show latency below saturation.

Then the cost of quality control, per backend (SQLite with one process, PostgreSQL with two),
as a closed loop (throughput) and with `--think` (submit latency below saturation, where a p99 is
the server's own time rather than the queue's): the same pool with no rules and with RULES (five
pool-level configs: control tasks, majority vote, fast submits, skips in a row, acceptance rate),
alternated `--rounds` times (A B A B) so that the host's drift does not favour one side; medians
are compared. With `--think`, keep the offered load (about `--workers` suites a second) well under
the closed loop's rate, or the p99 is a queue's: on a 2-core host `--workers 40` is, for both back
ends.
`--rules-only` runs this comparison alone (`--seconds 8 --no-postgres`: about four minutes).

Then the cost of dynamic overlap, the same way: the pool as is and with a dynamic_overlap_config
(up to MAX_OVERLAP, min_confidence 0.9, answers weighted by a skill each worker holds at its
accuracy), alternated, in a closed loop and with `--think` (as few `--workers` as above).
`--dynamic-overlap-only` runs this comparison alone.
"""

import argparse
import asyncio
import json
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from kvorum.clock import Clock
from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import workers
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db, migrate
from kvorum.store.tables import quality_events, quality_observations
from kvorum.store.tables import tasks as tasks_table
from tests.helpers import CHOICE_RESULT, languages_filter, mixer_pool, project_body, task_spec
from tests.support.live import create_requester, running_server
from tests.support.pgserver import PostgresServer

OVERLAP = 3
MAX_OVERLAP = 5
CONTROLS = 200
LABELS = ("cat", "dog", "other")
UNLIMITED = {f"KVORUM_QUOTA_TASK_CREATE_PER_{window}": "1000000000" for window in ("MINUTE", "DAY")}


def _rule(conditions: list[tuple[str, str, float]], scope: str = "POOL") -> dict[str, Any]:
    """A rule that bans the worker from `scope` for good when all `conditions` hold."""
    return {
        "conditions": [{"key": key, "operator": op, "value": value} for key, op, value in conditions],
        "action": {"type": "RESTRICTION_V2", "parameters": {"scope": scope, "duration_unit": "PERMANENT"}},
    }


def _config(collector: str, parameters: dict[str, Any], *rules: dict[str, Any]) -> dict[str, Any]:
    collector_config: dict[str, Any] = {"type": collector}
    if parameters:
        collector_config["parameters"] = parameters
    return {"collector_config": collector_config, "rules": list(rules)}


RULES = [
    _config(
        "GOLDEN_SET",
        {"history_size": 10},
        _rule([("total_answers_count", "GTE", 5), ("correct_answers_rate", "LT", 20)]),
    ),
    _config(
        "MAJORITY_VOTE",
        {"answer_threshold": OVERLAP},
        _rule([("total_answers_count", "GTE", 10), ("correct_answers_rate", "LT", 10)]),
    ),
    _config(
        "ASSIGNMENT_SUBMIT_TIME",
        {"fast_submit_threshold_seconds": 1, "history_size": 10},
        _rule([("fast_submitted_count", "GT", 100)]),
    ),
    _config("SKIPPED_IN_ROW_ASSIGNMENTS", {}, _rule([("skipped_in_row_count", "GTE", 10)])),
    _config(
        "ACCEPTANCE_RATE",
        {"history_size": 20},
        _rule([("total_assignments_count", "GTE", 10), ("rejected_assignments_rate", "GT", 90)]),
    ),
]
"""The quality control measured: every rule restricts a worker for good, but the simulated workers
seldom give a rule cause, so what is measured is counting and evaluating, not banning."""


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
    if database_url.startswith("sqlite"):
        with ctx.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone is the database
    ctx.db.dispose()
    return requester, tokens


class Databases:
    """One prepared database per backend (a requester and `workers` workers), copied afresh for
    every measurement: each starts from the same state, without paying for the accounts again."""

    def __init__(self, folder: Path, workers: int, postgres: PostgresServer | None) -> None:
        self._folder, self._workers, self._postgres = folder, workers, postgres
        self._prepared: dict[str, tuple[str, str, list[str]]] = {}

    def accounts(self, backend: str) -> tuple[str, list[str]]:
        """The requester's token and the workers' tokens, the same in every copy."""
        _, requester, tokens = self._template(backend)
        return requester, tokens

    def _template(self, backend: str) -> tuple[str, str, list[str]]:
        if backend not in self._prepared:
            if backend == "sqlite":
                name = str(self._folder / "template.db")
                url = f"sqlite:///{name}"
            else:
                assert self._postgres is not None
                name = f"bench_{uuid.uuid4().hex[:8]}"
                self._postgres.create_database(name)
                url = self._postgres.url_for(name)
            self._prepared[backend] = (name, *prepare(url, self._workers))
        return self._prepared[backend]

    @contextmanager
    def fresh(self, backend: str, folder: Path) -> Iterator[str]:
        """The URL of a new copy of the backend's prepared database (an SQLite file in `folder`)."""
        template = self._template(backend)[0]
        if backend == "sqlite":
            path = folder / "bench.db"
            shutil.copyfile(template, path)
            yield f"sqlite:///{path}"
            return
        assert self._postgres is not None
        name = f"bench_{uuid.uuid4().hex[:8]}"
        self._postgres.create_database(name, template=template)
        try:
            yield self._postgres.url_for(name)
        finally:
            self._postgres.drop_database(name)


def _image(label: str, name: str) -> str:
    """A picture's address names what it shows, so that simulated workers know the true answer."""
    return f"https://img.example/{label}/{name}.png"


def accuracy_of(n: int) -> float:
    """How often the n-th worker gives the true label: the same in every measurement."""
    return random.Random(n).uniform(0.7, 0.95)


def _dynamic_overlap(http: httpx.Client, worker_tokens: list[str]) -> dict[str, Any]:
    """The pool settings of dynamic overlap, weighted by a new skill each worker holds at its accuracy."""
    skill = http.post("/api/v1/skills", json={"name": "Accuracy"}).json()
    for n, token in enumerate(worker_tokens):
        me = http.get("/api/worker/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        value = {"skill_id": skill["id"], "user_id": me["id"], "value": round(accuracy_of(n) * 100, 1)}
        assert http.put("/api/v1/user-skills", json=value).status_code in (200, 201)
    config = {
        "type": "BASIC",
        "max_overlap": MAX_OVERLAP,
        "min_confidence": 0.9,
        "answer_weight_skill_id": skill["id"],
        "fields": [{"name": "result"}],
    }
    return {"dynamic_overlap_config": config, "auto_close_after_complete_delay_seconds": 60}


def setup_pool(url: str, token: str, tasks: int, variant: str, worker_tokens: list[str]) -> str:
    with httpx.Client(base_url=url, headers={"Authorization": f"OAuth {token}"}, timeout=120) as http:
        spec = task_spec(output_spec=CHOICE_RESULT)
        project = http.post("/api/v1/projects", json=project_body(task_spec=spec)).json()
        extra = _dynamic_overlap(http, worker_tokens) if variant == "dynamic overlap" else {}
        body = mixer_pool(
            project["id"],
            real=5,
            golden=1,
            overlap=OVERLAP,
            assignment_max_duration_seconds=3600,
            auto_accept_solutions=True,
            filter=languages_filter("EN"),
            quality_control={"configs": RULES if variant == "5 rules" else []},
            **extra,
        )
        created = http.post("/api/v1/pools", json=body)
        assert created.status_code == 201, created.text
        pool_id = str(created.json()["id"])
        real = [
            {"pool_id": pool_id, "input_values": {"image": _image(LABELS[n % len(LABELS)], str(n))}}
            for n in range(tasks)
        ]
        golden = [
            {
                "pool_id": pool_id,
                "input_values": {"image": _image(LABELS[n % len(LABELS)], f"c{n}")},
                "known_solutions": [{"output_values": {"result": LABELS[n % len(LABELS)]}}],
            }
            for n in range(CONTROLS)
        ]
        for start in range(0, len(real), 10_000):
            http.post(
                "/api/v1/tasks",
                params={"async_mode": "true", "allow_defaults": "true"},
                json=real[start : start + 10_000],
            )
        http.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=golden)
    return pool_id


def answer(task: dict[str, Any], accuracy: float) -> dict[str, Any]:
    """The true label with probability `accuracy`, another one otherwise."""
    truth = task["input_values"]["image"].split("/")[3]
    if random.random() < accuracy:
        return {"output_values": {"result": truth}}
    return {"output_values": {"result": random.choice([label for label in LABELS if label != truth])}}


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
    accuracy = accuracy_of(n)
    await asyncio.sleep(random.uniform(0, think))  # people arrive over time, not all at one instant
    try:
        while time.monotonic() < deadline and done < 1000:
            started = time.perf_counter()
            status, assignment = await http.request("POST", f"/api/worker/v1/pools/{pool_id}/assignments")
            timings["issue"].append(time.perf_counter() - started)
            if status != 201:
                return done
            answers = {"solutions": [answer(task, accuracy) for task in assignment["tasks"]]}
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


def over_issued(url: str, token: str, pool_id: str, limit: int) -> int:
    with httpx.Client(base_url=url, headers={"Authorization": f"OAuth {token}"}, timeout=120) as http:
        found = http.get("/api/v1/assignments", params={"pool_id": pool_id, "limit": 100_000}).json()["items"]
    holding = Counter(
        task["id"]
        for item in found
        if item["status"] in ("ACTIVE", "SUBMITTED", "ACCEPTED")
        for task in item["tasks"]
        if not task.get("known_solutions")
    )
    return sum(1 for count in holding.values() if count > limit)


def quality_counts(database_url: str, url: str, token: str, pool_id: str) -> tuple[dict[str, int], int]:
    """How many observations each collector counted (by type), and how many actions rules took."""
    with httpx.Client(base_url=url, headers={"Authorization": f"OAuth {token}"}, timeout=120) as http:
        configs = http.get(f"/api/v1/pools/{pool_id}").json()["quality_control"]["configs"]
    types = {config["collector_config"]["uuid"]: config["collector_config"]["type"] for config in configs}
    table = quality_observations
    engine = db.create(database_url)
    with engine.connect() as conn:
        counted = conn.execute(select(table.c.collector, func.count()).group_by(table.c.collector)).all()
        acted = conn.execute(select(func.count()).select_from(quality_events)).scalar_one()
    engine.dispose()
    return {types[collector]: int(count) for collector, count in counted}, int(acted)


def grown_tasks(database_url: str, pool_id: int) -> int:
    """How many of the pool's tasks have an overlap above OVERLAP."""
    engine = db.create(database_url)
    query = select(func.count()).where(tasks_table.c.pool_id == pool_id, tasks_table.c.overlap > OVERLAP)
    with engine.connect() as conn:
        grown = int(conn.execute(query).scalar_one())
    engine.dispose()
    return grown


@dataclass(frozen=True)
class Measured:
    """One measurement: completed assignments per second, latencies (ms), and what was counted."""

    rate: float
    base: float | None
    issue_p50: float
    issue_p99: float
    submit_p50: float
    submit_p99: float
    over: int
    observations: dict[str, int]
    """By collector type."""
    actions: int
    grown: int
    """Tasks whose overlap grew past OVERLAP."""


def measure(
    databases: Databases,
    backend: str,
    args: argparse.Namespace,
    processes: int,
    think: float = 0,
    variant: str = "no rules",
    base_seconds: float = 3,
) -> Measured:
    """A fresh database and `processes` servers; the pool worked on for `--seconds`."""
    requester, tokens = databases.accounts(backend)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(databases.fresh(backend, folder))
        servers = [
            stack.enter_context(running_server(backend, url, folder, UNLIMITED, token=requester))
            for _ in range(processes)
        ]
        urls = [server.url for server in servers]
        pool_id = setup_pool(urls[0], requester, args.tasks, variant, tokens)
        base = asyncio.run(baseline(urls, tokens, base_seconds)) if base_seconds else None
        timings: dict[str, list[float]] = {"issue": [], "submit": []}
        deadline = time.monotonic() + args.seconds
        started = time.perf_counter()
        done = asyncio.run(_all(urls, tokens, pool_id, deadline, timings, think))
        elapsed = time.perf_counter() - started
        limit = MAX_OVERLAP if variant == "dynamic overlap" else OVERLAP
        over = over_issued(urls[0], requester, pool_id, limit)
        grown = grown_tasks(url, int(pool_id))
        observations, actions = quality_counts(url, urls[0], requester, pool_id)
    issue, submit = timings["issue"], timings["submit"]
    return Measured(
        done / elapsed,
        base,
        percentile(issue, 0.5),
        percentile(issue, 0.99),
        percentile(submit, 0.5),
        percentile(submit, 0.99),
        over,
        observations,
        actions,
        grown,
    )


def run(
    databases: Databases, backend: str, args: argparse.Namespace, processes: int, think: float = 0
) -> None:
    found = measure(databases, backend, args, processes, think)
    loop = _loop(think)
    print(
        f"{backend:10} x{processes} process(es), {loop}: {found.rate:7.1f} completed assignments/s "
        f"(baseline GET /me {found.base:7.1f}/s); "
        f"issue p50 {found.issue_p50:.0f} ms p99 {found.issue_p99:.0f} ms; "
        f"submit p50 {found.submit_p50:.0f} ms p99 {found.submit_p99:.0f} ms; "
        f"over-issued tasks: {found.over}",
        flush=True,
    )


def compare(
    databases: Databases,
    backend: str,
    args: argparse.Namespace,
    processes: int,
    variants: tuple[str, str],
    think: float = 0,
) -> None:
    """The pool in two variants ("no rules", "5 rules", "dynamic overlap"), alternated; the medians
    side by side."""
    found: dict[str, list[Measured]] = {variant: [] for variant in variants}
    for round_ in range(args.rounds):
        for variant in variants:
            got = measure(databases, backend, args, processes, think, variant, base_seconds=0)
            found[variant].append(got)
            print(
                f"  {backend} round {round_ + 1} {variant:15} {_loop(think)}: {got.rate:6.1f}/s, "
                f"submit p50 {got.submit_p50:.0f} ms p99 {got.submit_p99:.0f} ms; "
                f"observations {_listed(got.observations)}; "
                f"rule actions {got.actions}, tasks grown {got.grown}, over-issued {got.over}",
                flush=True,
            )
    plain, other = (_medians(found[variant]) for variant in variants)
    print(
        f"{backend:10} x{processes} process(es), {_loop(think)}, median of {args.rounds}: "
        f"{_side(variants[0], plain)} | {_side(variants[1], other)} | "
        f"throughput x{other['rate'] / plain['rate']:.2f}, "
        f"submit p99 {other['submit_p99'] - plain['submit_p99']:+.0f} ms",
        flush=True,
    )


def _loop(think: float) -> str:
    return f"think {think:.1f} s" if think else "closed loop"


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{collector} {count}" for collector, count in sorted(counts.items())) or "none"


def _medians(found: list[Measured]) -> dict[str, float]:
    return {
        key: statistics.median(getattr(m, key) for m in found) for key in ("rate", "submit_p50", "submit_p99")
    }


def _side(label: str, medians: dict[str, float]) -> str:
    return (
        f"{label} {medians['rate']:6.1f}/s submit p50 {medians['submit_p50']:.0f} ms "
        f"p99 {medians['submit_p99']:.0f} ms"
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
    parser.add_argument("--rounds", type=int, default=2, help="pairs of each comparison per backend")
    parser.add_argument("--rules-only", action="store_true", help="only the cost of quality control")
    parser.add_argument(
        "--dynamic-overlap-only", action="store_true", help="only the cost of dynamic overlap"
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pg = None if args.no_postgres else stack.enter_context(PostgresServer())
        databases = Databases(folder, args.workers, pg)
        only = args.rules_only or args.dynamic_overlap_only
        if not only:
            for processes, think in ((1, 0.0), (2, 0.0), (1, args.think), (2, args.think)):
                run(databases, "sqlite", args, processes, think)
            if pg is not None:
                run(databases, "postgresql", args, 2)
        comparisons = [
            variants
            for variants, wanted in (
                (("no rules", "5 rules"), not args.dynamic_overlap_only),
                (("no rules", "dynamic overlap"), not args.rules_only),
            )
            if wanted
        ]
        for think in (0.0, args.think):  # then below saturation, where latency is the server's own
            for variants in comparisons:
                compare(databases, "sqlite", args, 1, variants, think)
                if pg is not None:
                    compare(databases, "postgresql", args, 2, variants, think)


if __name__ == "__main__":
    main()
