"""Template-builder components drawn as HTML: structure, labels, escaping and hostile values."""

import json
from typing import Any

import pytest

from tests.web.html_tree import label_of, parse
from tests.web.tb import draw, inp, island, out, spec, unsupported

LISTED = {
    "view.text": {"type": "view.text", "content": "hello"},
    "view.markdown": {"type": "view.markdown", "content": "**bold**"},
    "view.image": {"type": "view.image", "url": "https://example.com/a.png"},
    "view.link": {"type": "view.link", "url": "https://example.com/", "content": "site"},
    "view.list": {"type": "view.list", "items": [{"type": "view.text", "content": "a"}]},
    "view.group": {"type": "view.group", "label": "G", "content": {"type": "view.text", "content": "a"}},
    "view.alert": {
        "type": "view.alert",
        "theme": "warning",
        "content": {"type": "view.text", "content": "!"},
    },
    "view.divider": {"type": "view.divider"},
    "view.audio": {"type": "view.audio", "url": "https://example.com/a.mp3"},
    "view.video": {"type": "view.video", "url": "https://example.com/a.mp4"},
    "view.iframe": {"type": "view.iframe", "url": "https://example.com/"},
    "layout.columns": {"type": "layout.columns", "items": [{"type": "view.text", "content": "a"}]},
    "layout.side-by-side": {
        "type": "layout.side-by-side",
        "items": [{"type": "view.text", "content": "a"}],
        "controls": {"type": "field.text", "data": out("label")},
    },
    "layout.sidebar": {
        "type": "layout.sidebar",
        "content": {"type": "view.text", "content": "a"},
        "controls": {"type": "field.text", "data": out("label")},
    },
    "layout.bars": {
        "type": "layout.bars",
        "content": {"type": "view.text", "content": "a"},
        "barBefore": {"type": "view.text", "content": "top"},
    },
    "field.radio-group": {
        "type": "field.radio-group",
        "data": out("label"),
        "options": [{"value": "a", "label": "A"}],
    },
    "field.button-radio-group": {
        "type": "field.button-radio-group",
        "data": out("label"),
        "options": [{"value": "a", "label": "A"}],
    },
    "field.button-radio": {
        "type": "field.button-radio",
        "data": out("label"),
        "valueToSet": "a",
        "label": "A",
    },
    "field.checkbox": {"type": "field.checkbox", "data": out("label"), "label": "Sure"},
    "field.checkbox-group": {
        "type": "field.checkbox-group",
        "data": out("label"),
        "options": [{"value": "a", "label": "A"}],
    },
    "field.select": {"type": "field.select", "data": out("label"), "options": [{"value": "a", "label": "A"}]},
    "field.text": {"type": "field.text", "data": out("label")},
    "field.textarea": {"type": "field.textarea", "data": out("label")},
    "field.number": {"type": "field.number", "data": out("label")},
    "field.date": {"type": "field.date", "data": out("label"), "format": "date"},
    "field.email": {"type": "field.email", "data": out("label")},
    "field.list": {
        "type": "field.list",
        "data": out("label"),
        "render": {"type": "field.text", "data": {"type": "data.relative"}},
    },
    "condition.required": {
        "type": "field.text",
        "data": out("label"),
        "validation": {"type": "condition.required"},
    },
    "condition.equals": {
        "type": "helper.if",
        "condition": {"type": "condition.equals", "data": inp("text"), "to": "x"},
        "then": {"type": "view.text", "content": "yes"},
    },
    "condition.empty": {
        "type": "helper.if",
        "condition": {"type": "condition.empty", "data": out("label")},
        "then": {"type": "view.text", "content": "empty"},
    },
    "condition.not": {
        "type": "helper.if",
        "condition": {"type": "condition.not", "condition": {"type": "condition.empty", "data": inp("text")}},
        "then": {"type": "view.text", "content": "given"},
    },
    "condition.all": {
        "type": "helper.if",
        "condition": {
            "type": "condition.all",
            "conditions": [{"type": "condition.required", "data": inp("text")}],
        },
        "then": {"type": "view.text", "content": "all"},
    },
    "condition.any": {
        "type": "helper.if",
        "condition": {
            "type": "condition.any",
            "conditions": [{"type": "condition.required", "data": inp("text")}],
        },
        "then": {"type": "view.text", "content": "any"},
    },
    "condition.schema": {
        "type": "field.text",
        "data": out("label"),
        "validation": {"type": "condition.schema", "schema": {"type": "string", "minLength": 2}},
    },
    "helper.if": {"type": "helper.if", "condition": True, "then": {"type": "view.text", "content": "t"}},
    "helper.switch": {
        "type": "helper.switch",
        "cases": [{"condition": {"type": "condition.empty", "data": inp("text")}, "result": "none"}],
        "default": {"type": "view.text", "content": "default"},
    },
    "helper.join": {"type": "view.text", "content": {"type": "helper.join", "items": ["a", "b"], "by": "-"}},
    "helper.replace": {
        "type": "view.text",
        "content": {"type": "helper.replace", "data": inp("text"), "find": "x", "replace": "y"},
    },
    "@data.input": {"type": "view.text", "content": inp("text")},
    "@data.output": {"type": "view.text", "content": out("label")},
    "@data.internal": {"type": "field.text", "data": {"type": "data.internal", "path": "scratch"}},
    "@data.local": {
        "type": "field.checkbox",
        "data": {"type": "data.local", "path": "seen"},
        "label": "Seen",
    },
}
PLUGINS = {
    "plugin.hotkeys": {
        "type": "plugin.hotkeys",
        "1": {"type": "action.set", "data": out("label"), "payload": "a"},
    },
    "plugin.trigger": {
        "type": "plugin.trigger",
        "onChangeOf": out("label"),
        "action": {"type": "action.set", "data": out("other"), "payload": inp("text")},
    },
    "plugin.toloka": {"type": "plugin.toloka", "layout": {"kind": "scroll", "taskWidth": 600}},
}


@pytest.mark.parametrize("kind", sorted(LISTED))
def test_every_listed_component_is_drawn(kind: str) -> None:
    section = draw({"type": "view.list", "items": [LISTED[kind]]}, {"text": "x"})
    assert unsupported(section) == []
    assert section.find("div", class_="kv-view-list").children, kind


@pytest.mark.parametrize("kind", sorted(PLUGINS))
def test_every_listed_plugin_is_taken(kind: str) -> None:
    section = draw({"type": "view.text", "content": "a"}, {"text": "x"}, plugins=[PLUGINS[kind]])
    assert unsupported(section) == []
    config = island(section)
    assert {"plugin.hotkeys": "hotkeys", "plugin.trigger": "triggers", "plugin.toloka": "taskWidth"}[
        kind
    ] in config


def test_an_unknown_component_is_a_notice_naming_it_and_the_rest_still_draws() -> None:
    section = draw(
        {
            "type": "view.list",
            "items": [{"type": "view.foo"}, {"type": "view.text", "content": "still here"}],
        },
        plugins=[{"type": "plugin.bar"}],
    )
    assert unsupported(section) == ["Unsupported component: plugin.bar", "Unsupported component: view.foo"]
    assert section.find("p", class_="kv-text").text == "still here"


def test_an_unparsable_config_falls_back_to_the_automatic_form() -> None:
    from kvorum.web.taskview import TaskView, draw_suite

    task_spec = {
        "input_spec": {"a": {"type": "string"}},
        "output_spec": {"label": {"type": "string"}},
        "view_spec": {"type": "tb", "config": "[1, 2", "lock": {}},
    }
    section = parse(str(draw_suite(task_spec, [TaskView({})]).html)).find("section")
    assert unsupported(section)[0].startswith("Unsupported component:")
    assert section.find("input", data_output="label")


def test_input_values_are_escaped_in_text_labels_and_options() -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    section = draw(
        {
            "type": "view.list",
            "items": [
                {"type": "view.text", "content": inp("text"), "label": inp("text")},
                {
                    "type": "field.radio-group",
                    "data": out("label"),
                    "label": inp("text"),
                    "options": [{"value": inp("text"), "label": inp("text")}],
                },
            ],
        },
        {"text": hostile},
    )
    assert section.find_all("script") == [section.find("script", class_="kv-task-config")]
    assert not section.find_all("img")
    assert section.find("p", class_="kv-text").text == hostile
    radio = section.find("input", type="radio")
    assert json.loads(str(radio.attrs["value"])) == hostile
    assert label_of(section, radio) == hostile


def test_markdown_is_rendered_and_sanitized() -> None:
    section = draw(
        {
            "type": "view.markdown",
            "content": "# Title\n\n**bold** [ok](https://example.com) [bad](javascript:alert(1))\n\n"
            "<img src=x onerror=alert(1)><script>alert(2)</script>",
        }
    )
    body = section.find("div", class_="kv-markdown")
    assert body.find("h1").text == "Title"
    assert body.find("strong").text == "bold"
    links = body.find_all("a")
    assert [link.attrs.get("href") for link in links] == ["https://example.com"]
    assert all(link.attrs["rel"] == "noopener noreferrer" for link in links)
    assert all("onerror" not in node.attrs for node in body.walk())
    assert not body.find_all("script")


def test_iframes_are_sandboxed_without_same_origin() -> None:
    frame = draw(
        {"type": "view.iframe", "url": inp("text"), "label": "Page"}, {"text": "https://e.com/x"}
    ).find("iframe")
    assert frame.attrs["src"] == "https://e.com/x"
    assert frame.attrs["sandbox"] == "allow-scripts"
    assert frame.attrs["title"] == "Page"


@pytest.mark.parametrize("kind", ["view.image", "view.iframe", "view.link", "view.audio", "view.video"])
@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>1</script>", "/api/v1/me", " "]
)
def test_a_media_address_that_is_not_http_is_refused(kind: str, url: str) -> None:
    section = draw({"type": kind, "url": inp("text")}, {"text": url})
    assert not section.select(lambda node: "src" in node.attrs or "href" in node.attrs)
    assert section.find(class_="kv-notice").text == f"{kind}: the address is not an http or https URL"


def test_views_show_their_label_and_hint() -> None:
    section = draw(
        {"type": "view.image", "url": "https://e.com/a.png", "label": "Photo", "hint": "Look closely"}
    )
    assert section.find(class_="kv-label").text == "Photo"
    assert section.find(class_="kv-hint").text == "Look closely"
    assert section.find("img").attrs["alt"] == "Photo"


def test_layouts_keep_their_parts() -> None:
    section = draw(
        {
            "type": "layout.sidebar",
            "content": {
                "type": "layout.columns",
                "items": [{"type": "view.text", "content": c} for c in "ab"],
            },
            "controls": {"type": "field.text", "data": out("label"), "label": "Answer"},
            "extraControls": {"type": "view.text", "content": "extra"},
        }
    )
    content = section.find(class_="kv-sidebar-content")
    assert [column.text for column in content.find_all(class_="kv-column")] == ["a", "b"]
    controls = section.find(class_="kv-controls")
    assert label_of(section, controls.find("input")) == "Answer"
    assert "extra" in controls.text


def test_fields_are_labelled_and_bound_to_their_output() -> None:
    section = draw(
        {
            "type": "view.list",
            "items": [
                {"type": "field.text", "data": out("a"), "label": "Name", "placeholder": "type"},
                {"type": "field.textarea", "data": out("b")},
                {"type": "field.number", "data": out("c"), "minimum": 1, "maximum": 5},
                {"type": "field.email", "data": out("d"), "label": "Mail"},
                {"type": "field.date", "data": out("e"), "format": "date-time"},
                {
                    "type": "field.select",
                    "data": out("f"),
                    "label": "Pick",
                    "options": [{"value": 1, "label": "One"}, {"value": True, "label": "Yes"}],
                },
                {
                    "type": "field.checkbox-group",
                    "data": out("g"),
                    "label": "Tags",
                    "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}],
                },
            ],
        },
        output_spec={"c": {"type": "integer"}},
    )
    controls = section.select(lambda node: "data-output" in node.attrs)
    by_output: dict[str, Any] = {}
    for control in controls:
        by_output.setdefault(control.attrs["data-output"], []).append(control)
    assert label_of(section, by_output["a"][0]) == "Name"
    assert by_output["a"][0].attrs["placeholder"] == "type"
    assert label_of(section, by_output["b"][0]) == "b"
    number = by_output["c"][0]
    assert (number.attrs["type"], number.attrs["data-kv-kind"], number.attrs["min"], number.attrs["max"]) == (
        "number",
        "integer",
        "1",
        "5",
    )
    assert by_output["d"][0].attrs["type"] == "email"
    assert (by_output["e"][0].attrs["type"], by_output["e"][0].attrs["data-kv-kind"]) == (
        "datetime-local",
        "datetime",
    )
    select = by_output["f"][0]
    options = select.find_all("option")
    assert [option.text for option in options] == ["", "One", "Yes"]
    assert [option.attrs["value"] for option in options[1:]] == ["1", "true"]
    assert label_of(section, select) == "Pick"
    boxes = by_output["g"]
    assert [label_of(section, box) for box in boxes] == ["X", "Y"]
    assert {box.attrs["data-kv-kind"] for box in boxes} == {"choices"}


def test_a_required_validation_marks_the_field_and_goes_to_the_browser() -> None:
    section = draw(
        {
            "type": "field.radio-group",
            "data": out("label"),
            "label": "Animal",
            "options": [{"value": "cat", "label": "Cat"}, {"value": "dog", "label": "Dog"}],
            "validation": {"type": "condition.required", "hint": "Pick one"},
        }
    )
    wrapper = section.find("div", class_="kv-validated")
    assert wrapper.attrs["data-kv-message"] == "Pick one"
    expr = island(section)["exprs"][int(str(wrapper.attrs["data-kv-validate"]))]
    assert expr == {"type": "condition.required", "hint": "Pick one", "data": out("label")}
    assert section.find(role="radiogroup").attrs["aria-required"] == "true"
    assert [label_of(section, radio) for radio in section.find_all("input", type="radio")] == ["Cat", "Dog"]


def test_a_condition_on_input_is_settled_on_the_server() -> None:
    def case(value: str) -> dict[str, Any]:
        condition = {"type": "condition.equals", "data": inp("text"), "to": value}
        return {"condition": condition, "result": {"type": "view.text", "content": value.upper()}}

    view = {
        "type": "helper.switch",
        "cases": [case("a"), case("b")],
        "default": {"type": "view.text", "content": "other"},
    }
    assert [draw(view, {"text": value}).find("p", class_="kv-text").text for value in "abz"] == [
        "A",
        "B",
        "other",
    ]
    assert not draw(view, {"text": "a"}).find_all(class_="kv-branch")


def test_a_condition_on_an_answer_draws_every_branch_for_the_browser() -> None:
    view = {
        "type": "view.list",
        "items": [
            {
                "type": "field.radio-group",
                "data": out("label"),
                "options": [{"value": "cat", "label": "Cat"}, {"value": "other", "label": "Other"}],
            },
            {
                "type": "helper.if",
                "condition": {"type": "condition.equals", "data": out("label"), "to": "other"},
                "then": {"type": "field.text", "data": out("what"), "label": "What is it?"},
                "else": {"type": "view.text", "content": inp("text")},
            },
        ],
    }
    section = draw(view, {"text": "a cat"}, values=[{"label": "other"}])
    then_branch, else_branch = section.find_all("div", class_="kv-branch")
    assert "hidden" not in then_branch.attrs and "hidden" in else_branch.attrs
    assert then_branch.find("input", data_output="what")
    exprs = island(section)["exprs"]
    assert exprs[int(str(then_branch.attrs["data-kv-show"]))] == {
        "type": "condition.equals",
        "data": out("label"),
        "to": "other",
    }
    assert else_branch.find("p").text == "a cat"


def test_answer_dependent_text_is_refreshed_in_the_browser_and_input_is_frozen() -> None:
    content = {"type": "helper.join", "items": [inp("text"), out("label")], "by": ": "}
    section = draw(
        {"type": "view.text", "content": content}, {"text": "You chose"}, values=[{"label": "cat"}]
    )
    text = section.find("p", class_="kv-text")
    assert text.text == "You chose: cat"
    assert island(section)["exprs"][int(str(text.attrs["data-kv-text"]))] == {
        "type": "helper.join",
        "items": [{"type": "kv.value", "value": "You chose"}, out("label")],
        "by": ": ",
    }


def test_helpers_and_vars_resolve_on_the_server() -> None:
    view = {
        "type": "view.list",
        "items": [
            {"$ref": "vars.greeting"},
            {
                "type": "view.text",
                "content": {"type": "helper.replace", "data": inp("text"), "find": "-", "replace": " "},
            },
            {
                "type": "view.text",
                "content": {
                    "type": "helper.if",
                    "condition": {
                        "type": "condition.schema",
                        "data": inp("n"),
                        "schema": {"type": "integer", "minimum": 3},
                    },
                    "then": "big",
                    "else": "small",
                },
            },
        ],
    }
    section = draw(
        view, {"text": "a-b-c", "n": 5}, vars={"greeting": {"type": "view.text", "content": "Hello"}}
    )
    assert [node.text for node in section.find_all("p", class_="kv-text")] == ["Hello", "a b c", "big"]


def test_a_data_value_shaped_like_a_component_is_drawn_as_text() -> None:
    planted = {"type": "view.iframe", "url": "https://evil.example/"}
    section = draw({"type": "view.list", "items": [inp("payload")]}, {"payload": planted})
    assert not section.find_all("iframe")
    assert json.loads(section.find("p", class_="kv-text").text) == planted


def test_hotkeys_triggers_and_task_width_go_to_the_browser() -> None:
    set_label = {"type": "action.set", "data": out("label"), "payload": inp("text")}
    set_other = {"type": "action.set", "data": out("other"), "payload": 1}
    plugins = [
        {"type": "plugin.hotkeys", "q": set_label},
        {"type": "plugin.trigger", "onChangeOf": out("label"), "action": set_other, "fireImmediately": True},
        {"type": "plugin.toloka", "layout": {"kind": "pager", "taskWidth": 480}},
    ]
    config = island(draw({"type": "field.text", "data": out("label")}, {"text": "typed"}, plugins=plugins))
    assert config["hotkeys"] == {"q": {**set_label, "payload": {"type": "kv.value", "value": "typed"}}}
    assert config["triggers"] == [
        {"onChangeOf": out("label"), "condition": None, "action": set_other, "fireImmediately": True}
    ]
    assert (config["taskWidth"], config["pager"]) == (480, True)


def test_the_island_cannot_be_closed_by_a_value() -> None:
    content = {"type": "helper.join", "items": [inp("text"), out("label")], "by": ""}
    section = draw({"type": "view.text", "content": content}, {"text": "</script><script>alert(1)</script>"})
    assert len(section.find_all("script")) == 1
    assert island(section)["exprs"][0]["items"][0]["value"] == "</script><script>alert(1)</script>"


def test_a_list_field_draws_its_items_and_a_template_for_more() -> None:
    view = {
        "type": "field.list",
        "data": out("names"),
        "label": "Names",
        "buttonLabel": "Add a name",
        "render": {"type": "field.text", "data": {"type": "data.relative", "path": "name"}, "label": "Name"},
    }
    section = draw(view, values=[{"names": [{"name": "Ann"}, {"name": "Bo"}]}])
    field = section.find("fieldset", class_="kv-list-field")
    assert (field.attrs["data-output"], field.attrs["data-kv-kind"]) == ("names", "list")
    items = field.find("ol").find_all("li", class_="kv-list-item")
    assert [item.find("input").attrs["value"] for item in items] == ["Ann", "Bo"]
    assert all(item.find("input").attrs["data-relative"] == "name" for item in items)
    template = field.find("template")
    assert template.find("input").attrs.get("value") is None
    assert field.find("button", class_="kv-list-add").text == "Add a name"


def test_errors_from_the_server_sit_next_to_the_template_field() -> None:
    section = draw(
        {"type": "view.list", "items": [{"type": "field.text", "data": out("label"), "label": "Label"}]},
        errors={(0, "label"): "a value is required"},
    )
    field = section.find(data_kv_field="label")
    assert field.find("p", class_="kv-error").text == "a value is required"
    assert field.find("input").attrs["aria-invalid"] == "true"


def test_labeled_lists_link_groups_and_action_buttons_are_drawn() -> None:
    entry = {"label": "Name", "content": {"type": "view.text", "content": inp("text")}, "hint": "given"}
    links = [{"url": "https://example.com/a", "content": "A"}, {"url": "javascript:alert(1)", "content": "B"}]
    action = {"type": "action.set", "data": out("label"), "payload": inp("text")}
    items = [
        {"type": "view.labeled-list", "items": [entry]},
        {"type": "view.link-group", "links": links},
        {"type": "view.action-button", "label": "Say yes", "action": action},
    ]
    section = draw({"type": "view.list", "items": items}, {"text": "<Ann>"})
    assert unsupported(section) == []
    entries = section.find("dl", class_="kv-labeled-list")
    assert (entries.find("dt").text, entries.find("dd").find("p").text) == ("Name", "<Ann>")
    drawn = section.find("ul", class_="kv-link-group").find_all("li")
    assert drawn[0].find("a").attrs["href"] == "https://example.com/a"
    assert not drawn[1].find_all("a")
    button = section.find("button", class_="kv-action-button")
    assert (button.text, button.attrs["type"]) == ("Say yes", "button")
    assert island(section)["exprs"][int(str(button.attrs["data-kv-action"]))] == {
        "type": "action.set", "data": out("label"), "payload": {"type": "kv.value", "value": "<Ann>"},
    }  # fmt: skip


def test_the_suite_lists_what_it_could_not_draw_once_each_in_page_order() -> None:
    from kvorum.web.taskview import TaskView, draw_suite

    sparkles = {"type": "view.sparkles"}
    view = {"type": "view.list", "items": [sparkles, {"type": "view.text", "content": "a"}, sparkles]}
    task_spec = spec(view, [{"type": "plugin.confetti"}])
    suite = draw_suite(task_spec, [TaskView({}), TaskView({})])
    assert suite.notices == ("Unsupported component: plugin.confetti", "Unsupported component: view.sparkles")
    assert str(suite.html).count("Unsupported component: view.sparkles") == 4
    drawn = draw_suite(spec({"type": "view.text", "content": "a"}), [TaskView({})])
    assert drawn.notices == ()


def test_the_suite_notices_an_undrawable_config_and_an_ignored_script() -> None:
    from kvorum.web.taskview import TaskView, draw_suite
    from kvorum.web.taskview.builder import NOT_A_CONFIG
    from kvorum.web.taskview.classic import SCRIPT_NOTICE

    broken = {"output_spec": {}, "view_spec": {"type": "tb", "config": "[1, 2", "lock": {}}}
    assert draw_suite(broken, [TaskView({})]).notices == (f"Unsupported component: {NOT_A_CONFIG}",)
    classic = {"output_spec": {}, "view_spec": {"type": "classic", "markup": "<p>x</p>", "script": "run()"}}
    assert draw_suite(classic, [TaskView({})]).notices == (SCRIPT_NOTICE,)
