"""The rule language of quality_control.configs, as tables.

A collector counts something about a worker (or a task suite), exposes condition keys, and takes
parameters; a rule's conditions compare those keys; its action says what happens when all hold.
`check_configs` validates configs against these tables; evaluating rules reads the same tables.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kvorum.schemas.user_restriction import REQUESTER_SCOPES
from kvorum.services.conditions import COMPARABLE, IDENTITY, OneOf, ValueCheck, boolean, skill_id
from kvorum.services.errors import Problems


def _int_at_least(low: int, high: int | None = None) -> ValueCheck:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        ok = ok and (high is None or value <= high)
        return None if ok else f"an integer from {low}" + ("" if high is None else f" to {high}")

    return check


def numeric(value: Any) -> float | None:
    """A number, or a numeric string (the docs send "1"), as a float; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _count(value: Any) -> str | None:
    number = numeric(value)
    return (
        None if number is not None and number >= 0 and number.is_integer() else "a count (integer, 0 or more)"
    )


def _rate(value: Any) -> str | None:
    number = numeric(value)
    return None if number is not None and 0 <= number <= 100 else "a percentage from 0 to 100"


def _amount(value: Any) -> str | None:
    number = numeric(value)
    return None if number is not None and number >= 0 else "an amount of 0 or more"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "a string"


@dataclass(frozen=True)
class Condition:
    operators: frozenset[str]
    value: ValueCheck


CONDITIONS: Mapping[str, Condition] = {
    "accepted_assignments_count": Condition(COMPARABLE, _count),
    "accepted_assignments_rate": Condition(COMPARABLE, _rate),
    "assessment_event": Condition(IDENTITY, OneOf("ACCEPT", "ACCEPT_AFTER_REJECT", "REJECT")),
    "assignments_accepted_count": Condition(COMPARABLE, _count),
    "correct_answers_rate": Condition(COMPARABLE, _rate),
    "fail_rate": Condition(COMPARABLE, _rate),
    "fast_submitted_count": Condition(COMPARABLE, _count),
    "golden_set_answers_count": Condition(COMPARABLE, _count),
    "golden_set_correct_answers_rate": Condition(COMPARABLE, _rate),
    "golden_set_incorrect_answers_rate": Condition(COMPARABLE, _rate),
    "income_sum_for_last_24_hours": Condition(COMPARABLE, _amount),
    "incorrect_answers_rate": Condition(COMPARABLE, _rate),
    "next_assignment_available": Condition(IDENTITY, boolean),
    "pending_assignments_count": Condition(COMPARABLE, _count),
    "pool_access_revoked_reason": Condition(IDENTITY, OneOf("SKILL_CHANGE", "RESTRICTION")),
    "rejected_assignments_count": Condition(COMPARABLE, _count),
    "rejected_assignments_rate": Condition(COMPARABLE, _rate),
    "skill_id": Condition(IDENTITY, skill_id),
    "skipped_in_row_count": Condition(COMPARABLE, _count),
    "stored_results_count": Condition(COMPARABLE, _count),
    "submitted_assignments_count": Condition(COMPARABLE, _count),
    "success_rate": Condition(COMPARABLE, _rate),
    "total_answers_count": Condition(COMPARABLE, _count),
    "total_assignments_count": Condition(COMPARABLE, _count),
    "total_submitted_count": Condition(COMPARABLE, _count),
}


@dataclass(frozen=True)
class Parameters:
    """Which parameters a collector or action takes; `required` ones must be present."""

    checks: Mapping[str, ValueCheck] = field(default_factory=dict)
    required: frozenset[str] = frozenset()


HISTORY = {"history_size": _int_at_least(1, 10_000)}


@dataclass(frozen=True)
class Collector:
    parameters: Parameters
    keys: frozenset[str]
    worker_level: bool = True


_ANSWER_RATES = frozenset({"total_answers_count", "correct_answers_rate", "incorrect_answers_rate"})
COLLECTORS: Mapping[str, Collector] = {
    "GOLDEN_SET": Collector(
        Parameters(HISTORY),
        _ANSWER_RATES
        | {
            "golden_set_answers_count",
            "golden_set_correct_answers_rate",
            "golden_set_incorrect_answers_rate",
        },
    ),
    "MAJORITY_VOTE": Collector(
        Parameters(
            {**HISTORY, "answer_threshold": _int_at_least(1, 10_000)}, frozenset({"answer_threshold"})
        ),
        _ANSWER_RATES,
    ),
    "CAPTCHA": Collector(
        Parameters(HISTORY), frozenset({"stored_results_count", "success_rate", "fail_rate"})
    ),
    "INCOME": Collector(Parameters(), frozenset({"income_sum_for_last_24_hours"})),
    "SKIPPED_IN_ROW_ASSIGNMENTS": Collector(Parameters(), frozenset({"skipped_in_row_count"})),
    "ANSWER_COUNT": Collector(Parameters(), frozenset({"assignments_accepted_count"})),
    "ASSIGNMENT_SUBMIT_TIME": Collector(
        Parameters(
            {**HISTORY, "fast_submit_threshold_seconds": _int_at_least(1, 86_400)},
            frozenset({"fast_submit_threshold_seconds"}),
        ),
        frozenset({"total_submitted_count", "fast_submitted_count"}),
    ),
    "ACCEPTANCE_RATE": Collector(
        Parameters(HISTORY),
        frozenset({"total_assignments_count", "accepted_assignments_rate", "rejected_assignments_rate"}),
    ),
    "ASSIGNMENTS_ASSESSMENT": Collector(
        Parameters(),
        frozenset(
            {
                "pending_assignments_count",
                "accepted_assignments_count",
                "rejected_assignments_count",
                "assessment_event",
            }
        ),
        worker_level=False,
    ),
    "USERS_ASSESSMENT": Collector(
        Parameters(), frozenset({"pool_access_revoked_reason", "skill_id"}), worker_level=False
    ),
    "TRAINING": Collector(
        Parameters(),
        _ANSWER_RATES | {"submitted_assignments_count", "next_assignment_available"},
        worker_level=False,
    ),
}

_SCOPE = OneOf(*REQUESTER_SCOPES)


@dataclass(frozen=True)
class Action:
    parameters: Parameters
    collectors: frozenset[str]
    """The collectors whose rules may take this action."""


_WORKER_LEVEL = frozenset(name for name, collector in COLLECTORS.items() if collector.worker_level)
ACTIONS: Mapping[str, Action] = {
    "RESTRICTION": Action(
        Parameters(
            {"scope": _SCOPE, "duration_days": _int_at_least(1, 36_500), "private_comment": _string},
            frozenset({"scope"}),
        ),
        _WORKER_LEVEL | {"TRAINING"},
    ),
    "RESTRICTION_V2": Action(
        Parameters(
            {
                "scope": _SCOPE,
                "duration": _int_at_least(1, 1_000_000),
                "duration_unit": OneOf("MINUTES", "HOURS", "DAYS", "PERMANENT"),
                "private_comment": _string,
            },
            frozenset({"scope", "duration_unit"}),
        ),
        _WORKER_LEVEL | {"TRAINING"},
    ),
    "SET_SKILL": Action(
        Parameters(
            {"skill_id": skill_id, "skill_value": _int_at_least(0, 100)},
            frozenset({"skill_id", "skill_value"}),
        ),
        _WORKER_LEVEL | {"TRAINING"},
    ),
    "SET_SKILL_FROM_OUTPUT_FIELD": Action(
        Parameters(
            {"skill_id": skill_id, "from_field": OneOf("correct_answers_rate", "incorrect_answers_rate")},
            frozenset({"skill_id", "from_field"}),
        ),
        frozenset({"GOLDEN_SET", "MAJORITY_VOTE", "CAPTCHA", "ACCEPTANCE_RATE", "TRAINING"}),
    ),
    "CHANGE_OVERLAP": Action(
        Parameters({"delta": _int_at_least(1, 30_000), "open_pool": boolean}, frozenset({"delta"})),
        frozenset({"ASSIGNMENTS_ASSESSMENT", "USERS_ASSESSMENT"}),
    ),
    "REJECT_ALL_ASSIGNMENTS": Action(
        Parameters({"public_comment": _string}, frozenset({"public_comment"})), _WORKER_LEVEL
    ),
    "APPROVE_ALL_ASSIGNMENTS": Action(Parameters(), _WORKER_LEVEL),
}


def _check_parameters(given: Any, spec: Parameters, path: str, problems: Problems) -> None:
    if given is None:
        given = {}
    if not isinstance(given, dict):
        problems.add(path, "OBJECT_EXPECTED", "parameters are an object")
        return
    for name in sorted(spec.required - set(given)):
        problems.add(f"{path}.{name}", "VALUE_REQUIRED", f"{name} is required")
    for name, value in given.items():
        check = spec.checks.get(name)
        if check is None:
            problems.add(f"{path}.{name}", "VALUE_NOT_ALLOWED", f"{name} is not a parameter here")
            continue
        expected = check(value)
        if expected is not None:
            problems.add(f"{path}.{name}", "INVALID_VALUE", f"expected {expected}")


def _check_action(action: Mapping[str, Any], collector_type: str, path: str, problems: Problems) -> None:
    spec = ACTIONS.get(action.get("type", ""))
    if spec is None:
        problems.add(f"{path}.type", "UNKNOWN_ENUM_VALUE", f"known actions: {', '.join(ACTIONS)}")
        return
    if collector_type in COLLECTORS and collector_type not in spec.collectors:
        problems.add(
            f"{path}.type",
            "VALUE_NOT_ALLOWED",
            f"{action['type']} does not go with a {collector_type} collector",
        )
    parameters = action.get("parameters")
    _check_parameters(parameters, spec.parameters, f"{path}.parameters", problems)
    if (
        action["type"] == "RESTRICTION_V2"
        and isinstance(parameters, dict)
        and parameters.get("duration_unit") not in (None, "PERMANENT")
        and "duration" not in parameters
    ):
        problems.add(f"{path}.parameters.duration", "VALUE_REQUIRED", "duration is required unless PERMANENT")


def _check_condition(
    condition: Mapping[str, Any], collector: Collector | None, path: str, problems: Problems
) -> None:
    key = condition.get("key")
    spec = CONDITIONS.get(key) if isinstance(key, str) else None
    if spec is None:
        problems.add(f"{path}.key", "UNKNOWN_ENUM_VALUE", f"{key!r} is not a condition key")
        return
    if collector is not None and key not in collector.keys:
        problems.add(
            f"{path}.key", "VALUE_NOT_ALLOWED", f"this collector offers {', '.join(sorted(collector.keys))}"
        )
    if condition.get("operator") not in spec.operators:
        problems.add(
            f"{path}.operator", "VALUE_NOT_ALLOWED", f"{key} takes {', '.join(sorted(spec.operators))}"
        )
    expected = spec.value(condition.get("value"))
    if expected is not None:
        problems.add(f"{path}.value", "INVALID_VALUE", f"expected {expected}")


def _check_collector(config: Mapping[str, Any], path: str, problems: Problems) -> Collector | None:
    collector_type = config.get("type", "")
    collector = COLLECTORS.get(collector_type)
    if collector is None:
        problems.add(f"{path}.type", "UNKNOWN_ENUM_VALUE", f"known collectors: {', '.join(COLLECTORS)}")
        return None
    marker = config.get("uuid")
    if marker is not None:
        try:
            uuid.UUID(str(marker))
        except ValueError:
            problems.add(f"{path}.uuid", "UUID_EXPECTED", "uuid is a UUID")
    _check_parameters(config.get("parameters"), collector.parameters, f"{path}.parameters", problems)
    return collector


def check_configs(configs: list[dict[str, Any]], path: str, problems: Problems) -> None:
    """Record every problem of quality_control.configs (already checked for shape) under `path`."""
    for index, config in enumerate(configs):
        config_path = f"{path}.{index}"
        collector_config = config["collector_config"]
        collector = _check_collector(collector_config, f"{config_path}.collector_config", problems)
        for rule_index, rule in enumerate(config["rules"]):
            rule_path = f"{config_path}.rules.{rule_index}"
            for condition_index, condition in enumerate(rule["conditions"]):
                _check_condition(condition, collector, f"{rule_path}.conditions.{condition_index}", problems)
            _check_action(rule["action"], collector_config.get("type", ""), f"{rule_path}.action", problems)
