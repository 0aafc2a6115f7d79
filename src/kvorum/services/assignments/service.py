"""The assignment lifecycle: ACTIVE -> SUBMITTED -> ACCEPTED / REJECTED, or SKIPPED / EXPIRED.

Active, submitted and accepted assignments hold an overlap slot of their tasks (or uploaded
suite); skipping, expiring and rejection give it back. Workers see their own assignments without
answers; requesters see everything about assignments in their pools.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Connection, Row

from kvorum.schemas.common import Str, format_datetime, owner
from kvorum.services import search as search_rules
from kvorum.services.accounts.workers import Worker
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems, ValidationFailed, validation_payload
from kvorum.services.tasks.values import ValuesChecker
from kvorum.services.workforce import ratings
from kvorum.store import assignments as store
from kvorum.store import pools as pool_store
from kvorum.store import skills as skill_store

STATUSES = ("ACTIVE", "SUBMITTED", "ACCEPTED", "REJECTED", "SKIPPED", "EXPIRED")
TIMES = ("submitted", "accepted", "rejected", "skipped", "expired")


def _statuses(text: str) -> list[str]:
    values = [value.strip() for value in text.split(",")]
    unknown = [value for value in values if value not in STATUSES]
    if unknown:
        raise ValueError(f"expected statuses among {', '.join(STATUSES)}")
    return values


SEARCH = search_rules.SearchSpec(
    exact={
        "status": _statuses,
        "pool_id": search_rules.numeric_id,
        "task_suite_id": search_rules.text_value,
        "user_id": search_rules.numeric_id,
        "task_id": search_rules.text_value,
    },
    ranges={"id": search_rules.text_value, "created": search_rules.date_time}
    | {name: search_rules.date_time for name in TIMES},
    sorts=frozenset({"id", "created", *TIMES}),
    default_limit=50,
    max_limit=100_000,
)


def _times(row: Mapping[Any, Any]) -> dict[str, str]:
    return {name: format_datetime(row[name]) for name in ("created", *TIMES) if row.get(name) is not None}


def worker_view(row: Mapping[Any, Any], hidden: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What the worker sees: inputs (hidden fields left out), never known answers or hints."""
    tasks = [
        {"id": task["id"], "input_values": {k: v for k, v in task["input_values"].items() if k not in hidden}}
        for task in row["tasks"]
    ]
    view = {
        "id": row["id"],
        "pool_id": str(row["pool_id"]),
        "task_suite_id": row["task_suite_id"],
        "status": row["status"],
        "reward": row["reward"],
        "expires": format_datetime(row["expires"]),
        "tasks": tasks,
        **_times(row),
    }
    if row.get("solutions") is not None:
        view["solutions"] = row["solutions"]
    return view


def requester_view(row: Row[Any], caller: int) -> dict[str, Any]:
    """The Toloka assignment object."""
    tasks = [
        {key: value for key, value in {**task, "pool_id": str(row.pool_id)}.items() if key != "kind"}
        for task in row.tasks
    ]
    view: dict[str, Any] = {
        "id": row.id,
        "task_suite_id": row.task_suite_id,
        "pool_id": str(row.pool_id),
        "user_id": str(row.worker_id),
        "status": row.status,
        "reward": row.reward,
        "mixed": row.mixed,
        "automerged": False,
        "tasks": tasks,
        "owner": owner(row.owner_id, caller),
        **_times(row._mapping),
    }
    if row.solutions is not None:
        view["solutions"] = row.solutions
    if row.public_comment is not None:
        view["public_comment"] = row.public_comment
    return view


def _release(conn: Connection, row: Row[Any], delta: int = -1) -> None:
    """Give back (or take again) the overlap slot the assignment holds."""
    if row.mixed:
        store.take(conn, task_ids=[task["id"] for task in row.tasks], suite_id=None, delta=delta)
    else:
        store.take(conn, task_ids=[], suite_id=row.task_suite_id, delta=delta)


def _move(conn: Connection, row: Row[Any], to: str, now: datetime, **extra: Any) -> None:
    stamp = {"SUBMITTED": "submitted", "ACCEPTED": "accepted", "REJECTED": "rejected", "SKIPPED": "skipped"}
    values = {"status": to, stamp.get(to, "expired"): now, **extra}
    if not store.change_status(conn, assignment_id=row.id, from_statuses=(row.status,), values=values):
        raise Conflict(f"Assignment {row.id} changed meanwhile; try again")


def _workers_own(conn: Connection, worker: Worker, assignment_id: str) -> Row[Any]:
    row = store.get(conn, assignment_id=assignment_id)
    if row is None or row.worker_id != worker.id:
        raise NotFound(f"Assignment {assignment_id} does not exist")
    return row


def hidden_inputs(pool: Row[Any]) -> frozenset[str]:
    spec = pool.project_spec["task_spec"]["input_spec"]
    return frozenset(name for name, field in spec.items() if field.get("hidden"))


def get_for_worker(ctx: Context, *, worker: Worker, assignment_id: str) -> dict[str, Any]:
    with ctx.db.read() as conn:
        row = _workers_own(conn, worker, assignment_id)
        pool = pool_store.get_for_workers(conn, pool_id=row.pool_id)
    assert pool is not None
    return worker_view(row._mapping, hidden_inputs(pool))


class Solution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    output_values: dict[Str, Any]


class Submission(BaseModel):
    model_config = ConfigDict(extra="forbid")
    solutions: list[Solution] = Field(max_length=10_000)


def _correct(answer: dict[str, Any], known: list[dict[str, Any]]) -> bool:
    return any(_matches(answer, solution) for solution in known)


def _expire_if_late(conn: Connection, row: Row[Any], now: datetime) -> bool:
    """Expire the assignment if its time is up (the timer may not have run yet); whether it did."""
    if row.status != "ACTIVE" or row.expires > now:
        return False
    _move(conn, row, "EXPIRED", now)
    _release(conn, row)
    return True


def _require_active(row: Row[Any], expired: bool) -> None:
    if expired or row.status != "ACTIVE":
        raise Conflict(f"Assignment {row.id} is {'EXPIRED' if expired else row.status}, not ACTIVE")


def submit(ctx: Context, *, worker: Worker, assignment_id: str, raw: bytes) -> dict[str, Any]:
    """Record the answers; they are checked against the output spec, one solution per task in order.

    Training tasks (and control tasks) report whether the answer was right, with the hint.
    """
    try:
        submission = Submission.model_validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed("Validation failed", validation_payload(exc.errors())) from None
    with ctx.db.write() as conn:
        row = _workers_own(conn, worker, assignment_id)
        now = ctx.clock.now()
        expired = _expire_if_late(conn, row, now)
        if not expired:
            view = _record_answers(conn, row, submission, worker, now)
    _require_active(row, expired)  # after the commit, so that a late assignment stays expired
    return view


def _record_answers(
    conn: Connection, row: Row[Any], submission: Submission, worker: Worker, now: datetime
) -> dict[str, Any]:
    _require_active(row, False)
    pool = pool_store.get_for_workers(conn, pool_id=row.pool_id)
    assert pool is not None
    problems = Problems()
    if len(submission.solutions) != len(row.tasks):
        problems.add(
            "solutions", "VALUE_OUT_OF_BOUNDS", f"send {len(row.tasks)} solutions, one per task in order"
        )
    problems.raise_if_any()
    outputs = ValuesChecker(pool.project_spec["task_spec"]["output_spec"])
    errors: dict[str, dict[str, str]] = {}
    for index, solution in enumerate(submission.solutions):
        outputs.check(solution.output_values, f"solutions.{index}.output_values", errors)
    if errors:
        raise ValidationFailed("Some answers do not fit the task", errors)
    solutions = [{"output_values": solution.output_values} for solution in submission.solutions]
    accept_now = pool.kind == "TRAINING" or pool.spec.get("auto_accept_solutions", True)
    status = "ACCEPTED" if accept_now else "SUBMITTED"
    _move(conn, row, status, now, solutions=solutions, submitted=now)
    if pool.kind == "TRAINING":
        _score_training(conn, pool, worker, row.attempt, now)
        ratings.record_activity(conn, worker_id=worker.id, now=now)
    else:
        _rate_control_answers(conn, row, solutions, now)
    changed = {"status": status, "solutions": solutions, "submitted": now, status.lower(): now}
    view = worker_view({**row._mapping, **changed}, hidden_inputs(pool))
    view["feedback"] = [
        {
            "task_id": task["id"],
            "correct": _correct(solution["output_values"], task["known_solutions"]),
            **(
                {"hint": task["message_on_unknown_solution"]} if "message_on_unknown_solution" in task else {}
            ),
        }
        for task, solution in zip(row.tasks, solutions, strict=True)
        if task.get("known_solutions") and task["kind"] == "TRAINING"
    ]
    return view


def _score_training(
    conn: Connection, training: Row[Any], worker: Worker, attempt: int, now: datetime
) -> None:
    """The training's skill: the share of correct answers in this attempt (each task is answered
    once per attempt), by weight.

    It is set once the worker has submitted task_suites_required_to_pass suites, and expires when
    the training may be retaken (see _skill_lifetime).
    """
    answered = store.answered(conn, pool_id=training.id, worker_id=worker.id, attempt=attempt)
    if len(answered) < (training.spec.get("task_suites_required_to_pass") or 1):
        return
    total = correct = 0.0
    for row in answered:
        for task, solution in zip(row.tasks, row.solutions, strict=True):
            total += 1
            correct += _credit(solution["output_values"], task.get("known_solutions") or [])
    skill_id = skill_store.training_skill(conn, training=training, now=now)
    lifetime = _skill_lifetime(conn, training)
    skill_store.set_value(
        conn,
        skill_id=skill_id,
        worker_id=worker.id,
        value=100 * correct / total,
        now=now,
        expires=None if lifetime is None else now + lifetime,
    )


def _skill_lifetime(conn: Connection, training: Row[Any]) -> timedelta | None:
    """How long a training's skill lasts: the training's retry_training_after_days, or the
    training_config.training_skill_ttl_days of a pool requiring it, whichever is shorter; None is forever."""
    days = [training.spec.get("retry_training_after_days")]
    for pool in pool_store.of_project(conn, project_id=training.project_id):
        requirement = (pool.spec.get("quality_control") or {}).get("training_requirement") or {}
        if pool.status != "ARCHIVED" and str(requirement.get("training_pool_id")) == str(training.id):
            days.append((pool.spec.get("training_config") or {}).get("training_skill_ttl_days"))
    known = [day for day in days if day]
    return timedelta(days=min(known)) if known else None


def _rate_control_answers(
    conn: Connection, row: Row[Any], solutions: list[dict[str, Any]], now: datetime
) -> None:
    """Count the worker's answers to control tasks towards their rating."""
    credits = [
        min(_credit(solution["output_values"], task["known_solutions"]), 1.0)
        for task, solution in zip(row.tasks, solutions, strict=True)
        if task["kind"] == "GOLDEN" and task.get("known_solutions")
    ]
    ratings.record_control_answers(
        conn, worker_id=row.worker_id, answers=len(credits), correct=sum(credits), now=now
    )


def _credit(answer: dict[str, Any], known: list[dict[str, Any]]) -> float:
    """The weight of the best known solution the answer matches; 0 when it matches none."""
    weights = [solution.get("correctness_weight", 1) for solution in known if _matches(answer, solution)]
    return float(max(weights, default=0))


def _matches(answer: dict[str, Any], solution: dict[str, Any]) -> bool:
    return all(answer.get(key) == value for key, value in solution["output_values"].items())


def skip(ctx: Context, *, worker: Worker, assignment_id: str) -> dict[str, Any]:
    """Give the suite back; its overlap slot goes to someone else."""
    with ctx.db.write() as conn:
        row = _workers_own(conn, worker, assignment_id)
        now = ctx.clock.now()
        expired = _expire_if_late(conn, row, now)
        if not expired and row.status == "ACTIVE":
            _move(conn, row, "SKIPPED", now)
            _release(conn, row)
    _require_active(row, expired)
    return worker_view({**row._mapping, "status": "SKIPPED", "skipped": now})


# Requester side


def _requesters(conn: Connection, caller: int, assignment_id: str) -> Row[Any]:
    row = store.get(conn, assignment_id=assignment_id)
    if row is None or row.owner_id != caller:
        raise NotFound(f"Assignment {assignment_id} does not exist")
    return row


def get(ctx: Context, *, caller: int, assignment_id: str) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return requester_view(_requesters(conn, caller, assignment_id), caller)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> dict[str, Any]:
    return search_rules.page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find(
            conn, owner_id=caller, search=search, task_id=search.equals.pop("task_id", None)
        ),
        lambda row: requester_view(row, caller),
    )


class Review(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str
    public_comment: Str | None = Field(default=None, max_length=2048)


def review(ctx: Context, *, caller: int, assignment_id: str, raw: bytes) -> dict[str, Any]:
    """SUBMITTED -> ACCEPTED or REJECTED; REJECTED -> ACCEPTED within the review period."""
    try:
        body = Review.model_validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed("Validation failed", validation_payload(exc.errors())) from None
    problems = Problems()
    if body.status not in ("ACCEPTED", "REJECTED"):
        problems.add("status", "VALUE_NOT_ALLOWED", "status is ACCEPTED or REJECTED")
    if body.status == "REJECTED" and not body.public_comment:
        problems.add("public_comment", "VALUE_REQUIRED", "tell the worker why the answer is rejected")
    problems.raise_if_any()
    with ctx.db.write() as conn:
        row = _requesters(conn, caller, assignment_id)
        now = ctx.clock.now()
        allowed = {"ACCEPTED": ("SUBMITTED", "REJECTED"), "REJECTED": ("SUBMITTED",)}[body.status]
        if row.status not in allowed:
            raise Conflict(f"Assignment {row.id} is {row.status}; it cannot become {body.status}")
        if row.status == "REJECTED":
            pool = pool_store.get_for_workers(conn, pool_id=row.pool_id)
            assert pool is not None
            period = timedelta(days=pool.spec.get("auto_accept_period_day") or 21)
            if now > row.submitted + period:
                raise Conflict(f"The review period of assignment {row.id} is over")
            _release(conn, row, delta=1)
        _move(conn, row, body.status, now, public_comment=body.public_comment)
        if body.status == "REJECTED":
            _release(conn, row)
        ratings.record_review(
            conn, worker_id=row.worker_id, status=body.status, was_rejected=row.status == "REJECTED", now=now
        )
        updated = store.get(conn, assignment_id=row.id)
    assert updated is not None
    return requester_view(updated, caller)


# Timers


def _any_due(ctx: Context, *, status: str, column: str, before: datetime) -> bool:
    """A cheap look before taking the write lock: timers run every half second in every process."""
    with ctx.db.read() as conn:
        return bool(store.due(conn, status=status, column=column, before=before, limit=1))


def expire_due(ctx: Context, *, limit: int = 1000) -> int:
    """Expire active assignments whose time is up; their slots go back."""
    now = ctx.clock.now()
    if not _any_due(ctx, status="ACTIVE", column="expires", before=now):
        return 0
    with ctx.db.write() as conn:
        rows = store.due(conn, status="ACTIVE", column="expires", before=now, limit=limit)
        for row in rows:
            _move(conn, row, "EXPIRED", now)
            _release(conn, row)
    return len(rows)


def auto_accept_due(ctx: Context, *, limit: int = 1000) -> int:
    """Accept submitted assignments left unreviewed past their pool's auto_accept_period_day."""
    accepted = 0
    now = ctx.clock.now()
    if not _any_due(ctx, status="SUBMITTED", column="submitted", before=now - timedelta(days=1)):
        return 0
    with ctx.db.write() as conn:
        rows = store.due(
            conn, status="SUBMITTED", column="submitted", before=now - timedelta(days=1), limit=limit
        )
        periods: dict[int, int] = {}
        for row in rows:
            if row.pool_id not in periods:
                pool = pool_store.get_for_workers(conn, pool_id=row.pool_id)
                assert pool is not None
                periods[row.pool_id] = pool.spec.get("auto_accept_period_day") or 21
            if row.submitted + timedelta(days=periods[row.pool_id]) <= now:
                _move(conn, row, "ACCEPTED", now)
                accepted += 1
    return accepted
