"""Every change to an assignment is told once, as a typed event, inside the change's transaction."""

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select

from kvorum.clock import SettableClock
from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import workers
from kvorum.services.accounts.workers import Worker
from kvorum.services.assignments import lifecycle, timers
from kvorum.services.assignments.events import (
    Accepted,
    AssignmentEvent,
    Expired,
    Issued,
    Rejected,
    Skipped,
    Submitted,
    TrainingFinished,
)
from kvorum.services.context import Context
from kvorum.services.issuing import service as issuing
from kvorum.store.tables import assignments, user_skills, worker_ratings
from tests.helpers import mixer_pool, take, training_body, upload_tasks

KINDS = (Issued, Submitted, Skipped, Expired, Accepted, Rejected, TrainingFinished)


@dataclass
class Recorder:
    """The server's context with one more subscriber to every kind of event, and what it heard."""

    ctx: Context
    heard: list[AssignmentEvent]

    def told(self) -> list[AssignmentEvent]:
        """What was heard since the last look."""
        heard = list(self.heard)
        self.heard.clear()
        return heard


@pytest.fixture
def recorder(app_client: TestClient, ctx: Context) -> Recorder:
    heard: list[AssignmentEvent] = []
    events = ctx.events
    for kind in KINDS:
        events = events.subscribe(kind, lambda conn, event: heard.append(event))
    recorder = Recorder(replace(ctx, events=events), heard)
    app_client.app.state.context = recorder.ctx  # type: ignore[attr-defined]
    return recorder


def _worker(app_client: TestClient, ctx: Context, name: str) -> tuple[Worker, TestClient]:
    worker, token = workers.create_worker(ctx, name=name, profile=WorkerProfile(languages=["EN"]))
    client = TestClient(app_client.app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {token}"
    return worker, client


def _answer(client: TestClient, assignment: dict[str, Any]) -> Any:
    body = {"solutions": [{"output_values": {"result": "cat"}} for _ in assignment["tasks"]]}
    return client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body)


def _kinds(events: list[AssignmentEvent]) -> list[type[AssignmentEvent]]:
    return [type(event) for event in events]


def test_each_change_is_told_once(
    api: TestClient, app_client: TestClient, recorder: Recorder, clock: SettableClock, project: dict[str, Any]
) -> None:
    pool = api.post(
        "/api/v1/pools",
        json=mixer_pool(
            project["id"],
            real=2,
            golden=1,
            overlap=5,
            assignment_max_duration_seconds=300,
            auto_accept_solutions=False,
            auto_accept_period_day=2,
        ),
    ).json()
    upload_tasks(api, pool["id"], 2, golden=2)
    worker, client = _worker(app_client, recorder.ctx, "wanda")

    first = take(client, pool["id"]).json()
    (issued,) = recorder.told()
    assert isinstance(issued, Issued) and issued.assignment_id == first["id"]
    assert (issued.pool_id, issued.worker_id, issued.at) == (int(pool["id"]), worker.id, clock.now())
    assert issued.owner_id == int(api.get("/api/v1/requester").json()["id"])

    assert _answer(client, first).status_code == 200
    (submitted,) = recorder.told()
    assert isinstance(submitted, Submitted) and submitted.assignment.status == "SUBMITTED"
    answers = list(submitted.answers())
    assert sorted(answer.role for answer in answers) == ["GOLDEN", "REAL", "REAL"]
    assert all(answer.output_values == {"result": "cat"} for answer in answers)
    assert [bool(answer.known_solutions) for answer in answers] == [a.role == "GOLDEN" for a in answers]

    url = f"/api/v1/assignments/{first['id']}"
    api.patch(url, json={"status": "REJECTED", "public_comment": "no"})
    assert _kinds(recorder.told()) == [Rejected]
    api.patch(url, json={"status": "ACCEPTED"})
    (accepted,) = recorder.told()
    assert isinstance(accepted, Accepted) and (accepted.previous, accepted.by) == ("REJECTED", "REVIEW")

    _, client = _worker(app_client, recorder.ctx, "skipper")
    second = take(client, pool["id"]).json()
    client.post(f"/api/worker/v1/assignments/{second['id']}/skip")
    assert _kinds(recorder.told()) == [Issued, Skipped]

    _, client = _worker(app_client, recorder.ctx, "idle")
    take(client, pool["id"])
    clock.advance(timedelta(seconds=301))  # assignment_max_duration_seconds is 300
    assert timers.expire_due(recorder.ctx) == 1
    (expired,) = recorder.told()[1:]
    assert isinstance(expired, Expired) and expired.by == "TIMER"

    for action, by in (("submit", "LATE_SUBMIT"), ("skip", "LATE_SKIP")):
        _, client = _worker(app_client, recorder.ctx, f"late-to-{action}")
        late = take(client, pool["id"]).json()
        clock.advance(timedelta(seconds=301))
        body = {"solutions": [{"output_values": {"result": "cat"}} for _ in late["tasks"]]}
        assert client.post(f"/api/worker/v1/assignments/{late['id']}/{action}", json=body).status_code == 409
        (told,) = recorder.told()[1:]
        assert isinstance(told, Expired) and told.by == by

    _, client = _worker(app_client, recorder.ctx, "unreviewed")
    unreviewed = take(client, pool["id"]).json()
    _answer(client, unreviewed)
    recorder.told()
    clock.advance(timedelta(days=2))
    assert timers.auto_accept_due(recorder.ctx) == 1
    (auto,) = recorder.told()
    assert isinstance(auto, Accepted) and (auto.previous, auto.by) == ("SUBMITTED", "TIMER")


def test_a_pool_that_accepts_at_once_tells_of_the_submit_then_the_acceptance(
    api: TestClient, app_client: TestClient, recorder: Recorder, project: dict[str, Any]
) -> None:
    pool = api.post("/api/v1/pools", json=mixer_pool(project["id"])).json()
    upload_tasks(api, pool["id"], 2)
    _, client = _worker(app_client, recorder.ctx, "wanda")
    _answer(client, take(client, pool["id"]).json())
    issued, submitted, accepted = recorder.told()
    assert _kinds([issued, submitted, accepted]) == [Issued, Submitted, Accepted]
    assert isinstance(accepted, Accepted) and (accepted.previous, accepted.by) == ("SUBMITTED", "SUBMIT")
    assert accepted.assignment.status == "ACCEPTED" and submitted.assignment.status == "SUBMITTED"


def test_finishing_a_training_attempt_is_told_with_the_skill(
    api: TestClient, app_client: TestClient, recorder: Recorder, project: dict[str, Any]
) -> None:
    body = training_body(project["id"], training_tasks_in_task_suite_count=2, retry_training_after_days=7)
    training = api.post("/api/v1/trainings", json=body).json()
    lessons = [
        {
            "pool_id": training["id"],
            "input_values": {"image": f"https://img.example/lesson-{n}.png"},
            "known_solutions": [{"output_values": {"result": "cat"}}],
            "message_on_unknown_solution": "a cat",
        }
        for n in range(2)
    ]
    api.post("/api/v1/tasks", params={"open_pool": "true"}, json=lessons)
    _, client = _worker(app_client, recorder.ctx, "wanda")
    lesson = take(client, training["id"]).json()
    body = {"solutions": [{"output_values": {"result": value}} for value in ("cat", "dog")]}
    client.post(f"/api/worker/v1/assignments/{lesson['id']}/submit", json=body)
    told = recorder.told()
    assert _kinds(told) == [Issued, Submitted, Accepted, TrainingFinished]
    finished = told[-1]
    assert isinstance(finished, TrainingFinished) and finished.value == 50.0
    assert finished.expires == finished.at + timedelta(days=7)  # retry_training_after_days
    assert {answer.role for answer in told[1].answers()} == {"TRAINING"}  # type: ignore[attr-defined]


ANSWER = b'{"solutions": [{"output_values": {"result": "cat"}}]}'


def _fail(conn: Connection, event: AssignmentEvent) -> None:
    raise RuntimeError("a subscriber failed")


def _counts(ctx: Context) -> tuple[Any, ...]:
    with ctx.db.read() as conn:
        return (
            conn.execute(select(assignments.c.status).order_by(assignments.c.id)).scalars().all(),
            conn.execute(select(worker_ratings).order_by(worker_ratings.c.worker_id)).all(),
            conn.execute(select(func.count()).select_from(user_skills)).scalar_one(),
        )


def test_a_change_whose_subscriber_fails_leaves_no_trace(
    api: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    """The ratings subscriber writes first; the failure after it rolls the whole change back."""
    training = api.post(
        "/api/v1/trainings", json=training_body(project["id"], training_tasks_in_task_suite_count=1)
    ).json()
    lesson = {
        "pool_id": training["id"],
        "input_values": {"image": "https://img.example/lesson.png"},
        "known_solutions": [{"output_values": {"result": "cat"}}],
        "message_on_unknown_solution": "a cat",
    }
    api.post("/api/v1/tasks", params={"open_pool": "true"}, json=[lesson])
    worker, _ = workers.create_worker(ctx, name="wanda", profile=WorkerProfile(languages=["EN"]))

    before = _counts(ctx)
    with pytest.raises(RuntimeError):
        failing = replace(ctx, events=ctx.events.subscribe(Issued, _fail))
        issuing.issue(failing, worker=worker, pool_id=training["id"])
    assert _counts(ctx) == before

    assignment = issuing.issue(ctx, worker=worker, pool_id=training["id"]).assignment
    before = _counts(ctx)
    for kind in (Submitted, Accepted, TrainingFinished):
        failing = replace(ctx, events=ctx.events.subscribe(kind, _fail))
        with pytest.raises(RuntimeError):
            lifecycle.submit(failing, worker=worker, assignment_id=assignment.id, raw=ANSWER)
        assert _counts(ctx) == before
    submitted = lifecycle.submit(ctx, worker=worker, assignment_id=assignment.id, raw=ANSWER)
    assert submitted.assignment.status == "ACCEPTED" and _counts(ctx) != before
