"""A skill and a worker's value of it, as a requester sets them."""

from pydantic import Field

from kvorum.schemas.common import Bool, Int, Number, Str, Wire
from kvorum.schemas.ids import ObjectId

LocalizedText = dict[Str, Str]
"""A text by language code (EN, RU, ...), as Toloka shows it to workers."""


class SkillIn(Wire):
    """`training` is read-only: a training's skill is made by the training itself."""

    name: Str = Field(min_length=1, max_length=200)
    private_comment: Str | None = Field(default=None, max_length=10_000)
    hidden: Bool = True
    skill_ttl_hours: Int | None = Field(default=None, ge=1)
    public_name: LocalizedText | None = None
    public_requester_description: LocalizedText | None = None


class UserSkillIn(Wire):
    """The value to set: `exact_value` (precise) or `value`, from 0 to 100."""

    skill_id: ObjectId
    user_id: ObjectId
    value: Number | None = Field(default=None, ge=0, le=100)
    exact_value: Number | None = Field(default=None, ge=0, le=100)
