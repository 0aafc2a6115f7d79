"""Building HTML from Python: every text and attribute value is escaped on the way in."""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

Attrs = Mapping[str, str | int | float | bool | None]
"""Attribute names are the renderer's own; values are escaped. None and False leave one out."""

VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})


def _escape(text: str) -> str:
    """markupsafe's escaping, as plain str (one Markup per element, not one per fragment, is
    what keeps a ten-task page within its time budget)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def _child(child: str | Markup) -> str:
    return child if isinstance(child, Markup) else _escape(str(child))


def element(name: str, attrs: Attrs | None = None, *children: str | Markup) -> Markup:
    """`<name attrs>children</name>`; plain-string children are escaped, Markup is kept."""
    parts = ["<", name]
    for key, value in (attrs or {}).items():
        if value is True:
            parts += (" ", key)
        elif value is not None and value is not False:
            parts += (" ", key, '="', _escape(str(value)), '"')
    parts.append(">")
    if name not in VOID:
        parts += [_child(child) for child in children]
        parts += ("</", name, ">")
    return Markup("".join(parts))


def join(children: Iterable[str | Markup]) -> Markup:
    return Markup("".join(_child(child) for child in children))


def json_island(data: Any, css_class: str) -> Markup:
    """A `<script type="application/json">` block: data for the page's script, never executed.

    `<`, `>` and `&` are written as JSON escapes, so no value can close the element early.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(f'<script type="application/json" class="{escape(css_class)}">{text}</script>')


def notice(text: str, css_class: str = "kv-notice") -> Markup:
    """A visible note in the task (an unsupported component, a script that is not run)."""
    return element("p", {"class": css_class, "role": "note"}, text)


def unsupported_text(kind: str) -> str:
    return f"Unsupported component: {kind}"


def unsupported(kind: str) -> Markup:
    """The notice that stands in for a component (or config) the renderer cannot draw."""
    return notice(unsupported_text(kind), "kv-notice kv-unsupported")
