"""`kvorum demo`: kvorum's quality control against a static baseline, on one simulated crowd.

Like the simulator it is a client of the public HTTP API only: the requester's calls shaped as
toloka-kit makes them, the crowd through the worker API. `demo` sets up both configurations on a
live server, runs the crowd through each, aggregates through the API and returns the `Report`
(`terminal.show` prints it, `html.render` makes the offline page).
"""

import time

from kvorum.demo.plan import ABLATIONS, BASELINE, Plan, ablation, crowd, items
from kvorum.demo.report import Figures, Report, figures
from kvorum.demo.run import Observer, Options, run_both
from kvorum.simulate import Accounts, SimulationError

__all__ = [
    "ABLATIONS",
    "BASELINE",
    "Figures",
    "Observer",
    "Options",
    "Plan",
    "Report",
    "SimulationError",
    "ablation",
    "crowd",
    "demo",
    "items",
]


async def demo(
    url: str,
    token: str,
    accounts: Accounts,
    options: Options,
    observe: Observer,
    *,
    database: str = "",
    plan: Plan | None = None,
) -> Report:
    """Both configurations on the same crowd and items; the report."""
    started = time.monotonic()
    chosen = plan or Plan()
    work = items(options.tasks, options.seed, chosen.training_tasks)
    ours, baseline = await run_both(url, token, work, options, accounts, observe, chosen)
    return Report(
        ours=figures(ours, work),
        baseline=figures(baseline, work),
        url=url,
        database=database,
        seed=options.seed,
        workers=options.workers,
        elapsed_seconds=time.monotonic() - started,
    )
