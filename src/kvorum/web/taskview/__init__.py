"""Renders a project's task view for a suite of tasks, as the worker sees it.

`draw_suite` draws each task in its own `<section class="kv-task" data-task-index="i">`: the
template-builder config, the classic markup followed by the automatic form, or the automatic form
alone. Every control carries `data-output="<field>"`; /static/taskview.js reads them into the
hidden `solutions` input on submit and evaluates what depends on the worker's answers. It also
says what it could not do: the notices a requester's preview lists.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from kvorum.web.taskview.autoform import render_form
from kvorum.web.taskview.builder import parse_config, render_task
from kvorum.web.taskview.classic import SCRIPT_NOTICE, has_script, render_markup, script_notice
from kvorum.web.taskview.expressions import Unsupported
from kvorum.web.taskview.form import TaskForm, new_forms
from kvorum.web.taskview.html import element, join, json_island, unsupported_text

__all__ = ["Suite", "TaskView", "draw_suite", "has_script", "script_notice"]


@dataclass(frozen=True)
class TaskView:
    """One task of the suite: its input values and, after a training task, its hint."""

    input_values: Mapping[str, Any]
    hint: str | None = None


def _section(form: TaskForm, task: TaskView, body: Markup, config: Mapping[str, Any]) -> Markup:
    leftover = form.unshown_errors()
    errors = (
        element(
            "div",
            {"class": "kv-task-errors", "role": "alert"},
            join(element("p", {"class": "kv-error"}, f"{path}: {message}") for path, message in leftover),
        )
        if leftover
        else Markup()
    )
    hint = (
        element(
            "aside", {"class": "kv-task-hint", "role": "note"}, element("strong", {}, "Hint: "), task.hint
        )
        if task.hint
        else Markup()
    )
    return element(
        "section",
        {
            "class": "kv-task",
            "data-task-index": form.index,
            "aria-label": f"Task {form.index + 1}",
            "tabindex": "-1",
        },
        errors,
        body,
        hint,
        json_island(config, "kv-task-config"),
    )


Draw = Callable[[TaskForm, Mapping[str, Any]], tuple[Markup, dict[str, Any]]]
"""Draws one task (its form, its input values): the HTML and the configuration for taskview.js."""


def _drawer(view: Mapping[str, Any], output_spec: Mapping[str, Any]) -> Draw:
    """How this project's tasks are drawn, decided (and a config parsed) once per suite."""
    if view.get("type") == "tb":
        try:
            config = parse_config(view)
        except Unsupported as problem:
            kind = problem.kind
            return lambda form, inputs: (form.cannot_draw(kind) + render_form(form, output_spec), {})
        return lambda form, inputs: render_task(config, form, inputs, output_spec)
    if view.get("type") == "classic" and view.get("markup"):
        markup = str(view["markup"])
        return lambda form, inputs: (render_markup(markup, inputs) + render_form(form, output_spec), {})
    return lambda form, inputs: (render_form(form, output_spec), {})


@dataclass(frozen=True)
class Suite:
    html: Markup
    notices: tuple[str, ...]
    """What the renderer could not do: each unsupported component once, in page order, then the
    notice of a classic script that is not run."""


def draw_suite(
    project_task_spec: Mapping[str, Any],
    tasks: Sequence[TaskView],
    *,
    errors: Mapping[tuple[int, str], str] | None = None,
    values: Sequence[Mapping[str, Any]] | None = None,
) -> Suite:
    """Every task of the suite; `errors` by (task index, output field), `values` as submitted."""
    forms = new_forms(len(tasks), values, errors)
    draw = _drawer(project_task_spec.get("view_spec") or {}, project_task_spec.get("output_spec") or {})
    sections = []
    for form, task in zip(forms, tasks, strict=True):
        body, browser = draw(form, task.input_values)
        sections.append(_section(form, task, body, browser))
    undrawn = dict.fromkeys(unsupported_text(kind) for form in forms for kind in form.undrawn)
    script = (SCRIPT_NOTICE,) if has_script(project_task_spec) else ()
    return Suite(join(sections), (*undrawn, *script))
