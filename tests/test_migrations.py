"""The migrations build exactly the schema the code declares, can be rolled back, and fill new
tables from the data already there."""

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect

from kvorum.services.context import Context
from kvorum.store import db, migrate
from kvorum.store.tables import metadata
from tests.helpers import created, ledger_of, mixer_pool, take, upload_tasks, worker_client


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_server_default": False})
        return list(compare_metadata(context, metadata))


def test_migrations_match_the_declared_tables(database_url: str) -> None:
    engine = db.create(database_url)
    try:
        assert migrate.current(engine) == migrate.head()
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_migrations_roll_back_and_forward(database_url: str) -> None:
    engine = db.create(database_url)
    try:
        config = migrate._config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004")
        assert migrate.current(engine) == "0004"
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        assert _differences(engine) == []
    finally:
        engine.dispose()


def _answer(client: TestClient, pool_id: str) -> str:
    assignment = created(take(client, pool_id))
    body = {"solutions": [{"output_values": {"result": "cat"}} for _ in assignment["tasks"]]}
    assert client.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=body).status_code == 200
    return str(assignment["id"])


def test_the_ledger_is_filled_with_the_entries_the_code_writes(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    database_url: str,
    project: dict[str, Any],
    training: dict[str, Any],
) -> None:
    manual = mixer_pool(project["id"], reward_per_assignment=0.005, auto_accept_solutions=False)
    reviewed = created(api.post("/api/v1/pools", json=manual))["id"]
    automatic = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], reward_per_assignment=0.33)))
    for pool_id in (reviewed, automatic["id"]):
        upload_tasks(api, pool_id, real=2, golden=0)
    lesson = {
        "pool_id": training["id"],
        "input_values": {"image": "https://img.example/lesson.png"},
        "known_solutions": [{"output_values": {"result": "cat"}}],
    }
    created(api.post("/api/v1/tasks", params={"open_pool": "true"}, json=[lesson]))
    client = worker_client(app_client, ctx, "wanda")
    accepted, _ = _answer(client, reviewed), _answer(client, reviewed)
    assert api.patch(f"/api/v1/assignments/{accepted}", json={"status": "ACCEPTED"}).status_code == 200
    _answer(client, automatic["id"])
    _answer(client, training["id"])  # accepted at submit, for nothing
    worker_id = client.get("/api/worker/v1/me").json()["id"]
    for bonus in ({"amount": "0.10", "assignment_id": accepted}, {"amount": "2"}):
        created(api.post("/api/v1/user-bonuses", json={"user_id": worker_id, **bonus}))

    def entries() -> set[tuple[Any, ...]]:
        return {tuple(row)[1:] for row in ledger_of(ctx, worker_id)}

    written = entries()
    assert sorted((row[2], row[3]) for row in written) == [
        ("BONUS", 100_000),
        ("BONUS", 2_000_000),
        ("REWARD", 5_000),
        ("REWARD", 330_000),
    ]
    engine = db.create(database_url)
    try:
        config = migrate._config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0012")
            assert "ledger_entries" not in inspect(conn).get_table_names()
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert entries() == written
