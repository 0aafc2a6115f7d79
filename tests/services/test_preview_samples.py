"""The sample inputs of a requester's preview: one value of each field's type, within its spec."""

from typing import Any

import pytest

from kvorum.services.projects.preview import sample_value
from kvorum.services.tasks.values import Errors, ValuesChecker

FIELDS: dict[str, tuple[dict[str, Any], Any]] = {
    "string": ({"type": "string"}, "Sample text"),
    "short string": ({"type": "string", "max_length": 4}, "Samp"),
    "long string": ({"type": "string", "min_length": 20}, "Sample textxxxxxxxxx"),
    "choice": ({"type": "string", "allowed_values": ["b", "a"]}, "b"),
    "url": ({"type": "url"}, "https://example.com/sample.png"),
    "integer": ({"type": "integer"}, 1),
    "bounded integer": ({"type": "integer", "min_value": 5, "max_value": 9}, 5),
    "integer under a maximum": ({"type": "integer", "max_value": -2}, -2),
    "float": ({"type": "float"}, 0.5),
    "boolean": ({"type": "boolean"}, True),
    "coordinates": ({"type": "coordinates"}, "55.7558,37.6173"),
    "file": ({"type": "file"}, "sample-file"),
    "json": ({"type": "json"}, {"sample": "value"}),
    "array": ({"type": "array_url", "min_size": 2}, ["https://example.com/sample.png"] * 2),
    "array of choices": ({"type": "array_integer", "allowed_values": [7, 8]}, [7]),
}


@pytest.mark.parametrize("name", FIELDS)
def test_a_sample_value_has_the_fields_type_and_fits_its_spec(name: str) -> None:
    spec, expected = FIELDS[name]
    value = sample_value(spec)
    assert value == expected
    errors: Errors = {}
    ValuesChecker({"field": spec}).check({"field": value}, "input_values", errors)
    assert errors == {}
