"""Classic view specs: the requester's markup with `{{field}}` / `{{input.field}}` filled in.

Values are escaped before they go in and the result passes the allow-list sanitizer, so neither
an input value nor the markup can carry a script. `{{img src=input.field}}` draws the image; any
other handlebars expression (`{{field type=...}}`, `{{#if}}`) is dropped, and the requester's
`script` and `styles` are never used: the automatic form follows the markup for the answers.
"""

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from kvorum.web.sanitize import sanitize_html
from kvorum.web.taskview.expressions import as_text
from kvorum.web.taskview.html import notice

_MUSTACHE = re.compile(r"\{\{\{?\s*([^{}]*?)\s*\}?\}\}")
_VALUE = re.compile(r"(?:input\.)?([A-Za-z0-9_-]+)")
_IMG = re.compile(r"img\s+src=(?:input\.)?([A-Za-z0-9_-]+)(?:\s.*)?")

SCRIPT_NOTICE = "This project's script is not run in kvorum: workers see the markup and the answer form only."


def has_script(task_spec: Mapping[str, Any]) -> bool:
    """Whether the view is classic with a non-blank script, which kvorum never runs."""
    view = task_spec.get("view_spec") or {}
    return view.get("type") == "classic" and bool(str(view.get("script") or "").strip())


def script_notice(task_spec: Mapping[str, Any]) -> Markup:
    """The notice a requester preview shows when the project's script is ignored; empty otherwise."""
    return notice(SCRIPT_NOTICE, "kv-notice kv-script-notice") if has_script(task_spec) else Markup()


def render_markup(markup: str, input_values: Mapping[str, Any]) -> Markup:
    """The markup with input values substituted (escaped), then sanitized."""

    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1)
        image = _IMG.fullmatch(expression)
        if image is not None:
            return f'<img src="{escape(as_text(input_values.get(image.group(1))))}" alt="">'
        name = _VALUE.fullmatch(expression)
        return str(escape(as_text(input_values.get(name.group(1))))) if name is not None else ""

    return sanitize_html(_MUSTACHE.sub(substitute, markup))
