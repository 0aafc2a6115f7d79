"""A pool filled with answers directly in the store, for aggregation at a size issuing cannot reach
quickly: workers, real tasks and accepted assignments written with the drivers' bulk paths."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select

from kvorum.services.context import Context
from kvorum.store import bulk
from kvorum.store import tasks as task_store
from kvorum.store.tables import assignment_tasks, assignments, workers

ASSIGNMENT_COLUMNS = (
    "id",
    "owner_id",
    "pool_id",
    "task_suite_id",
    "worker_id",
    "status",
    "reward",
    "mixed",
    "created",
    "expires",
    "submitted",
    "accepted",
    "tasks",
    "solutions",
    "attempt",
)
MEMBER_COLUMNS = ("assignment_id", "position", "task_id", "pool_id", "worker_id", "attempt")


@dataclass(frozen=True)
class Filled:
    task_ids: list[str]
    """By task number."""
    worker_ids: list[int]
    """By worker number."""


def fill_pool(
    ctx: Context,
    *,
    owner_id: int,
    pool_id: int,
    field: str,
    answers: Sequence[tuple[int, int, Any]],
    n_tasks: int,
    n_workers: int,
    tasks_per_suite: int = 5,
    worker_prefix: str = "filled",
) -> Filled:
    """Real tasks 0..n_tasks-1 and workers 0..n_workers-1; each (task, worker, value) answer becomes
    the worker's ACCEPTED answer `{field: value}`, `tasks_per_suite` of a worker's answers a suite."""
    now = ctx.clock.now()
    by_worker: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for task, worker, value in answers:
        by_worker[worker].append((task, value))
    with ctx.db.write() as conn:
        names = [f"{worker_prefix}-{number}" for number in range(n_workers)]
        bulk.insert_rows(conn, workers, ("name", "created", "profile"), [(name, now, "{}") for name in names])
        ids = dict(conn.execute(select(workers.c.name, workers.c.id).where(workers.c.name.in_(names))).all())
        worker_ids = [int(ids[name]) for name in names]
        task_ids = task_store.allocate_ids(conn, sequence="task", count=n_tasks)
        bodies = [orjson.dumps({"input_values": {"n": number}}).decode() for number in range(n_tasks)]
        task_store.insert_tasks(
            conn,
            [(task_ids[n], owner_id, pool_id, now, 1, False, "REAL", bodies[n]) for n in range(n_tasks)],
        )
        suites = [
            (worker, done[start : start + tasks_per_suite])
            for worker, done in sorted(by_worker.items())
            for start in range(0, len(done), tasks_per_suite)
        ]
        assignment_ids = task_store.allocate_ids(conn, sequence="assignment", count=len(suites))
        suite_ids = task_store.allocate_ids(conn, sequence="task_suite", count=len(suites))
        rows, members = [], []
        for assignment_id, suite_id, (worker, suite) in zip(assignment_ids, suite_ids, suites, strict=True):
            worker_id = worker_ids[worker]
            issued = [
                {"id": task_ids[task], "kind": "REAL", "input_values": {"n": task}} for task, _ in suite
            ]
            solutions = [{"output_values": {field: value}} for _, value in suite]
            rows.append(
                (
                    assignment_id,
                    owner_id,
                    pool_id,
                    suite_id,
                    worker_id,
                    "ACCEPTED",
                    0.01,
                    True,
                    now,
                    now,
                    now,
                    now,
                    orjson.dumps(issued).decode(),
                    orjson.dumps(solutions).decode(),
                    0,
                )
            )
            members.extend(
                (assignment_id, position, task_ids[task], pool_id, worker_id, 0)
                for position, (task, _) in enumerate(suite)
            )
        bulk.insert_rows(conn, assignments, ASSIGNMENT_COLUMNS, rows)
        bulk.insert_rows(conn, assignment_tasks, MEMBER_COLUMNS, members)
    return Filled(task_ids, worker_ids)
