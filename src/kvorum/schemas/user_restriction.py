"""A user restriction as a requester sets it."""

from pydantic import Field

from kvorum.schemas.common import Str, UtcDateTime, Wire
from kvorum.schemas.ids import ObjectId

REQUESTER_SCOPES = ("ALL_PROJECTS", "PROJECT", "POOL")
"""The scopes a requester (or a quality-control rule of theirs) restricts a worker in."""
SCOPES = (*REQUESTER_SCOPES, "SYSTEM")


class UserRestrictionIn(Wire):
    """`scope` decides which id applies: `project_id` for PROJECT, `pool_id` for POOL, none for
    ALL_PROJECTS. SYSTEM restrictions are the platform's, never a requester's."""

    scope: Str
    user_id: ObjectId
    project_id: ObjectId | None = None
    pool_id: ObjectId | None = None
    private_comment: Str | None = Field(default=None, max_length=10_000)
    will_expire: UtcDateTime | None = None
