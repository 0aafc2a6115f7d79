"""The report in the terminal: rich tables, kvorum's configuration next to the baseline."""

from collections import Counter

from rich.console import Console
from rich.table import Table

from kvorum.demo.report import Figures, Report

BEHAVIOURS = ("honest", "mediocre", "random_spammer", "constant_spammer")


def _spread(counts: Counter[int]) -> str:
    return "  ".join(f"{n}: {counts[n]}" for n in sorted(counts))


def summary(report: Report) -> Table:
    """The side-by-side figures."""
    ours, base = report.ours, report.baseline
    table = Table(title=f"Quality and cost: {report.workers} simulated workers, seed {report.seed}")
    table.add_column("")
    table.add_column(ours.name, justify="right")
    table.add_column(base.name, justify="right")
    rows = [
        ("accuracy", f"{ours.accuracy:.3f}", f"{base.accuracy:.3f}"),
        ("tasks labelled", f"{ours.labelled}/{ours.tasks}", f"{base.labelled}/{base.tasks}"),
        ("answers per real task", f"{ours.answers_per_task:.2f}", f"{base.answers_per_task:.2f}"),
        (
            "answers to control / training",
            f"{ours.control_answers} / {ours.training_answers}",
            f"{base.control_answers} / {base.training_answers}",
        ),
        ("answers per task (tasks)", _spread(ours.answer_counts), _spread(base.answer_counts)),
        ("final overlap (tasks)", _spread(ours.final_overlaps), _spread(base.final_overlaps)),
        ("rewards, USD", f"{ours.rewards:.2f}", f"{base.rewards:.2f}"),
        ("bonuses, USD", f"{ours.bonuses:.2f}", f"{base.bonuses:.2f}"),
        ("total cost, USD", f"{ours.cost:.2f}", f"{base.cost:.2f}"),
        ("workers banned", str(len(ours.bans)), str(len(base.bans))),
        ("kept out by the training", str(ours.kept_out_by_training), str(base.kept_out_by_training)),
        (
            "crowd time (server clock)",
            f"{ours.simulated_seconds / 3600:.1f} h",
            f"{base.simulated_seconds / 3600:.1f} h",
        ),
        ("crowd passes (coming back while tasks grow)", str(ours.passes), str(base.passes)),
        ("wall time", f"{ours.elapsed_seconds:.0f} s", f"{base.elapsed_seconds:.0f} s"),
    ]
    for label, left, right in rows:
        table.add_row(label, left, right)
    for label in ours.per_class:
        table.add_row(f"accuracy on {label}", _class(ours, label), _class(base, label))
    return table


def _class(figures: Figures, label: str) -> str:
    right, total = figures.per_class[label]
    return f"{right / total:.3f} ({total})" if total else "-"


def behaviours(figures: Figures) -> Table:
    """Per behaviour: workers, banned, kept out, true accuracy and measured skill on average."""
    table = Table(title=f"The crowd under {figures.name}: true accuracy against the skill kvorum measured")
    for column in (
        "behaviour",
        "workers",
        "banned",
        "kept out by training",
        "true accuracy",
        "measured skill",
    ):
        table.add_column(column, justify="right" if column != "behaviour" else "left")
    for behaviour in sorted({line.behaviour for line in figures.workers}):
        lines = [line for line in figures.workers if line.behaviour == behaviour]
        accuracies = [line.true_accuracy for line in lines if line.true_accuracy is not None]
        skills = [line.skill for line in lines if line.skill is not None]
        table.add_row(
            behaviour,
            str(len(lines)),
            str(sum(line.banned for line in lines)),
            str(sum(line.passed_training is False for line in lines)),
            f"{sum(accuracies) / len(accuracies):.3f}" if accuracies else "-",
            f"{sum(skills) / len(skills):.0f} ({len(skills)})" if skills else "-",
        )
    return table


def bans(figures: Figures, limit: int = 10) -> Table:
    table = Table(title=f"Bans under {figures.name} (first {limit} of {len(figures.bans)})")
    for column in ("worker", "behaviour", "why", "when (s into the run)"):
        table.add_column(column)
    for line in figures.bans[:limit]:
        table.add_row(line.worker, line.behaviour, line.why, f"{line.at_seconds:.0f}")
    return table


def show(console: Console, report: Report) -> None:
    console.print(summary(report))
    console.print(behaviours(report.ours))
    if report.ours.bans:
        console.print(bans(report.ours))
