"""A quality event as answered (a kvorum extension: GET /api/v1/pools/{id}/quality-events)."""

from typing import Any, Literal

from pydantic import BaseModel

from kvorum.schemas.common import UtcDateTime


class QualityCollectorOut(BaseModel):
    type: str
    uuid: str


class QualityRuleOut(BaseModel):
    source: Literal["POOL", "PROJECT"]
    """Whose quality_control holds the rule: the pool's or its project's."""
    index: int
    """The rule's place among its collector's rules, from 0."""


class QualityEventOut(BaseModel):
    """One action a quality-control rule took."""

    id: str
    pool_id: str
    user_id: str
    assignment_id: str | None = None
    collector: QualityCollectorOut
    rule: QualityRuleOut
    values: dict[str, Any]
    action: dict[str, Any]
    outcome: dict[str, Any]
    created: UtcDateTime
