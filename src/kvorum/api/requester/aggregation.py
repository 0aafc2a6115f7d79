from fastapi import APIRouter, Depends, Response

from kvorum.api.requester.common import ERROR_RESPONSES, Caller, Ctx, accepted, json_text, query, search_doc
from kvorum.schemas.aggregation import AggregatedSolutionOut, PoolAggregationIn, TaskAggregationIn
from kvorum.schemas.operation import OperationOut
from kvorum.schemas.page import PageOut
from kvorum.services.aggregated import service as aggregation
from kvorum.services.aggregated.service import AggregatedSolution

router = APIRouter(prefix="/aggregated-solutions", tags=["aggregation"], responses=ERROR_RESPONSES)


def _solution(found: AggregatedSolution) -> AggregatedSolutionOut:
    return AggregatedSolutionOut(
        pool_id=str(found.pool_id),
        task_id=found.task_id,
        confidence=found.confidence,
        output_values=dict(found.output_values),
    )


@router.post("/aggregate-by-pool", status_code=202, responses={202: {"model": OperationOut}})
def aggregate_by_pool(body: PoolAggregationIn, ctx: Ctx, caller: Caller) -> Response:
    """Start aggregating the pool's answers: a SOLUTION.AGGREGATE operation; page its labels with
    GET /aggregated-solutions/{operation_id} once it succeeds."""
    return accepted(aggregation.start(ctx, caller=caller.id, body=body))


@router.post("/aggregate-by-task")
def aggregate_by_task(body: TaskAggregationIn, ctx: Ctx, caller: Caller) -> AggregatedSolutionOut:
    """Aggregate the answers one task has now."""
    return _solution(aggregation.by_task(ctx, caller=caller.id, body=body))


@router.get(
    "/{operation_id}",
    openapi_extra=search_doc(aggregation.SEARCH),
    responses={200: {"model": PageOut[AggregatedSolutionOut]}},
)
def find_aggregated_solutions(
    operation_id: str, ctx: Ctx, caller: Caller, params: dict[str, str] = Depends(query)
) -> Response:
    """The labels of an aggregate-by-pool operation, by task_id; 409 until it has succeeded."""
    return json_text(aggregation.find(ctx, caller=caller.id, operation_id=operation_id, params=params))
