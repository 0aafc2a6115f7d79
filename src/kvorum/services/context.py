"""What every service call needs: the database, the clock, the settings, and who hears of events."""

from dataclasses import dataclass, field

from kvorum.clock import Clock
from kvorum.services.assignments.events import Subscribers
from kvorum.settings import Settings
from kvorum.store.db import Database


def _everyone() -> Subscribers:
    """Every subscription. Imported when a Context is made: the subscribers (quality rules that
    review assignments) use services that take a Context themselves."""
    from kvorum.services.subscriptions import subscribers

    return subscribers()


@dataclass(frozen=True)
class Context:
    db: Database
    clock: Clock
    settings: Settings
    events: Subscribers = field(default_factory=_everyone)
