"""Project request body."""

from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from kvorum.schemas.common import Bool, Int, Metadata, Str, Wire
from kvorum.schemas.quality_control import QualityControl
from kvorum.schemas.task_spec import TaskSpec


class IssuingViewConfig(Wire):
    title_template: Str | None = None
    description_template: Str | None = None
    map_provider: Literal["YANDEX", "GOOGLE"] | None = None


class Translation(Wire):
    value: Str
    source: Str | None = None


class AdditionalLanguage(Wire):
    language: Str
    public_name: Translation | None = None
    public_description: Translation | None = None
    public_instructions: Translation | None = None


class LocalizationConfig(Wire):
    default_language: Str | None = None
    additional_languages: list[AdditionalLanguage] | None = None


class ProjectIn(Wire):
    """What a requester sends to create or update a project."""

    public_name: Str = Field(min_length=1, max_length=1000)
    public_description: Str = Field(min_length=1, max_length=10_000)
    public_instructions: Str | None = Field(default=None, max_length=1_000_000)
    private_comment: Str | None = Field(default=None, max_length=10_000)
    task_spec: TaskSpec
    assignments_issuing_type: Literal["AUTOMATED", "MAP_SELECTOR"] = "AUTOMATED"
    assignments_issuing_view_config: IssuingViewConfig | None = None
    assignments_automerge_enabled: Bool | None = None
    max_active_assignments_count: Int | None = Field(default=None, ge=1, le=10_000)
    quality_control: QualityControl | None = None
    localization_config: LocalizationConfig | None = None
    metadata: Metadata | None = None

    @model_validator(mode="after")
    def _map_needs_view(self) -> "ProjectIn":
        if self.assignments_issuing_type == "MAP_SELECTOR" and self.assignments_issuing_view_config is None:
            raise PydanticCustomError(
                "VALUE_REQUIRED", "assignments_issuing_view_config is required with MAP_SELECTOR issuing"
            )
        return self

    def stored(self) -> dict[str, Any]:
        return self.wire()
