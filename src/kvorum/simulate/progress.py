"""A rich progress bar with the run's live figures, fed by the run's observer calls."""

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from kvorum.simulate.result import SimulationResult
from kvorum.simulate.run import Observer


@contextmanager
def progress_bar(console: Console, expected_assignments: int) -> Iterator[Observer]:
    """An observer that moves a bar towards `expected_assignments` and shows answers, skips and bans."""
    columns = (
        TextColumn("[bold]crowd"),
        BarColumn(),
        TextColumn("{task.completed:>6.0f}/{task.total:.0f} assignments"),
        TextColumn("{task.fields[figures]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, refresh_per_second=8) as bar:
        task = bar.add_task("crowd", total=expected_assignments, figures="")

        def observe(result: SimulationResult) -> None:
            figures = (
                f"answers {result.answer_count}  skips {result.skips}  "
                f"walked away {result.abandoned}  bans seen {len(result.bans)}"
            )
            bar.update(task, completed=result.assignments, figures=figures)

        yield observe


def summary(result: SimulationResult) -> list[str]:
    """The figures of a finished run, a line each, for the terminal."""
    accuracy = "n/a" if result.accuracy is None else f"{result.accuracy:.3f}"
    clock = f", the server's clock moved {result.simulated_seconds:.0f} s" if result.time_travel else ""
    return [
        f"pools {', '.join(result.pools)}: {len(result.workers)} workers, stopped: {result.stopped_by}",
        f"assignments {result.assignments}, answers {result.answer_count}, skips {result.skips}, "
        f"walked away {result.abandoned}, bans seen {len(result.bans)}",
        f"raw answer accuracy {accuracy}, rewards {result.cost} USD",
        f"elapsed {result.elapsed_seconds:.1f} s{clock}",
    ]
