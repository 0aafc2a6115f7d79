"""Skills and workers' values of them through the requester API; a value set by hand counts for
pool filters at once."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from kvorum.store import skills as skill_store
from tests.helpers import assert_error, created, mixer_pool, take, upload_tasks, worker_client

SKILLS, VALUES = "/api/v1/skills", "/api/v1/user-skills"


def _skill(api: TestClient, **changes: Any) -> dict[str, Any]:
    return created(api.post(SKILLS, json={"name": "Segmentation", **changes}))


def _me(client: TestClient) -> str:
    return str(client.get("/api/worker/v1/me").json()["id"])


def test_skills_are_created_read_searched_and_updated(api: TestClient, clock: SettableClock) -> None:
    localized = {"EN": "Road signs", "RU": "Дорожные знаки"}
    first = _skill(api, private_comment="mine", skill_ttl_hours=24, public_name=localized, hidden=False)
    assert first["public_name"] == localized and first["hidden"] is False and first["training"] is False
    assert first["owner"]["myself"] is True and first["skill_ttl_hours"] == 24
    clock.advance(timedelta(minutes=1))
    second = _skill(api, name="Other")
    assert second["hidden"] is True and "private_comment" not in second
    assert api.get(f"{SKILLS}/{first['id']}").json() == first

    listed = api.get(SKILLS).json()
    assert [item["id"] for item in listed["items"]] == [first["id"], second["id"]]
    assert not listed["has_more"]
    by_name = api.get(SKILLS, params={"name": "Other"}).json()["items"]
    assert [item["id"] for item in by_name] == [second["id"]]
    newest = api.get(SKILLS, params={"sort": "-created", "limit": 1}).json()
    assert [item["id"] for item in newest["items"]] == [second["id"]] and newest["has_more"]
    after = api.get(SKILLS, params={"id_gt": first["id"]}).json()["items"]
    assert [item["id"] for item in after] == [second["id"]]
    assert api.get(SKILLS, params={"created_lt": second["created"]}).json()["items"] == [first]

    updated = api.put(f"{SKILLS}/{first['id']}", json={**first, "name": "Renamed", "skill_ttl_hours": 1})
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**first, "name": "Renamed", "skill_ttl_hours": 1}


def test_bad_skills_are_refused(api: TestClient) -> None:
    assert_error(api.post(SKILLS, json={"hidden": True}), 400, "VALIDATION_ERROR", "name")
    assert_error(api.post(SKILLS, json={"name": "x", "skill_ttl_hours": 0}), 400, "VALIDATION_ERROR")
    assert_error(api.post(SKILLS, json={"name": "x", "public_name": "x"}), 400, "VALIDATION_ERROR")
    assert_error(api.get(SKILLS, params={"owner": "1"}), 400, "VALIDATION_ERROR", "owner")
    assert_error(api.get(f"{SKILLS}/nope"), 404, "DOES_NOT_EXIST")
    assert_error(api.put(f"{SKILLS}/999", json={"name": "x"}), 404, "DOES_NOT_EXIST")
    assert api.get(SKILLS).json()["items"] == []


def test_a_trainings_skill_is_listed_as_a_training_skill(
    api: TestClient, ctx: Context, training: dict[str, Any], clock: SettableClock
) -> None:
    with ctx.db.write() as conn:
        owner = int(api.get("/api/v1/requester").json()["id"])
        skill_id = skill_store.training_skill(
            conn, training_id=int(training["id"]), owner_id=owner, name="Training", now=clock.now()
        )
    found = api.get(f"{SKILLS}/{skill_id}").json()
    assert found["training"] is True and found["name"] == "Training"


def test_a_value_set_by_hand_counts_for_a_pool_filter(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any], clock: SettableClock
) -> None:
    skill = _skill(api, skill_ttl_hours=2)
    condition = {"category": "skill", "key": skill["id"], "operator": "GTE", "value": 80}
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], filter=condition)))
    upload_tasks(api, pool["id"], real=4)
    worker = worker_client(app_client, ctx, "skilled")
    assert take(worker, pool["id"]).status_code == 409

    value = api.put(VALUES, json={"skill_id": skill["id"], "user_id": _me(worker), "value": 85.5})
    assert value.status_code == 201, value.text
    held = value.json()
    assert (held["value"], held["exact_value"], held["user_id"]) == (85, 85.5, _me(worker))
    assert api.get(f"{VALUES}/{held['id']}").json() == held
    assert take(worker, pool["id"]).status_code == 201

    clock.advance(timedelta(hours=2))  # skill_ttl_hours passed: the value is gone
    assert_error(api.get(f"{VALUES}/{held['id']}"), 404, "DOES_NOT_EXIST")
    assert api.get(VALUES, params={"skill_id": skill["id"]}).json()["items"] == []


def test_values_are_replaced_searched_and_deleted(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock
) -> None:
    skill, other = _skill(api), _skill(api, name="Other")
    ann, bob = (_me(worker_client(app_client, ctx, name)) for name in ("ann", "bob"))
    first = created(api.put(VALUES, json={"skill_id": skill["id"], "user_id": ann, "exact_value": 40}))
    clock.advance(timedelta(minutes=1))
    second = created(api.put(VALUES, json={"skill_id": other["id"], "user_id": ann, "value": 70}))
    third = created(api.put(VALUES, json={"skill_id": skill["id"], "user_id": bob, "value": 100}))
    clock.advance(timedelta(minutes=1))
    again = created(api.put(VALUES, json={"skill_id": skill["id"], "user_id": ann, "exact_value": 55.25}))
    assert again["id"] == first["id"] and again["created"] == first["created"]
    assert (again["value"], again["exact_value"]) == (55, 55.25) and again["modified"] > first["modified"]

    def ids(**params: Any) -> list[str]:
        return [item["id"] for item in api.get(VALUES, params=params).json()["items"]]

    assert ids() == [first["id"], second["id"], third["id"]]
    assert ids(user_id=ann) == [first["id"], second["id"]]
    assert ids(skill_id=skill["id"]) == [first["id"], third["id"]]
    assert ids(sort="-modified,-id") == [first["id"], third["id"], second["id"]]
    assert ids(modified_gt=second["modified"]) == [first["id"]]
    assert ids(created_lt=second["created"]) == [first["id"]]

    assert api.delete(f"{VALUES}/{first['id']}").status_code == 204
    assert_error(api.delete(f"{VALUES}/{first['id']}"), 404, "DOES_NOT_EXIST")
    assert ids(user_id=ann) == [second["id"]]


def test_bad_values_are_refused_and_nothing_is_written(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    skill = _skill(api)
    worker = _me(worker_client(app_client, ctx, "w"))
    cases = [
        ({"skill_id": "999", "user_id": worker, "value": 1}, "skill_id"),
        ({"skill_id": skill["id"], "user_id": "999", "value": 1}, "user_id"),
        ({"skill_id": skill["id"], "user_id": worker, "value": 101}, "value"),
        ({"skill_id": skill["id"], "user_id": worker, "exact_value": -1}, "exact_value"),
        ({"skill_id": skill["id"], "user_id": worker}, "value"),
        ({"skill_id": skill["id"], "user_id": worker, "value": "high"}, "value"),
        ({"user_id": worker, "value": 1}, "skill_id"),
        ({"skill_id": skill["id"], "user_id": worker, "value": 40, "exact_value": 50.5}, "value"),
    ]
    for body, field in cases:
        assert_error(api.put(VALUES, json=body), 400, "VALIDATION_ERROR", field)
    assert api.get(VALUES).json()["items"] == []
    echoed = {"skill_id": skill["id"], "user_id": worker, "value": 50, "exact_value": 50.5}
    assert created(api.put(VALUES, json=echoed))["exact_value"] == 50.5
    assert_error(api.get(VALUES, params={"value_gt": "3"}), 400, "VALIDATION_ERROR", "value_gt")
    assert_error(api.get(f"{VALUES}/x"), 404, "DOES_NOT_EXIST")


def test_another_requesters_skills_and_values_are_not_found(
    api: TestClient, other_api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    skill = _skill(api)
    worker = _me(worker_client(app_client, ctx, "w"))
    held = created(api.put(VALUES, json={"skill_id": skill["id"], "user_id": worker, "value": 50}))

    assert_error(other_api.get(f"{SKILLS}/{skill['id']}"), 404, "DOES_NOT_EXIST")
    assert_error(other_api.put(f"{SKILLS}/{skill['id']}", json={"name": "x"}), 404, "DOES_NOT_EXIST")
    assert other_api.get(SKILLS).json()["items"] == []
    body = {"skill_id": skill["id"], "user_id": worker, "value": 1}
    assert_error(other_api.put(VALUES, json=body), 400, "VALIDATION_ERROR", "skill_id")
    assert_error(other_api.get(f"{VALUES}/{held['id']}"), 404, "DOES_NOT_EXIST")
    assert_error(other_api.delete(f"{VALUES}/{held['id']}"), 404, "DOES_NOT_EXIST")
    assert other_api.get(VALUES).json()["items"] == []
    assert api.get(f"{VALUES}/{held['id']}").json() == held
    bobs = created(other_api.post(SKILLS, json={"name": "Segmentation"}))
    assert bobs["owner"]["myself"] is True and api.get(SKILLS).json()["items"] == [skill]
