"""The kvorum command, as an operator runs it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kvorum.cli import app
from kvorum.clock import Clock
from kvorum.services.accounts import requesters as accounts
from kvorum.services.accounts import workers
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db, migrate
from tests.support.pgserver import PostgresServer

runner = CliRunner()


def authenticates(url: str, token: str) -> str:
    context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
    try:
        return accounts.authenticate(context, token=token).name
    finally:
        context.db.dispose()


def test_requester_create_prints_a_working_token_last(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'kvorum.db'}"
    result = runner.invoke(app, ["requester", "create", "alice", "--database-url", url])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert authenticates(url, token) == "alice"

    again = runner.invoke(app, ["requester", "token", "alice", "--database-url", url])
    assert again.exit_code == 0, again.output
    second = again.stdout.strip().splitlines()[-1]
    assert second != token
    assert authenticates(url, second) == authenticates(url, token) == "alice"


def test_requester_errors_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVORUM_DATABASE_URL", f"sqlite:///{tmp_path / 'kvorum.db'}")
    assert runner.invoke(app, ["requester", "create", "alice"]).exit_code == 0
    duplicate = runner.invoke(app, ["requester", "create", "alice"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    unknown = runner.invoke(app, ["requester", "token", "nobody"])
    assert unknown.exit_code == 1 and "No account" in unknown.output


@pytest.fixture
def empty_postgres(pg_server: PostgresServer) -> Iterator[str]:
    server = pg_server
    server.create_database("kvorum_cli_empty")
    yield server.url_for("kvorum_cli_empty")
    server.drop_database("kvorum_cli_empty")


def test_serve_refuses_an_out_of_date_postgresql_schema(empty_postgres: str) -> None:
    refused = runner.invoke(app, ["serve", "--database-url", empty_postgres])
    assert refused.exit_code == 1
    assert "kvorum db upgrade" in refused.output

    upgraded = runner.invoke(app, ["db", "upgrade", "--database-url", empty_postgres])
    assert upgraded.exit_code == 0, upgraded.output
    engine = db.create(empty_postgres)
    assert migrate.current(engine) == migrate.head()
    engine.dispose()


def test_worker_create_prints_a_token_for_the_worker_api(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kvorum.db'}"
    args = [
        "worker",
        "create",
        "wanda",
        "--country",
        "RU",
        "--languages",
        "en,ru",
        "--birth-date",
        "1990-05-01",
    ]
    result = runner.invoke(app, [*args, "--password", "s3cret", "--database-url", url])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
    try:
        worker = workers.authenticate(context, token=token)
    finally:
        context.db.dispose()
    assert worker.name == "wanda"
    assert worker.profile["languages"] == ["EN", "RU"] and worker.profile["country"] == "RU"
    assert worker.facts({})[("profile", "date_of_birth")] == 641520000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Russia"], "country"),
        (["--client-type", "FAX"], "client_type"),
        (["--languages", "english"], "languages"),
    ],
)
def test_worker_profile_errors(tmp_path: Path, args: list[str], message: str) -> None:
    url = f"sqlite:///{tmp_path / 'kvorum.db'}"
    result = runner.invoke(app, ["worker", "create", "wanda", *args, "--database-url", url])
    assert result.exit_code == 1 and message in result.output


def test_worker_token_issues_another_worker_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kvorum.db'}"
    first = (
        runner.invoke(app, ["worker", "create", "wanda", "--database-url", url])
        .stdout.strip()
        .splitlines()[-1]
    )
    again = runner.invoke(app, ["worker", "token", "wanda", "--database-url", url])
    assert again.exit_code == 0, again.output
    second = again.stdout.strip().splitlines()[-1]
    context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
    try:
        assert second != first
        assert (
            workers.authenticate(context, token=second).name
            == workers.authenticate(context, token=first).name
        )
    finally:
        context.db.dispose()
    unknown = runner.invoke(app, ["worker", "token", "nobody", "--database-url", url])
    assert unknown.exit_code == 1 and "No account" in unknown.output


def test_invite_create_prints_one_code_a_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kvorum.db'}"
    made = runner.invoke(app, ["invite", "create", "--count", "3", "--database-url", url])
    assert made.exit_code == 0, made.output
    codes = made.stdout.strip().splitlines()
    assert len(codes) == len(set(codes)) == 3 and all(len(code) >= 16 for code in codes)
    assert runner.invoke(app, ["invite", "create", "--count", "0", "--database-url", url]).exit_code != 0
