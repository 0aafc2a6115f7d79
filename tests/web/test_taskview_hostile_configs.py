"""Whatever a requester stores as a template-builder config, the task page renders: never an exception."""

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvorum.web.taskview import TaskView, draw_suite
from kvorum.web.taskview.components import RENDERERS
from tests.web.html_tree import parse
from tests.web.tb import spec

TYPES = [
    *RENDERERS,
    "data.input",
    "data.output",
    "data.internal",
    "data.relative",
    "helper.if",
    "helper.switch",
    "helper.join",
    "helper.replace",
    "condition.required",
    "condition.schema",
    "condition.not",
    "view.nope",
    "plugin.hotkeys",
    "plugin.trigger",
    "plugin.toloka",
    "action.set",
    "kv.value",
]
KEYS = [
    "content",
    "items",
    "url",
    "label",
    "hint",
    "data",
    "path",
    "options",
    "value",
    "validation",
    "condition",
    "conditions",
    "then",
    "else",
    "cases",
    "result",
    "default",
    "render",
    "controls",
    "schema",
    "to",
    "by",
    "find",
    "replace",
    "layout",
    "taskWidth",
    "$ref",
    "1",
    "onChangeOf",
    "action",
    "payload",
]
scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True) | st.text(max_size=8)
nodes = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.fixed_dictionaries({"type": st.sampled_from(TYPES)}, optional={key: children for key in KEYS})
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    view=nodes, plugins=nodes, variables=nodes, inputs=st.dictionaries(st.sampled_from(["a", "path"]), nodes)
)
def test_any_config_renders_to_html(view: Any, plugins: Any, variables: Any, inputs: dict[str, Any]) -> None:
    task_spec = spec(view, vars=variables)
    task_spec["view_spec"]["config"] = json.dumps({"view": view, "plugins": plugins, "vars": variables})
    html = str(draw_suite(task_spec, [TaskView(inputs)], values=[inputs], errors={(0, "a"): "x"}).html)
    section = parse(html).find("section")
    assert section.attrs["data-task-index"] == "0"
    assert [node.attrs.get("type") for node in section.find_all("script")] == ["application/json"]


@pytest.mark.parametrize("depth", [50, 900, 5000])
def test_a_config_nested_too_deeply_is_a_notice(depth: int) -> None:
    task_spec = spec(None)
    view = '{"type": "view.group", "content": ' * depth + '"bottom"' + "}" * depth
    task_spec["view_spec"]["config"] = '{"view": ' + view + "}"
    html = str(draw_suite(task_spec, [TaskView({})]).html)
    if depth <= 50:
        assert "bottom" in html
    else:
        assert "Unsupported component: a template-builder config nested too deeply" in html


def test_vars_that_refer_to_themselves_are_a_notice() -> None:
    task_spec = spec({"$ref": "vars.a"})
    task_spec["view_spec"]["config"] = json.dumps(
        {"view": {"$ref": "vars.a"}, "vars": {"a": {"$ref": "vars.a"}}}
    )
    assert "Unsupported component:" in str(draw_suite(task_spec, [TaskView({})]).html)
