"""`kvorum demo` on a small crowd: kvorum's configuration keeps the spammers out of the real tasks
and beats the static baseline; the command runs twice on one database; on SQLite and PostgreSQL."""

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kvorum import demo
from kvorum.cli import LocalAccounts
from kvorum.clock import Clock
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db
from tests.support.databases import BACKENDS
from tests.support.live import LiveServer, _free_port, live_server_on_fresh_database

SPAMMERS = ("random_spammer", "constant_spammer")


@pytest.fixture(params=BACKENDS)
def time_travel_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    env = {"KVORUM_TIME_TRAVEL": "true"}
    with live_server_on_fresh_database(request.param, request, tmp_path, env) as server:
        yield server


def test_the_small_demo_keeps_spammers_out_and_beats_the_baseline(time_travel_server: LiveServer) -> None:
    url = time_travel_server.database_url
    context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
    seen: list[tuple[str, int]] = []
    try:
        report = asyncio.run(
            demo.demo(
                time_travel_server.url,
                time_travel_server.token,
                LocalAccounts(context),
                demo.Options(tasks=50, workers=20, seed=3),
                lambda name, done, _: seen.append((name, done)),
            )
        )
    finally:
        context.db.dispose()

    ours, baseline = report.ours, report.baseline
    spammers = [line for line in ours.workers if line.behaviour in SPAMMERS]
    assert spammers
    assert all(line.banned or line.passed_training is False for line in spammers)
    assert sum(line.answers for line in spammers) == 0
    assert ours.accuracy > baseline.accuracy
    assert ours.answers_per_task < baseline.answers_per_task == 5
    assert ours.tasks == baseline.tasks == 50
    assert {name for name, _ in seen} == {"kvorum", "baseline"}
    honest = [line for line in ours.workers if line.behaviour == "honest" and line.skill is not None]
    assert honest and all(line.skill >= 60 for line in honest)


def test_the_command_runs_twice_on_one_database(database_url: str, tmp_path: Path) -> None:
    for run in (1, 2):
        report = tmp_path / f"report-{run}.html"
        command = [
            sys.executable, "-m", "kvorum", "demo", "--tasks", "20", "--workers", "8", "--no-serve",
            "--port", str(_free_port()), "--report", str(report), "--database-url", database_url,
        ]  # fmt: skip
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path, env=os.environ
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"database: {database_url}" in done.stderr
        assert re.search(r"accuracy\s+│\s+[01]\.\d{3}\s+│\s+[01]\.\d{3}", done.stderr)
        assert "<svg" in report.read_text(encoding="utf-8")
