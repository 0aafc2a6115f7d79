"""What every service call needs: the database, the clock, the settings, and who hears of events."""

from dataclasses import dataclass, field

from kvorum.clock import Clock
from kvorum.services.assignments.events import Subscribers
from kvorum.services.subscriptions import subscribers
from kvorum.settings import Settings
from kvorum.store.db import Database


@dataclass(frozen=True)
class Context:
    db: Database
    clock: Clock
    settings: Settings
    events: Subscribers = field(default_factory=subscribers)
