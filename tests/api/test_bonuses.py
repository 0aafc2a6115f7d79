"""Bonuses through the requester API: given to a worker, for one of their assignments or not,
searched, private to the requester who gave them, and entered in the worker's ledger with the
bonus itself, so they count in the worker's earnings."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from tests.helpers import assert_error, created, ledger_of, mixer_pool, take, upload_tasks, worker_client

BONUSES = "/api/v1/user-bonuses"
TITLE = {"EN": "Good job!", "RU": "Молодец!"}


def _me(client: TestClient) -> dict[str, Any]:
    me = client.get("/api/worker/v1/me")
    assert me.status_code == 200, me.text
    return dict(me.json())


def _assignment(
    api: TestClient, worker: TestClient, project: dict[str, Any], **settings: Any
) -> dict[str, Any]:
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], **settings)))
    upload_tasks(api, pool["id"], real=2)
    return created(take(worker, pool["id"]))


def test_bonuses_are_given_read_and_searched(
    api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any], clock: SettableClock
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    user_id = _me(worker)["id"]
    assignment = _assignment(api, worker, project)
    sent = {
        "user_id": user_id,
        "amount": "0.50",
        "assignment_id": assignment["id"],
        "private_comment": "ten tasks",
        "public_title": TITLE,
        "public_message": {"EN": "Ten tasks were completed"},
    }
    first = created(api.post(BONUSES, json=sent))
    assert {key: first[key] for key in sent} == sent and first["without_message"] is False
    assert api.get(f"{BONUSES}/{first['id']}").json() == first
    clock.advance(timedelta(minutes=1))
    second = created(api.post(BONUSES, json={"user_id": user_id, "amount": 1.25, "without_message": True}))
    assert second["amount"] == "1.25" and "assignment_id" not in second and second["without_message"] is True

    def ids(**params: Any) -> list[str]:
        found = api.get(BONUSES, params=params)
        assert found.status_code == 200, found.text
        return [item["id"] for item in found.json()["items"]]

    assert ids() == [first["id"], second["id"]]
    assert ids(user_id=user_id, sort="-created") == [second["id"], first["id"]]
    assert ids(assignment_id=assignment["id"]) == [first["id"]]
    assert ids(private_comment="ten tasks") == [first["id"]]
    assert ids(id_gt=first["id"]) == [second["id"]]
    assert ids(created_lt=second["created"]) == [first["id"]]
    page = api.get(BONUSES, params={"limit": 1}).json()
    assert [item["id"] for item in page["items"]] == [first["id"]] and page["has_more"]


def test_bad_bonuses_are_refused_and_nothing_is_written(
    api: TestClient, other_api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    other = worker_client(app_client, ctx, "otto")
    user_id = _me(worker)["id"]
    assignment = _assignment(api, worker, project)
    good = {"user_id": user_id, "amount": "0.50"}
    for amount in ("0", -1, "100.01", "0.505", "x", True, None, "NaN"):
        assert_error(api.post(BONUSES, json={**good, "amount": amount}), 400, "VALIDATION_ERROR", "amount")
    assert_error(api.post(BONUSES, json={"amount": "1"}), 400, "VALIDATION_ERROR", "user_id")
    assert_error(api.post(BONUSES, json={**good, "user_id": "999999"}), 400, "VALIDATION_ERROR", "user_id")
    assert_error(
        api.post(BONUSES, json={**good, "public_title": "x"}), 400, "VALIDATION_ERROR", "public_title"
    )
    for assignment_id in ("nope", assignment["id"]):
        given = {**good, "user_id": _me(other)["id"], "assignment_id": assignment_id}
        assert_error(api.post(BONUSES, json=given), 400, "VALIDATION_ERROR", "assignment_id")
    theirs = {**good, "assignment_id": assignment["id"]}
    assert_error(other_api.post(BONUSES, json=theirs), 400, "VALIDATION_ERROR", "assignment_id")
    assert_error(api.get(BONUSES, params={"amount": "1"}), 400, "VALIDATION_ERROR", "amount")
    assert api.get(BONUSES).json()["items"] == [] and _me(worker)["earnings"]["bonuses"] == 0

    mine = created(api.post(BONUSES, json={**good, "amount": "100"}))
    assert mine["amount"] == "100.00"
    assert_error(other_api.get(f"{BONUSES}/{mine['id']}"), 404, "DOES_NOT_EXIST")
    assert other_api.get(BONUSES).json()["items"] == []
    assert_error(api.get(f"{BONUSES}/nope"), 404, "DOES_NOT_EXIST")


def test_bonuses_count_in_the_workers_earnings(
    api: TestClient, other_api: TestClient, app_client: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    assert _me(worker)["earnings"] == {"accepted": 0, "pending": 0, "bonuses": 0, "total": 0}
    assignment = _assignment(api, worker, project, auto_accept_solutions=False)
    solutions = [{"output_values": {"result": "dog"}} for _ in assignment["tasks"]]
    submitted = worker.post(
        f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions}
    )
    assert submitted.status_code == 200, submitted.text
    reward = _me(worker)["earnings"]["pending"]
    assert reward > 0

    user_id = _me(worker)["id"]
    mine = created(
        api.post(BONUSES, json={"user_id": user_id, "amount": "0.10", "assignment_id": assignment["id"]})
    )
    theirs = created(other_api.post(BONUSES, json={"user_id": user_id, "amount": "0.20"}))
    assert _me(worker)["earnings"] == {"accepted": 0, "pending": reward, "bonuses": 0.3, "total": 0.3}
    alice, bob = (int(client.get("/api/v1/requester").json()["id"]) for client in (api, other_api))
    assert [
        (row.kind, row.owner_id, row.amount, row.bonus_id, row.assignment_id)
        for row in ledger_of(ctx, user_id)
    ] == [
        ("BONUS", alice, 100_000, int(mine["id"]), assignment["id"]),
        ("BONUS", bob, 200_000, int(theirs["id"]), None),
    ]

    accepted = api.patch(f"/api/v1/assignments/{assignment['id']}", json={"status": "ACCEPTED"})
    assert accepted.status_code == 200, accepted.text
    earned = _me(worker)["earnings"]
    assert earned == {"accepted": reward, "pending": 0, "bonuses": 0.3, "total": round(reward + 0.3, 2)}
    assert [row.kind for row in ledger_of(ctx, user_id)] == ["BONUS", "BONUS", "REWARD"]


def test_arrays_of_bonuses_are_given_at_once_or_as_an_operation(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    worker = worker_client(app_client, ctx, "wanda")
    user_id = _me(worker)["id"]
    good, bad = {"user_id": user_id, "amount": "0.10"}, {"user_id": user_id, "amount": "0"}
    refused = assert_error(api.post(BONUSES, json=[good, bad]), 400, "VALIDATION_ERROR")
    assert set(refused["payload"]) == {"1"} and api.get(BONUSES).json()["items"] == []
    assert ledger_of(ctx, user_id) == []

    batch = api.post(BONUSES, params={"skip_invalid_items": "true"}, json=[good, bad])
    assert batch.status_code == 201, batch.text
    answer = batch.json()
    assert list(answer["items"]) == ["0"] and answer["items"]["0"]["amount"] == "0.10"
    assert list(answer["validation_errors"]) == ["1"] and "amount" in answer["validation_errors"]["1"]

    operation_id = "5b2f3e8c-0c55-4d6e-9d5c-3f1b2a4c6d7e"
    params = {"async_mode": "true", "operation_id": operation_id, "skip_invalid_items": "true"}
    started = api.post(BONUSES, params=params, json=[{**good, "__item_idx": 0}, {**good, "amount": 2}])
    assert started.status_code == 202, started.text
    operation = started.json()
    assert (operation["id"], operation["type"], operation["status"]) == (
        operation_id,
        "USER_BONUS.BATCH_CREATE",
        "SUCCESS",
    )
    log = api.get(f"/api/v1/operations/{operation_id}/log").json()
    assert [entry["type"] for entry in log] == ["USER_BONUS_CREATE"] * 2
    assert log[0]["input"]["__item_idx"] == 0 and log[1]["input"]["amount"] == "2.00"
    again = api.post(BONUSES, params=params, json=[good])
    assert_error(again, 409, "OPERATION_ALREADY_EXISTS")
    given = api.get(BONUSES).json()["items"]
    assert len(given) == 3
    assert [(row.bonus_id, row.amount) for row in ledger_of(ctx, user_id)] == [
        (int(bonus["id"]), int(Decimal(bonus["amount"]) * 1_000_000)) for bonus in given
    ]
    assert _me(worker)["earnings"]["bonuses"] == 2.2  # 0.10 at once, then 0.10 and 2 by the operation
    assert _me(worker_client(app_client, ctx, "otto"))["earnings"]["bonuses"] == 0
