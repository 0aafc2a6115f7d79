"""Classic markup: input values substituted escaped, the result sanitized, the answer form after it."""

from kvorum.web.taskview import TaskView, draw_suite
from tests.web.html_tree import parse


def draw(markup: str, input_values: dict[str, object]) -> str:
    task_spec = {
        "input_spec": {"text": {"type": "string"}},
        "output_spec": {"ok": {"type": "boolean"}},
        "view_spec": {"type": "classic", "markup": markup, "script": "alert(1)"},
    }
    return str(draw_suite(task_spec, [TaskView(input_values)]).html)


def test_a_value_cannot_break_out_of_an_attribute() -> None:
    values = {"url": "https://example.com/?a=1&b=2", "text": '" onmouseover="alert(1)'}
    html = draw("<a href='{{input.url}}' title=\"{{input.text}}\">go</a>", values)
    link = parse(html).find("a")
    assert link.attrs["href"] == "https://example.com/?a=1&b=2"
    assert link.attrs["title"] == '" onmouseover="alert(1)'
    assert "onmouseover" not in link.attrs


def test_hostile_markup_and_hostile_values_are_harmless() -> None:
    html = draw(
        "<p onclick='steal()'>{{text}}</p><a href='javascript:alert(1)'>x</a>{{img src=input.pic}}"
        "<iframe src='https://evil.example'></iframe><style>p{}</style>",
        {"text": "<img src=x onerror=alert(1)>", "pic": "javascript:alert(1)"},
    )
    section = parse(html).find("section")
    assert section.find("p").attrs == {} and section.find("p").text == "<img src=x onerror=alert(1)>"
    assert "href" not in section.find("a").attrs
    assert section.find("img").attrs == {"alt": ""}
    assert not section.find_all("iframe") and not section.find_all("style")
    assert "alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_values_of_any_type_and_other_handlebars() -> None:
    markup = (
        "<p>{{ input.n }}|{{obj}}|{{missing}}|{{#if input.n}}shown{{/if}}|{{field type='input' name='ok'}}"
    )
    markup += "</p>"
    html = draw(markup, {"n": 3, "obj": {"a": [1]}})
    assert parse(html).find("p").text == '3|{"a":[1]}||shown|'
    assert parse(html).find("input", data_output="ok").attrs["type"] == "checkbox"
