"""speed_quality_balance admits the best workers by a rating of their control answers and reviews."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from kvorum.services.workforce import ratings
from kvorum.store import ratings as rating_store
from tests.helpers import assert_error, mixer_pool, project_body, take, upload_tasks, worker_client


def _pool(api: TestClient, balance: dict[str, Any] | None = None, **changes: Any) -> str:
    project = api.post("/api/v1/projects", json=project_body()).json()
    body = mixer_pool(project["id"], real=2, golden=1, overlap=10, **changes)
    if balance is not None:
        body["speed_quality_balance"] = balance
    pool = api.post("/api/v1/pools", json=body)
    assert pool.status_code == 201, pool.text
    upload_tasks(api, pool.json()["id"], real=4, golden=2)
    return str(pool.json()["id"])


def _work(client: TestClient, pool_id: str, answer: str) -> str:
    """Take a suite and answer every task with `answer` (the control task's right answer is "cat")."""
    taken = take(client, pool_id)
    assert taken.status_code == 201, taken.text
    suite = taken.json()
    solutions = {"solutions": [{"output_values": {"result": answer}} for _ in suite["tasks"]]}
    assert client.post(f"/api/worker/v1/assignments/{suite['id']}/submit", json=solutions).status_code == 200
    return str(suite["id"])


def _score(ctx: Context, client: TestClient) -> float:
    worker_id = int(client.get("/api/worker/v1/me").json()["id"])
    with ctx.db.read() as conn:
        return rating_store.score_of(conn, worker_id=worker_id)


def test_top_percentage_admits_the_best_rated_workers(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    practice = _pool(api)
    good = [worker_client(app_client, ctx, f"good{n}") for n in range(2)]
    bad = [worker_client(app_client, ctx, f"bad{n}") for n in range(2)]
    for client in good:
        _work(client, practice, "cat")
    for client in bad:
        _work(client, practice, "dog")
    assert [_score(ctx, client) for client in good + bad] == [2 / 3, 2 / 3, 1 / 3, 1 / 3]

    selective = _pool(api, {"type": "TOP_PERCENTAGE_BY_QUALITY", "percent": 50})
    for client in bad:
        refused = assert_error(take(client, selective), 409, "CONFLICT_STATE")
        assert "top 50%" in refused["message"]
        assert selective not in {item["id"] for item in client.get("/api/worker/v1/pools").json()}
    for client in good:
        assert take(client, selective).status_code == 201
    newcomer = worker_client(app_client, ctx, "new")  # 5 workers: the top 3 (ceil of 2.5) get in
    assert take(newcomer, selective).status_code == 201


def test_requester_reviews_move_the_rating(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    manual = _pool(api, auto_accept_solutions=False)
    worker = worker_client(app_client, ctx, "wanda")
    first, second = _work(worker, manual, "cat"), _work(worker, manual, "cat")
    assert _score(ctx, worker) == (2 + 1) / (2 + 2)  # two right control answers, nothing reviewed
    rejected = api.patch(f"/api/v1/assignments/{first}", json={"status": "REJECTED", "public_comment": "no"})
    assert rejected.status_code == 200
    assert _score(ctx, worker) == (2 + 0 + 1) / (2 + 1 + 2)
    assert api.patch(f"/api/v1/assignments/{first}", json={"status": "ACCEPTED"}).status_code == 200
    assert _score(ctx, worker) == (2 + 1 + 1) / (2 + 1 + 2)  # the verdict changed, not the count
    assert api.patch(f"/api/v1/assignments/{second}", json={"status": "ACCEPTED"}).status_code == 200
    assert _score(ctx, worker) == (2 + 2 + 1) / (2 + 2 + 2)


def test_best_concurrent_users_admits_the_best_of_those_active_now(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock
) -> None:
    practice = _pool(api)
    strong, weak = worker_client(app_client, ctx, "strong"), worker_client(app_client, ctx, "weak")
    _work(strong, practice, "cat")
    _work(weak, practice, "dog")
    selective = _pool(api, {"type": "BEST_CONCURRENT_USERS_BY_QUALITY", "count": 1})
    refused = assert_error(take(weak, selective), 409, "CONFLICT_STATE")
    assert "1 best workers active now" in refused["message"]
    assert take(strong, selective).status_code == 201

    clock.advance(ratings.ACTIVE_WINDOW + timedelta(seconds=1))  # strong has gone quiet
    assert take(weak, selective).status_code == 201


def test_among_equals_the_older_account_comes_first(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    practice = _pool(
        api, mixer_config={"real_tasks_count": 1, "golden_tasks_count": 0, "training_tasks_count": 0}
    )
    older, newer = worker_client(app_client, ctx, "older"), worker_client(app_client, ctx, "newer")
    selective = _pool(api, {"type": "BEST_CONCURRENT_USERS_BY_QUALITY", "count": 1})
    assert take(older, practice).status_code == 201  # active, and as good as newer (no record)
    assert_error(take(newer, selective), 409, "CONFLICT_STATE")
    assert take(older, selective).status_code == 201
