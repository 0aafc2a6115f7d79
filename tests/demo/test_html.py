"""The HTML report opens offline: no external reference of any kind, and every text from the run
(worker names, ban reasons, the database URL) is escaped."""

from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser

from kvorum.demo import html
from kvorum.demo.report import BanLine, Figures, Report, WorkerLine

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _figures(name: str) -> Figures:
    worker = WorkerLine(HOSTILE, "honest", 0.9, 90.0, 12, True, True)
    return Figures(
        name=name,
        features=[f"rule {HOSTILE}"],
        tasks=4,
        labelled=4,
        correct=3,
        per_class={"class-1": (2, 2), HOSTILE: (1, 2)},
        real_answers=9,
        control_answers=2,
        training_answers=10,
        answer_counts=Counter({2: 3, 3: 1}),
        final_overlaps=Counter({2: 3, 3: 1}),
        rewards=Decimal("0.03"),
        bonuses=Decimal("0.01"),
        bans=[BanLine(HOSTILE, "honest", f"why {HOSTILE}", 12.0)],
        kept_out_by_training=1,
        workers=[worker],
        elapsed_seconds=1.0,
        simulated_seconds=60.0,
        passes=1,
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


def test_the_report_has_no_external_reference_and_escapes_every_name() -> None:
    report = Report(
        _figures("kvorum"),
        _figures("baseline"),
        "http://127.0.0.1:8080",
        "sqlite:///kvorum-data/kvorum.db",
        1,
        1,
        2.0,
    )
    page = html.render(report)

    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "link" not in parser.tags
    names = {name for name, _ in parser.attributes}
    assert not names & {"src", "href", "xlink:href", "onerror", "action", "srcset"}
    text_only = page.replace(report.url, "").replace(report.database, "")
    assert "url(" not in page and "@import" not in page and "//" not in text_only
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert {"svg", "rect", "circle", "table"} <= set(parser.tags)
