"""User restrictions: the requester API that sets them, and issuing that honours them."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from tests.helpers import assert_error, mixer_pool, project_body, race, take, upload_tasks, worker_client

URL = "/api/v1/user-restrictions"


@pytest.fixture
def pools(api: TestClient) -> list[dict[str, Any]]:
    """Two open pools of one project and one of another, each with work."""
    projects = [api.post("/api/v1/projects", json=project_body()).json() for _ in range(2)]
    made = []
    for project_id in (projects[0]["id"], projects[0]["id"], projects[1]["id"]):
        pool = api.post("/api/v1/pools", json=mixer_pool(project_id)).json()
        upload_tasks(api, pool["id"], real=4)
        made.append(pool)
    return made


def _me(client: TestClient) -> str:
    return str(client.get("/api/worker/v1/me").json()["id"])


def _offered(client: TestClient) -> set[str]:
    return {item["id"] for item in client.get("/api/worker/v1/pools").json()}


def test_restrictions_keep_a_worker_out_of_their_scope(
    api: TestClient, app_client: TestClient, ctx: Context, pools: list[dict[str, Any]]
) -> None:
    first, second, elsewhere = (pool["id"] for pool in pools)
    bad, good = worker_client(app_client, ctx, "bad"), worker_client(app_client, ctx, "good")
    assert _offered(bad) == {first, second, elsewhere}

    by_pool = api.put(URL, json={"scope": "POOL", "user_id": _me(bad), "pool_id": first})
    assert by_pool.status_code == 201, by_pool.text
    assert _offered(bad) == {second, elsewhere}
    refused = assert_error(take(bad, first), 409, "CONFLICT_STATE")
    assert "restricted from this pool" in refused["message"]
    assert take(good, first).status_code == 201

    project_id = pools[0]["project_id"]
    api.put(URL, json={"scope": "PROJECT", "user_id": _me(bad), "project_id": project_id})
    assert _offered(bad) == {elsewhere}
    api.put(URL, json={"scope": "ALL_PROJECTS", "user_id": _me(bad), "private_comment": "cheats"})
    assert _offered(bad) == set()
    assert _offered(good) == {first, second, elsewhere}

    for item in api.get(URL, params={"user_id": _me(bad)}).json()["items"]:
        assert api.delete(f"{URL}/{item['id']}").status_code == 204
    assert _offered(bad) == {first, second, elsewhere}


def test_a_restriction_lapses_at_will_expire(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, pools: list[dict[str, Any]]
) -> None:
    bad = worker_client(app_client, ctx, "bad")
    until = (clock.now() + timedelta(hours=2)).isoformat()
    made = api.put(URL, json={"scope": "ALL_PROJECTS", "user_id": _me(bad), "will_expire": until}).json()
    assert made["will_expire"].startswith(until[:19])
    refused = assert_error(take(bad, pools[0]["id"]), 409, "CONFLICT_STATE")
    assert "until" in refused["message"]
    clock.advance(timedelta(hours=2))
    assert take(bad, pools[0]["id"]).status_code == 201
    assert api.get(f"{URL}/{made['id']}").json() == made  # expired restrictions stay listed


def test_another_requesters_restriction_does_not_apply(
    api: TestClient,
    other_api: TestClient,
    app_client: TestClient,
    ctx: Context,
    pools: list[dict[str, Any]],
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    response = other_api.put(URL, json={"scope": "ALL_PROJECTS", "user_id": _me(worker)})
    assert response.status_code == 201
    assert len(_offered(worker)) == 3
    made = response.json()
    assert_error(api.get(f"{URL}/{made['id']}"), 404, "DOES_NOT_EXIST")
    assert_error(api.delete(f"{URL}/{made['id']}"), 404, "DOES_NOT_EXIST")
    assert api.get(URL).json() == {"items": [], "has_more": False}
    foreign_pool = other_api.put(
        URL, json={"scope": "POOL", "user_id": _me(worker), "pool_id": pools[0]["id"]}
    )
    assert_error(foreign_pool, 400, "VALIDATION_ERROR", "pool_id")


def test_setting_a_restriction_again_replaces_it(
    api: TestClient, app_client: TestClient, ctx: Context, pools: list[dict[str, Any]]
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    body = {"scope": "POOL", "user_id": _me(worker), "pool_id": pools[0]["id"], "private_comment": "slow"}
    first = api.put(URL, json=body)
    again = api.put(URL, json={**body, "private_comment": "too slow"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "private_comment": "too slow"}
    assert [item["id"] for item in api.get(URL).json()["items"]] == [first.json()["id"]]


def test_concurrent_puts_make_one_restriction(
    api: TestClient, app_client: TestClient, ctx: Context, pools: list[dict[str, Any]]
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    body = {"scope": "PROJECT", "user_id": _me(worker), "project_id": pools[0]["project_id"]}
    statuses = sorted(response.status_code for response in race(lambda: api.put(URL, json=body)))
    assert set(statuses) <= {200, 201} and 201 in statuses
    assert len(api.get(URL).json()["items"]) == 1


@pytest.mark.parametrize(
    ("body", "status", "code", "paths"),
    [
        ({"scope": "POOL", "user_id": "{worker}"}, 400, "VALIDATION_ERROR", ["pool_id"]),
        ({"scope": "PROJECT", "user_id": "{worker}"}, 400, "VALIDATION_ERROR", ["project_id"]),
        (
            {"scope": "ALL_PROJECTS", "user_id": "{worker}", "pool_id": "{pool}"},
            400,
            "VALIDATION_ERROR",
            ["pool_id"],
        ),
        ({"scope": "POOL", "user_id": "{worker}", "pool_id": "999999"}, 400, "VALIDATION_ERROR", ["pool_id"]),
        ({"scope": "ALL_PROJECTS", "user_id": "999999"}, 400, "VALIDATION_ERROR", ["user_id"]),
        ({"scope": "ALL_PROJECTS", "user_id": "abc"}, 400, "VALIDATION_ERROR", ["user_id"]),
        ({"scope": "SOMEWHERE", "user_id": "{worker}"}, 400, "VALIDATION_ERROR", ["scope"]),
        ({"user_id": "{worker}"}, 400, "VALIDATION_ERROR", ["scope"]),
        (
            {"scope": "ALL_PROJECTS", "user_id": "{worker}", "will_expire": "2000-01-01T00:00:00"},
            400,
            "VALIDATION_ERROR",
            ["will_expire"],
        ),
        ({"scope": "SYSTEM", "user_id": "{worker}"}, 403, "SYSTEM_SCOPE_MODIFICATION", []),
    ],
)
def test_bad_restrictions_are_refused_and_nothing_is_stored(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    pools: list[dict[str, Any]],
    body: dict[str, str],
    status: int,
    code: str,
    paths: list[str],
) -> None:
    worker = _me(worker_client(app_client, ctx, "wanda"))
    filled = {key: value.format(worker=worker, pool=pools[0]["id"]) for key, value in body.items()}
    assert_error(api.put(URL, json=filled), status, code, *paths)
    assert api.get(URL).json()["items"] == []


def test_restrictions_are_searched_and_sorted(
    api: TestClient, app_client: TestClient, ctx: Context, pools: list[dict[str, Any]]
) -> None:
    workers = [_me(worker_client(app_client, ctx, f"w{n}")) for n in range(3)]
    for worker in workers:
        api.put(URL, json={"scope": "POOL", "user_id": worker, "pool_id": pools[1]["id"]})
    api.put(URL, json={"scope": "ALL_PROJECTS", "user_id": workers[0]})
    assert len(api.get(URL, params={"pool_id": pools[1]["id"]}).json()["items"]) == 3
    assert [item["scope"] for item in api.get(URL, params={"user_id": workers[0]}).json()["items"]] == [
        "POOL",
        "ALL_PROJECTS",
    ]
    page = api.get(URL, params={"sort": "-id", "limit": 2}).json()
    assert [item["user_id"] for item in page["items"]] == [workers[0], workers[2]] and page["has_more"]
    assert_error(api.get(URL, params={"limit": 501}), 400, "VALIDATION_ERROR", "limit")
    assert_error(api.get(URL, params={"color": "red"}), 400, "VALIDATION_ERROR", "color")
    assert_error(api.get(f"{URL}/nope"), 404, "DOES_NOT_EXIST")
