"""A small simulated crowd on a live server, on SQLite and PostgreSQL: what the server stored is what
the simulated workers gave, skips and walk-outs show as such, and a restricted worker sees its ban."""

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from kvorum.cli import LocalAccounts, app
from kvorum.simulate import CrowdSpec, Setup, Simulation, SimulationResult, generate, run
from kvorum.simulate.crowd import DEFAULT_GROUPS
from kvorum.simulate.server import Server
from tests.support.live import LiveServer

TASKS = 24
WORKERS = 6


def crowd(prefix: str, **shares: float) -> CrowdSpec:
    groups = {kind: replace(DEFAULT_GROUPS[kind], share=share) for kind, share in shares.items()}
    return CrowdSpec(workers=WORKERS, groups={**DEFAULT_GROUPS, **groups}, prefix=prefix)


def stored_assignments(server: LiveServer, pool_id: str) -> list[dict[str, Any]]:
    async def collect() -> list[dict[str, Any]]:
        client = Server(server.url, requester_token=server.token)
        try:
            return [item async for item in client.assignments(pool_id)]
        finally:
            await client.aclose()

    return asyncio.run(collect())


def test_the_server_stores_exactly_the_answers_the_crowd_gave(
    time_travel_server: LiveServer, local_accounts: LocalAccounts
) -> None:
    truth = generate(classes=3, tasks=TASKS, seed=2)
    simulation = Simulation(
        crowd=crowd("stored", random_spammer=0.34, abandoning=0.34),
        seed=2,
        url=time_travel_server.url,
        setup=Setup(overlap=2, tasks_per_suite=3),
        requester_token=time_travel_server.token,
    )
    result = run(simulation, truth, local_accounts)

    assert result.time_travel and result.stopped_by == "done"
    assert result.simulated_seconds > 0
    given = {
        (answer.assignment_id, answer.task_id): (worker.user_id, answer.given)
        for worker in result.workers
        for answer in worker.answers
    }
    assert len(given) == result.answer_count > 0
    stored = stored_assignments(time_travel_server, result.pools[0])
    answered = {
        (assignment["id"], task["id"]): (assignment["user_id"], solution["output_values"]["label"])
        for assignment in stored
        if assignment["status"] == "ACCEPTED"
        for task, solution in zip(assignment["tasks"], assignment["solutions"], strict=True)
    }
    assert answered == given
    statuses = {assignment["id"]: assignment["status"] for assignment in stored}
    skipped = [suite for worker in result.workers for suite in worker.skipped]
    abandoned = [suite for worker in result.workers for suite in worker.abandoned]
    assert {statuses[suite] for suite in skipped} <= {"SKIPPED"}
    assert {statuses[suite] for suite in abandoned} <= {"ACTIVE", "EXPIRED"}
    assert len(stored) == result.assignments
    assert result.cost == sum(len(worker.submitted) for worker in result.workers) * Setup().reward
    spammers = [worker for worker in result.workers if worker.profile.behaviour == "random_spammer"]
    assert spammers and all(worker.answers for worker in spammers)


def test_walking_away_leaves_an_assignment_the_server_expires(
    time_travel_server: LiveServer, local_accounts: LocalAccounts
) -> None:
    groups = {
        **DEFAULT_GROUPS,
        "abandoning": replace(DEFAULT_GROUPS["abandoning"], share=1.0, abandon_rate=1.0),
    }
    simulation = Simulation(
        crowd=CrowdSpec(workers=3, groups=groups, prefix="walkout"),
        url=time_travel_server.url,
        setup=Setup(overlap=1, tasks_per_suite=2, assignment_max_duration_seconds=60),
        requester_token=time_travel_server.token,
    )
    result = run(simulation, generate(2, 6, seed=3), local_accounts)
    abandoned = {suite for worker in result.workers for suite in worker.abandoned}
    assert len(abandoned) == 3 and result.answer_count == 0
    assert {a["status"] for a in stored_assignments(time_travel_server, result.pools[0])} == {"ACTIVE"}

    advanced = httpx.post(f"{time_travel_server.url}/api/testing/advance-clock", json={"seconds": 61})
    assert advanced.status_code == 200
    stored = stored_assignments(time_travel_server, result.pools[0])
    assert {a["id"]: a["status"] for a in stored} == dict.fromkeys(abandoned, "EXPIRED")


def test_a_restricted_worker_sees_the_ban_and_stops(
    time_travel_server: LiveServer, local_accounts: LocalAccounts
) -> None:
    truth = generate(classes=2, tasks=6, seed=4)
    token = time_travel_server.token
    first = run(
        Simulation(
            crowd=crowd("banned"), url=time_travel_server.url, max_assignments=1, requester_token=token
        ),
        truth,
        local_accounts,
    )
    assert first.stopped_by == "max_assignments" and first.assignments == 1
    banned = next(worker for worker in first.workers if worker.taken == 1)
    restriction = {"scope": "POOL", "pool_id": first.pools[0], "user_id": banned.user_id}
    headers = {"Authorization": f"OAuth {time_travel_server.token}"}
    answered = httpx.put(
        f"{time_travel_server.url}/api/v1/user-restrictions", json=restriction, headers=headers
    )
    assert answered.status_code in (200, 201), answered.text

    again = run(
        Simulation(crowd=crowd("banned"), url=time_travel_server.url, pools=first.pools),
        truth,
        local_accounts,
    )
    ban = next(worker for worker in again.workers if worker.user_id == banned.user_id).ban
    assert ban is not None and ban.pool_id == first.pools[0]
    assert "restricted" in ban.message
    assert [worker.user_id for worker in again.bans] == [banned.user_id]


def test_the_command_runs_a_crowd_on_a_real_time_server(real_time_server: LiveServer) -> None:
    arguments = ["simulate", "--url", real_time_server.url, "--database-url", real_time_server.database_url]
    options = ["--workers", "5", "--spammers", "0.4", "--tasks", "10", "--time-scale", "0", "--seed", "9"]
    result = CliRunner().invoke(app, [*arguments, *options, "--token", real_time_server.token])
    assert result.exit_code == 0, result.output
    assert "stopped: done" in result.output
    assert "answers 30" in result.output  # 10 tasks, the default overlap of 3
    assert f"database: {real_time_server.database_url}" in result.output


def answers_of(result: SimulationResult) -> dict[tuple[str, str], str]:
    """Who answered which task (by its inputs: task ids differ between pools) and how."""
    return {
        (worker.profile.name, answer.task_key): answer.given
        for worker in result.workers
        for answer in worker.answers
    }


def test_a_seed_makes_a_worker_answer_a_task_the_same_way_in_every_run(
    time_travel_server: LiveServer, local_accounts: LocalAccounts
) -> None:
    truth = generate(classes=4, tasks=TASKS, seed=5)
    simulation = Simulation(
        crowd=crowd("twice", mediocre=0.5),
        seed=5,
        url=time_travel_server.url,
        setup=Setup(overlap=3),
        requester_token=time_travel_server.token,
    )
    first, second = (run(simulation, truth, local_accounts) for _ in range(2))
    assert first.pools != second.pools
    assert [w.profile for w in first.workers] == [w.profile for w in second.workers]
    one, other = answers_of(first), answers_of(second)
    common = one.keys() & other.keys()
    assert len(common) >= TASKS
    assert {key: one[key] for key in common} == {key: other[key] for key in common}


def test_tokens_the_server_does_not_know_are_a_clear_error(
    real_time_server: LiveServer, tmp_path: Path
) -> None:
    tokens = tmp_path / "tokens.tsv"
    tokens.write_text("".join(f"sim-{n:04d}\tnot-a-token-{n}\n" for n in range(1, 3)))
    arguments = ["simulate", "--url", real_time_server.url, "--workers", "2", "--pool", "1"]
    result = CliRunner().invoke(app, [*arguments, "--worker-tokens", str(tokens), "--token", "unused"])
    assert result.exit_code == 1
    assert "does not know the workers' tokens" in result.output
    assert "Traceback" not in result.output


def test_the_command_stops_at_its_time_limit_on_a_crowd_from_a_tsv(
    real_time_server: LiveServer, tmp_path: Path
) -> None:
    truth = tmp_path / "truth.tsv"
    truth.write_text("text\tlabel\n" + "".join(f"item {n}\t{'yes' if n % 3 else 'no'}\n" for n in range(60)))
    arguments = ["simulate", "--url", real_time_server.url, "--database-url", real_time_server.database_url]
    options = ["--workers", "3", "--truth", str(truth), "--time-scale", "1", "--max-seconds", "1"]
    result = CliRunner().invoke(app, [*arguments, *options, "--token", real_time_server.token, "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "stopped: max_seconds" in result.output
