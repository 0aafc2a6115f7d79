"""Which pools a worker may take now, and the task suite a worker is issued (the mixer).

A pool with a mixer_config builds each suite from its real, control (golden) and training tasks
in the configured counts; a training builds suites of its training tasks; any other pool issues
the suites the requester uploaded. A task is issued to at most `overlap` workers at a time
(active, submitted and accepted assignments hold a slot), never twice to one worker in a pool.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Row

from kvorum.schemas.common import format_datetime
from kvorum.schemas.ids import parse_id
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments.service import hidden_inputs, worker_view
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound
from kvorum.services.issuing.distribution import selected
from kvorum.services.workforce import ratings, restrictions
from kvorum.services.workforce.filters import matches
from kvorum.store import assignments as store
from kvorum.store import pools as pool_store
from kvorum.store import skills as skill_store
from kvorum.store import tasks as task_store


class NothingToIssue(Conflict):
    code = "ALL_ASSIGNMENTS_EXHAUSTED"


class ActiveAssignment(Conflict):
    code = "THERE_IS_ACTIVE_ASSIGNMENT"


def unavailable(
    conn: Connection, pool: Row[Any], worker: Worker, skills: dict[int, float], now: datetime
) -> str | None:
    """Why the worker may not take this pool now; None when they may."""
    if pool.status != "OPEN":
        return f"pool {pool.id} is not open"
    expires = pool.spec.get("will_expire")
    if expires is not None and datetime.fromisoformat(expires) <= now:
        return f"pool {pool.id} has expired"
    if not matches(pool.spec.get("filter"), worker.facts(skills)):
        return f"pool {pool.id} is for other workers"
    reason = restrictions.keeps_out(conn, worker_id=worker.id, pool=pool, now=now) or ratings.outranked(
        conn, pool, worker.id, now
    )
    if reason is not None:
        return reason
    if pool.kind == "TRAINING":
        return _training_done(conn, pool, worker, now)
    requirement = (pool.spec.get("quality_control") or {}).get("training_requirement")
    if requirement is not None:
        skill_id = skill_store.skill_of_training(conn, training_id=int(requirement["training_pool_id"]))
        score = None if skill_id is None else skills.get(skill_id)
        if score is None or score < requirement["training_passing_skill_value"]:
            return f"pass training {requirement['training_pool_id']} first"
    return None


def _training_skill(conn: Connection, training: Row[Any], worker: Worker) -> Row[Any] | None:
    """The worker's value of the training's skill, expired or not."""
    skill_id = skill_store.skill_of_training(conn, training_id=training.id)
    return None if skill_id is None else skill_store.held(conn, skill_id=skill_id, worker_id=worker.id)


def _training_done(conn: Connection, training: Row[Any], worker: Worker, now: datetime) -> str | None:
    """A worker who holds a training's skill is done with it until the skill expires."""
    held = _training_skill(conn, training, worker)
    if held is None or (held.expires is not None and held.expires <= now):
        return None
    retake = "" if held.expires is None else f"; it can be retaken from {format_datetime(held.expires)}"
    return f"you have completed training {training.id}{retake}"


def attempt_of(conn: Connection, pool: Row[Any], worker: Worker, now: datetime) -> int:
    """The worker's pass through a training: a new one starts once the skill from the last expired.
    Other pools have a single attempt, 0."""
    if pool.kind != "TRAINING":
        return 0
    attempt, started = store.latest_attempt(conn, pool_id=pool.id, worker_id=worker.id)
    held = _training_skill(conn, pool, worker)
    if held is None or held.expires is None or held.expires > now:
        return attempt
    return attempt + 1 if started is not None and started <= held.modified else attempt


@dataclass(frozen=True)
class Suite:
    """What is issued: each task as {"id", "kind", <its stored body>}, and the suite it came from."""

    tasks: list[dict[str, Any]]
    suite_id: str | None
    mixed: bool


def _snapshot(task_id: str, kind: str, body: str) -> dict[str, Any]:
    return {"id": task_id, "kind": kind, **orjson.loads(body)}


def _reserved_elsewhere(item: dict[str, Any], worker: Worker) -> bool:
    """A task or suite reserved for other workers, or unavailable to this one."""
    me = str(worker.id)
    reserved: list[str] = item.get("reserved_for") or []
    unavailable: list[str] = item.get("unavailable_for") or []
    return (bool(reserved) and me not in reserved) or me in unavailable


@dataclass(frozen=True)
class Seat:
    """Who is being issued to: the worker, and their attempt at the pool (see attempt_of)."""

    worker: Worker
    attempt: int


def _free_for(
    conn: Connection, pool: Row[Any], seat: Seat, kind: str, count: int, in_order: bool = True
) -> list[dict[str, Any]]:
    """Up to `count` tasks of `kind` the worker may be issued: in creation order, or from a random
    point of the pool onwards (wrapping around) when the pool mixes tasks out of order."""
    start = None if in_order else _random_start(conn, pool, kind)
    chosen = _scan(conn, pool, seat, kind, count, after=start)
    if start is not None and len(chosen) < count:
        seen = {task["id"] for task in chosen}
        more = _scan(conn, pool, seat, kind, count - len(chosen), after=None)
        chosen.extend(task for task in more if task["id"] not in seen)
    return chosen[:count]


def _random_start(conn: Connection, pool: Row[Any], kind: str) -> str | None:
    low, high = store.task_id_range(conn, pool_id=pool.id, kind=kind)
    if low is None or high is None:
        return None
    return format(random.randint(int(low, 16), int(high, 16)) - 1, f"0{len(low)}x")


def _scan(
    conn: Connection, pool: Row[Any], seat: Seat, kind: str, count: int, after: str | None
) -> list[dict[str, Any]]:
    """Tasks after `after` in id order, skipping those reserved for others, until `count` are found."""
    chosen: list[dict[str, Any]] = []
    while len(chosen) < count:
        wanted = count - len(chosen)
        page = store.free_tasks(
            conn,
            pool_id=pool.id,
            worker_id=seat.worker.id,
            attempt=seat.attempt,
            kind=kind,
            limit=wanted,
            after=after,
        )
        chosen.extend(
            task
            for task in (_snapshot(row.id, row.kind, row.body) for row in page)
            if not _reserved_elsewhere(task, seat.worker)
        )
        if len(page) < wanted:
            break
        after = page[-1].id
    return chosen


@dataclass(frozen=True)
class Plan:
    """What the mixer draws for one suite: per kind (count, minimum), and how to finish it."""

    counts: dict[str, tuple[int, int]]
    in_order: bool
    shuffle: bool
    force_last: bool
    force_last_delay: timedelta


def _done(conn: Connection, pool: Row[Any], worker: Worker, function: dict[str, Any], now: datetime) -> int:
    """The worker's completed tasks a distribution function counts: in the pool or its project."""
    if function["scope"] == "PROJECT":
        pool_ids = [row.id for row in pool_store.of_project(conn, project_id=pool.project_id)]
    else:
        pool_ids = [pool.id]
    since = now - timedelta(days=function["window_days"])
    return store.completed_tasks(conn, worker_id=worker.id, pool_ids=pool_ids, since=since)


def _plan(conn: Connection, pool: Row[Any], worker: Worker, now: datetime) -> Plan:
    if pool.kind == "TRAINING":
        size = pool.spec["training_tasks_in_task_suite_count"]
        shuffle = pool.spec.get("shuffle_tasks_in_task_suite", True)
        in_order = pool.spec.get("mix_tasks_in_creation_order", True)
        return Plan({"TRAINING": (size, size)}, in_order, shuffle, True, timedelta())
    mixer = pool.spec["mixer_config"]
    counts = {
        kind: (
            mixer[f"{name}_tasks_count"],
            mixer.get(f"min_{name}_tasks_count", mixer[f"{name}_tasks_count"]),
        )
        for kind, name in (("REAL", "real"), ("GOLDEN", "golden"), ("TRAINING", "training"))
    }
    size = mixer["real_tasks_count"]  # with a distribution function, the size of the whole suite
    for kind, name in (("GOLDEN", "golden"), ("TRAINING", "training")):
        function = mixer.get(f"{name}_task_distribution_function")
        if function is not None:
            count = min(selected(function, _done(conn, pool, worker, function, now), size), counts["REAL"][0])
            counts[kind] = (count, count)
            real, minimum = counts["REAL"]
            counts["REAL"] = (real - count, min(minimum, real - count))
    return Plan(
        counts,
        mixer.get("mix_tasks_in_creation_order", True),
        mixer.get("shuffle_tasks_in_task_suite", False),
        mixer.get("force_last_assignment", True),
        timedelta(seconds=mixer.get("force_last_assignment_delay_seconds") or 0),
    )


def _mixed(conn: Connection, pool: Row[Any], seat: Seat, now: datetime) -> Suite | None:
    """A suite drawn by the mixer: each kind in its count, falling back to its minimum.

    Control and training tasks must reach their minimum; real tasks may fall short only for the
    last suite of the pool (force_last_assignment), once force_last_assignment_delay_seconds have
    passed since the last task was added or had its overlap raised.
    """
    plan = _plan(conn, pool, seat.worker, now)
    chosen: list[dict[str, Any]] = []
    for kind, (count, minimum) in plan.counts.items():
        if count == 0:
            continue
        found = _free_for(conn, pool, seat, kind, count, plan.in_order)
        if len(found) < minimum and not (kind == "REAL" and found and _last_suite_due(conn, pool, plan, now)):
            return None
        chosen.extend(found)
    if not chosen or (
        plan.counts.get("REAL", (0, 0))[0] and not any(task["kind"] == "REAL" for task in chosen)
    ):
        return None
    if plan.shuffle:
        random.shuffle(chosen)
    return Suite(chosen, None, True)


def _last_suite_due(conn: Connection, pool: Row[Any], plan: Plan, now: datetime) -> bool:
    if not plan.force_last:
        return False
    added = store.last_work_added(conn, pool_id=pool.id)
    return added is None or added + plan.force_last_delay <= now


def _uploaded(conn: Connection, pool: Row[Any], worker: Worker) -> Suite | None:
    """The next uploaded suite the worker may be issued, read a page at a time past reserved ones."""
    by_override = bool(
        (pool.spec.get("assignments_issuing_config") or {}).get("issue_task_suites_in_creation_order")
    )
    skip = 0
    while True:
        page = store.free_suites(
            conn, pool_id=pool.id, worker_id=worker.id, by_override=by_override, skip=skip, limit=SUITE_PAGE
        )
        for row in page:
            body = orjson.loads(row.body)
            if not _reserved_elsewhere(body, worker):
                tasks = [
                    {"kind": "GOLDEN" if task.get("known_solutions") else "REAL", **task}
                    for task in body["tasks"]
                ]
                return Suite(tasks, row.id, False)
        if len(page) < SUITE_PAGE:
            return None
        skip += SUITE_PAGE


SUITE_PAGE = 8
"""Suites read per query: usually the first is issued, and suite bodies can be large."""


def _has_work(conn: Connection, pool: Row[Any], worker: Worker, now: datetime) -> bool:
    """Whether the pool has anything it could issue this worker (what it leads with: real tasks)."""
    if pool.kind != "TRAINING" and pool.spec.get("mixer_config") is None:
        return _uploaded(conn, pool, worker) is not None
    mixer = pool.spec.get("mixer_config") or {}
    lead = "TRAINING" if pool.kind == "TRAINING" else "REAL" if mixer["real_tasks_count"] else "GOLDEN"
    return bool(_free_for(conn, pool, Seat(worker, attempt_of(conn, pool, worker, now)), lead, 1))


def _reward(pool: Row[Any], skills: dict[int, float]) -> float:
    """The pool's reward, or the dynamic price of the worker's skill interval."""
    pricing = pool.spec.get("dynamic_pricing_config")
    value = None if pricing is None else skills.get(int(pricing["skill_id"]))
    if pricing is not None and value is not None:
        for interval in pricing["intervals"]:
            if interval.get("from", 0) <= value <= interval.get("to", 100):
                return float(interval["reward_per_assignment"])
    return float(pool.spec.get("reward_per_assignment", 0))


def issue(ctx: Context, *, worker: Worker, pool_id: str) -> dict[str, Any]:
    """Issue the worker a task suite of the pool as a new ACTIVE assignment, as the worker sees it."""
    with ctx.db.write() as conn:
        key = parse_id(pool_id)
        pool = None if key is None else pool_store.get_for_workers(conn, pool_id=key)
        if pool is None:
            raise NotFound(f"Pool {pool_id} does not exist")
        now = ctx.clock.now()
        skills = skill_store.values_of(conn, worker_id=worker.id, now=now)
        reason = unavailable(conn, pool, worker, skills, now)
        if reason is not None:
            raise Conflict(f"You cannot take tasks from this pool: {reason}")
        store.serialize_issuing(conn, pool_id=pool.id)
        if store.active_in_pool(conn, pool_id=pool.id, worker_id=worker.id) is not None:
            raise ActiveAssignment(f"Finish or skip your active assignment in pool {pool.id} first")
        uses_mixer = pool.kind == "TRAINING" or pool.spec.get("mixer_config") is not None
        seat = Seat(worker, attempt_of(conn, pool, worker, now))
        suite = _mixed(conn, pool, seat, now) if uses_mixer else _uploaded(conn, pool, worker)
        if suite is None:
            raise NothingToIssue(f"Pool {pool.id} has no tasks left for you")
        assignment_id = task_store.allocate_ids(conn, sequence="assignment", count=1)[0]
        suite_id = suite.suite_id or task_store.allocate_ids(conn, sequence="task_suite", count=1)[0]
        task_ids = [task["id"] for task in suite.tasks]
        store.take(conn, task_ids=[] if suite.suite_id else task_ids, suite_id=suite.suite_id, delta=1)
        values = {
            "id": assignment_id,
            "owner_id": pool.owner_id,
            "pool_id": pool.id,
            "task_suite_id": suite_id,
            "worker_id": worker.id,
            "status": "ACTIVE",
            "reward": _reward(pool, skills),
            "mixed": suite.mixed,
            "created": now,
            "expires": now + timedelta(seconds=pool.spec.get("assignment_max_duration_seconds") or 3600),
            "tasks": suite.tasks,
            "attempt": seat.attempt,
        }
        members = [
            {
                "assignment_id": assignment_id,
                "position": n,
                "task_id": task_id,
                "pool_id": pool.id,
                "worker_id": worker.id,
                "attempt": seat.attempt,
            }
            for n, task_id in enumerate(task_ids)
        ]
        store.insert_assignment(conn, values, members)
        ratings.record_activity(conn, worker_id=worker.id, now=now)
        return worker_view(values, hidden_inputs(pool))


def available_pools(ctx: Context, *, worker: Worker) -> list[dict[str, Any]]:
    """The open pools and trainings the worker may take now, with what a worker reads before starting."""
    now = ctx.clock.now()
    offered = []
    with ctx.db.read() as conn:
        skills = skill_store.values_of(conn, worker_id=worker.id, now=now)
        rows = [
            pool
            for pool in pool_store.open_for_workers(conn)
            if unavailable(conn, pool, worker, skills, now) is None and _has_work(conn, pool, worker, now)
        ]
    for pool in rows:
        project = pool.project_spec
        offered.append(
            {
                "id": str(pool.id),
                "type": pool.kind,
                "title": project["public_name"],
                "reward": pool.spec.get("reward_per_assignment", 0),
                "description": pool.spec.get("public_description") or project["public_description"],
                "instructions": pool.spec.get("public_instructions")
                or project.get("public_instructions", ""),
                "priority": pool.spec.get("priority", 0),
            }
        )
    return sorted(offered, key=lambda pool: (pool["type"] != "TRAINING", -pool["priority"], int(pool["id"])))
