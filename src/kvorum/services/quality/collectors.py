"""What each collector counts, and its condition keys' values when an event feeds it.

A collector hears the events that concern it (see READERS), counts them as observations keyed
by its uuid (counted once: see store.quality.observe), and answers a Reading per worker whose
values changed: the rule engine checks the collector's rules against those values. Rates are
percentages, absent until something was counted. `history_size` limits a count to the latest
observations.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from kvorum.services.assignments import grading
from kvorum.services.assignments.events import (
    Accepted,
    AccessLost,
    AssignmentEvent,
    Event,
    Rejected,
    Skipped,
    Submitted,
    Subscribers,
)
from kvorum.services.assignments.model import Assignment
from kvorum.services.pools.model import Pool
from kvorum.services.quality.model import Collector, Values
from kvorum.store import assignments as assignment_store
from kvorum.store import quality as store

WHOLE_ASSIGNMENT = -1
"""The position of an observation about an assignment rather than one of its answers."""
INCOME_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Hearing:
    """An event as the rule engine hears it: in the transaction of the change, with its pool."""

    conn: Connection
    events: Subscribers
    pool: Pool
    event: Event
    now: datetime

    @property
    def trigger(self) -> str:
        """Names the event, so that a rule acts once per event."""
        event = self.event
        if isinstance(event, AccessLost):
            return f"ACCESS_LOST:{event.reason}:{event.skill_id or ''}:{event.at.isoformat()}"
        assert isinstance(event, AssignmentEvent)
        return f"{type(event).__name__.upper()}:{event.assignment_id}"


@dataclass(frozen=True, slots=True)
class Reading:
    """A collector's values for one worker after an event."""

    worker_id: int
    values: Values
    assignment: Assignment | None = None
    """The assignment the event concerns, for actions on it (CHANGE_OVERLAP of a suite)."""


def _observation(
    hearing: Hearing,
    collector: Collector,
    worker_id: int,
    assignment_id: str,
    position: int,
    value: float,
    golden: bool = False,
) -> dict[str, Any]:
    return {
        "owner_id": hearing.pool.owner_id,
        "collector": collector.uuid,
        "worker_id": worker_id,
        "assignment_id": assignment_id,
        "position": position,
        "value": value,
        "golden": golden,
        "created": hearing.now,
    }


def _rates(credit: float, count: int, prefix: str = "") -> dict[str, float]:
    if count == 0:
        return {}
    correct = 100 * credit / count
    return {f"{prefix}correct_answers_rate": correct, f"{prefix}incorrect_answers_rate": 100 - correct}


@dataclass(frozen=True, slots=True)
class Counted:
    """Whose observations by which collector: what the values of a counting collector are read from."""

    conn: Connection
    owner_id: int
    collector: Collector
    worker_id: int
    now: datetime
    known: store.Tally | None = None
    """The tally, when it was read for several workers at once."""

    def tally(self) -> store.Tally:
        if self.known is not None:
            return self.known
        return store.tally(
            self.conn,
            owner_id=self.owner_id,
            collector=self.collector.uuid,
            worker_id=self.worker_id,
            history=self.collector.history,
        )


def _answer_values(counted: Counted) -> dict[str, Any]:
    tally = counted.tally()
    values: dict[str, Any] = {"total_answers_count": tally.count, **_rates(tally.credit, tally.count)}
    if counted.collector.type == "GOLDEN_SET":
        values["golden_set_answers_count"] = tally.golden_count
        values.update(_rates(tally.golden_credit, tally.golden_count, "golden_set_"))
    return values


def _submit_time_values(counted: Counted) -> dict[str, Any]:
    tally = counted.tally()
    return {"total_submitted_count": tally.count, "fast_submitted_count": round(tally.credit)}


def _skipped_values(counted: Counted) -> dict[str, Any]:
    count = store.trailing_ones(
        counted.conn, owner_id=counted.owner_id, collector=counted.collector.uuid, worker_id=counted.worker_id
    )
    return {"skipped_in_row_count": count}


def _acceptance_values(counted: Counted) -> dict[str, Any]:
    tally = counted.tally()
    if tally.count == 0:
        return {"total_assignments_count": 0}
    accepted = 100 * tally.credit / tally.count
    return {
        "total_assignments_count": tally.count,
        "accepted_assignments_rate": accepted,
        "rejected_assignments_rate": 100 - accepted,
    }


def _income_values(counted: Counted) -> dict[str, Any]:
    income = store.sum_since(
        counted.conn,
        owner_id=counted.owner_id,
        collector=counted.collector.uuid,
        worker_id=counted.worker_id,
        since=counted.now - INCOME_WINDOW,
    )
    return {"income_sum_for_last_24_hours": round(income, 6)}


def _answer_count_values(counted: Counted) -> dict[str, Any]:
    return {"assignments_accepted_count": counted.tally().count}


COUNTED_VALUES: Mapping[str, Callable[[Counted], dict[str, Any]]] = {
    "GOLDEN_SET": _answer_values,
    "MAJORITY_VOTE": _answer_values,
    "ASSIGNMENT_SUBMIT_TIME": _submit_time_values,
    "SKIPPED_IN_ROW_ASSIGNMENTS": _skipped_values,
    "ACCEPTANCE_RATE": _acceptance_values,
    "INCOME": _income_values,
    "ANSWER_COUNT": _answer_count_values,
}
"""The collectors that keep observations, and how their values are read from them."""


def counted_values(
    conn: Connection, *, owner_id: int, collector: Collector, worker_id: int, now: datetime
) -> Values:
    """A counting collector's values for a worker, from what it has observed of them."""
    return COUNTED_VALUES[collector.type](Counted(conn, owner_id, collector, worker_id, now))


def _reading(
    hearing: Hearing, collector: Collector, worker_id: int, assignment: Assignment | None
) -> Reading:
    values = counted_values(
        hearing.conn,
        owner_id=hearing.pool.owner_id,
        collector=collector,
        worker_id=worker_id,
        now=hearing.now,
    )
    return Reading(worker_id, values, assignment)


def _golden_set(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Answers to control tasks (and training tasks mixed in) against their known solutions."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return []
    rows = [
        _observation(
            hearing,
            collector,
            event.worker_id,
            event.assignment_id,
            position,
            grading.credit(answer.output_values, answer.known_solutions),
            golden=answer.role == "GOLDEN",
        )
        for position, answer in enumerate(event.answers())
        if answer.known_solutions and answer.role in ("GOLDEN", "TRAINING")
    ]
    if not rows:
        return []
    store.observe(hearing.conn, rows)
    return [_reading(hearing, collector, event.worker_id, event.assignment)]


def _label(output_values: Mapping[str, Any]) -> str:
    return json.dumps(output_values, sort_keys=True, separators=(",", ":"))


def _majority(labels: Sequence[str]) -> str | None:
    """The most frequent answer; None when two answers tie for the most."""
    ranked = Counter(labels).most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _majority_vote(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Answers to real tasks against the task's majority answer, once the task has
    answer_threshold answers: then every answer so far is judged, later ones as they come. A task
    whose answers tie for the most judges no one until the tie breaks."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return []
    threshold = int(collector.parameters["answer_threshold"])
    real = [answer.task_id for answer in event.answers() if answer.role == "REAL"]
    by_task: dict[str, list[Any]] = defaultdict(list)
    for row in store.answers_to(hearing.conn, task_ids=real) if real else ():
        by_task[row.task_id].append(row)
    rows: list[dict[str, Any]] = []
    for answers in by_task.values():
        if len(answers) < threshold:
            continue
        labels = [_label(row.solutions[row.position]["output_values"]) for row in answers]
        majority = _majority(labels)
        if majority is None:
            continue
        judged = [
            (row, label)
            for row, label in zip(answers, labels, strict=True)
            if len(answers) == threshold or row.id == event.assignment_id
        ]
        rows.extend(
            _observation(hearing, collector, row.worker_id, row.id, row.position, float(label == majority))
            for row, label in judged
        )
    store.observe(hearing.conn, rows)
    workers: list[int] = sorted({row["worker_id"] for row in rows})
    if not workers:
        return []
    owner_id = hearing.pool.owner_id
    tallies = store.tallies(
        hearing.conn,
        owner_id=owner_id,
        collector=collector.uuid,
        worker_ids=workers,
        history=collector.history,
    )
    return [
        Reading(
            worker_id,
            _answer_values(
                Counted(hearing.conn, owner_id, collector, worker_id, hearing.now, tallies[worker_id])
            ),
            event.assignment if worker_id == event.worker_id else None,
        )
        for worker_id in workers
    ]


def _per_assignment(
    hearing: Hearing, collector: Collector, event: AssignmentEvent, value: float, replace: bool = False
) -> None:
    row = _observation(hearing, collector, event.worker_id, event.assignment_id, WHOLE_ASSIGNMENT, value)
    store.observe(hearing.conn, [row], replace=replace)


def _submit_time(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Submitted suites, and those submitted within fast_submit_threshold_seconds of being issued."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return []
    assert event.assignment.submitted is not None
    took = (event.assignment.submitted - event.assignment.created).total_seconds()
    _per_assignment(
        hearing, collector, event, float(took < collector.parameters["fast_submit_threshold_seconds"])
    )
    return [_reading(hearing, collector, event.worker_id, event.assignment)]


def _skipped_in_row(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Suites skipped since the worker last submitted one (expiry neither counts nor breaks a row)."""
    event = hearing.event
    if not isinstance(event, Skipped | Submitted):
        return []
    _per_assignment(hearing, collector, event, float(isinstance(event, Skipped)))
    return [_reading(hearing, collector, event.worker_id, event.assignment)]


def _reviewed(event: Event) -> bool:
    """A verdict on submitted work: a rejection, or an acceptance other than at submit."""
    return isinstance(event, Rejected) or (isinstance(event, Accepted) and event.by != "SUBMIT")


def _acceptance_rate(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Review verdicts on the worker's assignments; accepting a rejected one changes its verdict."""
    event = hearing.event
    if not _reviewed(event):
        return []
    assert isinstance(event, AssignmentEvent)
    _per_assignment(hearing, collector, event, float(isinstance(event, Accepted)), replace=True)
    return [_reading(hearing, collector, event.worker_id, event.assignment)]


def _income(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Rewards of the suites the worker submitted in the last 24 hours."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return []
    _per_assignment(hearing, collector, event, event.assignment.reward)
    return [_reading(hearing, collector, event.worker_id, event.assignment)]


def _answer_count(hearing: Hearing, collector: Collector) -> list[Reading]:
    """Suites the worker submitted (assignments_accepted_count, as Toloka names it)."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return []
    _per_assignment(hearing, collector, event, 1.0)
    return [_reading(hearing, collector, event.worker_id, event.assignment)]


def _assignments_assessment(hearing: Hearing, collector: Collector) -> list[Reading]:
    """A verdict on a task suite's assignment, with the suite's counts by status."""
    event = hearing.event
    if not _reviewed(event):
        return []
    assert isinstance(event, Accepted | Rejected)
    if isinstance(event, Rejected):
        verdict = "REJECT"
    else:
        verdict = "ACCEPT_AFTER_REJECT" if event.previous == "REJECTED" else "ACCEPT"
    counts = store.suite_reviews(
        hearing.conn, pool_id=event.pool_id, task_suite_id=event.assignment.task_suite_id
    )
    values = {
        "pending_assignments_count": counts.get("SUBMITTED", 0),
        "accepted_assignments_count": counts.get("ACCEPTED", 0),
        "rejected_assignments_count": counts.get("REJECTED", 0),
        "assessment_event": verdict,
    }
    return [Reading(event.worker_id, values, event.assignment)]


def _users_assessment(hearing: Hearing, collector: Collector) -> list[Reading]:
    """A worker who worked in the pool lost access to it."""
    event = hearing.event
    if not isinstance(event, AccessLost):
        return []
    values: dict[str, Any] = {"pool_access_revoked_reason": event.reason}
    if event.skill_id is not None:
        values["skill_id"] = str(event.skill_id)
    return [Reading(event.worker_id, values)]


def _training(hearing: Hearing, collector: Collector) -> list[Reading]:
    """The worker's progress through their current attempt at a training."""
    event = hearing.event
    if not isinstance(event, Submitted) or not hearing.pool.is_training:
        return []
    answered = assignment_store.answered(
        hearing.conn, pool_id=event.pool_id, worker_id=event.worker_id, attempt=event.assignment.attempt
    )
    total, credit = 0, 0.0
    for row in answered:
        for task, solution in zip(row.tasks, row.solutions, strict=True):
            if task.get("known_solutions"):
                total += 1
                credit += grading.credit(solution["output_values"], task["known_solutions"])
    values = {
        "submitted_assignments_count": len(answered),
        "total_answers_count": total,
        **_rates(credit, total),
        "next_assignment_available": len(answered) < hearing.pool.settings.suites_required_to_pass,
    }
    return [Reading(event.worker_id, values, event.assignment)]


READERS: Mapping[str, Callable[[Hearing, Collector], list[Reading]]] = {
    "GOLDEN_SET": _golden_set,
    "MAJORITY_VOTE": _majority_vote,
    "ASSIGNMENT_SUBMIT_TIME": _submit_time,
    "SKIPPED_IN_ROW_ASSIGNMENTS": _skipped_in_row,
    "ACCEPTANCE_RATE": _acceptance_rate,
    "INCOME": _income,
    "ANSWER_COUNT": _answer_count,
    "ASSIGNMENTS_ASSESSMENT": _assignments_assessment,
    "USERS_ASSESSMENT": _users_assessment,
    "TRAINING": _training,
}
"""Every collector but CAPTCHA: kvorum shows no captchas, so a CAPTCHA rule never fires."""


def may_feed(event: Event) -> bool:
    """Whether any collector hears the event: acceptance at submit feeds none (the submit does)."""
    return not isinstance(event, Accepted) or _reviewed(event)


def read(hearing: Hearing, collector: Collector) -> list[Reading]:
    reader = READERS.get(collector.type)
    return [] if reader is None else reader(hearing, collector)
