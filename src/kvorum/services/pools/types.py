"""The two pool types (Toloka's pool `type`): REGULAR pools and TRAINING pools (trainings).

They share the table, the id space and the lifecycle; the API names them apart: its messages,
operation types, operation parameters, quota actions and search page sizes differ.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from kvorum.services import search as search_rules
from kvorum.services.pools.model import Pool
from kvorum.services.pools.settings import REGULAR, TRAINING


def _searchable(default_limit: int) -> search_rules.SearchSpec:
    return search_rules.SearchSpec(
        exact={
            "status": search_rules.one_of("OPEN", "CLOSED", "ARCHIVED", "LOCKED"),
            "project_id": search_rules.numeric_id,
        },
        ranges={
            "id": search_rules.numeric_id,
            "created": search_rules.date_time,
            "last_started": search_rules.date_time,
        },
        sorts=frozenset({"id", "created", "last_started"}),
        default_limit=default_limit,
        max_limit=300,
    )


@dataclass(frozen=True)
class PoolType:
    """A stored pool type and the names the API gives pools of that type."""

    value: str
    """REGULAR or TRAINING: stored with the pool and shown as its `type`."""
    noun: str
    """Pool or Training, in messages."""
    operation_prefix: str
    """POOL or TRAINING: the operation types are POOL.OPEN, TRAINING.CLONE, ..."""
    id_key: str
    """pool_id or training_id: the key naming the pool in an operation's parameters and details."""
    quota_prefix: str
    """pool or training: the quotas are pool_create, training_clone, ..."""
    search: search_rules.SearchSpec


REGULAR_POOL = PoolType(REGULAR, "Pool", "POOL", "pool_id", "pool", _searchable(default_limit=20))
TRAINING_POOL = PoolType(
    TRAINING, "Training", "TRAINING", "training_id", "training", _searchable(default_limit=50)
)

POOL_TYPES: Mapping[str, PoolType] = {REGULAR: REGULAR_POOL, TRAINING: TRAINING_POOL}


def type_of(pool: Pool) -> PoolType:
    return POOL_TYPES[pool.type]
