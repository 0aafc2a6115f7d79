"""The filter language of pools (and of messages to workers): and/or trees of conditions.

The tables say, per category and key, which operators a condition may use and what its value
must be; `check_filter` walks a tree with them. A worker's facts are filed under the categories of
the same tables (kvorum.services.accounts.workers.Worker.facts).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from kvorum.schemas import worker as profile
from kvorum.schemas.ids import is_id
from kvorum.services.conditions import COMPARABLE, IDENTITY, INCLUSION, OneOf, ValueCheck, boolean
from kvorum.services.errors import Problems

MAX_DEPTH = 10
MAX_CONDITIONS = 1_000


def _integer(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"


def _number(value: Any) -> str | None:
    return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"


_COUNTRY = re.compile(profile.COUNTRY)
_LANGUAGE = re.compile(profile.LANGUAGE)


def _country(value: Any) -> str | None:
    ok = isinstance(value, str) and _COUNTRY.fullmatch(value)
    return None if ok else "an ISO 3166-1 alpha-2 country code such as RU"


def _language(value: Any) -> str | None:
    ok = isinstance(value, str) and _LANGUAGE.fullmatch(value)
    return None if ok else "an upper-case ISO 639-1 language code such as EN or ZH-HANS"


def _literal(literal: object) -> OneOf:
    """The check for a key whose WorkerProfile field has the Literal type `literal`."""
    return OneOf(*get_args(literal))


@dataclass(frozen=True)
class Key:
    operators: frozenset[str]
    value: ValueCheck


BOOLEAN = Key(IDENTITY, boolean)

PROFILE: Mapping[str, Key] = {
    "gender": Key(IDENTITY, _literal(profile.Gender)),
    "country": Key(IDENTITY, _country),
    "citizenship": Key(IDENTITY, _country),
    "education": Key(IDENTITY, _literal(profile.Education)),
    "adult_allowed": BOOLEAN,
    "date_of_birth": Key(COMPARABLE, _integer),
    "city": Key(INCLUSION, _integer),
    "languages": Key(INCLUSION, _language),
    "verified": BOOLEAN,
}
COMPUTED: Mapping[str, Key] = {
    "client_type": Key(IDENTITY, _literal(profile.ClientType)),
    "region_by_phone": Key(INCLUSION, _integer),
    "region_by_ip": Key(INCLUSION, _integer),
    "device_category": Key(IDENTITY, _literal(profile.DeviceCategory)),
    "os_family": Key(IDENTITY, _literal(profile.OsFamily)),
    "os_version": Key(COMPARABLE, _number),
    "os_version_major": Key(COMPARABLE, _integer),
    "os_version_minor": Key(COMPARABLE, _integer),
    "os_version_bugfix": Key(COMPARABLE, _integer),
    "user_agent_type": Key(IDENTITY, _literal(profile.UserAgentType)),
    "user_agent_family": Key(IDENTITY, _literal(profile.UserAgentFamily)),
    "user_agent_version": Key(COMPARABLE, _number),
    "user_agent_version_major": Key(COMPARABLE, _integer),
    "user_agent_version_minor": Key(COMPARABLE, _integer),
    "user_agent_version_bugfix": Key(COMPARABLE, _integer),
}
CATEGORIES: Mapping[str, Mapping[str, Key]] = {"profile": PROFILE, "computed": COMPUTED}
"""Every key is a field of WorkerProfile of the same name, holding values of the same vocabulary."""


def _skill_value(value: Any) -> str | None:
    """A skill level 0-100; null means "has no value for the skill" (with EQ) or "has one" (NE)."""
    if value is None:
        return None
    if _number(value) is not None or not 0 <= value <= 100:
        return "a skill value from 0 to 100, or null"
    return None


SKILL = Key(COMPARABLE, _skill_value)


class _Walk:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.conditions = 0

    def node(self, node: Any, path: str, depth: int) -> None:
        if not isinstance(node, dict):
            self.problems.add(path, "OBJECT_EXPECTED", "a filter node is an object: and, or, or a condition")
            return
        if depth > MAX_DEPTH:
            self.problems.add(path, "VALUE_OUT_OF_BOUNDS", f"filters nest at most {MAX_DEPTH} levels deep")
            return
        branches = [key for key in ("and", "or") if key in node]
        if branches:
            if len(node) > 1:
                self.problems.add(path, "MAX_ONE_PROPERTY_ALLOWED", "an and/or node has exactly one key")
                return
            self.branch(node[branches[0]], f"{path}.{branches[0]}", depth)
            return
        self.condition(node, path)

    def branch(self, children: Any, path: str, depth: int) -> None:
        if not isinstance(children, list):
            self.problems.add(path, "ARRAY_EXPECTED", "a list of filter nodes is expected")
        elif not children:
            self.problems.add(path, "ARRAY_SIZE_LESS_THAN_MIN", "at least one filter node is expected")
        else:
            for index, child in enumerate(children):
                self.node(child, f"{path}.{index}", depth + 1)

    def condition(self, node: Mapping[str, Any], path: str) -> None:
        self.conditions += 1
        if self.conditions == MAX_CONDITIONS + 1:
            self.problems.add(
                path, "VALUE_OUT_OF_BOUNDS", f"a filter has at most {MAX_CONDITIONS} conditions"
            )
        for required in ("category", "key", "operator"):
            if required not in node:
                self.problems.add(f"{path}.{required}", "VALUE_REQUIRED", f"a condition needs {required}")
        unknown = sorted(set(node) - {"category", "key", "operator", "value"})
        if unknown:
            self.problems.add(
                f"{path}.{unknown[0]}", "VALUE_NOT_ALLOWED", "a condition has category, key, operator, value"
            )
        key_spec = self._key(node, path)
        if key_spec is None:
            return
        operator = node.get("operator")
        if operator not in key_spec.operators:
            allowed = ", ".join(sorted(key_spec.operators))
            self.problems.add(f"{path}.operator", "VALUE_NOT_ALLOWED", f"{node['key']} takes {allowed}")
        value = node.get("value")
        expected = key_spec.value(value)
        if expected is not None or (value is None and key_spec is SKILL and operator not in IDENTITY):
            self.problems.add(
                f"{path}.value", "INVALID_VALUE", f"expected {expected or 'a number with ' + str(operator)}"
            )

    def _key(self, node: Mapping[str, Any], path: str) -> Key | None:
        category, key = node.get("category"), node.get("key")
        if "category" not in node or "key" not in node:
            return None
        if category == "skill":
            if is_id(key):
                return SKILL
            self.problems.add(f"{path}.key", "INVALID_VALUE", "a skill condition's key is a skill id")
            return None
        keys = CATEGORIES.get(category) if isinstance(category, str) else None
        if keys is None:
            self.problems.add(
                f"{path}.category", "UNKNOWN_ENUM_VALUE", "category is profile, computed or skill"
            )
            return None
        spec = keys.get(key) if isinstance(key, str) else None
        if spec is None:
            self.problems.add(f"{path}.key", "UNKNOWN_ENUM_VALUE", f"{key!r} is not a {category} key")
        return spec


def check_filter(node: object, path: str, problems: Problems) -> None:
    """Record every problem of a filter tree; `path` names the tree (e.g. `filter`)."""
    _Walk(problems).node(node, path, 1)


Facts = Mapping[tuple[str, str], Any]
"""What is known of a worker: ("profile" | "computed" | "skill", key) -> value; unknown keys are absent."""

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "EQ": lambda fact, value: fact == value,
    "NE": lambda fact, value: fact != value,
    "GT": lambda fact, value: fact > value,
    "GTE": lambda fact, value: fact >= value,
    "LT": lambda fact, value: fact < value,
    "LTE": lambda fact, value: fact <= value,
    "IN": lambda fact, value: value in fact if isinstance(fact, list) else fact == value,
    "NOT_IN": lambda fact, value: value not in fact if isinstance(fact, list) else fact != value,
}


def _holds(condition: Mapping[str, Any], facts: Facts) -> bool:
    operator, value = condition["operator"], condition.get("value")
    fact = facts.get((condition["category"], condition["key"]))
    if fact is None or value is None:
        # Only "has no value" (EQ null) and exclusions (NE, NOT_IN) hold for an unknown fact.
        if value is None:
            return bool((fact is None) == (operator == "EQ"))
        return operator in ("NE", "NOT_IN")
    try:
        return bool(_COMPARE[operator](fact, value))
    except TypeError:
        return False


def matches(node: Mapping[str, Any] | None, facts: Facts) -> bool:
    """Whether a worker with these facts passes a (valid) filter tree; no filter lets everyone in."""
    if node is None:
        return True
    if "and" in node:
        return all(matches(child, facts) for child in node["and"])
    if "or" in node:
        return any(matches(child, facts) for child in node["or"])
    return _holds(node, facts)


def mentions(node: Mapping[str, Any] | None, category: str, key: str) -> bool:
    """Whether a (valid) filter tree has a condition on this category and key."""
    if node is None:
        return False
    children = node.get("and", node.get("or"))
    if children is not None:
        return any(mentions(child, category, key) for child in children)
    return bool(node["category"] == category and node["key"] == key)
