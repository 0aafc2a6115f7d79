"""What each collector counts, and its condition keys' values when an event feeds it.

A collector hears the events that concern it (see READERS) and says what it makes of one: the
observations to count, keyed by its uuid (counted once: see store.quality.observe), and whose
values they changed. Every collector's observations of an event are counted at once, and the
values of every worker they changed read at once (see `readings`): the rules are checked against
those values. Rates are
percentages, absent until something was counted. `history_size` limits a count to the latest
observations.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
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


@dataclass(frozen=True, slots=True)
class Heard:
    """What a collector makes of an event: observations to count, and the workers whose values
    they changed; or, for a collector that
    keeps no observations, its readings outright."""

    observations: Sequence[dict[str, Any]] = ()
    replace: bool = False
    """A new value replaces the one counted for the same assignment (a changed verdict)."""
    workers: Sequence[int] = ()
    assignment: Assignment | None = None
    """The event's assignment, handed with the reading of its worker."""
    readings: Sequence[Reading] = ()


NOTHING = Heard()


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
    """The tally, when it was read with others at once."""

    def tally(self) -> store.Tally:
        if self.known is not None:
            return self.known
        key = (self.collector.uuid, self.worker_id)
        wanted = [(*key, span(self.collector))]
        return store.tallies(self.conn, owner_id=self.owner_id, wanted=wanted)[key]


def span(collector: Collector) -> store.Span:
    """Which of its observations of a worker a counting collector's values are read from."""
    return store.IN_ROW if collector.type == "SKIPPED_IN_ROW_ASSIGNMENTS" else collector.history


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
    return {"skipped_in_row_count": counted.tally().count}


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


TALLIED = frozenset(
    {
        "GOLDEN_SET",
        "MAJORITY_VOTE",
        "ASSIGNMENT_SUBMIT_TIME",
        "SKIPPED_IN_ROW_ASSIGNMENTS",
        "ACCEPTANCE_RATE",
        "ANSWER_COUNT",
    }
)
"""The counting collectors whose values are read from a tally of their observations."""


def counted_values(
    conn: Connection, *, owner_id: int, collector: Collector, worker_id: int, now: datetime
) -> Values:
    """A counting collector's values for a worker, from what it has observed of them."""
    return COUNTED_VALUES[collector.type](Counted(conn, owner_id, collector, worker_id, now))


def readings(hearing: Hearing, heard: Sequence[tuple[Collector, Heard]]) -> list[tuple[Collector, Reading]]:
    """Count what every collector made of the event, and read their values: the tallies of all
    the workers the observations changed are read at once, with the counting on PostgreSQL."""
    wanted: list[store.Wanted] = [
        (collector.uuid, worker_id, span(collector))
        for collector, what in heard
        if collector.type in TALLIED
        for worker_id in what.workers
    ]
    owner_id = hearing.pool.owner_id
    kept = [row for _, what in heard if not what.replace for row in what.observations]
    replaced = [row for _, what in heard if what.replace for row in what.observations]
    tallies = store.count(hearing.conn, owner_id=owner_id, kept=kept, replaced=replaced, wanted=wanted)
    found: list[tuple[Collector, Reading]] = []
    for collector, what in heard:
        found.extend((collector, reading) for reading in what.readings)
        for worker_id in what.workers:
            counted = Counted(
                hearing.conn,
                owner_id,
                collector,
                worker_id,
                hearing.now,
                tallies.get((collector.uuid, worker_id)),
            )
            assignment = what.assignment
            if assignment is not None and assignment.worker_id != worker_id:
                assignment = None
            found.append((collector, Reading(worker_id, COUNTED_VALUES[collector.type](counted), assignment)))
    return found


def _golden_set(hearing: Hearing, collector: Collector) -> Heard:
    """Answers to control tasks (and training tasks mixed in) against their known solutions."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return NOTHING
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
        return NOTHING
    return Heard(rows, workers=[event.worker_id], assignment=event.assignment)


def _label(output_values: Mapping[str, Any]) -> bytes:
    return orjson.dumps(output_values, option=orjson.OPT_SORT_KEYS)


def _majority(labels: Sequence[bytes]) -> bytes | None:
    """The most frequent answer; None when two answers tie for the most."""
    ranked = Counter(labels).most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _majority_vote(hearing: Hearing, collector: Collector) -> Heard:
    """Answers to real tasks against the task's majority answer, once the task has
    answer_threshold answers: then every answer so far is judged, later ones as they come. A task
    whose answers tie for the most judges no one until the tie breaks."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return NOTHING
    threshold = int(collector.parameters["answer_threshold"])
    real = [answer.task_id for answer in event.answers() if answer.role == "REAL"]
    by_task: dict[str, list[store.Answer]] = defaultdict(list)
    for row in store.answers_to(hearing.conn, task_ids=real) if real else ():
        by_task[row.task_id].append(row)
    rows: list[dict[str, Any]] = []
    for answers in by_task.values():
        if len(answers) < threshold:
            continue
        labels = [_label(row.output_values) for row in answers]
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
    workers = sorted({row["worker_id"] for row in rows})
    return Heard(rows, workers=workers, assignment=event.assignment)


def _per_assignment(
    hearing: Hearing, collector: Collector, event: AssignmentEvent, value: float, replace: bool = False
) -> Heard:
    """An observation of the event's whole assignment, which changes its worker's values."""
    row = _observation(hearing, collector, event.worker_id, event.assignment_id, WHOLE_ASSIGNMENT, value)
    return Heard([row], replace=replace, workers=[event.worker_id], assignment=event.assignment)


def _submit_time(hearing: Hearing, collector: Collector) -> Heard:
    """Submitted suites, and those submitted within fast_submit_threshold_seconds of being issued."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return NOTHING
    assert event.assignment.submitted is not None
    took = (event.assignment.submitted - event.assignment.created).total_seconds()
    return _per_assignment(
        hearing, collector, event, float(took < collector.parameters["fast_submit_threshold_seconds"])
    )


def _skipped_in_row(hearing: Hearing, collector: Collector) -> Heard:
    """Suites skipped since the worker last submitted one (expiry neither counts nor breaks a row)."""
    event = hearing.event
    if not isinstance(event, Skipped | Submitted):
        return NOTHING
    return _per_assignment(hearing, collector, event, float(isinstance(event, Skipped)))


def _reviewed(event: Event) -> bool:
    """A verdict on submitted work: a rejection, or an acceptance other than at submit."""
    return isinstance(event, Rejected) or (isinstance(event, Accepted) and event.by != "SUBMIT")


def _acceptance_rate(hearing: Hearing, collector: Collector) -> Heard:
    """Review verdicts on the worker's assignments; accepting a rejected one changes its verdict."""
    event = hearing.event
    if not _reviewed(event):
        return NOTHING
    assert isinstance(event, AssignmentEvent)
    return _per_assignment(hearing, collector, event, float(isinstance(event, Accepted)), replace=True)


def _income(hearing: Hearing, collector: Collector) -> Heard:
    """Rewards of the suites the worker submitted in the last 24 hours."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return NOTHING
    return _per_assignment(hearing, collector, event, event.assignment.reward)


def _answer_count(hearing: Hearing, collector: Collector) -> Heard:
    """Suites the worker submitted (assignments_accepted_count, as Toloka names it)."""
    event = hearing.event
    if not isinstance(event, Submitted):
        return NOTHING
    return _per_assignment(hearing, collector, event, 1.0)


def _assignments_assessment(hearing: Hearing, collector: Collector) -> Heard:
    """A verdict on a task suite's assignment, with the suite's counts by status."""
    event = hearing.event
    if not _reviewed(event):
        return NOTHING
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
    return Heard(readings=[Reading(event.worker_id, values, event.assignment)])


def _users_assessment(hearing: Hearing, collector: Collector) -> Heard:
    """A worker who worked in the pool lost access to it."""
    event = hearing.event
    if not isinstance(event, AccessLost):
        return NOTHING
    values: dict[str, Any] = {"pool_access_revoked_reason": event.reason}
    if event.skill_id is not None:
        values["skill_id"] = str(event.skill_id)
    return Heard(readings=[Reading(event.worker_id, values)])


def _training(hearing: Hearing, collector: Collector) -> Heard:
    """The worker's progress through their current attempt at a training."""
    event = hearing.event
    if not isinstance(event, Submitted) or not hearing.pool.is_training:
        return NOTHING
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
    return Heard(readings=[Reading(event.worker_id, values, event.assignment)])


READERS: Mapping[str, Callable[[Hearing, Collector], Heard]] = {
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


def hear(hearing: Hearing, collector: Collector) -> Heard:
    reader = READERS.get(collector.type)
    return NOTHING if reader is None else reader(hearing, collector)
