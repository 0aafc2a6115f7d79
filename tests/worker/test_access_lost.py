"""Losing access to a pool: a restriction takes the worker's active assignments in its scope away,
and AccessLost tells of each pool a restriction or a skill change closes to a worker who worked there."""

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.assignments.events import AccessLost, Expired
from kvorum.services.context import Context
from tests.helpers import created, mixer_pool, project_body, take, upload_tasks, worker_client

RESTRICTIONS, VALUES = "/api/v1/user-restrictions", "/api/v1/user-skills"


@dataclass
class Recorder:
    """What the server told of lost access and of expired assignments since the last look."""

    lost: list[AccessLost]
    expired: list[Expired]

    def told(self) -> list[tuple[int, str, int | None]]:
        """(pool id, reason, skill id) of each AccessLost since the last look, in order."""
        told = [(event.pool_id, event.reason, event.skill_id) for event in self.lost]
        self.lost.clear()
        return told


@pytest.fixture
def recorder(app_client: TestClient, ctx: Context) -> Recorder:
    recorder = Recorder([], [])
    events = ctx.events.subscribe(AccessLost, lambda conn, event: recorder.lost.append(event))
    events = events.subscribe(Expired, lambda conn, event: recorder.expired.append(event))
    app_client.app.state.context = replace(ctx, events=events)  # type: ignore[attr-defined]
    return recorder


@pytest.fixture
def pools(api: TestClient) -> list[dict[str, Any]]:
    """Two open pools of one project and one of another, each with one task for one worker."""
    projects = [created(api.post("/api/v1/projects", json=project_body())) for _ in range(2)]
    made = []
    for project_id in (projects[0]["id"], projects[0]["id"], projects[1]["id"]):
        pool = created(api.post("/api/v1/pools", json=mixer_pool(project_id)))
        upload_tasks(api, pool["id"], real=1, golden=0)
        made.append(pool)
    return made


def _me(client: TestClient) -> str:
    return str(client.get("/api/worker/v1/me").json()["id"])


def _status(api: TestClient, assignment: dict[str, Any]) -> str:
    return str(api.get(f"/api/v1/assignments/{assignment['id']}").json()["status"])


def _restriction(scope: str, pools: list[dict[str, Any]]) -> dict[str, str]:
    """The target of a restriction of this scope covering the first pool."""
    return {
        "POOL": {"pool_id": pools[0]["id"]},
        "PROJECT": {"project_id": pools[0]["project_id"]},
        "ALL_PROJECTS": {},
    }[scope]


@pytest.mark.parametrize(
    ("scope", "elsewhere"), [("POOL", "ACTIVE"), ("PROJECT", "ACTIVE"), ("ALL_PROJECTS", "EXPIRED")]
)
def test_a_restriction_expires_the_workers_active_assignments_in_its_scope(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    recorder: Recorder,
    pools: list[dict[str, Any]],
    scope: str,
    elsewhere: str,
) -> None:
    bad, good = worker_client(app_client, ctx, "bad"), worker_client(app_client, ctx, "good")
    here = created(take(bad, pools[0]["id"]))
    there = created(take(bad, pools[2]["id"]))  # the other project's pool
    assert take(good, pools[0]["id"]).status_code != 201  # its one slot is taken

    body = {"scope": scope, "user_id": _me(bad), **_restriction(scope, pools)}
    assert api.put(RESTRICTIONS, json=body).status_code == 201
    assert (_status(api, here), _status(api, there)) == ("EXPIRED", elsewhere)
    expired = {event.assignment_id for event in recorder.expired if event.by == "RESTRICTION"}
    assert expired == {here["id"]} | ({there["id"]} if elsewhere == "EXPIRED" else set())
    assert take(good, pools[0]["id"]).status_code == 201  # the slot went back


def test_access_lost_is_told_once_per_pool_the_worker_worked_in(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    recorder: Recorder,
    pools: list[dict[str, Any]],
) -> None:
    first, _, other = (int(pool["id"]) for pool in pools)
    worker = worker_client(app_client, ctx, "wanda")
    assignment = created(take(worker, pools[0]["id"]))
    body = {"solutions": [{"output_values": {"result": "cat"}}]}
    assert worker.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body).status_code == 200
    created(take(worker, pools[2]["id"]))  # never in the second pool
    me = _me(worker)

    project = {"scope": "PROJECT", "user_id": me, "project_id": pools[0]["project_id"]}
    assert api.put(RESTRICTIONS, json=project).status_code == 201
    assert recorder.told() == [(first, "RESTRICTION", None)]
    assert api.put(RESTRICTIONS, json={**project, "private_comment": "again"}).status_code == 200
    assert recorder.told() == []  # replaced while in force
    everywhere = {"scope": "ALL_PROJECTS", "user_id": me}
    assert api.put(RESTRICTIONS, json=everywhere).status_code == 201
    assert recorder.told() == [(other, "RESTRICTION", None)]  # the project's pools were closed already

    for item in api.get(RESTRICTIONS, params={"user_id": me}).json()["items"]:
        assert api.delete(f"{RESTRICTIONS}/{item['id']}").status_code == 204
    until = (clock.now() + timedelta(hours=1)).isoformat()
    by_pool = {"scope": "POOL", "user_id": me, "pool_id": pools[0]["id"], "will_expire": until}
    assert api.put(RESTRICTIONS, json=by_pool).status_code == 201
    assert recorder.told() == [(first, "RESTRICTION", None)]
    clock.advance(timedelta(hours=1))  # lapsed: replacing it closes the pool anew
    assert api.put(RESTRICTIONS, json={**by_pool, "will_expire": None}).status_code == 200
    assert recorder.told() == [(first, "RESTRICTION", None)]


def test_an_archived_pool_tells_nothing(
    api: TestClient, app_client: TestClient, ctx: Context, recorder: Recorder, pools: list[dict[str, Any]]
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    assignment = created(take(worker, pools[0]["id"]))
    assert worker.post(f"/api/worker/v1/assignments/{assignment['id']}/skip").status_code == 200
    created(take(worker, pools[2]["id"]))
    url = f"/api/v1/pools/{pools[0]['id']}"
    assert api.post(f"{url}/close").status_code == 202
    assert api.post(f"{url}/archive").status_code == 202
    assert api.put(RESTRICTIONS, json={"scope": "ALL_PROJECTS", "user_id": _me(worker)}).status_code == 201
    assert recorder.told() == [(int(pools[2]["id"]), "RESTRICTION", None)]


def test_a_skill_change_that_fails_a_filter_tells_of_lost_access(
    api: TestClient, app_client: TestClient, ctx: Context, recorder: Recorder, project: dict[str, Any]
) -> None:
    skill = created(api.post("/api/v1/skills", json={"name": "Accuracy"}))
    condition = {"category": "skill", "key": skill["id"], "operator": "GTE", "value": 70}
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], filter={"and": [condition]})))
    unfiltered = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    for each in (pool, unfiltered):
        upload_tasks(api, each["id"], real=3, golden=0)

    def value(client: TestClient, level: float) -> dict[str, Any]:
        body = {"skill_id": skill["id"], "user_id": _me(client), "value": level}
        return created(api.put(VALUES, json=body))

    worked, deleted, never = (worker_client(app_client, ctx, name) for name in ("worked", "deleted", "never"))
    held = {client: value(client, 80) for client in (worked, deleted, never)}
    for client in (worked, deleted):
        created(take(client, pool["id"]))
        created(take(client, unfiltered["id"]))
    assert recorder.told() == []

    value(worked, 50)
    (lost,) = recorder.lost
    owner = int(api.get("/api/v1/requester").json()["id"])
    assert (lost.worker_id, lost.owner_id) == (int(_me(worked)), owner)
    assert recorder.told() == [(int(pool["id"]), "SKILL_CHANGE", int(skill["id"]))]
    value(worked, 40)
    assert recorder.told() == []  # it did not match before
    assert api.delete(f"{VALUES}/{held[deleted]['id']}").status_code == 204
    assert recorder.told() == [(int(pool["id"]), "SKILL_CHANGE", int(skill["id"]))]
    value(never, 50)
    assert recorder.told() == []
