"""The one source of "now": every time-dependent rule reads it, so tests move time instead of sleeping."""

from datetime import UTC, datetime, timedelta


def truncate(moment: datetime) -> datetime:
    """Cut to the millisecond precision the API returns, so returned times round-trip through filters."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class Clock:
    """Wall-clock time as naive UTC, truncated to milliseconds."""

    def now(self) -> datetime:
        return truncate(datetime.now(UTC).replace(tzinfo=None))


class SettableClock(Clock):
    """A clock that stands still until a test sets or advances it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = truncate(start or datetime(2030, 1, 1, 12, 0, 0))

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = truncate(moment)

    def advance(self, delta: timedelta) -> None:
        self._now = truncate(self._now + delta)


class ShiftedClock(Clock):
    """Wall-clock time moved forward by a settable amount: a live test server's way to skip time."""

    def __init__(self) -> None:
        self.shift = timedelta()

    def now(self) -> datetime:
        return truncate(super().now() + self.shift)
