"""Quality-control rules act: each collector on a fixed sequence of events, each action, and the
quality events that say why."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kvorum.clock import SettableClock
from kvorum.services.assignments import timers
from kvorum.services.context import Context
from tests.helpers import (
    CHOICE_RESULT,
    assert_error,
    mixer_pool,
    pool_body,
    project_body,
    take,
    task_spec,
    upload_tasks,
    worker_client,
)

RESTRICTIONS = "/api/v1/user-restrictions"


def rule(
    collector: str, conditions: list[tuple[str, str, Any]], action: str, **parameters: Any
) -> dict[str, Any]:
    """One quality_control config: a collector (its parameters given as collector_parameters) and one rule."""
    collector_parameters = parameters.pop("collector_parameters", None)
    config: dict[str, Any] = {
        "collector_config": {"type": collector}
        | ({"parameters": collector_parameters} if collector_parameters else {}),
        "rules": [
            {
                "conditions": [{"key": key, "operator": op, "value": value} for key, op, value in conditions],
                "action": {"type": action} | ({"parameters": parameters} if parameters else {}),
            }
        ],
    }
    return config


def ban(scope: str = "POOL", **extra: Any) -> dict[str, Any]:
    return {"scope": scope, "duration_unit": "PERMANENT"} | extra


@pytest.fixture
def choice_project(api: TestClient) -> dict[str, Any]:
    body = project_body(task_spec=task_spec(output_spec=CHOICE_RESULT))
    return dict(api.post("/api/v1/projects", json=body).json())


def make_pool(
    api: TestClient, project: dict[str, Any], *configs: dict[str, Any], **changes: Any
) -> dict[str, Any]:
    body = mixer_pool(project["id"], **({"real": 1} | changes))
    body["quality_control"] = {"configs": list(configs)}
    response = api.post("/api/v1/pools", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def user_id(client: TestClient) -> str:
    return str(client.get("/api/worker/v1/me").json()["id"])


def work(
    client: TestClient, pool_id: str, answer: str = "cat", clock: SettableClock | None = None, took: int = 0
) -> Any:
    """Take a suite and answer every task with `answer`, `took` seconds after it was issued."""
    response = take(client, pool_id)
    assert response.status_code == 201, response.text
    assignment = response.json()
    if clock is not None:
        clock.advance(timedelta(seconds=took))
    solutions = [{"output_values": {"result": answer}} for _ in assignment["tasks"]]
    submitted = client.post(
        f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions}
    )
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def skip(client: TestClient, pool_id: str) -> None:
    """Take a suite and give it back."""
    assignment = take(client, pool_id).json()
    assert client.post(f"/api/worker/v1/assignments/{assignment['id']}/skip").status_code == 200


def skill_values(api: TestClient, skill: dict[str, Any]) -> list[dict[str, Any]]:
    return list(api.get("/api/v1/user-skills", params={"skill_id": skill["id"]}).json()["items"])


def restrictions_of(api: TestClient, client: TestClient) -> list[dict[str, Any]]:
    return list(api.get(RESTRICTIONS, params={"user_id": user_id(client)}).json()["items"])


def quality_events(api: TestClient, pool_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/v1/pools/{pool_id}/quality-events")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_golden_set_bans_a_worker_who_fails_control_tasks_and_says_why(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "GOLDEN_SET",
        [("total_answers_count", "GTE", 2), ("correct_answers_rate", "LT", 50)],
        "RESTRICTION_V2",
        collector_parameters={"history_size": 5},
        **ban(),
    )
    pool = make_pool(api, choice_project, config, golden=1)
    upload_tasks(api, pool["id"], real=6, golden=4)
    cheat, honest = worker_client(app_client, ctx, "cheat"), worker_client(app_client, ctx, "honest")
    work(cheat, pool["id"], "dog")
    assert restrictions_of(api, cheat) == []  # one answer is not yet the history the rule asks for
    work(cheat, pool["id"], "dog")
    for _ in range(3):
        work(honest, pool["id"], "cat")
    [restriction] = restrictions_of(api, cheat)
    assert restriction["scope"] == "POOL" and restriction["pool_id"] == pool["id"]
    assert "will_expire" not in restriction  # PERMANENT
    uuid = pool["quality_control"]["configs"][0]["collector_config"]["uuid"]
    assert f"GOLDEN_SET rule 1 (collector {uuid})" in restriction["private_comment"]
    assert restrictions_of(api, honest) == []
    assert (
        "restricted from this pool" in assert_error(take(cheat, pool["id"]), 409, "CONFLICT_STATE")["message"]
    )
    [event] = quality_events(api, pool["id"])
    assert event["user_id"] == user_id(cheat) and event["collector"] == {"type": "GOLDEN_SET", "uuid": uuid}
    assert event["rule"] == {"source": "POOL", "index": 0}
    assert event["values"] == {
        "total_answers_count": 2,
        "correct_answers_rate": 0.0,
        "incorrect_answers_rate": 100.0,
        "golden_set_answers_count": 2,
        "golden_set_correct_answers_rate": 0.0,
        "golden_set_incorrect_answers_rate": 100.0,
    }
    assert event["action"]["type"] == "RESTRICTION_V2"
    assert event["outcome"] == {"user_restriction_id": restriction["id"]}


def test_history_size_counts_only_the_latest_answers(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "GOLDEN_SET",
        [("total_answers_count", "GTE", 2), ("incorrect_answers_rate", "GT", 50)],
        "RESTRICTION",
        collector_parameters={"history_size": 2},
        scope="PROJECT",
        duration_days=3,
        private_comment="careless",
    )
    pool = make_pool(api, choice_project, config, golden=1)
    upload_tasks(api, pool["id"], real=6, golden=5)
    worker = worker_client(app_client, ctx, "recovering")
    for answer in ("dog", "cat", "cat", "dog"):  # windows of two: never more than half wrong
        work(worker, pool["id"], answer)
    assert restrictions_of(api, worker) == []
    work(worker, pool["id"], "dog")  # the last two are wrong
    [restriction] = restrictions_of(api, worker)
    assert restriction["scope"] == "PROJECT" and restriction["private_comment"] == "careless"
    assert restriction["project_id"] == choice_project["id"] and "will_expire" in restriction


def test_fast_submits_ban_fast_clickers_only(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    choice_project: dict[str, Any],
) -> None:
    config = rule(
        "ASSIGNMENT_SUBMIT_TIME",
        [("total_submitted_count", "GTE", 2), ("fast_submitted_count", "GTE", 2)],
        "RESTRICTION_V2",
        collector_parameters={"fast_submit_threshold_seconds": 10, "history_size": 3},
        scope="POOL",
        duration=2,
        duration_unit="HOURS",
    )
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=10, golden=0)
    fast, careful = worker_client(app_client, ctx, "fast"), worker_client(app_client, ctx, "careful")
    for _ in range(3):
        work(careful, pool["id"], clock=clock, took=30)
    work(fast, pool["id"], clock=clock, took=2)
    work(fast, pool["id"], clock=clock, took=30)
    assert restrictions_of(api, fast) == []
    work(fast, pool["id"], clock=clock, took=9)
    [restriction] = restrictions_of(api, fast)
    assert restriction["will_expire"].startswith((clock.now() + timedelta(hours=2)).isoformat()[:16])
    assert restrictions_of(api, careful) == []
    [event] = quality_events(api, pool["id"])
    assert event["values"] == {"total_submitted_count": 3, "fast_submitted_count": 2}


def test_skipping_in_a_row_bans_and_a_submit_breaks_the_row(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "SKIPPED_IN_ROW_ASSIGNMENTS", [("skipped_in_row_count", "GTE", 2)], "RESTRICTION_V2", **ban()
    )
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=10, golden=0)
    skipper = worker_client(app_client, ctx, "skipper")

    skip(skipper, pool["id"])
    work(skipper, pool["id"])
    skip(skipper, pool["id"])
    assert restrictions_of(api, skipper) == []
    skip(skipper, pool["id"])
    assert len(restrictions_of(api, skipper)) == 1
    [event] = quality_events(api, pool["id"])
    assert event["values"] == {"skipped_in_row_count": 2}


def test_majority_vote_sets_each_workers_skill_from_agreement(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    skill = api.post("/api/v1/skills", json={"name": "Agreement"}).json()
    config = rule(
        "MAJORITY_VOTE",
        [("total_answers_count", "GTE", 1)],
        "SET_SKILL_FROM_OUTPUT_FIELD",
        collector_parameters={"answer_threshold": 3},
        skill_id=skill["id"],
        from_field="correct_answers_rate",
    )
    pool = make_pool(api, choice_project, config, real=1, overlap=3)
    upload_tasks(api, pool["id"], real=2, golden=0)
    crowd = {name: worker_client(app_client, ctx, name) for name in ("ann", "bob", "cid")}
    answers = {"ann": ["cat", "dog"], "bob": ["cat", "dog"], "cid": ["dog", "dog"]}
    for round_ in range(2):
        for name, client in crowd.items():
            work(client, pool["id"], answers[name][round_])
        if round_ == 0:
            # three answers reached the threshold: everyone is judged against "cat"
            values = skill_values(api, skill)
            by_worker = {item["user_id"]: item["exact_value"] for item in values}
            assert by_worker == {
                user_id(crowd["ann"]): 100,
                user_id(crowd["bob"]): 100,
                user_id(crowd["cid"]): 0,
            }
    values = skill_values(api, skill)
    by_worker = {item["user_id"]: item["exact_value"] for item in values}
    assert by_worker == {user_id(crowd["ann"]): 100, user_id(crowd["bob"]): 100, user_id(crowd["cid"]): 50}


def test_majority_vote_judges_no_one_on_a_tie(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    skill = api.post("/api/v1/skills", json={"name": "Agreement"}).json()
    config = rule(
        "MAJORITY_VOTE",
        [("total_answers_count", "GTE", 1)],
        "SET_SKILL_FROM_OUTPUT_FIELD",
        collector_parameters={"answer_threshold": 2},
        skill_id=skill["id"],
        from_field="correct_answers_rate",
    )
    pool = make_pool(api, choice_project, config, real=1, overlap=2)
    upload_tasks(api, pool["id"], real=1, golden=0)
    work(worker_client(app_client, ctx, "one"), pool["id"], "cat")
    work(worker_client(app_client, ctx, "two"), pool["id"], "dog")
    assert skill_values(api, skill) == []


def _manual_pool(
    api: TestClient, project: dict[str, Any], *configs: dict[str, Any], **changes: Any
) -> dict[str, Any]:
    return make_pool(api, project, *configs, auto_accept_solutions=False, auto_accept_period_day=2, **changes)


def _review(api: TestClient, assignment_id: str, status: str) -> dict[str, Any]:
    body = {"status": status} | ({"public_comment": "wrong"} if status == "REJECTED" else {})
    response = api.patch(f"/api/v1/assignments/{assignment_id}", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_acceptance_rate_rejects_the_rest_of_a_workers_work(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "ACCEPTANCE_RATE",
        [("total_assignments_count", "GTE", 2), ("rejected_assignments_rate", "GT", 50)],
        "REJECT_ALL_ASSIGNMENTS",
        public_comment="Most of your work was rejected",
    )
    pool = _manual_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=6, golden=0)
    worker = worker_client(app_client, ctx, "sloppy")
    done = [work(worker, pool["id"]) for _ in range(4)]
    _review(api, done[0]["id"], "REJECTED")
    _review(api, done[1]["id"], "ACCEPTED")
    statuses = lambda: [api.get(f"/api/v1/assignments/{a['id']}").json()["status"] for a in done]  # noqa: E731
    assert statuses() == ["REJECTED", "ACCEPTED", "SUBMITTED", "SUBMITTED"]  # 50% is not more than 50%
    assert _review(api, done[2]["id"], "REJECTED")["status"] == "REJECTED"
    assert statuses() == ["REJECTED", "ACCEPTED", "REJECTED", "REJECTED"]
    last = api.get(f"/api/v1/assignments/{done[3]['id']}").json()
    assert last["public_comment"] == "Most of your work was rejected"
    [event] = quality_events(api, pool["id"])
    assert event["outcome"] == {"rejected_assignment_ids": [done[3]["id"]]}
    assert event["values"]["rejected_assignments_rate"] == pytest.approx(200 / 3)


def test_an_assessment_rule_reissues_rejected_suites_and_reopens_the_pool(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "ASSIGNMENTS_ASSESSMENT",
        [("assessment_event", "EQ", "REJECT")],
        "CHANGE_OVERLAP",
        delta=1,
        open_pool=True,
    )
    pool = _manual_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=1, golden=0)
    first = worker_client(app_client, ctx, "first")
    done = work(first, pool["id"])
    second = worker_client(app_client, ctx, "second")
    assert take(second, pool["id"]).status_code == 409  # the only task's one slot is used
    assert api.post(f"/api/v1/pools/{pool['id']}/close").status_code == 202
    _review(api, done["id"], "REJECTED")
    [task] = api.get("/api/v1/tasks", params={"pool_id": pool["id"]}).json()["items"]
    assert task["overlap"] == 2 and task["remaining_overlap"] == 1
    assert api.get(f"/api/v1/pools/{pool['id']}").json()["status"] == "OPEN"
    again = work(second, pool["id"])
    assert again["tasks"][0]["id"] == task["id"]
    [event] = quality_events(api, pool["id"])
    assert event["values"] == {
        "pending_assignments_count": 0,
        "accepted_assignments_count": 0,
        "rejected_assignments_count": 1,
        "assessment_event": "REJECT",
    }
    assert event["outcome"] == {"raised": 1, "delta": 1, "pool_opened": True}
    assert event["assignment_id"] == done["id"]


def test_approve_all_accepts_a_trusted_workers_waiting_work(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule("ANSWER_COUNT", [("assignments_accepted_count", "GTE", 3)], "APPROVE_ALL_ASSIGNMENTS")
    pool = _manual_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=4, golden=0)
    worker = worker_client(app_client, ctx, "trusted")
    done = [work(worker, pool["id"]) for _ in range(3)]
    statuses = [api.get(f"/api/v1/assignments/{a['id']}").json()["status"] for a in done]
    assert statuses == ["ACCEPTED"] * 3
    [event] = quality_events(api, pool["id"])
    assert event["action"] == {"type": "APPROVE_ALL_ASSIGNMENTS"}
    assert sorted(event["outcome"]["accepted_assignment_ids"]) == sorted(a["id"] for a in done)


def test_income_limits_what_a_worker_earns_in_a_day(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    choice_project: dict[str, Any],
) -> None:
    config = rule(
        "INCOME",
        [("income_sum_for_last_24_hours", "GTE", 0.03)],
        "RESTRICTION_V2",
        scope="POOL",
        duration=1,
        duration_unit="DAYS",
    )
    pool = make_pool(api, choice_project, config, reward_per_assignment=0.01)
    upload_tasks(api, pool["id"], real=10, golden=0)
    worker = worker_client(app_client, ctx, "earner")
    work(worker, pool["id"])
    work(worker, pool["id"])
    clock.advance(timedelta(hours=25))  # the first two fall out of the window
    work(worker, pool["id"])
    work(worker, pool["id"])
    assert restrictions_of(api, worker) == []
    work(worker, pool["id"])
    assert len(restrictions_of(api, worker)) == 1
    [event] = quality_events(api, pool["id"])
    assert event["values"] == {"income_sum_for_last_24_hours": 0.03}


def test_training_rules_read_the_attempt(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    """A project's TRAINING rules act in its trainings (a training has no quality_control of its own)."""
    skill = api.post("/api/v1/skills", json={"name": "Trained"}).json()
    config = rule(
        "TRAINING",
        [("next_assignment_available", "EQ", False), ("correct_answers_rate", "GTE", 50)],
        "SET_SKILL",
        skill_id=skill["id"],
        skill_value=90,
    )
    body = project_body(task_spec=task_spec(output_spec=CHOICE_RESULT), quality_control={"configs": [config]})
    project = api.post("/api/v1/projects", json=body).json()
    training_spec = {
        "project_id": project["id"],
        "private_name": "Training",
        "may_contain_adult_content": False,
        "training_tasks_in_task_suite_count": 1,
        "task_suites_required_to_pass": 2,
    }
    training = api.post("/api/v1/trainings", json=training_spec).json()
    tasks = [
        {
            "pool_id": training["id"],
            "input_values": {"image": f"https://img.example/t{n}.png"},
            "known_solutions": [{"output_values": {"result": "cat"}}],
            "message_on_unknown_solution": "It is a cat",
        }
        for n in range(2)
    ]
    assert api.post("/api/v1/tasks", params={"open_pool": "true"}, json=tasks).status_code == 201
    learner = worker_client(app_client, ctx, "learner")
    work(learner, training["id"], "cat")
    assert skill_values(api, skill) == []
    work(learner, training["id"], "dog")
    [value] = skill_values(api, skill)
    assert value["user_id"] == user_id(learner) and value["exact_value"] == 90
    [event] = quality_events(api, training["id"])
    assert event["values"] == {
        "submitted_assignments_count": 2,
        "total_answers_count": 2,
        "correct_answers_rate": 50.0,
        "incorrect_answers_rate": 50.0,
        "next_assignment_available": False,
    }


def test_project_rules_apply_to_every_pool_of_the_project(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    config = rule(
        "SKIPPED_IN_ROW_ASSIGNMENTS", [("skipped_in_row_count", "GTE", 2)], "RESTRICTION_V2", **ban("PROJECT")
    )
    body = project_body(task_spec=task_spec(output_spec=CHOICE_RESULT), quality_control={"configs": [config]})
    project = api.post("/api/v1/projects", json=body).json()
    uuid = project["quality_control"]["configs"][0]["collector_config"]["uuid"]
    pools = [make_pool(api, project) for _ in range(2)]
    for pool in pools:
        upload_tasks(api, pool["id"], real=2, golden=0)
    worker = worker_client(app_client, ctx, "wanderer")
    for pool in pools:  # one skip in each pool: the project's collector counts both
        skip(worker, pool["id"])
    [restriction] = restrictions_of(api, worker)
    assert restriction["scope"] == "PROJECT"
    assert f"Quality control of project {project['id']}" in restriction["private_comment"]
    [event] = quality_events(api, pools[1]["id"])
    assert event["rule"] == {"source": "PROJECT", "index": 0} and event["collector"]["uuid"] == uuid
    assert quality_events(api, pools[0]["id"]) == []


def test_a_collectors_statistics_follow_its_uuid(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "SKIPPED_IN_ROW_ASSIGNMENTS", [("skipped_in_row_count", "GTE", 2)], "RESTRICTION_V2", **ban()
    )
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=6, golden=0)
    worker = worker_client(app_client, ctx, "skips")

    skip(worker, pool["id"])
    kept = api.get(f"/api/v1/pools/{pool['id']}").json()
    assert api.put(f"/api/v1/pools/{pool['id']}", json=kept).status_code == 200  # same uuid: the count stays
    fresh = api.get(f"/api/v1/pools/{pool['id']}").json()
    del fresh["quality_control"]["configs"][0]["collector_config"]["uuid"]
    updated = api.put(f"/api/v1/pools/{pool['id']}", json=fresh).json()  # a new collector starts from zero
    assert (
        updated["quality_control"]["configs"][0]["collector_config"]["uuid"]
        != (kept["quality_control"]["configs"][0]["collector_config"]["uuid"])
    )
    skip(worker, pool["id"])
    assert restrictions_of(api, worker) == []
    skip(worker, pool["id"])
    assert len(restrictions_of(api, worker)) == 1


def test_captcha_rules_are_accepted_and_never_fire(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule("CAPTCHA", [("stored_results_count", "GTE", 0)], "RESTRICTION_V2", **ban())
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=2, golden=0)
    worker = worker_client(app_client, ctx, "human")
    work(worker, pool["id"])
    work(worker, pool["id"])
    assert restrictions_of(api, worker) == [] and quality_events(api, pool["id"]) == []


def test_rules_that_do_not_fit_are_refused_when_the_pool_is_saved(
    api: TestClient, choice_project: dict[str, Any]
) -> None:
    unknown_skill = rule(
        "GOLDEN_SET", [("total_answers_count", "GTE", 1)], "SET_SKILL", skill_id="987654", skill_value=1
    )
    body = mixer_pool(choice_project["id"], quality_control={"configs": [unknown_skill]})
    assert_error(
        api.post("/api/v1/pools", json=body),
        400,
        "VALIDATION_ERROR",
        "quality_control.configs.0.rules.0.action.parameters.skill_id",
    )
    wrong_action = rule("GOLDEN_SET", [("total_answers_count", "GTE", 1)], "CHANGE_OVERLAP", delta=1)
    body = mixer_pool(choice_project["id"], quality_control={"configs": [wrong_action]})
    assert_error(
        api.post("/api/v1/pools", json=body),
        400,
        "VALIDATION_ERROR",
        "quality_control.configs.0.rules.0.action.type",
    )
    wrong_key = rule(
        "SKIPPED_IN_ROW_ASSIGNMENTS", [("correct_answers_rate", "GT", 1)], "RESTRICTION_V2", **ban()
    )
    body = mixer_pool(choice_project["id"], quality_control={"configs": [wrong_key]})
    assert_error(
        api.post("/api/v1/pools", json=body),
        400,
        "VALIDATION_ERROR",
        "quality_control.configs.0.rules.0.conditions.0.key",
    )
    assert api.get("/api/v1/pools").json()["items"] == []


def test_quality_events_are_the_pool_owners_and_page(
    api: TestClient,
    other_api: TestClient,
    app_client: TestClient,
    ctx: Context,
    choice_project: dict[str, Any],
) -> None:
    config = rule("ANSWER_COUNT", [("assignments_accepted_count", "GTE", 1)], "RESTRICTION_V2", **ban())
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=3, golden=0)
    for name in ("a", "b", "c"):
        work(worker_client(app_client, ctx, name), pool["id"])
    first = api.get(f"/api/v1/pools/{pool['id']}/quality-events", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["has_more"] is True
    rest = api.get(
        f"/api/v1/pools/{pool['id']}/quality-events", params={"id_gt": first["items"][-1]["id"]}
    ).json()
    assert len(rest["items"]) == 1 and rest["has_more"] is False
    assert_error(other_api.get(f"/api/v1/pools/{pool['id']}/quality-events"), 404, "DOES_NOT_EXIST")
    assert_error(
        api.get(f"/api/v1/pools/{pool['id']}/quality-events", params={"limit": "x"}), 400, "VALIDATION_ERROR"
    )


def test_the_auto_accept_timer_counts_as_a_review(
    api: TestClient,
    app_client: TestClient,
    ctx: Context,
    clock: SettableClock,
    choice_project: dict[str, Any],
) -> None:
    config = rule(
        "ACCEPTANCE_RATE",
        [("accepted_assignments_rate", "EQ", 100)],
        "SET_SKILL",
        skill_id="0",
        skill_value=1,
    )
    skill = api.post("/api/v1/skills", json={"name": "Reliable"}).json()
    config["rules"][0]["action"]["parameters"]["skill_id"] = skill["id"]
    pool = _manual_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=1, golden=0)
    work(worker_client(app_client, ctx, "patient"), pool["id"])
    clock.advance(timedelta(days=3))
    assert timers.auto_accept_due(ctx) == 1
    [value] = skill_values(api, skill)
    assert value["exact_value"] == 1


def test_a_rule_on_a_pool_without_matching_events_stays_quiet(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule("GOLDEN_SET", [("total_answers_count", "GTE", 1)], "RESTRICTION_V2", **ban())
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=2, golden=0)  # no control tasks: nothing for the collector
    work(worker_client(app_client, ctx, "plain"), pool["id"])
    assert quality_events(api, pool["id"]) == []


def test_pool_body_without_rules_still_saves(api: TestClient, choice_project: dict[str, Any]) -> None:
    body = pool_body(choice_project["id"], quality_control={"configs": []})
    assert api.post("/api/v1/pools", json=body).json()["quality_control"] == {"configs": []}


def test_the_work_of_a_restricted_worker_is_done_again(
    api: TestClient, app_client: TestClient, ctx: Context, choice_project: dict[str, Any]
) -> None:
    config = rule(
        "USERS_ASSESSMENT", [("pool_access_revoked_reason", "EQ", "RESTRICTION")], "CHANGE_OVERLAP", delta=1
    )
    pool = make_pool(api, choice_project, config)
    upload_tasks(api, pool["id"], real=1, golden=0)
    banned, next_worker = worker_client(app_client, ctx, "banned"), worker_client(app_client, ctx, "next")
    work(banned, pool["id"])
    assert take(next_worker, pool["id"]).status_code == 409
    restriction = {"scope": "POOL", "pool_id": pool["id"], "user_id": user_id(banned)}
    assert api.put(RESTRICTIONS, json=restriction).status_code == 201
    [task] = api.get("/api/v1/tasks", params={"pool_id": pool["id"]}).json()["items"]
    assert task["overlap"] == 2
    assert work(next_worker, pool["id"])["tasks"][0]["id"] == task["id"]
    [event] = quality_events(api, pool["id"])
    assert event["values"] == {"pool_access_revoked_reason": "RESTRICTION"}
    assert event["outcome"] == {"raised": 1, "delta": 1, "pool_opened": False}
