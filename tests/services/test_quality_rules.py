"""The rule language: known collectors, their conditions and parameters, and the actions that fit them."""

from typing import Any

import pytest

from kvorum.services.errors import Problems
from kvorum.services.quality.rules import check_configs


def problems_of(configs: list[dict[str, Any]]) -> dict[str, str]:
    problems = Problems()
    check_configs(configs, "quality_control.configs", problems)
    return {path: entry["code"] for path, entry in problems.items.items()}


def config(
    collector: dict[str, Any], conditions: list[dict[str, Any]], action: dict[str, Any]
) -> dict[str, Any]:
    return {"collector_config": collector, "rules": [{"conditions": conditions, "action": action}]}


def cond(key: str, operator: str, value: Any) -> dict[str, Any]:
    return {"key": key, "operator": operator, "value": value}


BAN = {"type": "RESTRICTION_V2", "parameters": {"scope": "PROJECT", "duration": 10, "duration_unit": "DAYS"}}
VALID = [
    config(
        {
            "type": "ASSIGNMENT_SUBMIT_TIME",
            "parameters": {"fast_submit_threshold_seconds": 20, "history_size": 5},
        },
        [cond("fast_submitted_count", "GT", 1)],
        BAN,
    ),
    config(
        {"type": "ASSIGNMENTS_ASSESSMENT"},
        [cond("assessment_event", "EQ", "REJECT")],
        {"type": "CHANGE_OVERLAP", "parameters": {"delta": 1, "open_pool": True}},
    ),
    config(
        {
            "type": "GOLDEN_SET",
            "uuid": "6f8b1d3e-1c4a-4b8e-9d0a-2f6c1e7b9a33",
            "parameters": {"history_size": 10},
        },
        [cond("total_answers_count", "GTE", "3"), cond("correct_answers_rate", "LT", 60)],
        {
            "type": "SET_SKILL_FROM_OUTPUT_FIELD",
            "parameters": {"skill_id": "42", "from_field": "correct_answers_rate"},
        },
    ),
    config(
        {"type": "MAJORITY_VOTE", "parameters": {"answer_threshold": 2}},
        [cond("incorrect_answers_rate", "GT", 50)],
        {"type": "RESTRICTION", "parameters": {"scope": "POOL", "duration_days": 1}},
    ),
    config(
        {"type": "INCOME"},
        [cond("income_sum_for_last_24_hours", "GT", 20)],
        {"type": "RESTRICTION_V2", "parameters": {"scope": "ALL_PROJECTS", "duration_unit": "PERMANENT"}},
    ),
    config(
        {"type": "SKIPPED_IN_ROW_ASSIGNMENTS"},
        [cond("skipped_in_row_count", "GTE", 10)],
        {"type": "APPROVE_ALL_ASSIGNMENTS"},
    ),
    config(
        {"type": "ACCEPTANCE_RATE"},
        [cond("rejected_assignments_rate", "GT", 30)],
        {"type": "REJECT_ALL_ASSIGNMENTS", "parameters": {"public_comment": "Too many mistakes"}},
    ),
    config(
        {"type": "TRAINING"},
        [cond("next_assignment_available", "EQ", False)],
        {"type": "SET_SKILL", "parameters": {"skill_id": "7", "skill_value": 80}},
    ),
]


@pytest.mark.parametrize("item", VALID)
def test_valid_configs(item: dict[str, Any]) -> None:
    assert problems_of([item]) == {}


PREFIX = "quality_control.configs.0"
RULE = f"{PREFIX}.rules.0"


@pytest.mark.parametrize(
    ("item", "path", "code"),
    [
        (
            config({"type": "WHATEVER"}, [cond("total_answers_count", "GT", 1)], BAN),
            f"{PREFIX}.collector_config.type",
            "UNKNOWN_ENUM_VALUE",
        ),
        (
            config({"type": "MAJORITY_VOTE"}, [cond("total_answers_count", "GT", 1)], BAN),
            f"{PREFIX}.collector_config.parameters.answer_threshold",
            "VALUE_REQUIRED",
        ),
        (
            config(
                {"type": "GOLDEN_SET", "parameters": {"history_size": 0}},
                [cond("total_answers_count", "GT", 1)],
                BAN,
            ),
            f"{PREFIX}.collector_config.parameters.history_size",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "INCOME", "parameters": {"history_size": 5}},
                [cond("income_sum_for_last_24_hours", "GT", 1)],
                BAN,
            ),
            f"{PREFIX}.collector_config.parameters.history_size",
            "VALUE_NOT_ALLOWED",
        ),
        (
            config({"type": "GOLDEN_SET", "uuid": "nope"}, [cond("total_answers_count", "GT", 1)], BAN),
            f"{PREFIX}.collector_config.uuid",
            "UUID_EXPECTED",
        ),
        (
            config({"type": "GOLDEN_SET"}, [cond("fast_submitted_count", "GT", 1)], BAN),
            f"{RULE}.conditions.0.key",
            "VALUE_NOT_ALLOWED",
        ),
        (
            config({"type": "GOLDEN_SET"}, [cond("luck", "GT", 1)], BAN),
            f"{RULE}.conditions.0.key",
            "UNKNOWN_ENUM_VALUE",
        ),
        (
            config({"type": "GOLDEN_SET"}, [cond("correct_answers_rate", "GT", 150)], BAN),
            f"{RULE}.conditions.0.value",
            "INVALID_VALUE",
        ),
        (
            config({"type": "GOLDEN_SET"}, [cond("total_answers_count", "GT", -1)], BAN),
            f"{RULE}.conditions.0.value",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "ASSIGNMENTS_ASSESSMENT"},
                [cond("assessment_event", "GT", "REJECT")],
                {"type": "CHANGE_OVERLAP", "parameters": {"delta": 1}},
            ),
            f"{RULE}.conditions.0.operator",
            "VALUE_NOT_ALLOWED",
        ),
        (
            config(
                {"type": "ASSIGNMENTS_ASSESSMENT"},
                [cond("assessment_event", "EQ", "LOVE")],
                {"type": "CHANGE_OVERLAP", "parameters": {"delta": 1}},
            ),
            f"{RULE}.conditions.0.value",
            "INVALID_VALUE",
        ),
        (
            config({"type": "GOLDEN_SET"}, [cond("total_answers_count", "GT", 1)], {"type": "EXPLODE"}),
            f"{RULE}.action.type",
            "UNKNOWN_ENUM_VALUE",
        ),
        (
            config(
                {"type": "GOLDEN_SET"},
                [cond("total_answers_count", "GT", 1)],
                {"type": "CHANGE_OVERLAP", "parameters": {"delta": 1}},
            ),
            f"{RULE}.action.type",
            "VALUE_NOT_ALLOWED",
        ),
        (
            config(
                {"type": "GOLDEN_SET"},
                [cond("total_answers_count", "GT", 1)],
                {"type": "RESTRICTION_V2", "parameters": {"scope": "POOL", "duration_unit": "DAYS"}},
            ),
            f"{RULE}.action.parameters.duration",
            "VALUE_REQUIRED",
        ),
        (
            config(
                {"type": "GOLDEN_SET"},
                [cond("total_answers_count", "GT", 1)],
                {"type": "RESTRICTION_V2", "parameters": {"scope": "GALAXY", "duration_unit": "PERMANENT"}},
            ),
            f"{RULE}.action.parameters.scope",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "GOLDEN_SET"},
                [cond("total_answers_count", "GT", 1)],
                {"type": "SET_SKILL", "parameters": {"skill_id": "7", "skill_value": 101}},
            ),
            f"{RULE}.action.parameters.skill_value",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "GOLDEN_SET"},
                [cond("total_answers_count", "GT", 1)],
                {
                    "type": "SET_SKILL_FROM_OUTPUT_FIELD",
                    "parameters": {"skill_id": "x", "from_field": "correct_answers_rate"},
                },
            ),
            f"{RULE}.action.parameters.skill_id",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "ACCEPTANCE_RATE"},
                [cond("total_assignments_count", "GT", 1)],
                {"type": "SET_SKILL", "parameters": {"skill_id": "1" * 19, "skill_value": 80}},
            ),
            f"{RULE}.action.parameters.skill_id",
            "INVALID_VALUE",
        ),
        (
            config({"type": "USERS_ASSESSMENT"}, [cond("skill_id", "EQ", 7)], {"type": "CHANGE_OVERLAP"}),
            f"{RULE}.conditions.0.value",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "ASSIGNMENTS_ASSESSMENT"},
                [cond("assessment_event", "EQ", ["REJECT"])],
                {"type": "CHANGE_OVERLAP", "parameters": {"delta": 1}},
            ),
            f"{RULE}.conditions.0.value",
            "INVALID_VALUE",
        ),
        (
            config(
                {"type": "INCOME"},
                [cond("income_sum_for_last_24_hours", "GT", 1)],
                {
                    "type": "SET_SKILL_FROM_OUTPUT_FIELD",
                    "parameters": {"skill_id": "1", "from_field": "correct_answers_rate"},
                },
            ),
            f"{RULE}.action.type",
            "VALUE_NOT_ALLOWED",
        ),
        (
            config(
                {"type": "ACCEPTANCE_RATE"},
                [cond("total_assignments_count", "GT", 1)],
                {"type": "REJECT_ALL_ASSIGNMENTS"},
            ),
            f"{RULE}.action.parameters.public_comment",
            "VALUE_REQUIRED",
        ),
        (
            config(
                {"type": "ACCEPTANCE_RATE"},
                [cond("total_assignments_count", "GT", 1)],
                {"type": "APPROVE_ALL_ASSIGNMENTS", "parameters": {"x": 1}},
            ),
            f"{RULE}.action.parameters.x",
            "VALUE_NOT_ALLOWED",
        ),
    ],
)
def test_mistakes_are_named(item: dict[str, Any], path: str, code: str) -> None:
    assert problems_of([item]).get(path) == code, problems_of([item])
