"""The quality events of a pool: every action its rules (and its project's) took, and why."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from kvorum.services import search as search_rules
from kvorum.services.context import Context
from kvorum.services.pools.service import load
from kvorum.store import quality as store

SEARCH = search_rules.SearchSpec(
    exact={"user_id": search_rules.numeric_id, "collector_type": search_rules.text_value},
    ranges={"id": search_rules.numeric_id, "created": search_rules.date_time},
    sorts=frozenset({"id", "created"}),
    default_limit=50,
    max_limit=1000,
)


@dataclass(frozen=True, slots=True)
class QualityEvent:
    id: int
    pool_id: int
    worker_id: int
    assignment_id: str | None
    """The assignment the event concerned, when there was one."""
    source: str
    """POOL or PROJECT: whose quality_control holds the rule."""
    collector_type: str
    collector_uuid: str
    rule_index: int
    values: Mapping[str, Any]
    """The collector's condition keys when the rule fired."""
    action: Mapping[str, Any]
    outcome: Mapping[str, Any]
    """What the action changed: the restriction made, the skill value set, the assignments reviewed."""
    created: datetime

    @classmethod
    def from_row(cls, row: Row[Any]) -> "QualityEvent":
        return cls(
            id=row.id,
            pool_id=row.pool_id,
            worker_id=row.worker_id,
            assignment_id=row.assignment_id,
            source=row.source,
            collector_type=row.collector_type,
            collector_uuid=row.collector,
            rule_index=row.rule_index,
            values=row.values,
            action=row.action,
            outcome=row.outcome,
            created=row.created,
        )


def find(
    ctx: Context, *, caller: int, pool_id: str, params: dict[str, str]
) -> search_rules.Page[QualityEvent]:
    """The pool's (or training's) quality events, oldest first unless sorted otherwise."""
    with ctx.db.read() as conn:
        pool = load(conn, caller=caller, pool_type=None, pool_id=pool_id)
    return search_rules.fetch_page(
        ctx,
        SEARCH,
        params,
        lambda conn, search: store.find_events(conn, owner_id=caller, pool_id=pool.id, search=search),
        QualityEvent.from_row,
    )
