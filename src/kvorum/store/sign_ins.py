"""Failed sign-ins, by subject (an account name or a client address), for the rate limit."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from kvorum.store.tables import sign_in_failures


def record(conn: Connection, *, subjects: Sequence[str], now: datetime) -> None:
    conn.execute(insert(sign_in_failures), [{"subject": subject, "at": now} for subject in subjects])


def since(conn: Connection, *, subject: str, start: datetime) -> tuple[int, datetime | None]:
    """How many failures the subject had after `start`, and the earliest of them."""
    query = select(func.count(), func.min(sign_in_failures.c.at)).where(
        sign_in_failures.c.subject == subject, sign_in_failures.c.at > start
    )
    count, earliest = conn.execute(query).one()
    return int(count), earliest


def forget(conn: Connection, *, subject: str) -> None:
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.subject == subject))


def forget_before(conn: Connection, *, before: datetime) -> None:
    """Drop failures too old to count, so the table stays as small as the window."""
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= before))


def forgive(conn: Connection, *, subject: str) -> None:
    """Drop the subject's latest failure: the attempt counted in advance that turned out right."""
    latest = select(func.max(sign_in_failures.c.id)).where(sign_in_failures.c.subject == subject)
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.id == latest.scalar_subquery()))
