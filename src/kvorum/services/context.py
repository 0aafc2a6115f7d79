"""What every service call needs: the database, the clock and the settings."""

from dataclasses import dataclass

from kvorum.clock import Clock
from kvorum.settings import Settings
from kvorum.store.db import Database


@dataclass(frozen=True)
class Context:
    db: Database
    clock: Clock
    settings: Settings
