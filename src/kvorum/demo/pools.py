"""The requester's side of the demo, in the bodies toloka-kit 1.2.3 sends: a template-builder
classification project, a training, and a pool with control tasks, quality rules and dynamic
overlap (or the static baseline), with their tasks."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kvorum.demo.plan import Items, Plan
from kvorum.demo.requester import Requester
from kvorum.simulate.truth import Item

OUTPUT = "label"
POOL_LIFETIME = timedelta(days=3650)
ASSIGNMENT_SECONDS = 1200
AUTO_CLOSE_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Made:
    """What was created for one configuration."""

    project_id: str
    pool_id: str
    training_id: str | None
    skill_id: str | None


def view_spec(labels: tuple[str, ...], input_field: str) -> dict[str, Any]:
    """The item's text and a required radio group of the classes with hotkeys 1-K, as toloka-kit's
    `TemplateBuilderViewSpec` unstructures it (the config is a JSON string, indented by 4)."""
    output = {"path": OUTPUT, "type": "data.output"}
    config = {
        "view": {
            "items": [
                {"content": {"path": input_field, "type": "data.input"}, "type": "view.text"},
                {
                    "data": output,
                    "label": "Which class is it?",
                    "options": [{"value": label, "label": label} for label in labels],
                    "validation": {"type": "condition.required"},
                    "type": "field.radio-group",
                },
            ],
            "type": "view.list",
        },
        "plugins": [
            {
                **{
                    f"key_{number}": {"data": output, "payload": label, "type": "action.set"}
                    for number, label in enumerate(labels[:9], start=1)
                },
                "type": "plugin.hotkeys",
            },
            {"layout": {"kind": "scroll", "taskWidth": 500}, "type": "plugin.toloka"},
        ],
    }
    components = ["view.text", "condition.required", "field.radio-group", "view.list", "action.set"]
    return {
        "type": "tb",
        "config": json.dumps(config, indent=4),
        "inferDataSpec": False,
        "lock": {"core": "1.0.0", **dict.fromkeys([*components, "plugin.hotkeys", "plugin.toloka"], "1.0.0")},
    }


async def create(server: Requester, plan: Plan, items: Items) -> Made:
    """The project, the skill, the training and the pool of `plan`, their tasks, all open."""
    labels = items.truth.labels
    input_field = items.truth.input_fields[0]
    project = await server.create_project(
        {
            "public_name": f"Classify items ({plan.name})",
            "public_description": "Pick the class each item belongs to",
            "public_instructions": "<p>Read the item and pick its class. Keys 1 to 9 pick an option.</p>",
            "task_spec": {
                "input_spec": {name: {"type": "string"} for name in items.truth.input_fields},
                "output_spec": {OUTPUT: {"type": "string", "allowed_values": list(labels)}},
                "view_spec": view_spec(labels, input_field),
            },
        }
    )
    project_id = str(project["id"])
    skill_id = (
        await server.create_skill(f"Accuracy on control tasks ({plan.name})") if plan.uses_control else None
    )
    training_id = await _training(server, plan, project_id, items) if plan.training else None
    pool = await server.create_pool(pool_body(plan, project_id, skill_id, training_id))
    pool_id = str(pool["id"])
    tasks = [{"pool_id": pool_id, "input_values": item.input_values} for item in items.real]
    if plan.uses_control:
        tasks += [_known(pool_id, item, infinite_overlap=True) for item in items.control]
    await server.create_tasks(tasks, operation_id=str(uuid.uuid4()))
    return Made(project_id, pool_id, training_id, skill_id)


def _known(pool_id: str, item: Item, **extra: Any) -> dict[str, Any]:
    solution = {"output_values": {OUTPUT: item.label}, "correctness_weight": 1}
    return {"pool_id": pool_id, "input_values": item.input_values, "known_solutions": [solution], **extra}


async def _training(server: Requester, plan: Plan, project_id: str, items: Items) -> str:
    training_id = await server.create_training(
        {
            "project_id": project_id,
            "private_name": f"Training ({plan.name})",
            "may_contain_adult_content": False,
            "assignment_max_duration_seconds": ASSIGNMENT_SECONDS,
            "training_tasks_in_task_suite_count": plan.training_tasks,
            "task_suites_required_to_pass": 1,
            "inherited_instructions": True,
            "public_instructions": "",
        }
    )
    hint = "The class is the one in the item's ground truth."
    tasks = [
        _known(training_id, item, message_on_unknown_solution=hint)
        for item in items.training[: plan.training_tasks]
    ]
    await server.create_tasks(tasks, operation_id=str(uuid.uuid4()))
    return training_id


def pool_body(plan: Plan, project_id: str, skill_id: str | None, training_id: str | None) -> dict[str, Any]:
    """The pool as toloka-kit's `Pool` unstructures it."""
    overlap = plan.overlap if plan.dynamic_overlap else plan.static_overlap
    body: dict[str, Any] = {
        "project_id": project_id,
        "private_name": f"Pool ({plan.name})",
        "may_contain_adult_content": False,
        "will_expire": (datetime.now(UTC) + POOL_LIFETIME).strftime("%Y-%m-%dT%H:%M:%S"),
        "reward_per_assignment": float(plan.reward),
        "assignment_max_duration_seconds": ASSIGNMENT_SECONDS,
        "auto_close_after_complete_delay_seconds": AUTO_CLOSE_SECONDS,
        "defaults": {
            "default_overlap_for_new_tasks": overlap,
            "default_overlap_for_new_task_suites": overlap,
        },
        "mixer_config": {
            "real_tasks_count": plan.real_per_suite,
            "golden_tasks_count": plan.suite_size - plan.real_per_suite,
            "training_tasks_count": 0,
        },
        "quality_control": {"configs": _rules(plan, skill_id)},
    }
    if training_id is not None:
        body["quality_control"]["training_requirement"] = {
            "training_pool_id": training_id,
            "training_passing_skill_value": plan.training_passing_percent,
        }
    if plan.dynamic_overlap:
        body["dynamic_overlap_config"] = {
            "type": "BASIC",
            "max_overlap": plan.max_overlap,
            "min_confidence": plan.min_confidence,
            "answer_weight_skill_id": skill_id,
            "fields": [{"name": OUTPUT}],
        }
    return body


def _condition(key: str, operator: str, value: float) -> dict[str, Any]:
    return {"key": key, "operator": operator, "value": value}


def _rules(plan: Plan, skill_id: str | None) -> list[dict[str, Any]]:
    """The quality-control configs: on control answers (the ban and the skill tiers), on submit time."""
    configs = []
    golden: list[dict[str, Any]] = []
    enough = _condition("total_answers_count", "GTE", plan.golden_min_answers)
    if plan.golden_ban:
        golden.append(
            {
                "conditions": [
                    enough,
                    _condition("incorrect_answers_rate", "GT", plan.golden_max_incorrect_percent),
                ],
                "action": {
                    "type": "RESTRICTION_V2",
                    "parameters": {
                        "scope": "POOL",
                        "duration_unit": "PERMANENT",
                        "private_comment": "Too many wrong answers to control tasks",
                    },
                },
            }
        )
    if skill_id is not None:
        upper = None
        for at_least, value in plan.skill_tiers:
            band = [
                _condition("total_answers_count", "GTE", plan.skill_min_answers),
                _condition("correct_answers_rate", "GTE", at_least),
            ]
            if upper is not None:
                band.append(_condition("correct_answers_rate", "LT", upper))
            golden.append(
                {
                    "conditions": band,
                    "action": {
                        "type": "SET_SKILL",
                        "parameters": {"skill_id": skill_id, "skill_value": value},
                    },
                }
            )
            upper = at_least
    if golden:
        collector = {"type": "GOLDEN_SET", "parameters": {"history_size": plan.golden_history}}
        configs.append({"collector_config": collector, "rules": golden})
    if plan.fast_ban:
        threshold = round(plan.fast_seconds_per_task * plan.suite_size)
        collector = {
            "type": "ASSIGNMENT_SUBMIT_TIME",
            "parameters": {"history_size": 5, "fast_submit_threshold_seconds": threshold},
        }
        rule = {
            "conditions": [_condition("fast_submitted_count", "GTE", plan.fast_suites)],
            "action": {
                "type": "RESTRICTION_V2",
                "parameters": {
                    "scope": "PROJECT",
                    "duration": 1,
                    "duration_unit": "DAYS",
                    "private_comment": "Suites submitted too fast",
                },
            },
        }
        configs.append({"collector_config": collector, "rules": [rule]})
    return configs
