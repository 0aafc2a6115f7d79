"""A project built with toloka-kit's template_builder renders as its requester designed it."""

import json

from toloka.client import Project, unstructure
from toloka.client.project import field_spec
from toloka.client.project import template_builder as tb
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.view_spec import ClassicViewSpec, TemplateBuilderViewSpec

from kvorum.schemas.project import ProjectIn
from kvorum.web.taskview import TaskView, draw_suite, has_script, script_notice
from tests.web.html_tree import label_of, parse
from tests.web.tb import unsupported


def stored_task_spec(view_spec: object, output_spec: dict[str, object]) -> dict[str, object]:
    """The task_spec as kvorum stores it after toloka-kit's create_project."""
    project = Project(
        public_name="Animals",
        public_description="What is in the picture?",
        task_spec=TaskSpec(
            input_spec={"image": field_spec.UrlSpec(), "text": field_spec.StringSpec()},
            output_spec=output_spec,
            view_spec=view_spec,
        ),
    )
    stored: dict[str, object] = ProjectIn.model_validate(unstructure(project)).stored()["task_spec"]
    return stored


def animals_view() -> TemplateBuilderViewSpec:
    return TemplateBuilderViewSpec(
        view=tb.ListViewV1(
            [
                tb.ImageViewV1(tb.InputData("image"), ratio=[1, 1], label="Photo"),
                tb.TextViewV1(tb.InputData("text")),
                tb.RadioGroupFieldV1(
                    tb.OutputData("animal"),
                    [tb.GroupFieldOption("cat", "Cat"), tb.GroupFieldOption("dog", "Dog")],
                    label="Who is it?",
                    validation=tb.RequiredConditionV1(hint="Choose one"),
                ),
                tb.IfHelperV1(
                    tb.EqualsConditionV1("dog", tb.OutputData("animal")),
                    tb.TextFieldV1(tb.OutputData("breed"), label="Breed"),
                ),
            ]
        ),
        plugins=[
            tb.HotkeysPluginV1(
                key_1=tb.SetActionV1(tb.OutputData("animal"), "cat"),
                key_2=tb.SetActionV1(tb.OutputData("animal"), "dog"),
            ),
            tb.TolokaPluginV1(layout=tb.TolokaPluginV1.TolokaPluginLayout(kind="scroll", task_width=500)),
        ],
    )


def test_a_template_builder_project_from_toloka_kit_renders_every_part() -> None:
    task_spec = stored_task_spec(
        animals_view(),
        {
            "animal": field_spec.StringSpec(allowed_values=["cat", "dog"]),
            "breed": field_spec.StringSpec(required=False),
        },
    )
    tasks = [TaskView({"image": f"https://example.com/{n}.png", "text": f"Task <{n}>"}) for n in range(3)]
    root = parse(str(draw_suite(task_spec, tasks).html))
    sections = root.find_all("section", class_="kv-task")
    assert [section.attrs["data-task-index"] for section in sections] == ["0", "1", "2"]
    for number, section in enumerate(sections):
        assert unsupported(section) == []
        assert section.find("img").attrs["src"] == f"https://example.com/{number}.png"
        assert section.find("p", class_="kv-text").text == f"Task <{number}>"
        radios = section.find_all("input", type="radio")
        assert [label_of(root, radio) for radio in radios] == ["Cat", "Dog"]
        assert {radio.attrs["data-output"] for radio in radios} == {"animal"}
        assert section.find(class_="kv-validated").attrs["data-kv-message"] == "Choose one"
        branch = section.find("div", class_="kv-branch")
        assert "hidden" in branch.attrs and branch.find("input", data_output="breed")
        config = json.loads(section.find("script", class_="kv-task-config").text)
        assert config["hotkeys"]["2"] == {
            "type": "action.set",
            "data": {"type": "data.output", "path": "animal"},
            "payload": "dog",
        }
        assert config["taskWidth"] == 500


def test_a_classic_project_from_toloka_kit_renders_markup_and_the_form_without_its_script() -> None:
    view = ClassicViewSpec(
        markup="<h3>{{input.text}}</h3><img src='{{input.image}}' onerror='alert(1)'>"
        "<p onclick='x()'>{{text}}</p>",
        script="exports = Task.extend({ onRender: function () { alert(document.cookie); } });",
        styles=".x { color: red }",
    )
    task_spec = stored_task_spec(view, {"animal": field_spec.StringSpec(allowed_values=["cat", "dog"])})
    html = str(
        draw_suite(task_spec, [TaskView({"image": "https://example.com/a.png", "text": "<b>A</b>"})]).html
    )
    section = parse(html).find("section")
    assert section.find("h3").text == "<b>A</b>"
    assert section.find("img").attrs == {"src": "https://example.com/a.png"}
    assert section.find("p").attrs == {}
    assert [radio.attrs["value"] for radio in section.find_all("input", type="radio")] == ['"cat"', '"dog"']
    assert "alert" not in html and "color: red" not in html
    assert has_script(task_spec)
    assert parse(str(script_notice(task_spec))).find("p").attrs["role"] == "note"
    assert str(script_notice({"view_spec": {"type": "classic", "markup": "x", "script": " "}})) == ""
