"""A skill and a worker's value of it, as answered."""

from pydantic import BaseModel

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.owner import Owner
from kvorum.schemas.skill import SkillIn


class SkillOut(SkillIn):
    """A skill: its settings, whether a training grants it, its id, owner and creation time."""

    training: bool
    id: str
    owner: Owner
    created: UtcDateTime


class UserSkillOut(BaseModel):
    """A worker's value of a skill: `value` is its integer part, `exact_value` the value itself."""

    id: str
    skill_id: str
    user_id: str
    value: int
    exact_value: float
    created: UtcDateTime
    modified: UtcDateTime
