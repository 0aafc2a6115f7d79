"""Template-builder configs for rendering tests: small constructors of the JSON toloka-kit sends."""

import json
from typing import Any

from kvorum.web.taskview import TaskView, draw_suite
from tests.web.html_tree import Node, parse


def inp(path: str) -> dict[str, Any]:
    return {"type": "data.input", "path": path}


def out(path: str) -> dict[str, Any]:
    return {"type": "data.output", "path": path}


def spec(view: Any, plugins: list[Any] | None = None, output_spec: dict[str, Any] | None = None,
         **config: Any) -> dict[str, Any]:  # fmt: skip
    """A stored task_spec with a `tb` view of this config."""
    return {
        "input_spec": {"text": {"type": "string"}},
        "output_spec": output_spec or {"label": {"type": "string"}},
        "view_spec": {
            "type": "tb",
            "config": json.dumps({"view": view, "plugins": plugins or [], **config}),
            "lock": {"core": "1.0.0"},
        },
    }


def draw(view: Any, input_values: dict[str, Any] | None = None, **kwargs: Any) -> Node:
    """The first task's <section>, parsed."""
    plugins = kwargs.pop("plugins", None)
    output_spec = kwargs.pop("output_spec", None)
    variables = kwargs.pop("vars", None)
    extra = {"vars": variables} if variables is not None else {}
    html = draw_suite(
        spec(view, plugins, output_spec, **extra), [TaskView(input_values or {})], **kwargs
    ).html
    return parse(str(html)).find("section")


def island(section: Node) -> dict[str, Any]:
    script = section.find("script", class_="kv-task-config")
    assert script.attrs["type"] == "application/json"
    loaded: dict[str, Any] = json.loads(script.text)
    return loaded


def unsupported(section: Node) -> list[str]:
    return [node.text for node in section.find_all(class_="kv-unsupported")]
