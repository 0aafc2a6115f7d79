"""The controls of one task and what they need: unique ids, prefilled values, error messages.

Every control carries `data-<source>="<path>"` (source `output` for answers, `internal` or
`local` for template-builder scratch values) and `data-kv-kind`, which tells taskview.js how to
read its value: `text`, `integer`, `float`, `json` (parsed), `boolean`, `choice` (each option's
`value` is the JSON of the option value), `choices` (an object of booleans by option) and `list`.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from markupsafe import Markup

from kvorum.web.taskview.expressions import path_value
from kvorum.web.taskview.html import element, join, unsupported


@dataclass(frozen=True)
class Binding:
    """Where a control's value goes: an output field, or template-builder internal/local data."""

    source: str
    path: str

    @property
    def attr(self) -> dict[str, str]:
        return {f"data-{self.source}": self.path}


@dataclass(frozen=True)
class Option:
    value: Any
    label: str
    hint: str | None = None


@dataclass
class TaskForm:
    """One task's rendering state; `ids` is shared by the suite so that ids are unique on the page."""

    index: int
    ids: Iterator[int]
    values: Mapping[str, Any]
    errors: Mapping[str, str]
    shown_errors: set[str] = field(default_factory=set)
    relative: Any = None
    """The item of a `field.list` being drawn: what `data.relative` controls show."""
    undrawn: list[str] = field(default_factory=list)
    """The kinds of what could not be drawn, in the order the page shows their notices."""

    def new_id(self) -> str:
        return f"kv-t{self.index}-c{next(self.ids)}"

    def value(self, binding: Binding) -> Any:
        if binding.source == "output":
            return self.values.get(binding.path)
        if binding.source == "relative":
            return path_value(self.relative, binding.path)
        return None

    def error(self, binding: Binding) -> str | None:
        """The message for this output field, once per task (the first control bound to it shows it)."""
        if binding.source != "output" or binding.path in self.shown_errors:
            return None
        message = self.errors.get(binding.path)
        if message is not None:
            self.shown_errors.add(binding.path)
        return message

    def cannot_draw(self, kind: str) -> Markup:
        """The notice that stands in for a component (or config) the renderer cannot draw."""
        self.undrawn.append(kind)
        return unsupported(kind)

    def unshown_errors(self) -> list[tuple[str, str]]:
        return [(path, message) for path, message in self.errors.items() if path not in self.shown_errors]


def _values_of(values: Sequence[Mapping[str, Any]] | None, index: int) -> Mapping[str, Any]:
    given = values[index] if values is not None and index < len(values) else None
    return given if isinstance(given, Mapping) else {}


def new_forms(
    count_of_tasks: int,
    values: Sequence[Mapping[str, Any]] | None,
    errors: Mapping[tuple[int, str], str] | None,
) -> list[TaskForm]:
    """One TaskForm per task, with the submitted values and the errors that belong to it."""
    ids = count()
    by_task: dict[int, dict[str, str]] = {}
    for (index, path), message in (errors or {}).items():
        by_task.setdefault(index, {})[path] = message
    return [
        TaskForm(
            index=index,
            ids=ids,
            values=_values_of(values, index),
            errors=by_task.get(index, {}),
        )
        for index in range(count_of_tasks)
    ]


def encode(value: Any) -> str:
    """An option value as the control's `value` attribute: its JSON, so types survive the trip."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _same(current: Any, option_value: Any) -> bool:
    return current is not None and encode(current) == encode(option_value)


def _field(
    form: TaskForm,
    binding: Binding,
    control_id: str,
    label: str | Markup,
    control: Markup,
    hint: str | None,
    *,
    grouped: bool = False,
) -> Markup:
    """The frame of one field: label (a legend for a group), control, hint and error message."""
    message = form.error(binding)
    hint_el = element("p", {"class": "kv-hint", "id": f"{control_id}-hint"}, hint) if hint else Markup()
    error_el = (
        element("p", {"class": "kv-error", "id": f"{control_id}-error", "role": "alert"}, message)
        if message
        else Markup()
    )
    attrs = {"class": "kv-field" + (" kv-invalid" if message else ""), "data-kv-field": binding.path}
    if grouped:
        return element("fieldset", attrs, element("legend", {}, label), control, hint_el, error_el)
    return element("div", attrs, label, control, hint_el, error_el)


def _described(form: TaskForm, binding: Binding, control_id: str, hint: str | None) -> dict[str, Any]:
    refs = [f"{control_id}-hint"] if hint else []
    invalid = binding.source == "output" and binding.path in form.errors
    if invalid:
        refs.append(f"{control_id}-error")
    return {"aria-describedby": " ".join(refs) or None, "aria-invalid": "true" if invalid else None}


def _label_text(label: str | None, binding: Binding) -> str:
    return label if label else binding.path


def input_field(
    form: TaskForm,
    binding: Binding,
    label: str | None,
    *,
    input_type: str = "text",
    kind: str = "text",
    hint: str | None = None,
    placeholder: str | None = None,
    required: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> Markup:
    """A one-line input: text, email, date, url or number."""
    control_id = form.new_id()
    current = form.value(binding)
    shown = current if isinstance(current, str) else (None if current is None else encode(current))
    control = element(
        "input",
        {
            "type": input_type,
            "id": control_id,
            "name": control_id,
            "value": shown,
            "placeholder": placeholder,
            "aria-required": "true" if required else None,
            "data-kv-kind": kind,
            **binding.attr,
            **_described(form, binding, control_id, hint),
            **(extra or {}),
        },
    )
    label_el = element("label", {"for": control_id}, _label_text(label, binding))
    return _field(form, binding, control_id, label_el, control, hint)


def textarea_field(
    form: TaskForm,
    binding: Binding,
    label: str | None,
    *,
    kind: str = "text",
    hint: str | None = None,
    placeholder: str | None = None,
    rows: int | None = None,
    required: bool = False,
) -> Markup:
    """A multi-line input; kind `json` holds a JSON value the worker types."""
    control_id = form.new_id()
    current = form.value(binding)
    shown = (
        "" if current is None else current if isinstance(current, str) and kind == "text" else encode(current)
    )
    control = element(
        "textarea",
        {
            "id": control_id,
            "name": control_id,
            "rows": rows,
            "placeholder": placeholder,
            "aria-required": "true" if required else None,
            "data-kv-kind": kind,
            **binding.attr,
            **_described(form, binding, control_id, hint),
        },
        shown,
    )
    label_el = element("label", {"for": control_id}, _label_text(label, binding))
    return _field(form, binding, control_id, label_el, control, hint)


def checkbox_field(form: TaskForm, binding: Binding, label: str | None, *, hint: str | None = None) -> Markup:
    """One checkbox: true when checked, false otherwise."""
    control_id = form.new_id()
    control = element(
        "input",
        {
            "type": "checkbox",
            "id": control_id,
            "name": control_id,
            "checked": form.value(binding) is True,
            "data-kv-kind": "boolean",
            **binding.attr,
            **_described(form, binding, control_id, hint),
        },
    )
    label_el = element(
        "label", {"for": control_id, "class": "kv-check"}, control, " ", _label_text(label, binding)
    )
    return _field(form, binding, control_id, Markup(), label_el, hint)


def choice_field(
    form: TaskForm,
    binding: Binding,
    label: str | None,
    options: Sequence[Option],
    *,
    hint: str | None = None,
    buttons: bool = False,
    required: bool = False,
    group_name: str | None = None,
) -> Markup:
    """Radio options in a fieldset, each labelled by its own label; `buttons` draws them as buttons."""
    group_id = form.new_id()
    current = form.value(binding)
    items = []
    for position, option in enumerate(options):
        option_id = f"{group_id}-o{position}"
        radio = element(
            "input",
            {
                "type": "radio",
                "id": option_id,
                "name": group_name or group_id,
                "value": encode(option.value),
                "checked": _same(current, option.value),
                "data-kv-kind": "choice",
                "data-kv-key": str(position + 1) if position < 9 else None,
                **binding.attr,
            },
        )
        option_hint = element("span", {"class": "kv-hint"}, option.hint) if option.hint else Markup()
        items.append(
            element("label", {"for": option_id, "class": "kv-option"}, radio, " ", option.label, option_hint)
        )
    group = element(
        "div",
        {
            "class": "kv-options kv-buttons" if buttons else "kv-options",
            "role": "radiogroup",
            "aria-required": "true" if required else None,
            **_described(form, binding, group_id, hint),
        },
        join(items),
    )
    return _field(form, binding, group_id, _label_text(label, binding), group, hint, grouped=True)


def checkbox_group_field(
    form: TaskForm, binding: Binding, label: str | None, options: Sequence[Option], *, hint: str | None = None
) -> Markup:
    """Checkboxes whose value is an object: option value -> checked."""
    group_id = form.new_id()
    current = form.value(binding)
    checked = current if isinstance(current, dict) else {}
    items = []
    for position, option in enumerate(options):
        option_id = f"{group_id}-o{position}"
        box = element(
            "input",
            {
                "type": "checkbox",
                "id": option_id,
                "name": option_id,
                "value": str(option.value),
                "checked": checked.get(str(option.value)) is True,
                "data-kv-kind": "choices",
                "data-kv-key": str(position + 1) if position < 9 else None,
                **binding.attr,
            },
        )
        items.append(element("label", {"for": option_id, "class": "kv-option"}, box, " ", option.label))
    group = element("div", {"class": "kv-options", "role": "group"}, join(items))
    return _field(form, binding, group_id, _label_text(label, binding), group, hint, grouped=True)


def select_field(
    form: TaskForm,
    binding: Binding,
    label: str | None,
    options: Sequence[Option],
    *,
    hint: str | None = None,
    placeholder: str | None = None,
) -> Markup:
    """A drop-down list; the empty first entry leaves the field unanswered."""
    control_id = form.new_id()
    current = form.value(binding)
    entries = [element("option", {"value": ""}, placeholder or "")]
    entries += [
        element(
            "option",
            {
                "value": encode(option.value),
                "selected": current is not None and encode(current) == encode(option.value),
            },
            option.label,
        )
        for option in options
    ]
    control = element(
        "select",
        {
            "id": control_id,
            "name": control_id,
            "data-kv-kind": "choice",
            **binding.attr,
            **_described(form, binding, control_id, hint),
        },
        join(entries),
    )
    label_el = element("label", {"for": control_id}, _label_text(label, binding))
    return _field(form, binding, control_id, label_el, control, hint)
