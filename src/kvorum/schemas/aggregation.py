"""Aggregation request bodies and the aggregated solution (Toloka's PoolAggregatedSolutionRequest,
TaskAggregatedSolutionRequest and AggregatedSolution)."""

from typing import Annotated, Any

from pydantic import BaseModel, Field

from kvorum.schemas.common import Str, Wire
from kvorum.schemas.ids import ObjectId


class FieldIn(Wire):
    name: Str


class PoolAggregationIn(Wire):
    """What to aggregate in a pool: the method (`type`), the output fields, and for
    WEIGHTED_DYNAMIC_OVERLAP the skill that weighs each worker's answers."""

    type: Str
    pool_id: ObjectId
    answer_weight_skill_id: ObjectId | None = None
    fields: Annotated[list[FieldIn], Field(min_length=1, max_length=100)]


class TaskAggregationIn(PoolAggregationIn):
    """The same for one task of the pool, answered at once."""

    task_id: Annotated[Str, Field(min_length=1, max_length=32)]


class AggregatedSolutionOut(BaseModel):
    """One task's label: `output_values` holds the requested fields; `confidence` is the posterior
    probability of that label (null for an extension method that gives none)."""

    pool_id: str
    task_id: str
    confidence: float | None
    output_values: dict[str, Any]
