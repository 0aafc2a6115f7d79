"""A user restriction as answered."""

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.user_restriction import UserRestrictionIn


class UserRestrictionOut(UserRestrictionIn):
    """A restriction: the keys that were set, its id and when it was set."""

    id: str
    created: UtcDateTime
