"""A template-builder (`tb`) view: its config parsed once per suite, drawn per task.

The plugins become the task's browser-side configuration: `plugin.hotkeys` bindings,
`plugin.trigger` rules and the `plugin.toloka` task width, next to the expressions the drawing
registered (see components.Drawing).
"""

import json
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from kvorum.web.taskview.components import Drawing, render
from kvorum.web.taskview.expressions import Scope, Unsupported, freeze, resolve_refs
from kvorum.web.taskview.form import TaskForm
from kvorum.web.taskview.html import join

MAX_DEPTH = 200
"""JSON nesting a config may have (about a hundred components deep), so drawing it stays well
within Python's recursion limit."""
NOT_A_CONFIG = "a template-builder config that is not a JSON object with a view"
TOO_DEEP = "a template-builder config nested too deeply"


def _depth(node: Any) -> int:
    """How deeply `node` nests, counted without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                children = current.values() if isinstance(current, dict) else current
                stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_config(view_spec: Mapping[str, Any]) -> dict[str, Any]:
    """The config with its `$ref`s resolved; Unsupported when it cannot be drawn at all."""
    try:
        config = json.loads(str(view_spec.get("config") or ""))
    except RecursionError as exc:
        raise Unsupported(TOO_DEEP) from exc
    except ValueError as exc:
        raise Unsupported(NOT_A_CONFIG) from exc
    if not isinstance(config, dict) or "view" not in config:
        raise Unsupported(NOT_A_CONFIG)
    if _depth(config) > MAX_DEPTH:
        raise Unsupported(TOO_DEEP)
    variables = config.get("vars")
    resolved = resolve_refs(config, variables if isinstance(variables, dict) else {})
    if _depth(resolved) > MAX_DEPTH:
        raise Unsupported(TOO_DEEP)
    return dict(resolved)


def _plugins(plugins: Any, drawing: Drawing, browser: dict[str, Any]) -> list[Markup]:
    notices, scope = [], drawing.scope
    for plugin in plugins if isinstance(plugins, list) else []:
        kind = plugin.get("type") if isinstance(plugin, dict) else None
        if kind == "plugin.hotkeys":
            keys = {key: freeze(action, scope) for key, action in plugin.items() if key != "type"}
            browser.setdefault("hotkeys", {}).update(keys)
        elif kind == "plugin.trigger":
            rule = {name: freeze(plugin.get(name), scope) for name in ("onChangeOf", "condition", "action")}
            rule["fireImmediately"] = plugin.get("fireImmediately") is True
            browser.setdefault("triggers", []).append(rule)
        elif kind == "plugin.toloka":
            layout = plugin.get("layout") if isinstance(plugin.get("layout"), dict) else {}
            width = layout.get("taskWidth")
            if isinstance(width, int | float) and not isinstance(width, bool) and width > 0:
                browser["taskWidth"] = width
            if layout.get("kind") == "pager":
                browser["pager"] = True
        else:
            notices.append(drawing.form.cannot_draw(str(kind)))
    return notices


def render_task(
    config: Mapping[str, Any],
    form: TaskForm,
    input_values: Mapping[str, Any],
    output_spec: Mapping[str, Any],
) -> tuple[Markup, dict[str, Any]]:
    """One task's HTML and the configuration taskview.js reads for it."""
    drawing = Drawing(Scope(input=input_values, output=form.values), form, output_spec)
    browser: dict[str, Any] = {}
    notices = _plugins(config.get("plugins"), drawing, browser)
    try:
        body = render(config.get("view"), drawing)
    except RecursionError:
        body = form.cannot_draw(TOO_DEEP)
    browser["exprs"] = drawing.exprs
    return join(notices) + body, browser
