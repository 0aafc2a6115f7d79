"""A bonus, as answered."""

from kvorum.schemas.bonus import UserBonusIn
from kvorum.schemas.common import UtcDateTime


class UserBonusOut(UserBonusIn):
    """A bonus: what was given, its id and when. `amount` is answered as a decimal string ("0.50")."""

    id: str
    created: UtcDateTime
