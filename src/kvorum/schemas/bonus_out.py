"""A bonus, as answered."""

from pydantic import BaseModel

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.skill import LocalizedText


class UserBonusOut(BaseModel):
    """A bonus: what was given, its id and when. `amount` is answered as decimal text ("0.50")."""

    id: str
    user_id: str
    amount: str
    assignment_id: str | None = None
    private_comment: str | None = None
    public_title: LocalizedText | None = None
    public_message: LocalizedText | None = None
    without_message: bool
    created: UtcDateTime
