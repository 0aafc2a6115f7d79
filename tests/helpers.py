"""Request bodies and assertions the tests share."""

import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Row, select

from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import workers
from kvorum.services.context import Context
from kvorum.store.tables import ledger_entries

WILL_EXPIRE = "2040-01-01T00:00:00"

# Minimal bodies: only what a valid object needs, so that a test names every setting it relies on.
# Their values differ from the examples' on purpose (a test that forgets a setting fails).

IMAGE_INPUT = {"image": {"type": "url"}}
TEXT_RESULT = {"result": {"type": "string"}}
CHOICE_RESULT = {"result": {"type": "string", "allowed_values": ["cat", "dog", "other"]}}
HIDDEN_NOTE = {"note": {"type": "string", "required": False, "hidden": True, "max_length": 100}}


def task_spec(
    input_spec: dict[str, Any] | None = None, output_spec: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A classic task spec; an image input and a free-text `result` unless given."""
    return copy.deepcopy(
        {
            "input_spec": input_spec or IMAGE_INPUT,
            "output_spec": output_spec or TEXT_RESULT,
            "view_spec": {"type": "classic", "markup": "<img src='{{input.image}}'>"},
        }
    )


def project_body(**changes: Any) -> dict[str, Any]:
    """A minimal project (see `task_spec`)."""
    body = {"public_name": "Project", "public_description": "A project", "task_spec": task_spec()}
    return copy.deepcopy(body | changes)


def training_body(project_id: str, **changes: Any) -> dict[str, Any]:
    """A minimal training: one task a suite, everything else left to Toloka's defaults."""
    body = {
        "project_id": project_id,
        "private_name": "Training",
        "may_contain_adult_content": False,
        "training_tasks_in_task_suite_count": 1,
    }
    return copy.deepcopy(body | changes)


def pool_body(project_id: str, **changes: Any) -> dict[str, Any]:
    """A minimal pool: no mixer, filter, quality control or automation unless given."""
    body = {
        "project_id": project_id,
        "private_name": "Pool",
        "may_contain_adult_content": False,
        "will_expire": WILL_EXPIRE,
        "reward_per_assignment": 0.01,
        "assignment_max_duration_seconds": 600,
        "defaults": {"default_overlap_for_new_task_suites": 1},
    }
    return copy.deepcopy(body | changes)


def mixer(real: int, golden: int = 0, training: int = 0, **settings: Any) -> dict[str, Any]:
    """A mixer_config: how many real, control and training tasks make one suite."""
    counts = {"real_tasks_count": real, "golden_tasks_count": golden, "training_tasks_count": training}
    return counts | settings


def mixer_pool(
    project_id: str, *, real: int = 1, golden: int = 0, overlap: int = 1, **changes: Any
) -> dict[str, Any]:
    """A minimal pool whose mixer issues `real` real and `golden` control tasks a suite, each task
    to `overlap` workers."""
    issuing = {
        "mixer_config": mixer(real, golden),
        "defaults": {"default_overlap_for_new_task_suites": overlap},
    }
    return pool_body(project_id, **(issuing | changes))


def dynamic_overlap_pool(
    project_id: str, skill_id: str, *, real: int = 1, overlap: int = 1, max_overlap: int = 3, **changes: Any
) -> dict[str, Any]:
    """A pool issuing `real` real tasks a suite at `overlap`, which grows up to `max_overlap` until
    the answers on `result`, weighted by the skill, reach a confidence of 0.9."""
    config = {
        "type": "BASIC",
        "max_overlap": max_overlap,
        "min_confidence": 0.9,
        "answer_weight_skill_id": skill_id,
        "fields": [{"name": "result"}],
    }
    settings: dict[str, Any] = {
        "auto_close_after_complete_delay_seconds": 60,
        "dynamic_overlap_config": config,
    }
    return mixer_pool(project_id, real=real, overlap=overlap, **(settings | changes))


def training_requirement(training_id: str, passing_value: int) -> dict[str, Any]:
    """quality_control.training_requirement: the training to pass and the skill value that passes."""
    return {"training_pool_id": training_id, "training_passing_skill_value": passing_value}


def languages_filter(*languages: str) -> dict[str, Any]:
    """A pool filter admitting workers who speak any of `languages`."""
    return {
        "or": [
            {"category": "profile", "key": "languages", "operator": "IN", "value": language}
            for language in languages
        ]
    }


# Toloka's examples, for the tests that check a whole example goes through.


def example_project_body(**changes: Any) -> dict[str, Any]:
    """A project with a hidden input and a choice of answers, as in Toloka's examples."""
    body: dict[str, Any] = {
        "public_name": "Cats or dogs",
        "public_description": "Say what is in the picture",
        "public_instructions": "<p>Look closely.</p>",
        "task_spec": {
            "input_spec": {
                "image": {"type": "url", "required": True, "hidden": False},
                "note": {"type": "string", "required": False, "hidden": True, "max_length": 100},
            },
            "output_spec": {
                "result": {
                    "type": "string",
                    "required": True,
                    "hidden": False,
                    "allowed_values": ["cat", "dog", "other"],
                },
            },
            "view_spec": {
                "type": "classic",
                "markup": "<img src='{{input.image}}'>",
                "script": "",
                "styles": "",
            },
        },
        "assignments_issuing_type": "AUTOMATED",
    }
    body.update(changes)
    return body


def example_training_body(project_id: str, **changes: Any) -> dict[str, Any]:
    """The request body of Toloka's 'Create a training pool' example."""
    body: dict[str, Any] = {
        "project_id": project_id,
        "private_name": "Selection for a labeling task",
        "inherited_instructions": False,
        "public_instructions": "Unpaid selection: 10 tasks, 90% threshold.",
        "may_contain_adult_content": False,
        "assignment_max_duration_seconds": 600,
        "mix_tasks_in_creation_order": True,
        "shuffle_tasks_in_task_suite": True,
        "training_tasks_in_task_suite_count": 10,
        "task_suites_required_to_pass": 1,
        "retry_training_after_days": 7,
    }
    body.update(changes)
    return body


def _distribution() -> dict[str, Any]:
    return {
        "scope": "PROJECT",
        "distribution": "UNIFORM",
        "window_days": 7,
        "intervals": [{"from": 1, "to": 100, "frequency": 5}, {"from": 101, "to": 1000, "frequency": 25}],
    }


def example_pool_body(
    project_id: str, training_id: str | None = None, skill_id: str = "1289", **changes: Any
) -> dict[str, Any]:
    """Toloka's example pool, with every setting filled in; its dynamic pricing and dynamic overlap
    read `skill_id`, which must exist for the pool to be created."""
    body: dict[str, Any] = {
        "project_id": project_id,
        "private_name": "My first pool",
        "private_comment": "This is my first pool",
        "public_description": "Pool's description",
        "may_contain_adult_content": False,
        "will_expire": WILL_EXPIRE,
        "reward_per_assignment": 0.02,
        "dynamic_pricing_config": {
            "type": "SKILL",
            "skill_id": skill_id,
            "intervals": [
                {"from": 0, "to": 60, "reward_per_assignment": 0.03},
                {"from": 61, "to": 100, "reward_per_assignment": 0.04},
            ],
        },
        "assignment_max_duration_seconds": 300,
        "auto_accept_solutions": True,
        "auto_accept_period_day": 7,
        "auto_close_after_complete_delay_seconds": 60,
        "assignments_issuing_config": {"issue_task_suites_in_creation_order": False},
        "filter": {
            "and": [
                {"or": [{"category": "profile", "key": "languages", "operator": "IN", "value": "EN"}]},
                {
                    "or": [
                        {"category": "computed", "key": "client_type", "operator": "EQ", "value": "BROWSER"}
                    ]
                },
            ]
        },
        "quality_control": {
            "captcha_frequency": "LOW",
            "configs": [
                {
                    "collector_config": {
                        "type": "ASSIGNMENT_SUBMIT_TIME",
                        "parameters": {"fast_submit_threshold_seconds": 20, "history_size": 5},
                    },
                    "rules": [
                        {
                            "conditions": [{"key": "fast_submitted_count", "operator": "GT", "value": 1}],
                            "action": {
                                "type": "RESTRICTION_V2",
                                "parameters": {
                                    "scope": "PROJECT",
                                    "duration": 10,
                                    "duration_unit": "DAYS",
                                    "private_comment": "fast",
                                },
                            },
                        }
                    ],
                },
                {
                    "collector_config": {"type": "ASSIGNMENTS_ASSESSMENT"},
                    "rules": [
                        {
                            "conditions": [{"key": "assessment_event", "operator": "EQ", "value": "REJECT"}],
                            "action": {
                                "type": "CHANGE_OVERLAP",
                                "parameters": {"delta": 1, "open_pool": True},
                            },
                        }
                    ],
                },
            ],
            "checkpoints_config": {
                name: {"target_overlap": 5, "task_distribution_function": _distribution()}
                for name in ("real_settings", "golden_settings", "training_settings")
            },
        },
        "speed_quality_balance": {"type": "TOP_PERCENTAGE_BY_QUALITY", "percent": 80},
        "dynamic_overlap_config": {
            "type": "BASIC",
            "max_overlap": 5,
            "min_confidence": 0.9,
            "answer_weight_skill_id": skill_id,
            "fields": [{"name": "result"}],
        },
        "defaults": {"default_overlap_for_new_task_suites": 3, "default_overlap_for_new_tasks": 3},
        "mixer_config": {
            "real_tasks_count": 6,
            "golden_tasks_count": 1,
            "training_tasks_count": 1,
            "min_real_tasks_count": 2,
            "min_golden_tasks_count": 0,
            "min_training_tasks_count": 0,
            "force_last_assignment": True,
            "force_last_assignment_delay_seconds": 10,
            "mix_tasks_in_creation_order": True,
            "shuffle_tasks_in_task_suite": False,
            "golden_task_distribution_function": _distribution(),
            "training_task_distribution_function": _distribution(),
        },
        "priority": 10,
    }
    if training_id is not None:
        body["quality_control"]["training_requirement"] = training_requirement(training_id, 70)
    body.update(changes)
    return copy.deepcopy(body)


def _locate(body: dict[str, Any], path: str) -> tuple[dict[str, Any], Any, Any]:
    """A deep copy of `body`, the container of the dotted `path` in it, and the key there."""
    result = copy.deepcopy(body)
    *parents, last = path.split(".")
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return result, node, int(last) if isinstance(node, list) else last


def without(body: dict[str, Any], path: str) -> dict[str, Any]:
    """A copy of `body` with the dotted `path` removed."""
    result, node, key = _locate(body, path)
    del node[key]
    return result


def with_value(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `body` with the dotted `path` set to `value`."""
    result, node, key = _locate(body, path)
    node[key] = value
    return result


def created(response: Any) -> dict[str, Any]:
    """The body of a 201 answer."""
    assert response.status_code == 201, response.text
    return dict(response.json())


def assert_error(response: Any, status: int, code: str, *paths: str) -> dict[str, Any]:
    """The response is a Toloka error with this status and code, naming each of `paths` in the payload."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["request_id"] == response.headers["x-request-id"]
    assert isinstance(body["message"], str) and body["message"]
    for path in paths:
        assert path in (body.get("payload") or {}), body
    return body


def race(function: Any, count: int = 8) -> list[Any]:
    """Run `function` in `count` threads at once; results or raised exceptions, in order."""

    def attempt(_: int) -> Any:
        try:
            return function()
        except Exception as exc:  # the race's losers are part of the result
            return exc

    with ThreadPoolExecutor(max_workers=count) as executor:
        return list(executor.map(attempt, range(count)))


def worker_client(
    app_client: TestClient, ctx: Context, name: str, languages: list[str] | None = None
) -> TestClient:
    token = workers.create_worker(ctx, name=name, profile=WorkerProfile(languages=languages or ["EN"]))[1]
    client = TestClient(app_client.app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def take(client: TestClient, pool_id: str) -> Any:
    return client.post(f"/api/worker/v1/pools/{pool_id}/assignments")


def upload_tasks(api: TestClient, pool_id: str, real: int, golden: int = 1) -> None:
    """`real` image tasks and `golden` control tasks (answer "cat") at default overlap; opens the pool."""
    tasks = [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{n}.png"}} for n in range(real)
    ]
    control = [
        {
            "pool_id": pool_id,
            "input_values": {"image": f"https://img.example/golden-{n}.png"},
            "known_solutions": [{"output_values": {"result": "cat"}}],
        }
        for n in range(golden)
    ]
    response = api.post(
        "/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks + control
    )
    assert response.status_code == 201, response.text


def upload_lesson(api: TestClient, training_id: str, **extra: Any) -> None:
    """One training task whose known answer is "cat" (with `extra` keys, a hint say); opens the training."""
    lesson = {
        "pool_id": training_id,
        "input_values": {"image": "https://img.example/lesson.png"},
        "known_solutions": [{"output_values": {"result": "cat"}}],
        **extra,
    }
    assert api.post("/api/v1/tasks", params={"open_pool": "true"}, json=[lesson]).status_code == 201


def ledger_of(ctx: Context, worker_id: int | str) -> list[Row[Any]]:
    """The worker's ledger entries, in the order they were written."""
    query = select(ledger_entries).where(ledger_entries.c.worker_id == int(worker_id))
    with ctx.db.read() as conn:
        return list(conn.execute(query.order_by(ledger_entries.c.id)))
