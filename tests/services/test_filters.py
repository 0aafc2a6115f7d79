"""The filter language: valid trees pass, each kind of mistake is named at its path."""

from typing import Any, get_args

import pytest
from pydantic import ValidationError

from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts.workers import Worker
from kvorum.services.conditions import OneOf
from kvorum.services.errors import Problems
from kvorum.services.workforce.filters import CATEGORIES, check_filter, matches


def problems_of(tree: Any) -> dict[str, str]:
    problems = Problems()
    check_filter(tree, "filter", problems)
    return {path: entry["code"] for path, entry in problems.items.items()}


def cond(category: str, key: str, operator: str, value: Any) -> dict[str, Any]:
    return {"category": category, "key": key, "operator": operator, "value": value}


VALID = [
    cond("profile", "adult_allowed", "EQ", True),
    {
        "and": [
            {"or": [cond("profile", "languages", "IN", "EN")]},
            {"or": [cond("computed", "client_type", "EQ", "BROWSER")]},
        ]
    },
    {
        "and": [
            {
                "or": [
                    {
                        "and": [
                            cond("profile", "languages", "IN", "ZH-HANS"),
                            cond("skill", "44742", "EQ", 100),
                        ]
                    }
                ]
            }
        ]
    },
    {"or": [cond("skill", "1289", "GTE", 75.5), cond("skill", "1289", "EQ", None)]},
    {"and": [cond("profile", "date_of_birth", "LT", 946684800), cond("computed", "os_version", "GTE", 14.4)]},
    cond("computed", "region_by_ip", "NOT_IN", 225),
    cond("profile", "country", "NE", "RU"),
]


@pytest.mark.parametrize("tree", VALID)
def test_valid_trees(tree: Any) -> None:
    assert problems_of(tree) == {}


@pytest.mark.parametrize(
    ("tree", "path", "code"),
    [
        ("adults", "filter", "OBJECT_EXPECTED"),
        ({"and": []}, "filter.and", "ARRAY_SIZE_LESS_THAN_MIN"),
        ({"or": {"x": 1}}, "filter.or", "ARRAY_EXPECTED"),
        ({"and": [cond("profile", "country", "EQ", "RU")], "or": []}, "filter", "MAX_ONE_PROPERTY_ALLOWED"),
        (
            {"and": [{"or": [cond("profile", "languages", "GT", "EN")]}]},
            "filter.and.0.or.0.operator",
            "VALUE_NOT_ALLOWED",
        ),
        (cond("profile", "languages", "IN", "english"), "filter.value", "INVALID_VALUE"),
        (cond("profile", "country", "EQ", "Russia"), "filter.value", "INVALID_VALUE"),
        (cond("profile", "gender", "EQ", "OTHER"), "filter.value", "INVALID_VALUE"),
        (cond("profile", "adult_allowed", "EQ", "yes"), "filter.value", "INVALID_VALUE"),
        (cond("profile", "date_of_birth", "GT", 1.5), "filter.value", "INVALID_VALUE"),
        (cond("profile", "shoe_size", "EQ", 42), "filter.key", "UNKNOWN_ENUM_VALUE"),
        (cond("mood", "happy", "EQ", True), "filter.category", "UNKNOWN_ENUM_VALUE"),
        (cond("skill", "abc", "EQ", 1), "filter.key", "INVALID_VALUE"),
        (cond("skill", "12", "GT", 101), "filter.value", "INVALID_VALUE"),
        (cond("skill", "12", "GT", None), "filter.value", "INVALID_VALUE"),
        ({"category": "profile", "key": "country", "value": "RU"}, "filter.operator", "VALUE_REQUIRED"),
        ({**cond("profile", "country", "EQ", "RU"), "weight": 1}, "filter.weight", "VALUE_NOT_ALLOWED"),
        (cond("computed", "device_category", "EQ", "TOASTER"), "filter.value", "INVALID_VALUE"),
        (cond("profile", "gender", "EQ", ["MALE"]), "filter.value", "INVALID_VALUE"),
        (cond("computed", "user_agent_family", "EQ", {"CHROME": 1}), "filter.value", "INVALID_VALUE"),
        (cond("skill", "1" * 19, "EQ", 1), "filter.key", "INVALID_VALUE"),
        ({**cond("skill", "12", "EQ", 1), "key": 12}, "filter.key", "INVALID_VALUE"),
    ],
)
def test_mistakes_are_named(tree: Any, path: str, code: str) -> None:
    assert problems_of(tree).get(path) == code, problems_of(tree)


def test_depth_and_size_are_bounded() -> None:
    deep: Any = cond("profile", "verified", "EQ", True)
    for _ in range(12):
        deep = {"and": [deep]}
    assert "VALUE_OUT_OF_BOUNDS" in problems_of(deep).values()
    wide = {"or": [cond("profile", "city", "IN", n) for n in range(1001)]}
    assert problems_of(wide) == {"filter.or.1000": "VALUE_OUT_OF_BOUNDS"}


def test_every_problem_of_a_tree_is_reported() -> None:
    tree = {"and": [cond("profile", "country", "EQ", "xx"), cond("computed", "os_family", "IN", "LINUX")]}
    assert problems_of(tree) == {
        "filter.and.0.value": "INVALID_VALUE",
        "filter.and.1.operator": "VALUE_NOT_ALLOWED",
    }


FACTS = {
    ("profile", "country"): "RU",
    ("profile", "languages"): ["EN", "RU"],
    ("profile", "adult_allowed"): False,
    ("profile", "date_of_birth"): 641520000,
    ("computed", "client_type"): "BROWSER",
    ("skill", "7"): 82.5,
}


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        (None, True),
        (cond("profile", "languages", "IN", "EN"), True),
        (cond("profile", "languages", "IN", "DE"), False),
        (cond("profile", "languages", "NOT_IN", "DE"), True),
        (cond("profile", "country", "NE", "RU"), False),
        (cond("profile", "adult_allowed", "EQ", False), True),
        (cond("profile", "date_of_birth", "LT", 946684800), True),
        (cond("computed", "client_type", "EQ", "TOLOKA_APP"), False),
        (cond("skill", "7", "GTE", 80), True),
        (cond("skill", "7", "EQ", None), False),
        (cond("skill", "8", "EQ", None), True),
        (cond("skill", "8", "NE", None), False),
        (cond("skill", "8", "GT", 10), False),
        (cond("profile", "gender", "EQ", "FEMALE"), False),
        (cond("profile", "gender", "NE", "FEMALE"), True),
        (cond("profile", "city", "NOT_IN", 225), True),
        (
            {
                "and": [
                    {
                        "or": [
                            cond("profile", "languages", "IN", "DE"),
                            cond("profile", "country", "EQ", "RU"),
                        ]
                    },
                    cond("skill", "7", "LT", 90),
                ]
            },
            True,
        ),
        (
            {"and": [cond("profile", "languages", "IN", "EN"), cond("profile", "languages", "IN", "FR")]},
            False,
        ),
    ],
)
def test_matching_a_worker(tree: Any, expected: bool) -> None:
    assert problems_of(tree) == {} or tree is None
    assert matches(tree, FACTS) is expected


SAMPLES: dict[str, tuple[Any, Any]] = {
    "country": ("DE", "DE"),
    "citizenship": ("DE", "DE"),
    "adult_allowed": (True, True),
    "date_of_birth": ("2000-01-01", 946684800),
    "city": (213, 213),
    "languages": (["EN", "ZH-HANS"], "ZH-HANS"),
    "verified": (True, True),
    "region_by_phone": (225, 225),
    "region_by_ip": (10000, 10000),
    "os_version": (14.4, 14.4),
    "os_version_major": (14, 14),
    "os_version_minor": (4, 4),
    "os_version_bugfix": (1, 1),
    "user_agent_version": (120.0, 120.0),
    "user_agent_version_major": (120, 120),
    "user_agent_version_minor": (0, 0),
    "user_agent_version_bugfix": (6099, 6099),
}
"""Key -> (what a profile holds, a filter value it matches), for keys that are not enumerations."""

ENUMERATED = {
    (category, key): spec.value
    for category, keys in CATEGORIES.items()
    for key, spec in keys.items()
    if isinstance(spec.value, OneOf)
}
HELD = [
    (category, key, value, value) for (category, key), check in ENUMERATED.items() for value in check.values
] + [
    (category, key, *SAMPLES[key])
    for category, keys in CATEGORIES.items()
    for key in keys
    if (category, key) not in ENUMERATED and key in SAMPLES
]


def test_every_key_but_enumerations_has_a_sample() -> None:
    keys = {key for category, keys in CATEGORIES.items() for key in keys if (category, key) not in ENUMERATED}
    assert set(SAMPLES) == keys


def test_profile_fields_are_the_filter_keys() -> None:
    profile, computed = set(CATEGORIES["profile"]), set(CATEGORIES["computed"])
    assert not profile & computed
    assert set(WorkerProfile.model_fields) == profile | computed


@pytest.mark.parametrize(("category", "key", "held", "value"), HELD)
def test_every_filter_value_can_be_held_by_a_worker(category: str, key: str, held: Any, value: Any) -> None:
    operator = "EQ" if "EQ" in CATEGORIES[category][key].operators else "IN"
    condition = cond(category, key, operator, value)
    assert problems_of(condition) == {}
    worker = Worker(1, "w", WorkerProfile.model_validate({key: held}).wire())
    assert matches(condition, worker.facts({}))


def test_a_skill_condition_can_be_held_by_a_worker() -> None:
    condition = cond("skill", "42", "EQ", 75)
    assert problems_of(condition) == {}
    assert matches(condition, Worker(1, "w", WorkerProfile().wire()).facts({42: 75}))


def _literal_values(annotation: Any) -> set[Any]:
    """The values of `Literal[...]` or `Literal[...] | None`."""
    args = get_args(annotation)
    return {value for arg in args for value in get_args(arg)} if type(None) in args else set(args)


@pytest.mark.parametrize(("category", "key"), ENUMERATED)
def test_enumerated_keys_have_the_profile_vocabulary(category: str, key: str) -> None:
    held = _literal_values(WorkerProfile.model_fields[key].annotation)
    assert held == set(ENUMERATED[category, key].values)
    with pytest.raises(ValidationError):
        WorkerProfile.model_validate({key: "SOMETHING_ELSE"})
