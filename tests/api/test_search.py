from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from tests.helpers import assert_error, pool_body, project_body


@pytest.fixture
def pools(api: TestClient, clock: SettableClock) -> list[dict[str, Any]]:
    """Twelve pools in two projects, one second apart; the odd ones opened."""
    projects = [api.post("/api/v1/projects", json=project_body()).json()["id"] for _ in range(2)]
    created = []
    for index in range(12):
        clock.advance(timedelta(seconds=1))
        pool = api.post("/api/v1/pools", json=pool_body(projects[index % 2])).json()
        if index % 2:
            api.post(f"/api/v1/pools/{pool['id']}/open")
        created.append(api.get(f"/api/v1/pools/{pool['id']}").json())
    return created


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_default_order_limit_and_has_more(api: TestClient, pools: list[dict[str, Any]]) -> None:
    page = api.get("/api/v1/pools", params={"limit": 5}).json()
    assert [item["id"] for item in page["items"]] == [pool["id"] for pool in pools[:5]]
    assert page["has_more"] is True
    rest = api.get("/api/v1/pools", params={"id_gt": pools[4]["id"]}).json()
    assert [item["id"] for item in rest["items"]] == [pool["id"] for pool in pools[5:]]
    assert rest["has_more"] is False


def test_ids_compare_as_numbers(api: TestClient, pools: list[dict[str, Any]]) -> None:
    ninth, tenth = pools[8]["id"], pools[9]["id"]
    assert ids(api.get("/api/v1/pools", params={"id_gt": ninth, "id_lte": tenth})) == [tenth]


def test_exact_filters_ranges_and_sort(api: TestClient, pools: list[dict[str, Any]]) -> None:
    project_id = pools[1]["project_id"]
    opened = ids(
        api.get("/api/v1/pools", params={"status": "OPEN", "project_id": project_id, "sort": "-created"})
    )
    assert opened == [pool["id"] for pool in reversed(pools) if pool["status"] == "OPEN"]
    window = {"created_gte": pools[2]["created"], "created_lt": pools[5]["created"]}
    assert ids(api.get("/api/v1/pools", params=window)) == [pool["id"] for pool in pools[2:5]]
    started = ids(
        api.get(
            "/api/v1/pools", params={"last_started_gte": "2000-01-01T00:00:00", "sort": "last_started,-id"}
        )
    )
    assert started == [pool["id"] for pool in pools if pool["status"] == "OPEN"]


def test_returned_times_round_trip_through_filters(api: TestClient, pools: list[dict[str, Any]]) -> None:
    created = pools[3]["created"]
    assert ids(api.get("/api/v1/pools", params={"created_gte": created, "created_lte": created})) == [
        pools[3]["id"]
    ]
    assert pools[3]["id"] not in ids(api.get("/api/v1/pools", params={"created_gt": created}))


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"limit": 301}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"sort": "private_name"}, "sort"),
        ({"status": "RUNNING"}, "status"),
        ({"id_gt": "abc"}, "id_gt"),
        ({"created_gte": "yesterday"}, "created_gte"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_search_parameters_are_named(api: TestClient, params: dict[str, Any], path: str) -> None:
    assert_error(api.get("/api/v1/pools", params=params), 400, "VALIDATION_ERROR", path)


def test_project_search_sorts_by_name(api: TestClient) -> None:
    for name in ("b", "c", "a"):
        api.post("/api/v1/projects", json=project_body(public_name=name))
    names = [
        item["public_name"]
        for item in api.get("/api/v1/projects", params={"sort": "public_name"}).json()["items"]
    ]
    assert names == ["a", "b", "c"]
