"""The report as one HTML file a browser opens offline: inline SVG charts drawn here, inline CSS,
no script and no external reference; every text from the run is escaped."""

from collections import Counter
from collections.abc import Sequence
from html import escape

from kvorum.demo.report import Figures, Report

COLOURS = ("#2b6cb0", "#c05621")
BEHAVIOUR_COLOURS = {
    "honest": "#2f855a",
    "mediocre": "#b7791f",
    "random_spammer": "#c53030",
    "constant_spammer": "#6b46c1",
}
WIDTH, HEIGHT, MARGIN = 520, 240, 40
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #1a202c; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #cbd5e0; padding: 3px 8px; }
th { background: #edf2f7; } td.n { text-align: right; } .charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; } figcaption { font-weight: 600; } svg text { font: 11px system-ui, sans-serif; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _line(x1: float, y1: float, x2: float, y2: float, colour: str = "#4a5568") -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}"/>'


def _bars(
    title: str, groups: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], top: float
) -> str:
    """Grouped bars: one group per label, one bar per series, scaled to `top`."""
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    slot = inner_w / max(1, len(groups))
    bar = slot * 0.8 / max(1, len(series))
    parts = [_line(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN)]
    for g, group in enumerate(groups):
        x0 = MARGIN + g * slot + slot * 0.1
        for s, (_, values) in enumerate(series):
            value = values[g]
            h = inner_h * (value / top if top else 0)
            x, y = x0 + s * bar, HEIGHT - MARGIN - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{COLOURS[s % 2]}">'
                f"<title>{_e(series[s][0])}, {_e(group)}: {value:g}</title></rect>"
            )
        middle = x0 + slot * 0.4
        parts.append(
            f'<text x="{middle:.1f}" y="{HEIGHT - MARGIN + 14}" text-anchor="middle">{_e(group)}</text>'
        )
    parts.append(f'<text x="{MARGIN}" y="{MARGIN - 8}">max {top:g}</text>')
    return _figure(title, parts, [name for name, _ in series], COLOURS)


def _figure(title: str, parts: list[str], legend: Sequence[str], colours: Sequence[str]) -> str:
    keys = "".join(
        f'<rect x="{WIDTH - 150}" y="{8 + 16 * i}" width="10" height="10" fill="{colours[i]}"/>'
        f'<text x="{WIDTH - 135}" y="{17 + 16 * i}">{_e(name)}</text>'
        for i, name in enumerate(legend)
    )
    svg = (
        f'<svg width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{_e(title)}">{"".join(parts)}{keys}</svg>'
    )
    return f"<figure><figcaption>{_e(title)}</figcaption>{svg}</figure>"


def _scatter(figures: Figures) -> str:
    """Each worker: true accuracy (x) against the measured skill (y), coloured by behaviour."""
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    parts = [
        _line(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN),
        _line(MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN),
        _line(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, MARGIN, "#cbd5e0"),
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle">true accuracy (0-1)</text>',
        f'<text x="4" y="{MARGIN - 8}">measured skill (0-100)</text>',
    ]
    for line in figures.workers:
        if line.true_accuracy is None or line.skill is None:
            continue
        x = MARGIN + inner_w * line.true_accuracy
        y = HEIGHT - MARGIN - inner_h * line.skill / 100
        colour = BEHAVIOUR_COLOURS.get(line.behaviour, "#718096")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" fill-opacity="0.7">'
            f"<title>{_e(line.worker)} ({_e(line.behaviour)}): "
            f"{line.true_accuracy:.2f} vs {line.skill:g}</title></circle>"
        )
    return _figure(
        f"{figures.name}: each worker's true accuracy and measured skill",
        parts,
        list(BEHAVIOUR_COLOURS),
        list(BEHAVIOUR_COLOURS.values()),
    )


def _distribution(title: str, report: Report, of: str) -> str:
    counts: list[Counter[int]] = [getattr(report.ours, of), getattr(report.baseline, of)]
    keys = sorted(set(counts[0]) | set(counts[1]))
    series = [
        (f.name, [float(c[k]) for k in keys])
        for f, c in zip((report.ours, report.baseline), counts, strict=True)
    ]
    top = max([value for _, values in series for value in values] or [1.0])
    return _bars(title, [str(k) for k in keys], series, top)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(cell)}</td>' if isinstance(cell, int | float) else f"<td>{_e(cell)}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _f(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(report: Report) -> str:
    """The whole page."""
    ours, base = report.ours, report.baseline
    both = (ours, base)
    labels = list(ours.per_class)
    per_class = [(f.name, [f.per_class[lb][0] / max(1, f.per_class[lb][1]) for lb in labels]) for f in both]
    summary_rows: list[list[object]] = [
        ["accuracy", _f(ours.accuracy), _f(base.accuracy)],
        ["tasks labelled", f"{ours.labelled}/{ours.tasks}", f"{base.labelled}/{base.tasks}"],
        ["answers per real task", _f(ours.answers_per_task, 2), _f(base.answers_per_task, 2)],
        ["answers to control tasks", ours.control_answers, base.control_answers],
        ["answers in the training", ours.training_answers, base.training_answers],
        ["rewards, USD", f"{ours.rewards:.2f}", f"{base.rewards:.2f}"],
        ["bonuses, USD", f"{ours.bonuses:.2f}", f"{base.bonuses:.2f}"],
        ["total cost, USD", f"{ours.cost:.2f}", f"{base.cost:.2f}"],
        ["workers banned", len(ours.bans), len(base.bans)],
        ["kept out by the training", ours.kept_out_by_training, base.kept_out_by_training],
        ["wall time, s", round(ours.elapsed_seconds), round(base.elapsed_seconds)],
    ]
    summary_rows += [
        [f"accuracy on {lb}", _f(ours_c), _f(base_c)]
        for lb, ours_c, base_c in zip(labels, per_class[0][1], per_class[1][1], strict=True)
    ]
    charts = [
        _bars(
            "Accuracy per class",
            [*labels, "all"],
            [(n, [*v, f.accuracy]) for (n, v), f in zip(per_class, both, strict=True)],
            1.0,
        ),
        _distribution("Real tasks by number of answers", report, "answer_counts"),
        _distribution("Real tasks by final overlap", report, "final_overlaps"),
        _bars(
            "Cost, USD",
            ["rewards", "bonuses", "total"],
            [(f.name, [float(f.rewards), float(f.bonuses), float(f.cost)]) for f in both],
            max(float(f.cost) for f in both) or 1.0,
        ),
        _scatter(ours),
    ]
    bans = _table(
        ["worker", "behaviour", "why", "when (s into the run, server clock)"],
        [[b.worker, b.behaviour, b.why, round(b.at_seconds)] for b in ours.bans],
    )
    workers = _table(
        [
            "worker",
            "behaviour",
            "answers in the pool",
            "true accuracy",
            "measured skill",
            "banned",
            "passed training",
        ],
        [
            [
                w.worker,
                w.behaviour,
                w.answers,
                _f(w.true_accuracy),
                "-" if w.skill is None else w.skill,
                "yes" if w.banned else "",
                {None: "-", True: "yes", False: "no"}[w.passed_training],
            ]
            for w in ours.workers
        ],
    )
    features = "".join(
        f"<h3>{_e(f.name)}</h3><ul>{''.join(f'<li>{_e(line)}</li>' for line in f.features)}</ul>"
        for f in both
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>kvorum demo: quality and cost</title><style>{STYLE}</style></head>
<body>
<h1>Quality and cost on a simulated crowd</h1>
<p>{report.workers} simulated workers, {ours.tasks} real tasks, seed {report.seed}; server {_e(report.url)};
database {_e(report.database)}; the whole run took {report.elapsed_seconds:.0f} s.</p>
<h2>The two configurations</h2>{features}
<h2>Side by side</h2>{_table(["", ours.name, base.name], summary_rows)}
<div class="charts">{"".join(charts)}</div>
<h2>Workers banned under {_e(ours.name)} ({len(ours.bans)})</h2>{bans}
<h2>Every worker under {_e(ours.name)}</h2>{workers}
</body></html>
"""
