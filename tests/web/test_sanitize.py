"""The allow-list sanitizer against hostile requester HTML."""

import pytest

from kvorum.web.sanitize import sanitize_html
from tests.web.html_tree import parse

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<body onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<a href=' javascript:alert(1)'>x</a>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='/api'><input name=a><button>go</button></form>",
    "<style>body{display:none}</style>",
    "<p style='position:fixed;top:0'>cover</p>",
    "<math><mi xlink:href='javascript:alert(1)'>m</mi></math>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<base href='https://evil.example/'>",
    "<link rel=stylesheet href='https://evil.example/x.css'>",
    "<div id=solutions class=kv-task>clobber</div>",
    "<template><script>alert(1)</script></template>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src='/api/worker/v1/me'>",
]


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_loses_every_active_part(html: str) -> None:
    root = parse(sanitize_html(html))
    for node in root.walk():
        assert node.tag not in {"script", "style", "iframe", "object", "embed", "form", "input", "meta",
                                "base", "link", "svg", "math", "template", "body", "button"}  # fmt: skip
        for name, value in node.attrs.items():
            assert not name.startswith("on")
            assert name not in {"style", "id", "class", "action", "xlink:href"}
            if name in {"href", "src"}:
                assert value is not None
                assert value.startswith(("https://", "http://", "mailto:")), value
    assert "<script" not in str(sanitize_html(html)).lower()


def test_script_text_is_dropped_with_its_element() -> None:
    assert "alert" not in sanitize_html("<p>a</p><script>alert(1)</script><p>b</p>")


def test_ordinary_formatting_survives() -> None:
    html = (
        "<h2>Read</h2><p><b>bold</b> <em>it</em> <code>x</code></p><ul><li>one</li></ul>"
        "<table><tr><th scope='col'>h</th></tr><tr><td colspan='2'>d</td></tr></table>"
        "<img src='https://example.com/a.png' alt='a cat'>"
    )
    root = parse(sanitize_html(html))
    assert root.find("h2").text == "Read"
    assert root.find("b").text == "bold"
    assert root.find("li").text == "one"
    assert root.find("td").attrs["colspan"] == "2"
    image = root.find("img")
    assert image.attrs == {"src": "https://example.com/a.png", "alt": "a cat"}


def test_links_open_apart_from_the_page() -> None:
    link = parse(sanitize_html("<a href='https://example.com/' target='_self' rel='opener'>go</a>")).find("a")
    assert link.attrs["href"] == "https://example.com/"
    assert link.attrs["rel"] == "noopener noreferrer"
    assert link.attrs["target"] == "_blank"


def test_text_is_escaped_not_interpreted() -> None:
    assert str(sanitize_html("1 < 2 & 3 > 2")) == "1 &lt; 2 &amp; 3 &gt; 2"
