"""Quality and cost on one simulated crowd: kvorum's configuration against a static baseline, and
kvorum with each feature switched off in turn.

    python -m bench.crowd_quality [--tasks 2000] [--workers 200] [--seed 1] [--only NAME ...]
                                  [--max-seconds 300]

A fresh SQLite database and `kvorum serve` in time-travel mode on a free port; every configuration
is set up through the requester API and worked by the same crowd (the seed draws it: 15% spammers,
25% mediocre with accuracy 0.6-0.75, the rest honest with 0.8-0.95) on the same 2,000 real tasks
of 4 classes, as `kvorum demo` does:

- baseline: static overlap 5, no rules, majority vote;
- kvorum: a training, control tasks with a golden-set ban, a fast-answer ban, dynamic overlap
  from 1 to 5 weighed by the skill from control answers, Dawid-Skene;
- kvorum with one feature off: no training, no golden-set ban, no fast-answer ban, static overlap
  3 instead of dynamic overlap, majority vote instead of Dawid-Skene.

Prints a row each (accuracy, answers per real task, answers to control tasks, cost, bans, workers
kept out by the training, wall time) and whether kvorum meets its targets: accuracy >= 0.97 at
<= 2.5 answers per real task, and better than the baseline on accuracy and on cost. Each crowd is
bounded by `--max-seconds` of wall time.
"""

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from kvorum import demo
from kvorum.cli import LocalAccounts, free_port, time_travel_server
from kvorum.clock import Clock
from kvorum.demo.report import Figures, figures
from kvorum.demo.run import RememberedAccounts, run_plan
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import db, migrate

TARGET_ACCURACY = 0.97
TARGET_ANSWERS = 2.5


def plans() -> dict[str, demo.Plan]:
    chosen = {"baseline": demo.BASELINE, "kvorum": demo.Plan()}
    chosen.update({f"kvorum, {name}": demo.ablation(name) for name in demo.ABLATIONS})
    return chosen


def row(figures: Figures) -> str:
    return (
        f"{figures.name:28} accuracy {figures.accuracy:.3f}  answers/task {figures.answers_per_task:4.2f}  "
        f"control {figures.control_answers:5}  cost {figures.cost:6.2f} USD  banned {len(figures.bans):3}  "
        f"kept out {figures.kept_out_by_training:3}  wall {figures.elapsed_seconds:4.0f} s"
    )


async def measure(url: str, token: str, accounts: LocalAccounts, args: argparse.Namespace) -> list[Figures]:
    options = demo.Options(
        tasks=args.tasks, workers=args.workers, seed=args.seed, max_seconds=args.max_seconds
    )
    items = demo.items(args.tasks, args.seed)
    remembered = RememberedAccounts(accounts)
    found = []
    for name, plan in plans().items():
        if args.only and name not in args.only:
            continue
        run = await run_plan(url, token, plan, items, options, remembered, lambda *_: None)
        found.append(figures(run, items))
        print(row(found[-1]), flush=True)
    return found


def verdict(found: list[Figures]) -> list[str]:
    by_name = {figures.name: figures for figures in found}
    ours, base = by_name.get("kvorum"), by_name.get("baseline")
    if ours is None or base is None:
        return []
    checks = [
        (f"accuracy >= {TARGET_ACCURACY}", ours.accuracy >= TARGET_ACCURACY, f"{ours.accuracy:.3f}"),
        (
            f"answers per real task <= {TARGET_ANSWERS}",
            ours.answers_per_task <= TARGET_ANSWERS,
            f"{ours.answers_per_task:.2f}",
        ),
        (
            "more accurate than the baseline",
            ours.accuracy > base.accuracy,
            f"{ours.accuracy:.3f} vs {base.accuracy:.3f}",
        ),
        ("cheaper than the baseline", ours.cost < base.cost, f"{ours.cost:.2f} vs {base.cost:.2f} USD"),
    ]
    return [f"{'met   ' if met else 'MISSED'} {name}: {figure}" for name, met, figure in checks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--only", nargs="*", help="configurations by name (as printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kvorum-crowd-quality-") as folder:
        url = f"sqlite:///{Path(folder) / 'kvorum.db'}"
        engine = db.create(url)
        migrate.upgrade(engine)
        engine.dispose()
        context = Context(db=db.Database(db.create(url)), clock=Clock(), settings=Settings(database_url=url))
        accounts = LocalAccounts(context)
        token = accounts.requester_token("bench")
        port = free_port()
        started = time.monotonic()
        print(
            f"{args.workers} workers, {args.tasks} real tasks, seed {args.seed}, database {url}", flush=True
        )
        log = Path(folder) / "server.log"
        try:
            with time_travel_server(url, port, log):
                found = asyncio.run(measure(f"http://127.0.0.1:{port}", token, accounts, args))
        except demo.SimulationError:
            print(f"the server's log ends:\n{log.read_text(errors='replace')[-3000:]}")
            raise
        context.db.dispose()
    for line in verdict(found):
        print(line)
    print(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
