"""The filter language: valid trees pass, each kind of mistake is named at its path."""

from typing import Any

import pytest

from kvorum.services.errors import Problems
from kvorum.services.workforce.filters import check_filter, matches


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
