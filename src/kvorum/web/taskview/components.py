"""Template-builder components (view.*, layout.*, field.*) drawn as HTML.

Each renderer takes the component's JSON and the task's `Drawing`. Values known on the server
are settled here; a `helper.if` / `helper.switch` whose condition reads the worker's answers
draws every branch, each marked with the browser-side expression that shows it, and a
`view.text` of such a value is refreshed by taskview.js. Components come from the config only:
a value read from data is always drawn as text. A type this module does not know is drawn as a
notice naming it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from kvorum.web.sanitize import sanitize_html
from kvorum.web.taskview import form as controls
from kvorum.web.taskview.expressions import (
    Scope,
    Unsupported,
    as_text,
    evaluate,
    freeze,
    is_stateful,
    with_own,
)
from kvorum.web.taskview.form import Binding, Option, TaskForm
from kvorum.web.taskview.html import element, join, notice

_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_WEB = ("https://", "http://")


@dataclass
class Drawing:
    """One task being drawn: what expressions read, its controls, and what goes to the browser."""

    scope: Scope
    form: TaskForm
    output_spec: Mapping[str, Any]
    exprs: list[Any] = field(default_factory=list)

    def expr(self, node: Any, scope: Scope | None = None) -> int:
        """Registers an expression for taskview.js; the id the page refers to it by."""
        self.exprs.append(freeze(node, scope or self.scope))
        return len(self.exprs) - 1

    def value(self, node: Any) -> Any:
        return evaluate(node, self.scope)

    def text(self, node: Any) -> str:
        return as_text(self.value(node))


Renderer = Callable[[Mapping[str, Any], Drawing], Markup]


def render(node: Any, drawing: Drawing) -> Markup:
    """Any component, or a notice naming the part that cannot be drawn."""
    try:
        return _render(node, drawing)
    except Unsupported as problem:
        return drawing.form.cannot_draw(problem.kind)


def _render(node: Any, drawing: Drawing) -> Markup:
    if node is None:
        return Markup()
    if isinstance(node, list):
        return join(render(item, drawing) for item in node)
    if not isinstance(node, dict) or not isinstance(node.get("type"), str):
        return element("p", {"class": "kv-text"}, drawing.text(node))
    kind = node["type"]
    if kind in ("helper.if", "helper.switch"):
        cases = _cases(node)
        if any(is_stateful(condition) for condition, _ in cases):
            return _branches(cases, drawing)
        chosen = next((result for condition, result in cases if drawing.value(condition)), None)
        return _render(chosen, drawing)
    if kind.startswith(("helper.", "data.")):
        return element("p", {"class": "kv-text"}, drawing.text(node))
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise Unsupported(kind)
    return renderer(node, drawing)


def _cases(node: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    """(condition, result) of a helper.if or helper.switch, each condition complete on its own."""
    if node["type"] == "helper.if":
        condition = node.get("condition")
        return [
            (condition, node.get("then")),
            ({"type": "condition.not", "condition": condition}, node.get("else")),
        ]
    cases: list[tuple[Any, Any]] = []
    earlier: list[Any] = []
    for case in node.get("cases") or []:
        if isinstance(case, dict):
            condition = {"type": "condition.all", "conditions": [*earlier, case.get("condition")]}
            cases.append((condition, case.get("result")))
            earlier.append({"type": "condition.not", "condition": case.get("condition")})
    cases.append(({"type": "condition.all", "conditions": earlier}, node.get("default")))
    return cases


def _branches(cases: list[tuple[Any, Any]], drawing: Drawing) -> Markup:
    """Every branch of a choice on the worker's answers; taskview.js shows the one that holds."""
    parts = []
    for condition, result in cases:
        if result is None:
            continue
        shown = bool(drawing.value(condition))
        parts.append(
            element(
                "div",
                {"class": "kv-branch", "data-kv-show": drawing.expr(condition), "hidden": not shown},
                render(result, drawing),
            )
        )
    return join(parts)


def _frame(node: Mapping[str, Any], drawing: Drawing, css: str, *body: Markup) -> Markup:
    """A view with its optional label above and hint below."""
    label = drawing.text(node.get("label"))
    hint = drawing.text(node.get("hint"))
    return element(
        "div",
        {"class": f"kv-view {css}"},
        element("div", {"class": "kv-label"}, label) if label else Markup(),
        *body,
        element("p", {"class": "kv-hint"}, hint) if hint else Markup(),
    )


def _items(drawing: Drawing, node: Mapping[str, Any]) -> list[Any]:
    """A layout's components, each left for `render` (an item may be a helper choosing a component)."""
    items = node.get("items")
    if isinstance(items, dict):
        items = drawing.value(items)
    return items if isinstance(items, list) else []


def _web_url(drawing: Drawing, node: Any) -> str | None:
    url = drawing.text(node).strip()
    return url if url.lower().startswith(_WEB) else None


def _no_url(kind: str) -> Markup:
    return notice(f"{kind}: the address is not an http or https URL", "kv-notice")


# views


def _text(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    content = node.get("content")
    attrs: dict[str, Any] = {"class": "kv-text"}
    if is_stateful(content):
        attrs["data-kv-text"] = drawing.expr(content)
    return _frame(node, drawing, "kv-view-text", element("p", attrs, drawing.text(content)))


def _markdown(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    html = sanitize_html(_MARKDOWN.render(drawing.text(node.get("content"))))
    return _frame(node, drawing, "kv-view-markdown", element("div", {"class": "kv-markdown"}, html))


def _image(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    url = _web_url(drawing, node.get("url"))
    if url is None:
        return _frame(node, drawing, "kv-view-image", _no_url("view.image"))
    alt = drawing.text(node.get("label")) or "Task image"
    image = element("img", {"src": url, "alt": alt, "loading": "lazy", "referrerpolicy": "no-referrer"})
    return _frame(node, drawing, "kv-view-image", image)


def _media(tag: str) -> Renderer:
    def draw(node: Mapping[str, Any], drawing: Drawing) -> Markup:
        url = _web_url(drawing, node.get("url"))
        if url is None:
            return _frame(node, drawing, f"kv-view-{tag}", _no_url(f"view.{tag}"))
        label = drawing.text(node.get("label")) or f"Task {tag}"
        attrs: dict[str, str | bool] = {
            "src": url,
            "controls": True,
            "preload": "metadata",
            "loop": drawing.value(node.get("loop")) is True,
            "aria-label": label,
        }
        return _frame(node, drawing, f"kv-view-{tag}", element(tag, attrs))

    return draw


def _iframe(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    url = _web_url(drawing, node.get("url"))
    if url is None:
        return _frame(node, drawing, "kv-view-iframe", _no_url("view.iframe"))
    frame = element(
        "iframe",
        {
            "src": url,
            "sandbox": "allow-scripts",
            "referrerpolicy": "no-referrer",
            "loading": "lazy",
            "title": drawing.text(node.get("label")) or "Embedded page",
        },
    )
    return _frame(node, drawing, "kv-view-iframe", frame)


def _link(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    url = _web_url(drawing, node.get("url"))
    if url is None:
        return _frame(node, drawing, "kv-view-link", _no_url("view.link"))
    text = drawing.text(node.get("content")) or url
    link = element("a", {"href": url, "target": "_blank", "rel": "noopener noreferrer"}, text)
    return _frame(node, drawing, "kv-view-link", element("p", {}, link))


def _list(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    direction = drawing.value(node.get("direction"))
    css = "kv-stack kv-row" if direction == "horizontal" else "kv-stack"
    body = element("div", {"class": css}, join(render(item, drawing) for item in _items(drawing, node)))
    return _frame(node, drawing, "kv-view-list", body)


def _group(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    label = drawing.text(node.get("label"))
    hint = drawing.text(node.get("hint"))
    return element(
        "section",
        {"class": "kv-view kv-group", "aria-label": label or None},
        element("h3", {"class": "kv-label"}, label) if label else Markup(),
        render(node.get("content"), drawing),
        element("p", {"class": "kv-hint"}, hint) if hint else Markup(),
    )


def _alert(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    theme = drawing.text(node.get("theme")) or "info"
    theme = theme if theme in ("info", "success", "warning", "danger") else "info"
    body = element(
        "div", {"class": f"kv-alert kv-alert-{theme}", "role": "note"}, render(node.get("content"), drawing)
    )
    return _frame(node, drawing, "kv-view-alert", body)


def _divider(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    return _frame(node, drawing, "kv-view-divider", element("hr", {"class": "kv-divider"}))


def _collapse(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    summary = element("summary", {}, drawing.text(node.get("label")) or "More")
    return element("details", {"class": "kv-view kv-collapse"}, summary, render(node.get("content"), drawing))


def _labeled_list(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    entries = []
    for item in _items(drawing, node):
        if isinstance(item, dict):
            hint = drawing.text(item.get("hint"))
            entries.append(element("dt", {}, drawing.text(item.get("label"))))
            entries.append(
                element(
                    "dd",
                    {},
                    render(item.get("content"), drawing),
                    element("p", {"class": "kv-hint"}, hint) if hint else Markup(),
                )
            )
    return _frame(
        node, drawing, "kv-view-labeled-list", element("dl", {"class": "kv-labeled-list"}, join(entries))
    )


def _link_group(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    links = drawing.value(node.get("links"))
    items = []
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict):
            url = _web_url(drawing, link.get("url"))
            text = drawing.text(link.get("content")) or (url or "")
            anchor = (
                element("a", {"href": url, "target": "_blank", "rel": "noopener noreferrer"}, text)
                if url
                else _no_url("view.link-group")
            )
            items.append(element("li", {}, anchor))
    return _frame(node, drawing, "kv-view-link-group", element("ul", {"class": "kv-link-group"}, join(items)))


def _action_button(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    """A button whose action (action.set, toggle, bulk, open-link, notify) taskview.js runs."""
    label = drawing.text(node.get("label")) or "Run"
    button = element(
        "button",
        {"type": "button", "class": "kv-action-button", "data-kv-action": drawing.expr(node.get("action"))},
        label,
    )
    hint = drawing.text(node.get("hint"))
    return element(
        "div",
        {"class": "kv-view kv-view-action-button"},
        button,
        element("p", {"class": "kv-hint"}, hint) if hint else Markup(),
    )


# layouts


def _columns(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    items = _items(drawing, node)
    columns = join(element("div", {"class": "kv-column"}, render(item, drawing)) for item in items)
    return element("div", {"class": "kv-layout kv-columns"}, columns)


def _side_by_side(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    items = _items(drawing, node)
    columns = join(element("div", {"class": "kv-column"}, render(item, drawing)) for item in items)
    return element(
        "div",
        {"class": "kv-layout kv-side-by-side"},
        element("div", {"class": "kv-columns"}, columns),
        element("div", {"class": "kv-controls"}, render(node.get("controls"), drawing)),
    )


def _sidebar(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    return element(
        "div",
        {"class": "kv-layout kv-sidebar"},
        element("div", {"class": "kv-sidebar-content"}, render(node.get("content"), drawing)),
        element(
            "div",
            {"class": "kv-controls"},
            render(node.get("controls"), drawing),
            render(node.get("extraControls"), drawing),
        ),
    )


def _bars(node: Mapping[str, Any], drawing: Drawing) -> Markup:
    return element(
        "div",
        {"class": "kv-layout kv-bars"},
        element("div", {"class": "kv-bar"}, render(node.get("barBefore"), drawing))
        if node.get("barBefore")
        else Markup(),
        render(node.get("content"), drawing),
        element("div", {"class": "kv-bar"}, render(node.get("barAfter"), drawing))
        if node.get("barAfter")
        else Markup(),
    )


# fields


def _binding(node: Mapping[str, Any]) -> Binding:
    data = node.get("data")
    kind = data.get("type") if isinstance(data, dict) else None
    if kind not in ("data.output", "data.internal", "data.local", "data.relative"):
        raise Unsupported(f"{node.get('type')} without @data.output")
    path = data.get("path") if isinstance(data, dict) else None
    return Binding(str(kind).removeprefix("data."), "" if path is None else str(path))


def _requires(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    if condition.get("type") == "condition.required":
        return True
    return condition.get("type") == "condition.all" and any(
        _requires(item) for item in condition.get("conditions") or []
    )


def _options(drawing: Drawing, node: Mapping[str, Any]) -> list[Option]:
    options = drawing.value(node.get("options")) or []
    return [
        Option(
            option.get("value"), drawing.text(option.get("label")), drawing.text(option.get("hint")) or None
        )
        for option in options
        if isinstance(option, dict)
    ]


def _validated(node: Mapping[str, Any], drawing: Drawing, body: Markup) -> Markup:
    """A field with a `validation`: taskview.js checks it before submitting (the server checks again)."""
    validation = node.get("validation")
    if not isinstance(validation, dict):
        return body
    scope = with_own(drawing.scope, node.get("data"))
    message = drawing.text(validation.get("hint")) or (
        "Please fill in this field" if _requires(validation) else "Please check this field"
    )
    return element(
        "div",
        {
            "class": "kv-validated",
            "data-kv-validate": drawing.expr(validation, scope),
            "data-kv-message": message,
        },
        body,
    )


@dataclass(frozen=True)
class FieldParts:
    label: str | None
    hint: str | None
    required: bool


def _field(draw: Callable[[Mapping[str, Any], Drawing, Binding, FieldParts], Markup]) -> Renderer:
    """A field renderer: binding, label, hint and the required mark are common to all fields."""

    def render_field(node: Mapping[str, Any], drawing: Drawing) -> Markup:
        binding = _binding(node)
        common = FieldParts(
            label=drawing.text(node.get("label")) or None,
            hint=drawing.text(node.get("hint")) or None,
            required=_requires(node.get("validation")),
        )
        return _validated(node, drawing, draw(node, drawing, binding, common))

    return render_field


def _plain_input(input_type: str) -> Renderer:
    """field.text and field.email: one input of that type, with its placeholder."""

    def draw(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
        return controls.input_field(
            drawing.form,
            binding,
            common.label,
            hint=common.hint,
            input_type=input_type,
            placeholder=drawing.text(node.get("placeholder")) or None,
            required=common.required,
        )

    return _field(draw)


@_field
def _textarea_field(
    node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts
) -> Markup:
    rows = drawing.value(node.get("rows"))
    return controls.textarea_field(
        drawing.form,
        binding,
        common.label,
        hint=common.hint,
        placeholder=drawing.text(node.get("placeholder")) or None,
        rows=int(rows) if isinstance(rows, int | float) else None,
        required=common.required,
    )


@_field
def _number_field(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
    spec = drawing.output_spec.get(binding.path) if binding.source == "output" else None
    kind = "integer" if isinstance(spec, Mapping) and spec.get("type") == "integer" else "float"
    limits = {"min": drawing.value(node.get("minimum")), "max": drawing.value(node.get("maximum"))}
    return controls.input_field(
        drawing.form,
        binding,
        common.label,
        hint=common.hint,
        input_type="number",
        kind=kind,
        placeholder=drawing.text(node.get("placeholder")) or None,
        extra={**limits, "step": "1" if kind == "integer" else "any"},
        required=common.required,
    )


@_field
def _date_field(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
    with_time = drawing.text(node.get("format")) == "date-time"
    return controls.input_field(
        drawing.form,
        binding,
        common.label,
        hint=common.hint,
        input_type="datetime-local" if with_time else "date",
        kind="datetime" if with_time else "text",
        extra={"min": drawing.text(node.get("min")) or None, "max": drawing.text(node.get("max")) or None},
        required=common.required,
    )


@_field
def _checkbox(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
    return controls.checkbox_field(drawing.form, binding, common.label, hint=common.hint)


@_field
def _checkbox_group(
    node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts
) -> Markup:
    return controls.checkbox_group_field(
        drawing.form, binding, common.label, _options(drawing, node), hint=common.hint
    )


def _radio(buttons: bool) -> Renderer:
    @_field
    def draw(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
        return controls.choice_field(
            drawing.form,
            binding,
            common.label,
            _options(drawing, node),
            hint=common.hint,
            buttons=buttons,
            required=common.required,
        )

    return draw


@_field
def _button_radio(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
    """One button of a group: every field.button-radio on the same data shares one radio name."""
    value = drawing.value(node.get("valueToSet"))
    label = common.label or drawing.text(value)
    name = f"kv-t{drawing.form.index}-{binding.source}-{binding.path}"
    return controls.choice_field(
        drawing.form,
        binding,
        None,
        [Option(value, label)],
        hint=common.hint,
        buttons=True,
        group_name=name,
    )


@_field
def _select(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
    return controls.select_field(
        drawing.form,
        binding,
        common.label,
        _options(drawing, node),
        hint=common.hint,
        placeholder=drawing.text(node.get("placeholder")) or None,
    )


@_field
def _list_field(node: Mapping[str, Any], drawing: Drawing, binding: Binding, common: FieldParts) -> Markup:
    """A growing list: `render` is drawn per item (its `data.relative` controls read the item), and
    once more inside a <template> that taskview.js copies when the worker adds an item."""
    current = drawing.form.value(binding)
    saved = drawing.form.relative

    def item(value: Any) -> Markup:
        drawing.form.relative = value
        scope = drawing.scope
        drawing.scope = Scope(scope.input, scope.output, scope.own, value)
        try:
            body = render(node.get("render"), drawing)
        finally:
            drawing.scope, drawing.form.relative = scope, saved
        remove = element("button", {"type": "button", "class": "kv-list-remove"}, "Remove")
        return element("li", {"class": "kv-list-item"}, body, remove)

    items = [item(value) for value in (current if isinstance(current, list) else [])]
    add_label = drawing.text(node.get("buttonLabel")) or "Add"
    label = common.label or binding.path
    return element(
        "fieldset",
        {
            "class": "kv-field kv-list-field",
            "data-kv-kind": "list",
            "data-kv-field": binding.path,
            **binding.attr,
        },
        element("legend", {}, label),
        element("ol", {"class": "kv-list-items"}, join(items)),
        element("template", {"class": "kv-list-template"}, item(None)),
        element("button", {"type": "button", "class": "kv-list-add"}, add_label),
        element("p", {"class": "kv-hint"}, common.hint) if common.hint else Markup(),
    )


RENDERERS: dict[str, Renderer] = {
    "view.text": _text,
    "view.markdown": _markdown,
    "view.image": _image,
    "view.audio": _media("audio"),
    "view.video": _media("video"),
    "view.iframe": _iframe,
    "view.link": _link,
    "view.list": _list,
    "view.group": _group,
    "view.alert": _alert,
    "view.divider": _divider,
    "view.collapse": _collapse,
    "view.labeled-list": _labeled_list,
    "view.link-group": _link_group,
    "view.action-button": _action_button,
    "layout.columns": _columns,
    "layout.side-by-side": _side_by_side,
    "layout.sidebar": _sidebar,
    "layout.bars": _bars,
    "field.text": _plain_input("text"),
    "field.email": _plain_input("email"),
    "field.textarea": _textarea_field,
    "field.number": _number_field,
    "field.date": _date_field,
    "field.checkbox": _checkbox,
    "field.checkbox-group": _checkbox_group,
    "field.radio-group": _radio(buttons=False),
    "field.button-radio-group": _radio(buttons=True),
    "field.button-radio": _button_radio,
    "field.select": _select,
    "field.list": _list_field,
}
"""Every component type drawn; anything else is a notice naming it."""
