"""Template-builder values: data references, helpers and conditions, evaluated on the server.

What depends only on the task's input is settled here. What depends on data the worker changes
(`@data.output`, `@data.internal`, `@data.local`) is also evaluated here for the first drawing,
and handed to taskview.js, `freeze`-d (input references replaced by their values), to evaluate
again in the browser as the worker answers.
"""

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

STATEFUL = frozenset({"data.output", "data.internal", "data.local", "data.relative"})
"""Data the worker's answers change; anything that reads them is re-evaluated in the browser."""
OWN_DATA = frozenset({"condition.required", "condition.empty", "condition.equals", "condition.schema"})
"""Conditions whose `data` defaults to the data of the field they validate."""
LITERAL = "kv.value"
"""A value frozen into a browser-side expression (an input value, say)."""
_MAX_REF_DEPTH = 32


class Unsupported(Exception):
    """A component type the renderer does not know; it is shown as a notice naming it."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class Scope:
    """What an expression can read: the task's input, the answers so far, and the field's own data."""

    input: Mapping[str, Any]
    output: Mapping[str, Any]
    own: Any = None
    relative: Any = None


def resolve_refs(node: Any, variables: Mapping[str, Any], depth: int = 0) -> Any:
    """The config with every `{"$ref": "vars.x"}` replaced by what it names (a missing one by None)."""
    if depth > _MAX_REF_DEPTH:
        raise Unsupported("$ref (nested too deeply)")
    if isinstance(node, list):
        return [resolve_refs(item, variables, depth) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        return resolve_refs(path_value({"vars": variables}, ref), variables, depth + 1)
    return {key: resolve_refs(value, variables, depth) for key, value in node.items()}


def path_value(values: Any, path: Any) -> Any:
    """`a.b.0` in nested objects and arrays; None where it leads nowhere."""
    if path is None or path == "":
        return values
    current = values
    for part in str(path).split("."):
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def is_stateful(node: Any) -> bool:
    """Whether the value of `node` can change while the worker answers."""
    if isinstance(node, list):
        return any(is_stateful(item) for item in node)
    if not isinstance(node, dict):
        return False
    if node.get("type") in STATEFUL:
        return True
    return any(is_stateful(value) for value in node.values())


def _kind(node: Any) -> str | None:
    kind = node.get("type") if isinstance(node, dict) else None
    return kind if isinstance(kind, str) else None


def _with_own(node: dict[str, Any], scope: Scope) -> dict[str, Any]:
    if node.get("type") in OWN_DATA and "data" not in node and scope.own is not None:
        return {**node, "data": scope.own}
    return node


def freeze(node: Any, scope: Scope) -> Any:
    """`node` for the browser: input references become literal values, own-data defaults explicit."""
    if isinstance(node, list):
        return [freeze(item, scope) for item in node]
    if not isinstance(node, dict):
        return node
    kind = _kind(node)
    if kind == "data.input":
        return {"type": LITERAL, "value": evaluate(node, scope)}
    node = _with_own(node, scope)
    return {key: freeze(value, scope) for key, value in node.items()}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def same(left: Any, right: Any) -> bool:
    """JSON equality: 1 equals 1.0, but true does not equal 1."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True) or (
        _is_number(left) and _is_number(right) and left == right
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def as_text(value: Any) -> str:
    """A value as text, the way taskview.js writes it: strings as they are, the rest as compact JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def evaluate(node: Any, scope: Scope) -> Any:
    """The value of `node` now; components (views, fields) come back as they are."""
    if isinstance(node, list):
        return [evaluate(item, scope) for item in node]
    if not isinstance(node, dict):
        return node
    kind = _kind(node)
    if kind is None:
        return {key: evaluate(value, scope) for key, value in node.items()}
    if kind == LITERAL:
        return node.get("value")
    if kind.startswith("data."):
        return _data(kind, node, scope)
    if kind.startswith("condition."):
        return _condition(kind, _with_own(node, scope), scope)
    if kind.startswith("helper."):
        return _helper(kind, node, scope)
    return node


def _data(kind: str, node: Mapping[str, Any], scope: Scope) -> Any:
    path = evaluate(node.get("path"), scope)
    if kind == "data.input":
        value = path_value(scope.input, path)
    elif kind == "data.output":
        value = path_value(scope.output, path)
    elif kind == "data.relative":
        value = path_value(scope.relative, path)
    elif kind in ("data.internal", "data.local"):
        value = None
    else:
        raise Unsupported(kind)
    return evaluate(node.get("default"), scope) if value is None else value


def _condition(kind: str, node: Mapping[str, Any], scope: Scope) -> bool:
    def value(key: str) -> Any:
        return evaluate(node.get(key), scope)

    if kind == "condition.required":
        return not is_empty(value("data"))
    if kind == "condition.empty":
        return is_empty(value("data"))
    if kind == "condition.equals":
        return same(value("data"), value("to"))
    if kind == "condition.not":
        return not _condition_of(node.get("condition"), scope)
    if kind == "condition.all":
        return all(_condition_of(item, scope) for item in node.get("conditions") or [])
    if kind == "condition.any":
        return any(_condition_of(item, scope) for item in node.get("conditions") or [])
    if kind == "condition.schema":
        schema = node.get("schema")
        return schema_allows(schema if isinstance(schema, Mapping) else {}, value("data"))
    raise Unsupported(kind)


def _condition_of(node: Any, scope: Scope) -> bool:
    if not isinstance(node, dict):
        return bool(node)
    return bool(evaluate(node, scope))


def _helper(kind: str, node: Mapping[str, Any], scope: Scope) -> Any:
    def value(key: str) -> Any:
        return evaluate(node.get(key), scope)

    if kind == "helper.if":
        return value("then") if _condition_of(node.get("condition"), scope) else value("else")
    if kind == "helper.switch":
        for case in node.get("cases") or []:
            if isinstance(case, dict) and _condition_of(case.get("condition"), scope):
                return evaluate(case.get("result"), scope)
        return value("default")
    if kind == "helper.join":
        items = value("items")
        return as_text(value("by")).join(as_text(item) for item in (items if isinstance(items, list) else []))
    if kind == "helper.replace":
        return as_text(value("data")).replace(as_text(value("find")), as_text(value("replace")))
    if kind == "helper.concat-arrays":
        items = value("items")
        return [item for part in (items or []) if isinstance(part, list) for item in part]
    if kind == "helper.text-transform":
        text, how = as_text(value("data")), value("transformation")
        transform = {"uppercase": str.upper, "lowercase": str.lower, "capitalize": str.capitalize}
        return transform.get(str(how), str)(text)
    raise Unsupported(kind)


def with_own(scope: Scope, own: Any) -> Scope:
    return replace(scope, own=own)


_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: _is_number(v) and float(v).is_integer(),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def schema_allows(schema: Mapping[str, Any], value: Any) -> bool:
    """A JSON Schema subset (type, enum, const, lengths, pattern, bounds, items, properties,
    required), the same one taskview.js checks; keywords outside it are not checked."""
    kinds = schema.get("type")
    if kinds is not None:
        names = kinds if isinstance(kinds, list) else [kinds]
        if not any(_TYPES.get(str(name), lambda _v: True)(value) for name in names):
            return False
    if "enum" in schema and not any(same(value, option) for option in schema["enum"] or []):
        return False
    if "const" in schema and not same(value, schema["const"]):
        return False
    if isinstance(value, str) and not _string_allowed(schema, value):
        return False
    if _is_number(value) and not _number_allowed(schema, value):
        return False
    if isinstance(value, list) and not _array_allowed(schema, value):
        return False
    return not isinstance(value, dict) or _object_allowed(schema, value)


def _string_allowed(schema: Mapping[str, Any], value: str) -> bool:
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        return False
    pattern = schema.get("pattern")
    try:
        return pattern is None or re.search(str(pattern), value) is not None
    except re.error:
        return True


def _number_allowed(schema: Mapping[str, Any], value: float) -> bool:
    checks: list[tuple[str, Callable[[float], bool]]] = [
        ("minimum", lambda limit: value >= limit),
        ("maximum", lambda limit: value <= limit),
        ("exclusiveMinimum", lambda limit: value > limit),
        ("exclusiveMaximum", lambda limit: value < limit),
    ]
    return all(check(schema[key]) for key, check in checks if _is_number(schema.get(key)))


def _array_allowed(schema: Mapping[str, Any], value: list[Any]) -> bool:
    if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
        return False
    items = schema.get("items")
    return not isinstance(items, Mapping) or all(schema_allows(items, item) for item in value)


def _object_allowed(schema: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    if any(name not in value for name in schema.get("required") or []):
        return False
    properties = schema.get("properties") or {}
    return all(
        schema_allows(sub, value[name])
        for name, sub in properties.items()
        if name in value and isinstance(sub, Mapping)
    )
