"""Quality control through toloka-kit: a script sets up a pool with five kinds of rules, honest and
cheating workers work through it over the worker API, and the rules act: cheaters are banned
within the history their rule counts, their work is rejected and handed to someone else, and the
honest workers' skill is their agreement with the majority.

The fast-answer rule reads the server's clock, which the test moves (KVORUM_TIME_TRAVEL): an
honest worker looks at a suite for half a minute of server time before submitting it, a fast
clicker submits at once.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from toloka.client import (
    Assignment,
    Pool,
    Skill,
    Task,
    TolokaClient,
    actions,
    collectors,
    conditions,
)
from toloka.client.project import field_spec
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import ClassicViewSpec
from toloka.client.user_bonus import UserBonus

from tests.compat import builders
from tests.compat.crowd import Answer, Worker, advance
from tests.support.live import LiveServer

pytestmark = pytest.mark.compat

REAL, GOLDEN = 14, 8
OVERLAP = 3
REWARD = Decimal("0.05")
LOOKS = 30
"""Seconds of server time an honest worker spends on a suite: more than FAST."""
FAST = 20


def image(kind: str, n: int) -> str:
    return f"https://img.example/{kind}-{n}.png"


TRUTH = {image(kind, n): ("cat" if n % 2 == 0 else "dog") for kind in ("real", "golden") for n in range(REAL)}


def truth(task: dict[str, Any]) -> str:
    return TRUTH[task["input_values"]["image"]]


def wrong(task: dict[str, Any]) -> str:
    return "dog" if truth(task) == "cat" else "cat"


def mistaken_on(*real: int) -> Callable[[dict[str, Any]], str]:
    """The truth but for the given real tasks."""
    slips = {image("real", n) for n in real}
    return lambda task: wrong(task) if task["input_values"]["image"] in slips else truth(task)


def choice_project() -> Any:
    return builders.project(
        task_spec=TaskSpec(
            input_spec={"image": field_spec.UrlSpec()},
            output_spec={"result": field_spec.StringSpec(allowed_values=["cat", "dog"])},
            view_spec=ClassicViewSpec(markup="<img src='{{input.image}}'>"),
        )
    )


def guarded_pool(project_id: str, skill_id: str) -> Pool:
    """Overlap 3, manual review, suites of two real tasks and a control task, and the rules."""
    pool = builders.pool(
        project_id,
        reward_per_assignment=float(REWARD),
        auto_accept_solutions=False,
        auto_accept_period_day=7,
        defaults=Pool.Defaults(
            default_overlap_for_new_tasks=OVERLAP, default_overlap_for_new_task_suites=OVERLAP
        ),
    )
    pool.set_mixer_config(
        real_tasks_count=2,
        golden_tasks_count=1,
        training_tasks_count=0,
        mix_tasks_in_creation_order=True,
        shuffle_tasks_in_task_suite=False,
    )
    qc = pool.quality_control
    careless = [conditions.TotalAnswersCount >= 3, conditions.IncorrectAnswersRate > 50]
    qc.add_action(
        collector=collectors.GoldenSet(history_size=4),
        conditions=careless,
        action=actions.RestrictionV2(scope="POOL", duration_unit="PERMANENT"),
    )
    qc.add_action(
        collector=collectors.GoldenSet(history_size=4),
        conditions=careless,
        action=actions.RejectAllAssignments(public_comment="Control tasks failed"),
    )
    qc.add_action(
        collector=collectors.MajorityVote(answer_threshold=3),
        conditions=[conditions.TotalAnswersCount >= 1],
        action=actions.SetSkillFromOutputField(skill_id=skill_id, from_field="correct_answers_rate"),
    )
    qc.add_action(
        collector=collectors.AssignmentSubmitTime(history_size=5, fast_submit_threshold_seconds=FAST),
        conditions=[conditions.FastSubmittedCount >= 2],
        action=actions.RestrictionV2(scope="PROJECT", duration=1, duration_unit="DAYS"),
    )
    qc.add_action(
        collector=collectors.SkippedInRowAssignments(),
        conditions=[conditions.SkippedInRowCount >= 3],
        action=actions.RestrictionV2(scope="POOL", duration=2, duration_unit="HOURS"),
    )
    qc.add_action(
        collector=collectors.AssignmentsAssessment(),
        conditions=[conditions.AssessmentEvent == conditions.AssessmentEvent.REJECT],
        action=actions.ChangeOverlap(delta=1, open_pool=True),
    )
    return pool


def collector_uuids(pool: Pool) -> dict[str, str]:
    """Collector type -> uuid (one collector of each type here)."""
    return {
        str(config.collector_config.type.value): str(config.collector_config.uuid)
        for config in pool.quality_control.configs
    }


def work(
    server: LiveServer, worker: Worker, pool_id: str, answer: Answer, looks: int = LOOKS
) -> dict[str, Any] | None:
    """Take a suite and submit it `looks` seconds (of server time) later; None if none is issued."""
    assignment = worker.take(pool_id)
    if assignment is None:
        return None
    if looks:
        advance(server, looks)
    return worker.submit(assignment, answer)


def agreement(assignments: Iterable[Assignment]) -> dict[str, float]:
    """Each worker's percentage of real-task answers that agree with the task's majority, counting
    the submitted and accepted work (not the rejected)."""
    votes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for assignment in assignments:
        if assignment.status not in (Assignment.SUBMITTED, Assignment.ACCEPTED):
            continue
        for task, solution in zip(assignment.tasks, assignment.solutions, strict=True):
            if not task.known_solutions:
                votes[task.id].append((assignment.user_id, solution.output_values["result"]))
    agreed: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for answers in votes.values():
        [(majority, _)] = Counter(answer for _, answer in answers).most_common(1)
        for user_id, answer in answers:
            answered[user_id] += 1
            agreed[user_id] += answer == majority
    return {user_id: 100 * agreed[user_id] / answered[user_id] for user_id in answered}


def comment(pool: Pool, uuids: dict[str, str], collector: str, rule: int, says: str) -> str:
    """What the server writes on a restriction whose rule gives no private_comment."""
    return (
        f"Quality control of pool {pool.id}: {collector} rule {rule} (collector {uuids[collector]}): {says}"
    )


def test_quality_control_rules_act_on_cheaters_and_measure_the_honest(
    time_travel_server: LiveServer,
) -> None:
    server = time_travel_server
    client = TolokaClient(server.token, url=server.url)
    project = client.create_project(choice_project())
    skill = client.create_skill(Skill(name="Agreement with the majority", hidden=True))
    pool = client.create_pool(guarded_pool(project.id, skill.id))
    uuids = collector_uuids(pool)
    assert len(uuids) == 5 and len(set(uuids.values())) == 5
    real = [Task(pool_id=pool.id, input_values={"image": image("real", n)}) for n in range(REAL)]
    golden = [
        Task(
            pool_id=pool.id,
            input_values={"image": image("golden", n)},
            known_solutions=[Task.KnownSolution(output_values={"result": TRUTH[image("golden", n)]})],
            infinite_overlap=True,
        )
        for n in range(GOLDEN)
    ]
    created = client.create_tasks(real + golden, allow_defaults=True, open_pool=True)
    task_ids = [created.items[str(n)].id for n in range(REAL)]

    def restrictions_of(worker: Worker) -> list[Any]:
        return list(client.get_user_restrictions(user_id=worker.id))

    # Three honest workers take turns: each round the next two real tasks get their three answers.
    honest = {
        "ann": (Worker(server, "ann", "result"), mistaken_on()),
        "bob": (Worker(server, "bob", "result"), mistaken_on(1, 6)),
        "cid": (Worker(server, "cid", "result"), mistaken_on(4)),
    }
    for _ in range(4):
        for worker, answer in honest.values():
            assert work(server, worker, pool.id, answer) is not None

    # A fast clicker, right on the control tasks, is banned from the project at the second suite.
    fay = Worker(server, "fay", "result")
    first = work(server, fay, pool.id, truth, looks=0)
    assert first is not None and restrictions_of(fay) == []
    assert work(server, fay, pool.id, truth, looks=0) is not None
    [banned] = restrictions_of(fay)
    assert (banned.scope, banned.project_id) == (banned.Scope.PROJECT, project.id)
    assert banned.private_comment == comment(
        pool, uuids, "ASSIGNMENT_SUBMIT_TIME", 1, "fast_submitted_count GTE 2"
    )
    assert banned.will_expire is not None and fay.take(pool.id) is None
    rejected = client.reject_assignment(first["id"], "Submitted before the pictures loaded")
    assert rejected.status == Assignment.REJECTED
    assert client.get_task(task_ids[8]).overlap == OVERLAP + 1

    # A worker failing the control tasks is banned at the third (history 4, at least 3 answers), and
    # every suite they submitted is rejected; the rules keep counting across update_pool.
    gus = Worker(server, "gus", "result")
    for done in range(3):
        assert restrictions_of(gus) == []
        if done == 2:
            updated = client.update_pool(pool.id, client.get_pool(pool.id))
            assert collector_uuids(updated) == uuids
        assert work(server, gus, pool.id, wrong) is not None
    [banned] = restrictions_of(gus)
    assert (banned.scope, banned.pool_id, banned.will_expire) == (banned.Scope.POOL, pool.id, None)
    assert banned.private_comment == comment(
        pool, uuids, "GOLDEN_SET", 1, "total_answers_count GTE 3 and incorrect_answers_rate GT 50.0"
    )
    assert gus.take(pool.id) is None
    gus_work = list(client.get_assignments(pool_id=pool.id, user_id=gus.id))
    assert len(gus_work) == 3
    assert {(item.status, item.public_comment) for item in gus_work} == {
        (Assignment.REJECTED, "Control tasks failed")
    }

    # A worker who skips three suites in a row is banned from the pool.
    sam = Worker(server, "sam", "result")
    for _ in range(3):
        assert restrictions_of(sam) == []
        assignment = sam.take(pool.id)
        assert assignment is not None
        sam.skip(assignment)
    [banned] = restrictions_of(sam)
    assert banned.scope == banned.Scope.POOL and banned.will_expire is not None
    assert banned.private_comment == comment(
        pool, uuids, "SKIPPED_IN_ROW_ASSIGNMENTS", 1, "skipped_in_row_count GTE 3"
    )
    assert sam.take(pool.id) is None

    # Newcomers get the rejected suites back, until every real task has three answers that stand.
    late = [Worker(server, name, "result") for name in ("dan", "eve", "hal")]
    while [worker for worker in late if work(server, worker, pool.id, truth) is not None]:
        pass
    everything = list(client.get_assignments(pool_id=pool.id))
    holders: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in everything:
        for task in assignment.tasks:
            holders[task.id].append(assignment)
    answered = (Assignment.SUBMITTED, Assignment.ACCEPTED)
    standing = {task_id: sum(item.status in answered for item in holders[task_id]) for task_id in task_ids}
    assert set(standing.values()) == {OVERLAP}
    assert {item.user_id for item in holders[task_ids[8]]} == {fay.id, gus.id, sam.id} | {
        worker.id for worker in late
    }
    assert [client.get_task(task_id).overlap for task_id in task_ids[8:]] == [5, 5, 4, 4, 4, 4]

    # Every honest worker's skill is their agreement with the majority.
    measured = agreement(everything)
    workers = [worker for worker, _ in honest.values()] + late
    assert [measured[worker.id] for worker in workers] == [100, 75, 87.5, 100, 100, 100]
    for worker in workers:
        [held] = client.get_user_skills(user_id=worker.id, skill_id=skill.id)
        assert held.exact_value == Decimal(str(measured[worker.id]))

    # The requester accepts the rest and gives the best worker a bonus: the worker sees both.
    for assignment in client.get_assignments(pool_id=pool.id, status=Assignment.SUBMITTED):
        client.accept_assignment(assignment.id, "Thanks")
    ann = honest["ann"][0]
    bonus = client.create_user_bonus(
        UserBonus(
            user_id=ann.id,
            amount=Decimal("1.50"),
            public_title={"EN": "Best agreement"},
            public_message={"EN": "You agreed with the majority every time"},
        )
    )
    assert bonus.amount == Decimal("1.50")
    earnings = ann.me()["earnings"]
    assert earnings["accepted"] == pytest.approx(float(4 * REWARD))
    assert (earnings["bonuses"], earnings["total"]) == (1.5, 1.7)

    # The quality events list every action the rules took.
    response = httpx.get(
        f"{server.url}/api/v1/pools/{pool.id}/quality-events",
        params={"limit": 1000},
        headers={"Authorization": f"OAuth {server.token}"},
    )
    assert response.status_code == 200, response.text
    events = response.json()["items"]
    for event in events:
        assert event["collector"]["uuid"] == uuids[event["collector"]["type"]]
    taken = Counter(
        (event["collector"]["type"], event["action"]["type"], event["user_id"])
        for event in events
        if event["action"]["type"] != "SET_SKILL_FROM_OUTPUT_FIELD"
    )
    assert taken == {
        ("ASSIGNMENT_SUBMIT_TIME", "RESTRICTION_V2", fay.id): 1,
        ("GOLDEN_SET", "RESTRICTION_V2", gus.id): 1,
        ("GOLDEN_SET", "REJECT_ALL_ASSIGNMENTS", gus.id): 1,
        ("SKIPPED_IN_ROW_ASSIGNMENTS", "RESTRICTION_V2", sam.id): 1,
        ("ASSIGNMENTS_ASSESSMENT", "CHANGE_OVERLAP", fay.id): 1,
        ("ASSIGNMENTS_ASSESSMENT", "CHANGE_OVERLAP", gus.id): 3,
    }
    [reject_all] = [event for event in events if event["action"]["type"] == "REJECT_ALL_ASSIGNMENTS"]
    assert sorted(reject_all["outcome"]["rejected_assignment_ids"]) == sorted(item.id for item in gus_work)
    reissued = {event["assignment_id"] for event in events if event["action"]["type"] == "CHANGE_OVERLAP"}
    assert reissued == {first["id"]} | {item.id for item in gus_work}
    last_skill = {
        event["user_id"]: event["outcome"]["value"]
        for event in events
        if event["action"]["type"] == "SET_SKILL_FROM_OUTPUT_FIELD"
    }
    assert {worker.id: last_skill[worker.id] for worker in workers} == {
        worker.id: measured[worker.id] for worker in workers
    }
