"""What the demo runs: kvorum's configuration, the static baseline, the crowd and the items.

The same crowd (the seed draws every worker's traits) and the same items go through both
configurations, so the figures differ only by what the configuration does."""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from kvorum.simulate import CrowdSpec, GroundTruth, generate
from kvorum.simulate.crowd import DEFAULT_GROUPS
from kvorum.simulate.truth import Item

CLASSES = 4
TRAINING_TASKS = 10


@dataclass(frozen=True, slots=True)
class Plan:
    """One configuration of the project and pool. Every feature can be switched off on its own
    (the benchmark does, to show what each one buys)."""

    name: str = "kvorum"
    training: bool = True
    golden_ban: bool = True
    fast_ban: bool = True
    dynamic_overlap: bool = True
    method: str = "DAWID_SKENE"
    real_per_suite: int = 8
    control_per_suite: int = 2
    overlap: int = 1
    """The starting overlap under dynamic overlap."""
    max_overlap: int = 5
    static_overlap: int = 3
    """The overlap of every task when dynamic overlap is off."""
    min_confidence: float = 0.9
    golden_history: int = 10
    golden_min_answers: int = 6
    golden_max_incorrect_percent: int = 50
    skill_min_answers: int = 2
    skill_tiers: tuple[tuple[int, int], ...] = ((90, 90), (75, 80), (0, 60))
    """(control answers right at least this %, skill set): SET_SKILL rules that weigh answers for
    dynamic overlap. Tiers rather than the raw rate, so that a lucky start (4 of 4 right) does not
    make one answer count as certain."""
    fast_seconds_per_task: float = 2.0
    fast_suites: int = 2
    """Banned at this many fast suites among the last five."""
    """A suite submitted faster than this per task is a fast answer."""
    training_tasks: int = TRAINING_TASKS
    training_passing_percent: int = 80
    reward: Decimal = Decimal("0.01")
    bonus: Decimal = Decimal("0.01")
    bonus_min_skill: int = 90
    """Workers whose measured skill reaches this get `bonus` at the end."""

    @property
    def uses_control(self) -> bool:
        return self.golden_ban or self.dynamic_overlap or self.method == "DAWID_SKENE"

    @property
    def suite_size(self) -> int:
        return self.real_per_suite + (self.control_per_suite if self.uses_control else 0)

    def features(self) -> list[str]:
        """What this configuration does, one line each, for the report."""
        lines = []
        if self.training:
            lines.append(f"training: {self.training_tasks} tasks, pass at {self.training_passing_percent}%")
        if self.uses_control:
            lines.append(f"{self.control_per_suite} control tasks per suite of {self.real_per_suite} real")
        if self.golden_ban:
            lines.append(
                f"golden-set ban: over {self.golden_max_incorrect_percent}% wrong of the last "
                f"{self.golden_history} control answers (at least {self.golden_min_answers})"
            )
        if self.fast_ban:
            lines.append(
                f"fast-answer ban: {self.fast_suites} of the last 5 suites in under "
                f"{self.fast_seconds_per_task * self.suite_size:g} s"
            )
        if self.dynamic_overlap:
            lines.append(
                f"dynamic overlap {self.overlap} -> {self.max_overlap}, "
                f"min confidence {self.min_confidence:g}, answers weighed by the skill from control answers"
            )
        else:
            lines.append(f"static overlap {self.static_overlap}")
        lines.append(f"aggregation: {self.method}")
        return lines


BASELINE = Plan(
    name="baseline",
    training=False,
    golden_ban=False,
    fast_ban=False,
    dynamic_overlap=False,
    method="MAJORITY_VOTE",
    real_per_suite=10,
    control_per_suite=0,
    static_overlap=5,
    bonus=Decimal(0),
)
"""Static overlap 5, no rules, majority vote."""

ABLATIONS = {
    "no training": {"training": False},
    "no golden-set ban": {"golden_ban": False},
    "no fast-answer ban": {"fast_ban": False},
    "static overlap 3": {"dynamic_overlap": False},
    "majority vote": {"method": "MAJORITY_VOTE"},
}
"""kvorum with one feature switched off, by the name the benchmark prints."""


def ablation(name: str, plan: Plan | None = None) -> Plan:
    return replace(plan or Plan(), name=f"kvorum, {name}", **ABLATIONS[name])  # type: ignore[arg-type]


def crowd(workers: int, prefix: str = "demo") -> CrowdSpec:
    """15% spammers (10% random, 5% constant), 25% mediocre (accuracy 0.6-0.75), the rest honest
    (0.8-0.95)."""
    groups = {
        **DEFAULT_GROUPS,
        "random_spammer": replace(DEFAULT_GROUPS["random_spammer"], share=0.10),
        "constant_spammer": replace(DEFAULT_GROUPS["constant_spammer"], share=0.05),
        "mediocre": replace(DEFAULT_GROUPS["mediocre"], share=0.25),
    }
    return CrowdSpec(workers=workers, groups=groups, prefix=prefix)


@dataclass(frozen=True, slots=True)
class Items:
    """The ground truth split into the real tasks, the control tasks and the training tasks."""

    truth: GroundTruth
    real: tuple[Item, ...]
    control: tuple[Item, ...]
    training: tuple[Item, ...] = field(default=())


def items(tasks: int, seed: int, training_tasks: int = TRAINING_TASKS) -> Items:
    """`tasks` real items, then control items (5%, at least 20), then twice a training suite."""
    control = max(20, tasks // 20)
    truth = generate(classes=CLASSES, tasks=tasks + control + 2 * training_tasks, seed=seed)
    real, rest = truth.items[:tasks], truth.items[tasks:]
    return Items(truth, real, rest[:control], rest[control:])
