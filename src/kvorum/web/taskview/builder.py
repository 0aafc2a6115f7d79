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
from kvorum.web.taskview.html import join, notice


def parse_config(view_spec: Mapping[str, Any]) -> dict[str, Any] | None:
    """The config with its `$ref`s resolved, or None when it is not a JSON object with a view."""
    try:
        config = json.loads(str(view_spec.get("config") or ""))
    except ValueError:
        return None
    if not isinstance(config, dict) or "view" not in config:
        return None
    variables = config.get("vars")
    try:
        resolved = resolve_refs(config, variables if isinstance(variables, dict) else {})
    except Unsupported:
        return None
    return resolved if isinstance(resolved, dict) else None


def _plugins(plugins: Any, scope: Scope, browser: dict[str, Any]) -> list[Markup]:
    notices = []
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
            notices.append(notice(f"Unsupported component: {kind}", "kv-notice kv-unsupported"))
    return notices


def render_task(
    config: Mapping[str, Any],
    form: TaskForm,
    input_values: Mapping[str, Any],
    output_spec: Mapping[str, Any],
) -> tuple[Markup, dict[str, Any]]:
    """One task's HTML and the configuration taskview.js reads for it."""
    drawing = Drawing(Scope(input=input_values, output=form.values), form, output_spec)
    body = render(config.get("view"), drawing)
    browser: dict[str, Any] = {}
    notices = _plugins(config.get("plugins"), drawing.scope, browser)
    browser["exprs"] = drawing.exprs
    return join(notices) + body, browser
