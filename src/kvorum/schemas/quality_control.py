"""The shape of quality_control, task distribution functions and filters.

These models check structure and ranges; what a collector, condition or action means, and
which of them go together, is the rule language's business in kvorum.services.quality.
"""

from typing import Any, Literal

from pydantic import Field

from kvorum.schemas.common import Int, Str, Wire
from kvorum.schemas.ids import ObjectId

Operator = Literal["EQ", "NE", "GT", "GTE", "LT", "LTE", "IN", "NOT_IN"]


class CollectorConfig(Wire):
    type: Str
    uuid: Str | None = None
    parameters: dict[Str, Any] | None = None


class RuleCondition(Wire):
    key: Str
    operator: Operator
    value: Any = Field(description="A number, boolean or string, depending on the key")


class RuleAction(Wire):
    type: Str
    parameters: dict[Str, Any] | None = None


class Rule(Wire):
    conditions: list[RuleCondition] = Field(min_length=1, max_length=20)
    action: RuleAction


class QualityControlConfig(Wire):
    collector_config: CollectorConfig
    rules: list[Rule] = Field(min_length=1, max_length=100)


class TrainingRequirement(Wire):
    training_pool_id: ObjectId
    training_passing_skill_value: Int = Field(ge=0, le=100)


class DistributionInterval(Wire):
    from_: Int | None = Field(default=None, alias="from", ge=0, le=1_000_000)
    to: Int | None = Field(default=None, ge=0, le=1_000_000)
    frequency: Int = Field(ge=1, le=10_000_000)


class TaskDistributionFunction(Wire):
    """Every `frequency`-th task is selected while the worker's completed count is in [from, to].

    Interval order and overlap are checked by kvorum.services.pools.intervals.
    """

    scope: Literal["POOL", "PROJECT"]
    distribution: Literal["UNIFORM"]
    window_days: Int = Field(ge=1, le=365)
    intervals: list[DistributionInterval] = Field(min_length=1, max_length=10_000)


class CheckpointSettings(Wire):
    target_overlap: Int = Field(ge=1, le=30_000)
    task_distribution_function: TaskDistributionFunction


class CheckpointsConfig(Wire):
    real_settings: CheckpointSettings | None = None
    golden_settings: CheckpointSettings | None = None
    training_settings: CheckpointSettings | None = None


class QualityControl(Wire):
    configs: list[QualityControlConfig] = Field(default_factory=list, max_length=100)
    training_requirement: TrainingRequirement | None = None
    captcha_frequency: Literal["LOW", "MEDIUM", "HIGH"] | None = None
    checkpoints_config: CheckpointsConfig | None = None
