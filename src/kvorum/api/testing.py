"""Only on servers started with KVORUM_TIME_TRAVEL=true: move time forward and run what falls due.

End-to-end tests of expiry, auto-accept and pool closing use it instead of sleeping.
"""

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kvorum.api.auth import context
from kvorum.clock import ShiftedClock
from kvorum.services.assignments import timers
from kvorum.services.pools import lifecycle

router = APIRouter(prefix="/api/testing", tags=["testing"])


class Advance(BaseModel):
    seconds: float = Field(ge=0, le=400 * 86_400)


@router.post("/advance-clock")
def advance_clock(body: Advance, request: Request) -> dict[str, Any]:
    """Move this process's clock forward, then run the timers that fell due."""
    ctx = context(request)
    assert isinstance(ctx.clock, ShiftedClock)
    ctx.clock.shift += timedelta(seconds=body.seconds)
    return {
        "now": ctx.clock.now().isoformat(),
        "expired": timers.expire_due(ctx),
        "auto_accepted": timers.auto_accept_due(ctx),
        "pools_closed": lifecycle.close_due(ctx),
    }
