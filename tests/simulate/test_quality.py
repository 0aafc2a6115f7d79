"""The simulated crowd meets kvorum's quality control on a live server, set up by a requester with
toloka-kit: a golden-set ban and a fast-answer ban catch adversarial workers and fast clickers (who
see their bans) and spare the honest; a training lets the good workers into its pool and keeps the
others out."""

from dataclasses import replace

import httpx
from toloka.client import Pool, Task, TolokaClient, Training, actions, collectors, conditions
from toloka.client.project import field_spec
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import ClassicViewSpec
from toloka.client.quality_control import QualityControl

from kvorum.cli import LocalAccounts
from kvorum.simulate import CrowdSpec, GroundTruth, Simulation, generate, run
from kvorum.simulate.crowd import DEFAULT_GROUPS
from tests.compat import builders
from tests.support.live import LiveServer

REAL, GOLDEN = 30, 12
FAST = 20
"""A suite submitted in under this many seconds of server time is a fast answer."""


def classification(client: TolokaClient, truth: GroundTruth) -> str:
    """A project whose `label` output takes the ground truth's classes; its id."""
    project = client.create_project(
        builders.project(
            task_spec=TaskSpec(
                input_spec={"text": field_spec.StringSpec()},
                output_spec={"label": field_spec.StringSpec(allowed_values=list(truth.labels))},
                view_spec=ClassicViewSpec(markup="{{input.text}}"),
            )
        )
    )
    return str(project.id)


def known(pool_id: str, truth: GroundTruth, start: int, stop: int, **extra: object) -> list[Task]:
    """Tasks of the ground truth's items [start, stop) with their labels as known solutions."""
    return [
        Task(
            pool_id=pool_id,
            input_values=item.input_values,
            known_solutions=[Task.KnownSolution(output_values={"label": item.label})],
            **extra,
        )
        for item in truth.items[start:stop]
    ]


def guarded_pool(client: TolokaClient, truth: GroundTruth) -> str:
    """Suites of two real tasks and one control task; the two bans; the tasks, and the pool open."""
    project = classification(client, truth)
    pool = builders.pool(
        project,
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
    golden = known(pool.id, truth, REAL, REAL + GOLDEN, infinite_overlap=True)
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


def test_a_training_lets_the_good_workers_into_its_pool(
    time_travel_server: LiveServer, local_accounts: LocalAccounts
) -> None:
    client = TolokaClient(time_travel_server.token, url=time_travel_server.url)
    truth = generate(classes=4, tasks=16, seed=9)
    project = classification(client, truth)
    training = client.create_training(
        Training(
            project_id=project,
            private_name="Lessons",
            may_contain_adult_content=False,
            assignment_max_duration_seconds=600,
            training_tasks_in_task_suite_count=6,
            task_suites_required_to_pass=1,
        )
    )
    client.create_tasks(known(training.id, truth, 10, 16), open_pool=True)
    requirement = QualityControl.TrainingRequirement(
        training_pool_id=training.id, training_passing_skill_value=70
    )
    pool = builders.pool(
        project,
        defaults=Pool.Defaults(default_overlap_for_new_tasks=2, default_overlap_for_new_task_suites=2),
        quality_control=QualityControl(training_requirement=requirement),
    )
    pool.set_mixer_config(real_tasks_count=2, golden_tasks_count=0, training_tasks_count=0)
    pool = client.create_pool(pool)
    client.create_tasks(
        [Task(pool_id=pool.id, input_values=item.input_values) for item in truth.items[:10]],
        allow_defaults=True,
        open_pool=True,
    )
    groups = {
        **DEFAULT_GROUPS,
        "honest": replace(DEFAULT_GROUPS["honest"], accuracy=(1.0, 1.0)),
        "adversarial": replace(DEFAULT_GROUPS["adversarial"], share=0.5, accuracy=(0.0, 0.0)),
    }
    simulation = Simulation(
        crowd=CrowdSpec(workers=4, groups=groups, prefix="trainee"),
        seed=9,
        url=time_travel_server.url,
        pools=(str(training.id), str(pool.id)),
    )
    result = run(simulation, truth, local_accounts)

    for worker in result.workers:
        pools = {answer.pool_id for answer in worker.answers}
        if worker.profile.behaviour == "honest":
            assert pools == {str(training.id), str(pool.id)}
            assert "completed training" in worker.refused[str(training.id)]
        else:
            assert pools == {str(training.id)}
            assert "pass training" in worker.refused[str(pool.id)]
    assert sum(len(worker.answers) for worker in result.workers) == 4 * 6 + 10 * 2
