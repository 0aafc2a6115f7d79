"""Overlap rules shared by tasks and suites: how many workers get one, at creation and on change."""

from collections.abc import Mapping
from typing import Any

from kvorum.schemas import task as schema
from kvorum.services.errors import Problems
from kvorum.services.tasks.bodies import validated_body
from kvorum.services.tasks.values import Errors

Overlap = tuple[int | None, bool]
"""(overlap, infinite_overlap): overlap is None when infinite."""


def resolve_overlap(
    sent: Mapping[str, Any],
    default: int | None,
    *,
    always_shown: bool,
    allow_defaults: bool,
    errors: Errors,
) -> Overlap:
    """The overlap of a new task or suite.

    Control and training objects without an overlap get infinite overlap: they are meant to be
    shown to every worker the mixer picks.
    """
    overlap, infinite = sent.get("overlap"), sent.get("infinite_overlap")
    if infinite:
        if overlap is not None:
            errors["overlap"] = {
                "code": "VALUE_NOT_ALLOWED",
                "message": "overlap does not go with infinite_overlap",
            }
        return None, True
    if overlap is not None:
        return overlap, False
    if always_shown:
        return None, True
    if allow_defaults and default is not None:
        return default, False
    errors["overlap"] = {
        "code": "VALUE_REQUIRED",
        "message": "overlap is required unless allow_defaults=true with a pool default, or infinite_overlap",
    }
    return None, False


def overlap_values(patch: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """Column values for an overlap change; infinite_overlap and overlap exclude each other."""
    if patch.get("infinite_overlap"):
        if patch.get("overlap") is not None:
            problems.add("overlap", "VALUE_NOT_ALLOWED", "overlap does not go with infinite_overlap")
        return {"overlap": None, "infinite_overlap": True}
    if patch.get("overlap") is not None:
        return {"overlap": patch["overlap"], "infinite_overlap": False}
    if "infinite_overlap" in patch:
        problems.add("overlap", "VALUE_REQUIRED", "overlap is required with infinite_overlap false")
    return {}


def overlap_change(raw: bytes) -> dict[str, Any]:
    """The column values a set-overlap-or-min body asks for."""
    problems = Problems()
    values = overlap_values(validated_body(schema.OVERLAP_PATCH, raw), problems)
    if not values:
        problems.add("overlap", "VALUE_REQUIRED", "send overlap or infinite_overlap: true")
    problems.raise_if_any()
    return values
