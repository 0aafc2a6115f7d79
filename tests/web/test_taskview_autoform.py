"""The automatic form drawn from the output spec, and the suite frame around every task."""

import json

from kvorum.web.taskview import TaskView, draw_suite
from tests.web.html_tree import label_of, parse

SPEC = {
    "input_spec": {"text": {"type": "string"}},
    "output_spec": {
        "label": {"type": "string", "allowed_values": ["cat", "dog"]},
        "sure": {"type": "boolean", "required": False},
        "count": {"type": "integer", "min_value": 0, "max_value": 10},
        "score": {"type": "float"},
        "note": {"type": "string", "max_length": 50},
        "extra": {"type": "json", "required": False},
        "tags": {"type": "array_string", "required": False},
    },
    "view_spec": {"type": "tb", "config": "", "lock": {}},
}


def render(**kwargs: object) -> str:
    tasks = [TaskView({"text": "a"}), TaskView({"text": "b"})]
    return str(draw_suite({**SPEC, "view_spec": {"type": "none"}}, tasks, **kwargs).html)  # type: ignore[arg-type]


def test_each_task_has_its_own_section_with_one_control_per_output_field() -> None:
    root = parse(render())
    sections = root.find_all("section", class_="kv-task")
    assert [section.attrs["data-task-index"] for section in sections] == ["0", "1"]
    for section in sections:
        outputs = {node.attrs["data-output"] for node in section.select(lambda n: "data-output" in n.attrs)}
        assert outputs == set(SPEC["output_spec"])


def test_the_control_follows_the_field_type() -> None:
    section = parse(render()).find("section")
    kinds = {node.attrs["data-output"]: (node.tag, node.attrs.get("type"), node.attrs["data-kv-kind"])
             for node in section.select(lambda n: "data-output" in n.attrs)}  # fmt: skip
    assert kinds == {
        "label": ("input", "radio", "choice"),
        "sure": ("input", "checkbox", "boolean"),
        "count": ("input", "number", "integer"),
        "score": ("input", "number", "float"),
        "note": ("input", "text", "text"),
        "extra": ("textarea", None, "json"),
        "tags": ("textarea", None, "json"),
    }
    count = section.find("input", data_output="count")
    assert (count.attrs["min"], count.attrs["max"], count.attrs["step"]) == ("0", "10", "1")
    assert section.find("input", data_output="note").attrs["maxlength"] == "50"


def test_radio_options_are_labelled_by_their_label_and_carry_json_values() -> None:
    root = parse(render())
    radios = root.find_all("section")[0].find_all("input", type="radio")
    assert [label_of(root, radio) for radio in radios] == ["cat", "dog"]
    assert [json.loads(str(radio.attrs["value"])) for radio in radios] == ["cat", "dog"]
    assert [radio.attrs["data-kv-key"] for radio in radios] == ["1", "2"]
    assert len({radio.attrs["name"] for radio in radios}) == 1
    assert root.find("fieldset", data_kv_field="label").find("legend").text == "label"


def test_every_control_has_a_label_and_ids_are_unique_on_the_page() -> None:
    root = parse(render())
    controls = root.select(lambda n: n.tag in {"input", "textarea", "select"})
    assert all(label_of(root, control) for control in controls)
    ids = [control.attrs["id"] for control in controls]
    assert len(ids) == len(set(ids))


def test_submitted_values_are_shown_again_and_errors_sit_next_to_their_field() -> None:
    values = [{"label": "dog", "sure": True, "count": 3, "note": '"><script>', "extra": {"a": 1}}, {}]
    errors = {(0, "count"): "value greater than max", (1, "label"): "a value is required", (1, "nope"): "odd"}
    root = parse(render(values=values, errors=errors))
    first, second = root.find_all("section", class_="kv-task")
    checked = first.select(lambda n: n.attrs.get("data-output") == "label" and "checked" in n.attrs)
    assert [node.attrs["value"] for node in checked] == ['"dog"']
    assert "checked" in first.find("input", data_output="sure").attrs
    assert first.find("input", data_output="count").attrs["value"] == "3"
    assert first.find("input", data_output="note").attrs["value"] == '"><script>'
    assert json.loads(first.find("textarea", data_output="extra").text) == {"a": 1}
    count_field = first.find(data_kv_field="count")
    assert count_field.find("p", class_="kv-error").text == "value greater than max"
    control = first.find("input", data_output="count")
    assert control.attrs["aria-invalid"] == "true"
    assert count_field.find("p", class_="kv-error").attrs["id"] in str(control.attrs["aria-describedby"])
    assert second.find(data_kv_field="label").find("p", class_="kv-error").text == "a value is required"
    assert second.find("div", class_="kv-task-errors").text == "nope: odd"
    assert not first.find_all("div", class_="kv-task-errors")


def test_a_training_hint_is_shown_escaped() -> None:
    html = str(
        draw_suite(SPEC | {"view_spec": {"type": "none"}}, [TaskView({}, hint="<b>Cats</b> purr")]).html
    )
    assert parse(html).find("aside", class_="kv-task-hint").text == "Hint: <b>Cats</b> purr"
    assert "<b>Cats" not in html
