"""Pool request bodies, with every setting of Toloka's pool reference."""

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kvorum.schemas.common import Bool, Int, Metadata, Number, Str, UtcDateTime, Wire
from kvorum.schemas.ids import ObjectId
from kvorum.schemas.quality_control import QualityControl, TaskDistributionFunction

MIN_REWARD = 0.005


class PoolDefaults(Wire):
    default_overlap_for_new_task_suites: Int = Field(ge=1, le=30_000)
    default_overlap_for_new_tasks: Int | None = Field(default=None, ge=1, le=30_000)


class IssuingConfig(Wire):
    issue_task_suites_in_creation_order: Bool | None = None


class SpeedQualityBalance(Wire):
    type: Literal["TOP_PERCENTAGE_BY_QUALITY", "BEST_CONCURRENT_USERS_BY_QUALITY"]
    percent: Int | None = Field(default=None, ge=1, le=100)
    count: Int | None = Field(default=None, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _one_measure(self) -> "SpeedQualityBalance":
        wanted, other = (
            ("percent", "count") if self.type == "TOP_PERCENTAGE_BY_QUALITY" else ("count", "percent")
        )
        if getattr(self, wanted) is None:
            raise PydanticCustomError("VALUE_REQUIRED", f"{wanted} is required with type {self.type}")
        if getattr(self, other) is not None:
            raise PydanticCustomError("VALUE_NOT_ALLOWED", f"{other} does not go with type {self.type}")
        return self


class OverlapField(Wire):
    name: Str = Field(min_length=1)


class DynamicOverlapConfig(Wire):
    type: Literal["BASIC"]
    max_overlap: Int = Field(ge=1, le=30_000)
    min_confidence: Number = Field(ge=0, le=1)
    answer_weight_skill_id: ObjectId
    fields: list[OverlapField] = Field(min_length=1, max_length=100)


class PricingInterval(Wire):
    from_: Int | None = Field(default=None, alias="from", ge=0, le=100)
    to: Int | None = Field(default=None, ge=0, le=100)
    reward_per_assignment: Number = Field(ge=MIN_REWARD, le=1000)


class DynamicPricingConfig(Wire):
    type: Literal["SKILL"]
    skill_id: ObjectId
    intervals: list[PricingInterval] = Field(min_length=1, max_length=100)


class MixerConfig(Wire):
    """Smart mixing: how many real, control and training tasks make one suite."""

    real_tasks_count: Int = Field(ge=0, le=10_000)
    golden_tasks_count: Int = Field(ge=0, le=10_000)
    training_tasks_count: Int = Field(ge=0, le=10_000)
    min_real_tasks_count: Int | None = Field(default=None, ge=0)
    min_golden_tasks_count: Int | None = Field(default=None, ge=0)
    min_training_tasks_count: Int | None = Field(default=None, ge=0)
    force_last_assignment: Bool | None = None
    force_last_assignment_delay_seconds: Int | None = Field(default=None, ge=0, le=86_400)
    mix_tasks_in_creation_order: Bool | None = None
    shuffle_tasks_in_task_suite: Bool | None = None
    golden_task_distribution_function: TaskDistributionFunction | None = None
    training_task_distribution_function: TaskDistributionFunction | None = None

    @field_validator("min_real_tasks_count", "min_golden_tasks_count", "min_training_tasks_count")
    @classmethod
    def _min_within_count(cls, value: int | None, info: ValidationInfo) -> int | None:
        count_field = str(info.field_name).removeprefix("min_")
        count = info.data.get(count_field)
        if value is not None and count is not None and value > count:
            raise PydanticCustomError(
                "VALUE_GREATER_THAN_MAX", f"{info.field_name} must not exceed {count_field} ({count})"
            )
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> "MixerConfig":
        if self.real_tasks_count + self.golden_tasks_count + self.training_tasks_count == 0:
            raise PydanticCustomError("VALUE_LESS_THAN_MIN", "a task suite needs at least one task")
        return self


class TrainingConfig(Wire):
    training_skill_ttl_days: Int | None = Field(default=None, ge=1, le=3650)


class PoolIn(Wire):
    """What a requester sends to create or update a pool."""

    project_id: ObjectId
    private_name: Str = Field(min_length=1, max_length=1000)
    private_comment: Str | None = Field(default=None, max_length=10_000)
    public_description: Str | None = Field(default=None, max_length=10_000)
    public_instructions: Str | None = Field(default=None, max_length=1_000_000)
    may_contain_adult_content: Bool
    will_expire: UtcDateTime
    reward_per_assignment: Number = Field(ge=0, le=1000)
    assignment_max_duration_seconds: Int = Field(ge=1, le=7 * 86_400)
    defaults: PoolDefaults
    auto_close_after_complete_delay_seconds: Int | None = Field(default=None, ge=0, le=259_200)
    auto_accept_solutions: Bool | None = None
    auto_accept_period_day: Int | None = Field(default=None, ge=1, le=21)
    assignments_issuing_config: IssuingConfig | None = None
    priority: Int | None = Field(default=None, ge=-100, le=100)
    filter: dict[Str, object] | None = Field(
        default=None, description="A filter tree: {'and': [...]}, {'or': [...]} or a condition"
    )
    quality_control: QualityControl | None = None
    speed_quality_balance: SpeedQualityBalance | None = None
    dynamic_overlap_config: DynamicOverlapConfig | None = None
    dynamic_pricing_config: DynamicPricingConfig | None = None
    mixer_config: MixerConfig | None = None
    training_config: TrainingConfig | None = None
    metadata: Metadata | None = None

    @field_validator("reward_per_assignment")
    @classmethod
    def _reward_minimum(cls, value: float) -> float:
        if 0 < value < MIN_REWARD:
            raise PydanticCustomError(
                "VALUE_LESS_THAN_MIN",
                f"the minimum reward is {MIN_REWARD} (0 only for training and control tasks)",
            )
        return value


class PoolPatch(Wire):
    priority: Int = Field(ge=-100, le=100)
