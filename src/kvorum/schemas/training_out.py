"""A training as answered: its settings as they were sent, and what the platform keeps about it."""

from typing import Literal

from kvorum.schemas.pool_out import PoolState
from kvorum.schemas.training import TrainingIn


class TrainingOut(TrainingIn, PoolState):
    """A training under /trainings: the settings exactly as stored and its state."""


class TrainingAsPoolOut(TrainingOut):
    """A training read under /pools, which shows its `type`."""

    type: Literal["TRAINING"]
