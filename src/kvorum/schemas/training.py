"""Training request body (a training pool)."""

from pydantic import Field

from kvorum.schemas.common import Bool, Int, Metadata, Str, Wire
from kvorum.schemas.ids import ObjectId


class TrainingIn(Wire):
    """What a requester sends to create or update a training."""

    project_id: ObjectId
    private_name: Str = Field(min_length=1, max_length=1000)
    private_comment: Str | None = Field(default=None, max_length=10_000)
    may_contain_adult_content: Bool
    training_tasks_in_task_suite_count: Int = Field(ge=1, le=10_000)
    task_suites_required_to_pass: Int | None = Field(default=None, ge=1, le=10_000)
    assignment_max_duration_seconds: Int | None = Field(default=None, ge=1, le=7 * 86_400)
    mix_tasks_in_creation_order: Bool | None = None
    shuffle_tasks_in_task_suite: Bool | None = None
    retry_training_after_days: Int | None = Field(default=None, ge=1, le=3650)
    inherited_instructions: Bool = False
    public_instructions: Str | None = Field(default=None, max_length=1_000_000)
    metadata: Metadata | None = None
