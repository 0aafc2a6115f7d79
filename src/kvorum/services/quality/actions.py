"""What a rule does when its conditions hold. Each action answers what it changed, or None when
there was nothing to change (the worker is already restricted there, holds that skill value,
has no submitted work to review): an action already applied is not applied again."""

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from kvorum.services.assignments import review
from kvorum.services.assignments.model import Assignment
from kvorum.services.pools import lifecycle
from kvorum.services.quality.collectors import Hearing, Reading
from kvorum.services.quality.model import Collector, Rule
from kvorum.services.workforce import restrictions, skills
from kvorum.store import assignments as assignment_store
from kvorum.store import restrictions as restriction_store
from kvorum.store import skills as skill_store
from kvorum.store import tasks as task_store

Outcome = dict[str, Any]

_UNITS = {"MINUTES": timedelta(minutes=1), "HOURS": timedelta(hours=1), "DAYS": timedelta(days=1)}


def _until(rule: Rule, now: datetime) -> datetime | None:
    """When the restriction a rule sets ends; None: permanent."""
    parameters = rule.parameters
    if rule.action == "RESTRICTION":
        days = parameters.get("duration_days")
        return None if days is None else now + timedelta(days=days)
    unit = _UNITS.get(parameters["duration_unit"])
    duration = parameters.get("duration")
    return None if unit is None or duration is None else now + duration * unit


def _comment(collector: Collector, rule: Rule, hearing: Hearing) -> str:
    holder = (
        f"project {hearing.pool.project_id}" if collector.source == "PROJECT" else f"pool {hearing.pool.id}"
    )
    return (
        f"Quality control of {holder}: {collector.type} rule {rule.index + 1} "
        f"(collector {collector.uuid}): {rule.describe()}"
    )


def _restrict(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> Outcome | None:
    pool, scope = hearing.pool, rule.parameters["scope"]
    covering = {
        "POOL": [("POOL", pool.id), ("PROJECT", pool.project_id), ("ALL_PROJECTS", 0)],
        "PROJECT": [("PROJECT", pool.project_id), ("ALL_PROJECTS", 0)],
        "ALL_PROJECTS": [("ALL_PROJECTS", 0)],
    }[scope]
    if restriction_store.any_in_force(
        hearing.conn, owner_id=pool.owner_id, worker_id=reading.worker_id, targets=covering, now=hearing.now
    ):
        return None
    result = restrictions.restrict(
        hearing.conn,
        hearing.events,
        owner_id=pool.owner_id,
        worker_id=reading.worker_id,
        scope=scope,
        target_id=covering[0][1],
        private_comment=rule.parameters.get("private_comment") or _comment(collector, rule, hearing),
        will_expire=_until(rule, hearing.now),
        now=hearing.now,
    )
    return {"user_restriction_id": str(result.restriction.id)}


def _set_skill_to(hearing: Hearing, reading: Reading, skill_id: int, value: float) -> Outcome | None:
    held = skill_store.held(hearing.conn, skill_id=skill_id, worker_id=reading.worker_id)
    if held is not None and held.value == value and (held.expires is None or held.expires > hearing.now):
        return None
    skills.change_value(
        hearing.conn,
        hearing.events,
        owner_id=hearing.pool.owner_id,
        skill_id=skill_id,
        worker_id=reading.worker_id,
        value=value,
        now=hearing.now,
    )
    return {"skill_id": str(skill_id), "value": value}


def _set_skill(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> Outcome | None:
    return _set_skill_to(
        hearing, reading, int(rule.parameters["skill_id"]), float(rule.parameters["skill_value"])
    )


def _set_skill_from_field(
    hearing: Hearing, collector: Collector, rule: Rule, reading: Reading
) -> Outcome | None:
    value = reading.values.get(rule.parameters["from_field"])
    if value is None:
        return None
    return _set_skill_to(hearing, reading, int(rule.parameters["skill_id"]), round(float(value), 6))


def _submitted_in_pool(hearing: Hearing, reading: Reading) -> list[Assignment]:
    rows = assignment_store.of_worker(
        hearing.conn, pool_id=hearing.pool.id, worker_id=reading.worker_id, statuses=("SUBMITTED",)
    )
    return [Assignment.from_row(row) for row in rows]


def _reject_all(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> Outcome | None:
    comment = rule.parameters["public_comment"]
    rejected = [
        review.reject(hearing.conn, hearing.events, assignment, hearing.now, comment).id
        for assignment in _submitted_in_pool(hearing, reading)
    ]
    return {"rejected_assignment_ids": rejected} if rejected else None


def _approve_all(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> Outcome | None:
    accepted = [
        review.accept(hearing.conn, hearing.events, assignment, hearing.now, None, "RULE").id
        for assignment in _submitted_in_pool(hearing, reading)
    ]
    return {"accepted_assignment_ids": accepted} if accepted else None


def _raise(hearing: Hearing, assignment: Assignment, delta: int) -> int:
    if assignment.mixed:
        real = [task["id"] for task in assignment.tasks if task["kind"] == "REAL"]
        return task_store.add_overlap(
            hearing.conn, task_ids=real, suite_id=None, delta=delta, now=hearing.now
        )
    return task_store.add_overlap(
        hearing.conn, task_ids=[], suite_id=assignment.task_suite_id, delta=delta, now=hearing.now
    )


def _change_overlap(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> Outcome | None:
    """More workers get the suite of a reviewed assignment (ASSIGNMENTS_ASSESSMENT), or the work of
    a worker who lost access (USERS_ASSESSMENT): their submitted and accepted assignments."""
    delta = int(rule.parameters["delta"])
    if reading.assignment is not None:
        done = [reading.assignment]
    else:
        rows = assignment_store.of_worker(
            hearing.conn,
            pool_id=hearing.pool.id,
            worker_id=reading.worker_id,
            statuses=("SUBMITTED", "ACCEPTED"),
        )
        done = [Assignment.from_row(row) for row in rows]
    raised = sum(_raise(hearing, assignment, delta) for assignment in done)
    if not raised:
        return None
    opened = bool(rule.parameters.get("open_pool")) and lifecycle.reopen(
        hearing.conn, hearing.pool, hearing.now
    )
    return {"raised": raised, "delta": delta, "pool_opened": opened}


ACTIONS: Mapping[str, Callable[[Hearing, Collector, Rule, Reading], Outcome | None]] = {
    "RESTRICTION": _restrict,
    "RESTRICTION_V2": _restrict,
    "SET_SKILL": _set_skill,
    "SET_SKILL_FROM_OUTPUT_FIELD": _set_skill_from_field,
    "REJECT_ALL_ASSIGNMENTS": _reject_all,
    "APPROVE_ALL_ASSIGNMENTS": _approve_all,
    "CHANGE_OVERLAP": _change_overlap,
}


def apply(hearing: Hearing, collector: Collector, rule: Rule, reading: Reading) -> Outcome | None:
    return ACTIONS[rule.action](hearing, collector, rule, reading)
