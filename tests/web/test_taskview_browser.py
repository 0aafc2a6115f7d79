"""taskview.js in Chromium: keyboard-only work, answer-dependent branches, validation, serialisation."""

import json
from pathlib import Path
from typing import Any

from kvorum.web.taskview import TaskView, draw_suite
from tests.web.browser_page import Site
from tests.web.tb import inp, out, spec

SCREENSHOTS = Path("test-artifacts/screenshots")
ANIMALS = {
    "type": "view.list",
    "items": [
        {"type": "view.image", "url": inp("image"), "label": "Photo"},
        {"type": "view.text", "content": inp("text")},
        {
            "type": "field.radio-group",
            "data": out("animal"),
            "label": "Who is it?",
            "options": [{"value": "cat", "label": "Cat"}, {"value": "dog", "label": "Dog"}],
            "validation": {"type": "condition.required", "hint": "Choose one"},
        },
        {
            "type": "helper.if",
            "condition": {"type": "condition.equals", "data": out("animal"), "to": "dog"},
            "then": {"type": "field.text", "data": out("breed"), "label": "Breed"},
        },
        {
            "type": "view.text",
            "content": {"type": "helper.join", "items": ["Chosen:", out("animal")], "by": " "},
        },
    ],
}
OUTPUTS = {
    "animal": {"type": "string", "allowed_values": ["cat", "dog"]},
    "breed": {"type": "string", "required": False},
}


def show(site: Site, page: Any, task_spec: dict[str, Any], inputs: list[dict[str, Any]]) -> None:
    site.suite = str(draw_suite(task_spec, [TaskView(values) for values in inputs]).html)
    page.goto(f"{site.url}/page")


def posted(site: Site) -> list[dict[str, Any]]:
    assert len(site.posts) == 1, site.posts
    solutions: list[dict[str, Any]] = json.loads(site.posts[0]["solutions"][0])
    return solutions


def animals(site: Site, page: Any) -> None:
    inputs = [{"image": f"https://example.invalid/{n}.png", "text": f"Animal {n}"} for n in (1, 2)]
    show(site, page, spec(ANIMALS, output_spec=OUTPUTS), inputs)


def test_a_suite_is_done_with_the_keyboard_alone(site: Site, page: Any) -> None:
    animals(site, page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.kv-task').dataset.taskIndex") == "0"
    page.keyboard.press("2")
    assert page.locator("section[data-task-index='0']").get_by_label("Breed").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("husky")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.kv-task').dataset.taskIndex") == "1"
    page.keyboard.press("1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "taskview-suite-390px.png", full_page=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit")
    assert posted(site) == [
        {"output_values": {"animal": "dog", "breed": "husky"}},
        {"output_values": {"animal": "cat"}},
    ]


def test_a_branch_follows_the_answer_and_a_hidden_field_is_not_sent(site: Site, page: Any) -> None:
    animals(site, page)
    first = page.locator("section[data-task-index='0']")
    breed = first.get_by_label("Breed")
    assert not breed.is_visible()
    first.get_by_label("Dog").check()
    assert breed.is_visible()
    breed.fill("collie")
    assert first.locator("p.kv-text").last.text_content() == "Chosen: dog"
    first.get_by_label("Cat").check()
    assert not breed.is_visible()
    assert first.locator("p.kv-text").last.text_content() == "Chosen: cat"
    solutions = page.evaluate("window.kvTaskview.solutions()")
    assert solutions[0] == {"output_values": {"animal": "cat"}}


def test_required_validation_stops_the_submit_until_answered(site: Site, page: Any) -> None:
    animals(site, page)
    page.get_by_role("button", name="Submit").click()
    errors = page.locator(".kv-client-error")
    assert errors.count() == 2
    assert errors.first.text_content() == "Choose one"
    assert page.evaluate("document.activeElement.closest('.kv-task').dataset.taskIndex") == "0"
    assert site.posts == []
    page.locator("section[data-task-index='0']").get_by_label("Cat").check()
    page.locator("section[data-task-index='1']").get_by_label("Cat").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/submit")
    assert [solution["output_values"] for solution in posted(site)] == [{"animal": "cat"}, {"animal": "cat"}]


def test_skip_is_not_held_back_by_validation(site: Site, page: Any) -> None:
    animals(site, page)
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url("**/submit")
    assert site.posts[0]["action"] == ["skip"]


def test_hotkeys_act_on_the_focused_task(site: Site, page: Any) -> None:
    view = {
        "type": "field.radio-group",
        "data": out("animal"),
        "label": "Who?",
        "options": [{"value": "cat", "label": "Cat"}, {"value": "dog", "label": "Dog"}],
    }
    plugins = [
        {"type": "plugin.hotkeys", "d": {"type": "action.set", "data": out("animal"), "payload": "dog"},
         "n": {"type": "action.set", "data": out("note"), "payload": inp("text")}},
    ]  # fmt: skip
    show(site, page, spec(view, plugins, OUTPUTS), [{"text": "first"}, {"text": "second"}])
    page.locator("section[data-task-index='1']").get_by_label("Cat").focus()
    page.keyboard.press("d")
    page.keyboard.press("n")
    assert page.locator("section[data-task-index='1']").get_by_label("Dog").is_checked()
    assert not page.locator("section[data-task-index='0']").get_by_label("Dog").is_checked()
    assert page.evaluate("window.kvTaskview.solutions()") == [
        {"output_values": {}},
        {"output_values": {"animal": "dog", "note": "second"}},
    ]


def test_a_trigger_sets_one_answer_from_another(site: Site, page: Any) -> None:
    view = {"type": "field.text", "data": out("name"), "label": "Name"}
    plugins = [
        {"type": "plugin.trigger", "onChangeOf": out("name"),
         "condition": {"type": "condition.required", "data": out("name")},
         "action": {"type": "action.set", "data": out("seen"), "payload": True}},
    ]  # fmt: skip
    show(site, page, spec(view, plugins), [{}])
    assert page.evaluate("window.kvTaskview.solutions()") == [{"output_values": {}}]
    page.get_by_label("Name").fill("Ann")
    assert page.evaluate("window.kvTaskview.solutions()") == [
        {"output_values": {"name": "Ann", "seen": True}}
    ]


def test_every_kind_of_control_is_sent_with_its_type(site: Site, page: Any) -> None:
    task_spec = {
        "input_spec": {"t": {"type": "string"}},
        "output_spec": {
            "count": {"type": "integer"},
            "sure": {"type": "boolean"},
            "extra": {"type": "json"},
            "level": {"type": "integer", "allowed_values": [1, 2, 3]},
            "note": {"type": "string"},
        },
        "view_spec": {"type": "classic", "markup": "<p>{{input.t}}</p>"},
    }
    show(site, page, task_spec, [{"t": "<script>alert(1)</script>"}])
    assert page.locator("section p").first.text_content() == "<script>alert(1)</script>"
    page.get_by_label("count").fill("7")
    page.get_by_label("sure").check()
    page.get_by_label("extra").fill('{"a": [1, 2]}')
    page.get_by_label("2").check()
    page.get_by_label("note").fill("fine")
    assert page.evaluate("window.kvTaskview.solutions()") == [
        {"output_values": {"count": 7, "sure": True, "extra": {"a": [1, 2]}, "level": 2, "note": "fine"}}
    ]


def test_template_fields_of_every_kind_are_read(site: Site, page: Any) -> None:
    view = {
        "type": "view.list",
        "items": [
            {"type": "field.select", "data": out("size"), "label": "Size",
             "options": [{"value": 1, "label": "Small"}, {"value": 2, "label": "Big"}]},
            {"type": "field.checkbox-group", "data": out("tags"), "label": "Tags",
             "options": [{"value": "a", "label": "Alpha"}, {"value": "b", "label": "Beta"}]},
            {"type": "field.button-radio-group", "data": out("mood"), "label": "Mood",
             "options": [{"value": "up", "label": "Up"}, {"value": "down", "label": "Down"}]},
            {"type": "field.number", "data": out("weight"), "label": "Weight"},
            {"type": "field.list", "data": out("names"), "label": "Names",
             "render": {"type": "field.text", "data": {"type": "data.relative"}, "label": "Name"}},
        ],
    }  # fmt: skip
    show(site, page, spec(view), [{}])
    page.get_by_label("Size").select_option(label="Big")
    page.get_by_label("Beta").check()
    page.get_by_label("Down").check()
    page.get_by_label("Weight").fill("2.5")
    page.get_by_role("button", name="Add").click()
    page.keyboard.type("Ann")
    page.get_by_role("button", name="Add").click()
    page.keyboard.type("Bo")
    assert page.evaluate("window.kvTaskview.solutions()") == [
        {"output_values": {"size": 2, "tags": {"a": False, "b": True}, "mood": "down", "weight": 2.5,
                           "names": ["Ann", "Bo"]}}
    ]  # fmt: skip


def test_the_task_width_is_applied_without_an_inline_style(site: Site, page: Any) -> None:
    plugins = [{"type": "plugin.toloka", "layout": {"kind": "scroll", "taskWidth": 300}}]
    show(site, page, spec({"type": "view.text", "content": "a"}, plugins), [{}])
    assert page.evaluate("getComputedStyle(document.querySelector('.kv-task')).maxWidth") == "300px"


def test_the_pager_layout_shows_one_task_at_a_time(site: Site, page: Any) -> None:
    plugins = [{"type": "plugin.toloka", "layout": {"kind": "pager"}}]
    inputs = [{"image": "https://example.invalid/a.png", "text": f"Animal {n}"} for n in (1, 2)]
    show(site, page, spec(ANIMALS, plugins, OUTPUTS), inputs)
    first, second = page.locator("section[data-task-index='0']"), page.locator("section[data-task-index='1']")
    assert first.is_visible() and not second.is_visible()
    first.get_by_label("Cat").check()
    page.get_by_role("button", name="Next task").click()
    assert second.is_visible() and not first.is_visible()
    assert page.locator(".kv-pager span").text_content() == "Task 2 of 2"
    page.get_by_role("button", name="Previous task").click()
    page.get_by_role("button", name="Submit").click()
    assert second.is_visible() and second.locator(".kv-client-error").text_content() == "Choose one"
    second.get_by_label("Dog").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/submit")
    assert [solution["output_values"] for solution in posted(site)] == [{"animal": "cat"}, {"animal": "dog"}]


def test_a_list_item_is_validated_with_its_own_value(site: Site, page: Any) -> None:
    name = {"type": "data.relative", "path": "name"}
    view = {
        "type": "field.list",
        "data": out("people"),
        "label": "People",
        "render": {
            "type": "view.list",
            "items": [
                {"type": "field.text", "data": name, "label": "Name",
                 "validation": {"type": "condition.required", "hint": "Name them"}},
                {"type": "helper.if", "condition": {"type": "condition.equals", "data": name, "to": "Ann"},
                 "then": {"type": "view.text", "content": "Hello Ann"}},
            ],
        },
    }  # fmt: skip
    show(site, page, spec(view), [{}])
    page.get_by_role("button", name="Add").click()
    page.get_by_role("button", name="Add").click()
    names = page.get_by_label("Name")
    names.nth(0).fill("Ann")
    assert page.get_by_text("Hello Ann").filter(visible=True).count() == 1
    page.get_by_role("button", name="Submit").click()
    assert page.locator(".kv-client-error").all_text_contents() == ["Name them"]
    assert site.posts == []
    names.nth(1).fill("Bo")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/submit")
    assert posted(site) == [{"output_values": {"people": [{"name": "Ann"}, {"name": "Bo"}]}}]


PARITY = [
    {"type": "condition.required", "data": out("a")},
    {"type": "condition.required", "data": out("missing")},
    {"type": "condition.empty", "data": out("empty")},
    {"type": "condition.empty", "data": out("list")},
    {"type": "condition.equals", "data": out("n"), "to": 2},
    {"type": "condition.equals", "data": out("n"), "to": 2.0},
    {"type": "condition.equals", "data": out("flag"), "to": 1},
    {"type": "condition.equals", "data": out("obj"), "to": {"y": [1, 2], "x": "s"}},
    {"type": "condition.not", "condition": {"type": "condition.required", "data": out("a")}},
    {"type": "condition.all", "conditions": [True, {"type": "condition.required", "data": out("a")}]},
    {"type": "condition.all", "conditions": []},
    {"type": "condition.any", "conditions": []},
    {"type": "condition.any", "conditions": [False, {"type": "condition.empty", "data": out("a")}]},
    {
        "type": "condition.schema",
        "data": out("a"),
        "schema": {"type": "string", "minLength": 2, "pattern": "^h"},
    },
    {"type": "condition.schema", "data": out("n"), "schema": {"type": "integer", "minimum": 3}},
    {
        "type": "condition.schema",
        "data": out("n"),
        "schema": {"type": ["string", "number"], "exclusiveMaximum": 2},
    },
    {"type": "condition.schema", "data": out("list"), "schema": {"type": "array", "maxItems": 0}},
    {"type": "condition.schema", "data": out("obj"), "schema": {"required": ["x", "z"]}},
    {
        "type": "condition.schema",
        "data": out("obj"),
        "schema": {"properties": {"y": {"items": {"type": "integer"}}}},
    },
    {"type": "condition.schema", "data": out("a"), "schema": {"enum": ["hello", 1]}},
    {
        "type": "helper.if",
        "condition": {"type": "condition.required", "data": out("a")},
        "then": "yes",
        "else": "no",
    },
    {
        "type": "helper.switch",
        "cases": [{"condition": False, "result": 1}, {"condition": True, "result": 2}],
        "default": 3,
    },
    {"type": "helper.switch", "cases": [], "default": out("n")},
    {"type": "helper.join", "items": [out("a"), out("n"), out("missing"), out("obj")], "by": ", "},
    {"type": "helper.replace", "data": out("a"), "find": "l", "replace": "L"},
    {"type": "helper.concat-arrays", "items": [[1], out("list"), [2, 3], "x"]},
    {"type": "helper.text-transform", "data": "hELLO wORLD", "transformation": "capitalize"},
    {"type": "helper.text-transform", "data": out("a"), "transformation": "uppercase"},
    {"type": "data.output", "path": "obj.y.1"},
    {"type": "data.output", "path": "missing", "default": "fallback"},
    {"type": "kv.value", "value": {"type": "view.text"}},
]
ANSWERS = {"a": "hello", "empty": "", "list": [], "n": 2, "flag": True, "obj": {"x": "s", "y": [1, 2]}}


def test_the_browser_evaluates_expressions_as_the_server_does(site: Site, page: Any) -> None:
    from kvorum.web.taskview.expressions import Scope, evaluate

    show(site, page, spec({"type": "view.text", "content": "a"}), [{}])
    in_browser = page.evaluate(
        "([nodes, output]) => nodes.map(node => window.kvTaskview.evaluate(node, "
        "{output: output, internal: {}, local: {}}))",
        [PARITY, ANSWERS],
    )
    on_server = [evaluate(node, Scope(input={}, output=ANSWERS)) for node in PARITY]
    assert list(zip(PARITY, in_browser, strict=True)) == list(zip(PARITY, on_server, strict=True))


def test_an_action_button_sets_an_answer(site: Site, page: Any) -> None:
    view = {
        "type": "view.list",
        "items": [
            {"type": "field.text", "data": out("label"), "label": "Label"},
            {"type": "view.action-button", "label": "Copy the text",
             "action": {"type": "action.set", "data": out("label"), "payload": inp("text")}},
        ],
    }  # fmt: skip
    show(site, page, spec(view), [{"text": "copied"}])
    page.get_by_role("button", name="Copy the text").click()
    assert page.get_by_label("Label").input_value() == "copied"
    assert page.evaluate("window.kvTaskview.solutions()") == [{"output_values": {"label": "copied"}}]
