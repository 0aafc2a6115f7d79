"""The simulated crowd meets kvorum's quality control on a live server: a requester sets up a pool
with control tasks, a golden-set ban and a fast-answer ban (with toloka-kit); adversarial workers and
fast clickers are banned and see their bans, honest workers are not."""

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from toloka.client import Pool, Task, TolokaClient, actions, collectors, conditions
from toloka.client.project import field_spec
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import ClassicViewSpec

from kvorum.cli import LocalAccounts
from kvorum.clock import Clock
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.simulate import CrowdSpec, GroundTruth, Simulation, generate, run
from kvorum.simulate.crowd import DEFAULT_GROUPS
from kvorum.store import db
from tests.compat import builders
from tests.support.live import LiveServer

REAL, GOLDEN = 30, 12
FAST = 20
"""A suite submitted in under this many seconds of server time is a fast answer."""


@pytest.fixture
def local_accounts(time_travel_server: LiveServer) -> Iterator[LocalAccounts]:
    url = time_travel_server.database_url
    context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
    yield LocalAccounts(context)
    context.db.dispose()


def guarded_pool(client: TolokaClient, truth: GroundTruth) -> str:
    """Suites of two real tasks and one control task; the two bans; the tasks, and the pool open."""
    project = client.create_project(
        builders.project(
            task_spec=TaskSpec(
                input_spec={"text": field_spec.StringSpec()},
                output_spec={"label": field_spec.StringSpec(allowed_values=list(truth.labels))},
                view_spec=ClassicViewSpec(markup="{{input.text}}"),
            )
        )
    )
    pool = builders.pool(
        project.id,
        defaults=Pool.Defaults(default_overlap_for_new_tasks=3, default_overlap_for_new_task_suites=3),
    )
    pool.set_mixer_config(real_tasks_count=2, golden_tasks_count=1, training_tasks_count=0)
    pool.quality_control.add_action(
        collector=collectors.GoldenSet(history_size=4),
        conditions=[conditions.TotalAnswersCount >= 3, conditions.IncorrectAnswersRate > 50],
        action=actions.RestrictionV2(scope="POOL", duration_unit="PERMANENT"),
    )
    pool.quality_control.add_action(
        collector=collectors.AssignmentSubmitTime(history_size=5, fast_submit_threshold_seconds=FAST),
        conditions=[conditions.FastSubmittedCount >= 2],
        action=actions.RestrictionV2(scope="PROJECT", duration=1, duration_unit="DAYS"),
    )
    pool = client.create_pool(pool)
    real = [Task(pool_id=pool.id, input_values=item.input_values) for item in truth.items[:REAL]]
    golden = [
        Task(
            pool_id=pool.id,
            input_values=item.input_values,
            known_solutions=[Task.KnownSolution(output_values={"label": item.label})],
            infinite_overlap=True,
        )
        for item in truth.items[REAL:]
    ]
    client.create_tasks(real + golden, allow_defaults=True, open_pool=True)
    return str(pool.id)


def test_quality_control_bans_the_cheats_of_a_simulated_crowd(
    time_travel_server: LiveServer, local_accounts: LocalAccounts
) -> None:
    truth = generate(classes=4, tasks=REAL + GOLDEN, seed=8)
    pool_id = guarded_pool(TolokaClient(time_travel_server.token, url=time_travel_server.url), truth)
    groups = {
        **DEFAULT_GROUPS,
        "honest": replace(DEFAULT_GROUPS["honest"], accuracy=(0.97, 1.0), seconds_per_task=(12, 20)),
        "adversarial": replace(DEFAULT_GROUPS["adversarial"], share=2 / 7, seconds_per_task=(12, 20)),
        "fast_clicker": replace(DEFAULT_GROUPS["fast_clicker"], share=2 / 7, accuracy=(0.97, 1.0)),
    }
    simulation = Simulation(
        crowd=CrowdSpec(workers=7, groups=groups, prefix="guarded"),
        seed=8,
        url=time_travel_server.url,
        pools=(pool_id,),
    )
    result = run(simulation, truth, local_accounts)

    banned = {worker.user_id: worker.profile.behaviour for worker in result.bans}
    assert sorted(banned.values()) == ["adversarial", "adversarial", "fast_clicker", "fast_clicker"]
    assert all(
        worker.ban.pool_id == pool_id and "restricted" in worker.ban.message and worker.ban.at_seconds > 0
        for worker in result.bans
        if worker.ban is not None
    )
    restrictions = httpx.get(
        f"{time_travel_server.url}/api/v1/user-restrictions",
        headers={"Authorization": f"OAuth {time_travel_server.token}"},
        params={"limit": 100},
    ).json()["items"]
    ours = {worker.user_id for worker in result.workers}
    assert {item["user_id"] for item in restrictions} & ours == banned.keys()
    honest = [worker for worker in result.workers if worker.profile.behaviour == "honest"]
    assert all(worker.ban is None and worker.answers for worker in honest)
