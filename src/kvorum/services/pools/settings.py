"""The typed read model of a pool's (or training's) stored settings.

A pool's settings are stored as the JSON the requester sent (validated by the schemas on the
way in). `PoolSettings.parse` reads that JSON once; services read attributes, and every default
that Toloka documents for an absent setting lives here and nowhere else.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

TRAINING = "TRAINING"
REGULAR = "REGULAR"

DEFAULT_ASSIGNMENT_DURATION = timedelta(hours=1)
"""assignment_max_duration_seconds of a training that does not set it."""
DEFAULT_AUTO_ACCEPT_PERIOD = timedelta(days=21)
"""How long a submitted assignment waits for review when auto_accept_period_day is absent."""


@dataclass(frozen=True, slots=True)
class Distribution:
    """A task distribution function: every `frequency`-th task while the worker's count of
    completed tasks (in the pool or the project, over `window`) falls in an interval."""

    scope: str
    window: timedelta
    intervals: tuple[tuple[int, int | None, int], ...]
    """(from, to or None for no upper end, frequency)."""

    @classmethod
    def of(cls, spec: Mapping[str, Any]) -> "Distribution":
        intervals = tuple(
            (int(interval.get("from", 1)), interval.get("to"), int(interval["frequency"]))
            for interval in spec["intervals"]
        )
        return cls(spec["scope"], timedelta(days=spec["window_days"]), intervals)

    @classmethod
    def parse(cls, spec: Mapping[str, Any] | None) -> "Distribution | None":
        return None if spec is None else cls.of(spec)


@dataclass(frozen=True, slots=True)
class MixerSettings:
    """How one suite is drawn: per task role (REAL, GOLDEN, TRAINING) a count and a minimum."""

    counts: Mapping[str, tuple[int, int]]
    in_creation_order: bool
    shuffle: bool
    force_last_assignment: bool
    force_last_assignment_delay: timedelta
    golden_distribution: Distribution | None = None
    training_distribution: Distribution | None = None

    @classmethod
    def of_pool(cls, spec: Mapping[str, Any]) -> "MixerSettings":
        counts = {
            role: (
                spec[f"{name}_tasks_count"],
                spec.get(f"min_{name}_tasks_count", spec[f"{name}_tasks_count"]),
            )
            for role, name in (("REAL", "real"), ("GOLDEN", "golden"), ("TRAINING", "training"))
        }
        return cls(
            counts=counts,
            in_creation_order=spec.get("mix_tasks_in_creation_order", True),
            shuffle=spec.get("shuffle_tasks_in_task_suite", False),
            force_last_assignment=spec.get("force_last_assignment", True),
            force_last_assignment_delay=timedelta(
                seconds=spec.get("force_last_assignment_delay_seconds") or 0
            ),
            golden_distribution=Distribution.parse(spec.get("golden_task_distribution_function")),
            training_distribution=Distribution.parse(spec.get("training_task_distribution_function")),
        )

    @classmethod
    def of_training(cls, spec: Mapping[str, Any]) -> "MixerSettings":
        """A training's suites hold exactly training_tasks_in_task_suite_count training tasks."""
        size = spec["training_tasks_in_task_suite_count"]
        return cls(
            counts={"TRAINING": (size, size)},
            in_creation_order=spec.get("mix_tasks_in_creation_order", True),
            shuffle=spec.get("shuffle_tasks_in_task_suite", True),
            force_last_assignment=True,
            force_last_assignment_delay=timedelta(),
        )

    @property
    def lead_role(self) -> str:
        """The role a suite is built around: what the pool must still have to issue anything."""
        for role in ("REAL", "GOLDEN", "TRAINING"):
            if self.counts.get(role, (0, 0))[0]:
                return role
        return "TRAINING"


@dataclass(frozen=True, slots=True)
class TrainingRequirement:
    training_id: int
    passing_value: int


@dataclass(frozen=True, slots=True)
class PricingInterval:
    low: float
    high: float
    reward: float


@dataclass(frozen=True, slots=True)
class DynamicPricing:
    skill_id: int
    intervals: tuple[PricingInterval, ...]


@dataclass(frozen=True, slots=True)
class SpeedQualityBalance:
    type: str
    percent: int | None
    count: int | None


@dataclass(frozen=True, slots=True)
class DynamicOverlap:
    max_overlap: int
    min_confidence: float
    answer_weight_skill_id: int
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A spot check of one task role: the tasks its function selects get at least `target_overlap`."""

    target_overlap: int
    distribution: Distribution

    @classmethod
    def parse(cls, spec: Mapping[str, Any] | None) -> "Checkpoint | None":
        if spec is None:
            return None
        return cls(spec["target_overlap"], Distribution.of(spec["task_distribution_function"]))


@dataclass(frozen=True, slots=True)
class QualityControlSettings:
    """The stored quality_control object; rules are kept as stored for the rule engine to read."""

    configs: tuple[Mapping[str, Any], ...] = ()
    training_requirement: TrainingRequirement | None = None
    captcha_frequency: str | None = None
    checkpoints: Mapping[str, Checkpoint] = field(default_factory=dict)
    """checkpoints_config by task role (REAL, GOLDEN, TRAINING); empty without one."""

    @classmethod
    def parse(cls, spec: Mapping[str, Any] | None) -> "QualityControlSettings":
        if not spec:
            return cls()
        requirement = spec.get("training_requirement")
        return cls(
            configs=tuple(spec.get("configs") or ()),
            training_requirement=None
            if requirement is None
            else TrainingRequirement(
                int(requirement["training_pool_id"]), requirement["training_passing_skill_value"]
            ),
            captcha_frequency=spec.get("captcha_frequency"),
            checkpoints=_checkpoints(spec.get("checkpoints_config") or {}),
        )


def _checkpoints(spec: Mapping[str, Any]) -> dict[str, Checkpoint]:
    """real_settings, golden_settings and training_settings by the role of the tasks they check."""
    roles = ("REAL", "GOLDEN", "TRAINING")
    parsed = {role: Checkpoint.parse(spec.get(f"{role.lower()}_settings")) for role in roles}
    return {role: checkpoint for role, checkpoint in parsed.items() if checkpoint is not None}


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """Every setting a service acts on, with its default applied."""

    type: str
    reward: float
    assignment_max_duration: timedelta
    will_expire: datetime | None
    priority: int
    public_description: str | None
    public_instructions: str | None
    filter: Mapping[str, Any] | None
    auto_accept: bool
    auto_accept_period: timedelta
    auto_close_delay: timedelta
    issue_suites_in_creation_order: bool
    task_overlap: int | None
    """Overlap given to new tasks with allow_defaults; None when the pool sets no default."""
    suite_overlap: int | None
    mixer: MixerSettings | None
    """None for a pool whose requester uploads ready-made task suites."""
    quality_control: QualityControlSettings
    speed_quality_balance: SpeedQualityBalance | None
    dynamic_pricing: DynamicPricing | None
    dynamic_overlap: DynamicOverlap | None
    training_skill_ttl: timedelta | None
    """training_config.training_skill_ttl_days of a pool: how long the required training's skill lasts."""
    suites_required_to_pass: int
    """Of a training: how many suites a worker submits before the skill is set."""
    retry_after: timedelta | None
    """Of a training: when a worker may take it again (the skill expires then)."""
    private_name: str
    """The requester's name for the pool; a training's skill is named after it."""

    @property
    def is_training(self) -> bool:
        return self.type == TRAINING

    @property
    def zero_reward(self) -> bool:
        """A regular pool that pays nothing: only control and training tasks belong there."""
        return self.type == REGULAR and self.reward == 0

    @classmethod
    def parse(cls, spec: Mapping[str, Any], pool_type: str) -> "PoolSettings":
        training = pool_type == TRAINING
        defaults = spec.get("defaults") or {}
        suite_overlap = defaults.get("default_overlap_for_new_task_suites")
        mixer_spec = spec.get("mixer_config")
        mixer = (
            MixerSettings.of_training(spec)
            if training
            else None
            if mixer_spec is None
            else MixerSettings.of_pool(mixer_spec)
        )
        expires = spec.get("will_expire")
        balance = spec.get("speed_quality_balance")
        pricing = spec.get("dynamic_pricing_config")
        overlap = spec.get("dynamic_overlap_config")
        ttl = (spec.get("training_config") or {}).get("training_skill_ttl_days")
        retry = spec.get("retry_training_after_days")
        return cls(
            type=pool_type,
            reward=float(spec.get("reward_per_assignment", 0)),
            assignment_max_duration=timedelta(seconds=spec["assignment_max_duration_seconds"])
            if spec.get("assignment_max_duration_seconds")
            else DEFAULT_ASSIGNMENT_DURATION,
            will_expire=None if expires is None else datetime.fromisoformat(expires),
            priority=spec.get("priority") or 0,
            public_description=spec.get("public_description"),
            public_instructions=spec.get("public_instructions"),
            filter=spec.get("filter"),
            auto_accept=training or spec.get("auto_accept_solutions", True) is not False,
            auto_accept_period=timedelta(days=spec["auto_accept_period_day"])
            if spec.get("auto_accept_period_day")
            else DEFAULT_AUTO_ACCEPT_PERIOD,
            auto_close_delay=timedelta(seconds=spec.get("auto_close_after_complete_delay_seconds") or 0),
            issue_suites_in_creation_order=bool(
                (spec.get("assignments_issuing_config") or {}).get("issue_task_suites_in_creation_order")
            ),
            task_overlap=defaults.get("default_overlap_for_new_tasks", suite_overlap),
            suite_overlap=suite_overlap,
            mixer=mixer,
            quality_control=QualityControlSettings.parse(spec.get("quality_control")),
            speed_quality_balance=None
            if balance is None
            else SpeedQualityBalance(balance["type"], balance.get("percent"), balance.get("count")),
            dynamic_pricing=None
            if pricing is None
            else DynamicPricing(
                int(pricing["skill_id"]),
                tuple(
                    PricingInterval(
                        interval.get("from", 0),
                        interval.get("to", 100),
                        float(interval["reward_per_assignment"]),
                    )
                    for interval in pricing["intervals"]
                ),
            ),
            dynamic_overlap=None
            if overlap is None
            else DynamicOverlap(
                overlap["max_overlap"],
                float(overlap["min_confidence"]),
                int(overlap["answer_weight_skill_id"]),
                tuple(field["name"] for field in overlap["fields"]),
            ),
            training_skill_ttl=None if not ttl else timedelta(days=ttl),
            suites_required_to_pass=spec.get("task_suites_required_to_pass") or 1,
            retry_after=None if not retry else timedelta(days=retry),
            private_name=spec.get("private_name", ""),
        )
