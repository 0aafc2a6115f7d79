"""A pool as answered: its settings as they were sent, and what the platform keeps about it."""

from typing import Literal

from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.owner import Owner
from kvorum.schemas.pool import PoolIn

PoolStatus = Literal["OPEN", "CLOSED", "ARCHIVED", "LOCKED"]
CloseReason = Literal["MANUAL", "FOR_UPDATE", "EXPIRED", "COMPLETED"]


class PoolState(BaseModel):
    """What a pool or training answer adds to its settings; the last_* keys once they apply."""

    id: str
    status: PoolStatus
    created: UtcDateTime
    owner: Owner
    last_started: UtcDateTime | SkipJsonSchema[None] = None
    last_stopped: UtcDateTime | SkipJsonSchema[None] = None
    last_close_reason: CloseReason | SkipJsonSchema[None] = None


class PoolOut(PoolIn, PoolState):
    """A pool: the settings exactly as stored, its state, and `type` REGULAR."""

    type: Literal["REGULAR"]
