"""The demo's run: each configuration set up through the requester API, the same simulated crowd
working it, the answers aggregated through the API, and what the report needs read back."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from kvorum.demo import pools
from kvorum.demo.plan import BASELINE, Items, Plan, crowd
from kvorum.demo.requester import Requester
from kvorum.simulate import Accounts, Simulation, SimulationResult, simulate

MAX_PASSES = 4
"""Under dynamic overlap a worker who finds nothing free leaves, while tasks may still grow; the
crowd comes back (at most this many times in all) while the pool still takes answers."""

Observer = Callable[[str, int, int], None]
"""Called with the configuration's name, the assignments taken so far and the number expected."""


@dataclass(frozen=True, slots=True)
class Options:
    tasks: int = 2000
    workers: int = 200
    seed: int = 1
    max_seconds: float = 600.0
    """For each configuration's crowd, in wall-clock seconds."""
    connections: int = 32
    prefix: str = "demo"
    """The simulated workers' account names: `<prefix>-0001`..."""


@dataclass(slots=True)
class PlanRun:
    """One configuration after its crowd: what was made, every pass of the crowd, and the readings."""

    plan: Plan
    made: pools.Made
    passes: list[SimulationResult]
    labels: dict[str, dict[str, Any]]
    """Aggregated labels by task id."""
    tasks: list[dict[str, Any]]
    skills: dict[str, float]
    """The skill kvorum measured, by worker id."""
    restrictions: list[dict[str, Any]]
    bonuses: Decimal
    elapsed_seconds: float


class RememberedAccounts:
    """The crowd's tokens asked once and kept, so that a crowd coming back reuses them."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.tokens: dict[str, str] = {}

    def worker_tokens(self, names: Sequence[str]) -> list[str]:
        missing = [name for name in names if name not in self.tokens]
        if missing:
            self.tokens.update(zip(missing, self.accounts.worker_tokens(missing), strict=True))
        return [self.tokens[name] for name in names]


def expected_assignments(plan: Plan, options: Options) -> int:
    """About how many assignments the crowd takes on `plan` (for a progress bar)."""
    overlap = (plan.overlap + plan.max_overlap) / 2.5 if plan.dynamic_overlap else plan.static_overlap
    training = options.workers if plan.training else 0
    return training + round(options.tasks * overlap / plan.real_per_suite)


async def run_plan(
    url: str, token: str, plan: Plan, items: Items, options: Options, accounts: Accounts, observe: Observer
) -> PlanRun:
    """Set `plan` up, let the crowd work it until it is done (or the time is up), aggregate."""
    started = time.monotonic()
    server = Requester(url, requester_token=token, connections=options.connections)
    try:
        made = await pools.create(server, plan, items)
        work = (made.pool_id,) if made.training_id is None else (made.training_id, made.pool_id)
        expected = expected_assignments(plan, options)
        passes: list[SimulationResult] = []
        while len(passes) < MAX_PASSES and time.monotonic() - started < options.max_seconds:
            progress = partial(_observed, observe, plan.name, sum(r.assignments for r in passes), expected)
            simulation = Simulation(
                crowd=crowd(options.workers, options.prefix),
                seed=options.seed,
                url=url,
                pools=work,
                max_assignments=options.tasks * 10 + options.workers * 10,
                max_seconds=max(1.0, options.max_seconds - (time.monotonic() - started)),
                connections=options.connections,
            )
            result = await simulate(
                simulation,
                items.truth,
                accounts,
                progress,
            )
            passes.append(result)
            answered = any(answer.pool_id == made.pool_id for answer in result.answers)
            if not plan.dynamic_overlap or not answered or result.stopped_by != "done":
                break
            work = (made.pool_id,)
        weight = made.skill_id if plan.method == "WEIGHTED_DYNAMIC_OVERLAP" else None
        labels = await server.aggregate(made.pool_id, plan.method, pools.OUTPUT, weight)
        tasks = [task async for task in server.tasks(made.pool_id)]
        skills = {}
        if made.skill_id is not None:
            skills = {
                str(item["user_id"]): float(item["exact_value"])
                async for item in server.skills(made.skill_id)
            }
        bonuses = await _bonuses(server, plan, skills)
        restrictions = [
            item
            async for item in server.restrictions()
            if item.get("pool_id") == made.pool_id or item.get("project_id") == made.project_id
        ]
    finally:
        await server.aclose()
    elapsed = time.monotonic() - started
    return PlanRun(plan, made, passes, labels, tasks, skills, restrictions, bonuses, elapsed)


def _observed(observe: Observer, name: str, before: int, expected: int, now: SimulationResult) -> None:
    observe(name, before + now.assignments, expected)


async def _bonuses(server: Requester, plan: Plan, skills: dict[str, float]) -> Decimal:
    """A bonus to every worker whose measured skill reaches the plan's bar; their sum."""
    if plan.bonus <= 0:
        return Decimal(0)
    chosen = [user_id for user_id, value in skills.items() if value >= plan.bonus_min_skill]
    for user_id in chosen:
        await server.give_bonus(
            {
                "user_id": user_id,
                "amount": float(plan.bonus),
                "public_title": {"EN": "Accurate work"},
                "public_message": {"EN": "Thank you for your accurate answers to the control tasks."},
                "without_message": False,
            }
        )
    return plan.bonus * len(chosen)


async def run_both(
    url: str, token: str, items: Items, options: Options, accounts: Accounts, observe: Observer, plan: Plan
) -> tuple[PlanRun, PlanRun]:
    """`plan` and the static baseline, the same crowd on the same items."""
    remembered = RememberedAccounts(accounts)
    ours = await run_plan(url, token, plan, items, options, remembered, observe)
    baseline = await run_plan(url, token, BASELINE, items, options, remembered, observe)
    return ours, baseline
