"""The automatic form: one control per output field, chosen from the field's spec.

Used when a project has no view the renderer can draw, and after classic markup (whose inputs
cannot be read reliably).
"""

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from kvorum.web.taskview.form import (
    Binding,
    Option,
    TaskForm,
    checkbox_field,
    choice_field,
    encode,
    input_field,
    textarea_field,
)
from kvorum.web.taskview.html import element, join


def _control(form: TaskForm, name: str, spec: Mapping[str, Any]) -> Markup:
    binding = Binding("output", name)
    field_type = str(spec.get("type", "json"))
    required = bool(spec.get("required", True))
    allowed = spec.get("allowed_values")
    if allowed and not field_type.startswith("array_"):
        options = [Option(value, value if isinstance(value, str) else encode(value)) for value in allowed]
        return choice_field(form, binding, name, options, required=required)
    if field_type == "boolean":
        return checkbox_field(form, binding, name)
    if field_type in ("integer", "float"):
        limits = {"min": spec.get("min_value"), "max": spec.get("max_value")}
        step = {"step": "1" if field_type == "integer" else "any"}
        return input_field(
            form, binding, name, input_type="number", kind=field_type, required=required, extra=limits | step
        )
    if field_type == "string" or field_type in ("url", "file", "coordinates"):
        return input_field(
            form,
            binding,
            name,
            input_type="url" if field_type == "url" else "text",
            required=required,
            extra={"maxlength": spec.get("max_length")},
        )
    hint = "A JSON array" if field_type.startswith("array_") else "A JSON object"
    return textarea_field(form, binding, name, kind="json", hint=hint, rows=3, required=required)


def render_form(form: TaskForm, output_spec: Mapping[str, Mapping[str, Any]]) -> Markup:
    """Every output field of the spec, in the spec's order."""
    return element(
        "div",
        {"class": "kv-autoform"},
        join(_control(form, name, spec) for name, spec in output_spec.items()),
    )
