"""The requester's side: reading the assignments of their pools, accepting and rejecting answers.

A SUBMITTED assignment becomes ACCEPTED or REJECTED; a REJECTED one may still be ACCEPTED within
the pool's auto_accept_period_day of its submission. Rejected work keeps its overlap slot.
"""

from datetime import datetime
from typing import Literal

from pydantic import ValidationError
from sqlalchemy import Connection

from kvorum.schemas.assignment import Review
from kvorum.services import search as search_rules
from kvorum.services.assignments.events import Accepted, AcceptedBy, Rejected, Subscribers
from kvorum.services.assignments.lifecycle import move, pool_of
from kvorum.services.assignments.model import STATUSES, TIMES, Assignment, AssignmentPage
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, NotFound, Problems, ValidationFailed, validation_payload
from kvorum.store import assignments as store


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


def _requesters(conn: Connection, caller: int, assignment_id: str) -> Assignment:
    row = store.get(conn, assignment_id=assignment_id)
    if row is None or row.owner_id != caller:
        raise NotFound(f"Assignment {assignment_id} does not exist")
    return Assignment.from_row(row)


def get(ctx: Context, *, caller: int, assignment_id: str) -> Assignment:
    with ctx.db.read() as conn:
        return _requesters(conn, caller, assignment_id)


def find(ctx: Context, *, caller: int, params: dict[str, str]) -> AssignmentPage:
    search = search_rules.parse(SEARCH, params)
    task_id = search.equals.pop("task_id", None)
    with ctx.db.read() as conn:
        rows, has_more = store.find(conn, owner_id=caller, search=search, task_id=task_id)
    return AssignmentPage([Assignment.from_row(row) for row in rows], has_more)


def review(ctx: Context, *, caller: int, assignment_id: str, raw: bytes) -> Assignment:
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
        assignment = _requesters(conn, caller, assignment_id)
        now = ctx.clock.now()
        allowed = {"ACCEPTED": ("SUBMITTED", "REJECTED"), "REJECTED": ("SUBMITTED",)}[body.status]
        if assignment.status not in allowed:
            raise Conflict(
                f"Assignment {assignment.id} is {assignment.status}; it cannot become {body.status}"
            )
        if assignment.status == "REJECTED":
            period = pool_of(conn, assignment).settings.auto_accept_period
            assert assignment.submitted is not None
            if now > assignment.submitted + period:
                raise Conflict(f"The review period of assignment {assignment.id} is over")
        if body.status == "REJECTED":
            return reject(conn, ctx.events, assignment, now, body.public_comment)
        return accept(conn, ctx.events, assignment, now, body.public_comment, "REVIEW")


def reject(
    conn: Connection, events: Subscribers, assignment: Assignment, now: datetime, public_comment: str | None
) -> Assignment:
    """SUBMITTED -> REJECTED. The assignment keeps its overlap slot, as in Toloka: a suite is done
    again only where a rule says so (ASSIGNMENTS_ASSESSMENT with CHANGE_OVERLAP)."""
    rejected = move(conn, assignment, "REJECTED", now, public_comment=public_comment)
    events.publish(conn, Rejected(rejected, now))
    return rejected


def accept(
    conn: Connection,
    events: Subscribers,
    assignment: Assignment,
    now: datetime,
    public_comment: str | None,
    by: AcceptedBy,
) -> Assignment:
    """SUBMITTED or REJECTED -> ACCEPTED."""
    accepted = move(conn, assignment, "ACCEPTED", now, public_comment=public_comment)
    previous: Literal["SUBMITTED", "REJECTED"] = (
        "REJECTED" if assignment.status == "REJECTED" else "SUBMITTED"
    )
    events.publish(conn, Accepted(accepted, now, previous=previous, by=by))
    return accepted
