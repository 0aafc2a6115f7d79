"""Quota counters shared by every server process: one row per requester, quota and window."""

from datetime import datetime

from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite

from kvorum.store.tables import quota_usage


def consume(conn: Connection, *, requester_id: int, quota: str, window_start: datetime, amount: int) -> int:
    """Add `amount` to the window's counter atomically and return the new total."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(quota_usage).values(
        requester_id=requester_id, quota=quota, window_start=window_start, used=amount
    )
    statement = statement.on_conflict_do_update(
        index_elements=[quota_usage.c.requester_id, quota_usage.c.quota, quota_usage.c.window_start],
        set_={"used": quota_usage.c.used + amount},
    ).returning(quota_usage.c.used)
    return int(conn.execute(statement).scalar_one())


def forget_before(conn: Connection, *, requester_id: int, quota: str, before: datetime) -> None:
    """Drop counters of windows that ended, so the table stays small."""
    conn.execute(
        delete(quota_usage).where(
            quota_usage.c.requester_id == requester_id,
            quota_usage.c.quota == quota,
            quota_usage.c.window_start < before,
        )
    )
