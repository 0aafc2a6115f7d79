"""Per-requester quotas, counted in the database so that every server process shares them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from kvorum.services.context import Context
from kvorum.services.errors import TooManyRequests
from kvorum.store import quotas as store

WINDOWS = {"MIN": timedelta(minutes=1), "DAY": timedelta(days=1)}
WINDOW_WORDS = {"MIN": "minute", "DAY": "day"}


@dataclass(frozen=True)
class Quota:
    name: str
    limit: int
    window: str


def quotas_for(ctx: Context, action: str) -> list[Quota]:
    """The quotas of an action (`pool_create`, `training_clone`, ...) as configured."""
    settings = ctx.settings
    return [
        Quota(f"{action}_per_minute", getattr(settings, f"quota_{action}_per_minute"), "MIN"),
        Quota(f"{action}_per_day", getattr(settings, f"quota_{action}_per_day"), "DAY"),
    ]


def _window_start(now: datetime, window: str) -> datetime:
    if window == "DAY":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return now.replace(second=0, microsecond=0)


def charge(ctx: Context, conn: Connection, *, requester_id: int, action: str, amount: int = 1) -> None:
    """Count `amount` against every quota of `action` inside the caller's transaction.

    Raising rolls the transaction back, so a refused request is not counted. The 429 payload
    carries `interval` only for day windows: toloka-kit 1.2.3 crashes on `"interval": "MIN"`
    instead of waiting, so for minute windows it retries with its usual backoff and then
    raises TooManyRequestsApiError.
    """
    now = ctx.clock.now()
    for quota in quotas_for(ctx, action):
        start = _window_start(now, quota.window)
        used = store.consume(
            conn, requester_id=requester_id, quota=quota.name, window_start=start, amount=amount
        )
        if used > quota.limit:
            payload: dict[str, object] = {"quota": quota.name, "limit": quota.limit, "window": quota.window}
            if quota.window != "MIN":
                payload["interval"] = quota.window
            raise TooManyRequests(
                f"Quota {quota.name} exceeded: at most {quota.limit} per {WINDOW_WORDS[quota.window]}",
                payload,
            )
        if used == amount:
            store.forget_before(
                conn, requester_id=requester_id, quota=quota.name, before=start - WINDOWS[quota.window]
            )
