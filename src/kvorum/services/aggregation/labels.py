"""From output values to labels: the canonical label of an answer, and how many labels a spec allows."""

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

FINITE_TYPES = ("boolean", "string", "integer")


def canonical_label(values: Sequence[Any]) -> str:
    """The label of an answer: its values for the requested fields, in field order, as canonical JSON."""
    return json.dumps(list(values), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def label_of(output_values: Mapping[str, Any], fields: Sequence[str]) -> str | None:
    """The canonical label of one solution, or None when it lacks a requested field (it does not count)."""
    if any(field not in output_values for field in fields):
        return None
    return canonical_label([output_values[field] for field in fields])


def spec_label_count(output_spec: Mapping[str, Mapping[str, Any]], fields: Sequence[str]) -> int | None:
    """K from the project's output_spec: the product of each field's value count, if all are finite.

    A boolean has 2 values (or its allowed_values); a string or integer has its allowed_values;
    any other field, or one without a finite set, makes K unknown (None: count the labels seen).
    """
    counts: list[int] = []
    for field in fields:
        spec = output_spec.get(field) or {}
        allowed = spec.get("allowed_values")
        if spec.get("type") not in FINITE_TYPES:
            return None
        if allowed is not None:
            counts.append(len(allowed))
        elif spec.get("type") == "boolean":
            counts.append(2)
        else:
            return None
    return math.prod(counts) if counts else None
