"""Aggregation of a pool as a stored operation (SOLUTION.AGGREGATE) whose labels are kept for
paging, of one task at once, and of a pool for the command line.

An aggregate-by-pool request is checked and recorded as a PENDING operation with its body as input.
A pool with few answered assignments (up to `inline_operation_items`) is aggregated within the
request, so clients skip their polling; a larger one is left to the background runner. A run reads
the answers in one read transaction, then writes every label, in batches, and the operation's end
in one write transaction guarded by its claim: the labels appear all at once with SUCCESS, or not
at all.
"""

import math
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import orjson
from sqlalchemy import Connection

from kvorum.schemas.aggregation import FieldIn, PoolAggregationIn, TaskAggregationIn
from kvorum.schemas.rendered import RenderedJson
from kvorum.services import operations
from kvorum.services import search as search_rules
from kvorum.services.aggregated.reading import Collected, Progress, collect, no_progress, worker_accuracy
from kvorum.services.aggregated.request import Plan, check
from kvorum.services.aggregation.answers import Labels
from kvorum.services.aggregation.methods import aggregate
from kvorum.services.context import Context
from kvorum.services.errors import Conflict, DomainError, NotFound, ValidationFailed
from kvorum.services.projects.service import load as load_project
from kvorum.store import aggregation as store
from kvorum.store import operations as operation_store
from kvorum.store import pools as pool_store

OPERATION_TYPE = "SOLUTION.AGGREGATE"
WRITE_BATCH = 10_000
SEARCH = search_rules.SearchSpec(
    exact={},
    ranges={"task_id": search_rules.text_value},
    sorts=frozenset({"task_id"}),
    default_limit=50,
    max_limit=100_000,
    tiebreak="task_id",
)


@dataclass(frozen=True, slots=True)
class AggregatedSolution:
    pool_id: int
    task_id: str
    confidence: float | None
    """The posterior probability of the label; None where the method gives none."""
    output_values: Mapping[str, Any]


@dataclass(frozen=True)
class Result:
    """The labels of a run, by task index, with what the indices stand for."""

    plan: Plan
    collected: Collected
    labels: Labels

    def rows(self) -> Iterator[tuple[str, int, float | None]]:
        """(task_id, label index, confidence) of every labelled task, in task_id order."""
        labelled = np.flatnonzero((self.labels.label >= 0) & ~self.collected.control)
        task_ids = self.collected.task_ids
        for index, label, confidence in zip(
            labelled.tolist(),
            self.labels.label[labelled].tolist(),
            self.labels.confidence[labelled].tolist(),
            strict=True,
        ):
            yield task_ids[index], label, None if math.isnan(confidence) else confidence

    def values(self, label: int) -> list[Any]:
        """The field values of a label, in the plan's field order."""
        values: list[Any] = orjson.loads(self.collected.labels[label])
        return values

    @cached_property
    def rendered_values(self) -> list[str]:
        """Each label's output_values as the JSON object stored and returned."""
        return [
            orjson.dumps(dict(zip(self.plan.fields, self.values(label), strict=True))).decode()
            for label in range(len(self.collected.labels))
        ]

    def table(self) -> Iterator[list[str]]:
        """The labels as rows of text cells, header first: task_id, OUTPUT:<field>..., confidence.
        Strings are written as they are, other values as JSON; no confidence is an empty cell."""
        yield ["task_id", *(f"OUTPUT:{name}" for name in self.plan.fields), "confidence"]
        cells = [
            [
                value if isinstance(value, str) else orjson.dumps(value).decode()
                for value in self.values(label)
            ]
            for label in range(len(self.collected.labels))
        ]
        for task_id, label, confidence in self.rows():
            yield [task_id, *cells[label], "" if confidence is None else repr(confidence)]

    @cached_property
    def labelled(self) -> int:
        return int(np.count_nonzero((self.labels.label >= 0) & ~self.collected.control))


def compute(ctx: Context, conn: Connection, plan: Plan, progress: Progress = no_progress) -> Result:
    """Read the plan's answers and aggregate them."""
    collected = collect(conn, plan, progress)
    progress("aggregating", 0, 1)
    n_tasks = collected.answers.n_tasks
    labels = aggregate(
        plan.method,
        collected.answers,
        priors=collected.priors,
        worker_accuracy=worker_accuracy(conn, plan, collected, ctx.clock.now()),
        possible_labels=None if plan.possible_labels is None else np.full(n_tasks, plan.possible_labels),
        golden=collected.golden,
    )
    progress("aggregating", 1, 1)
    return Result(plan, collected, labels)


def start(ctx: Context, *, caller: int, body: PoolAggregationIn) -> operations.Operation:
    """Accept an aggregate-by-pool request as an operation; small pools are aggregated at once."""
    operation_id = str(uuid.uuid4())
    with ctx.db.write() as conn:
        plan = check(conn, caller=caller, body=body)
        operation_store.insert_operation(
            conn,
            {
                "id": operation_id,
                "owner_id": caller,
                "type": OPERATION_TYPE,
                "status": "PENDING",
                "submitted": ctx.clock.now(),
                "progress": 0,
                "parameters": {"pool_id": str(plan.pool_id)},
            },
        )
        operation_store.insert_input(conn, operation_id=operation_id, body=body.model_dump_json().encode())
        inline = store.answered_count(conn, pool_id=plan.pool_id) <= ctx.settings.inline_operation_items
    if inline:
        run(ctx, operation_id)
    return operations.get(ctx, caller=caller, operation_id=operation_id)


def run(ctx: Context, operation_id: str, progress: Progress = no_progress) -> bool:
    """Claim and run one stored aggregation; False when another runner holds it."""
    return operations.run_stored(
        ctx, operation_id, lambda claim: _execute(ctx, operation_id, claim, progress)
    )


def run_due(ctx: Context, *, limit: int = 10) -> int:
    """Run aggregations that wait: pending ones and those whose runner died."""
    return operations.run_due(ctx, (OPERATION_TYPE,), run, limit=limit)


class _ClaimLost(Exception):
    pass


def _execute(ctx: Context, operation_id: str, claim: str, progress: Progress) -> bool:
    with ctx.db.read() as conn:
        operation = operation_store.get_any(conn, operation_id=operation_id)
        if operation is None or operation.claim != claim:
            return False
        raw = operation_store.input_body(conn, operation_id=operation_id)
        assert raw is not None  # kept until the operation finishes
        try:
            body = PoolAggregationIn.model_validate_json(raw)
            outcome: Result | DomainError = compute(
                ctx, conn, check(conn, caller=operation.owner_id, body=body), progress
            )
        except DomainError as exc:  # the pool, project or skill changed since the request
            outcome = exc
    try:
        with ctx.db.write() as conn:
            if isinstance(outcome, DomainError):
                details = {"error": outcome.code, "message": outcome.message, "payload": outcome.payload}
                _finish(ctx, conn, operation_id, claim, "FAIL", details)
            else:
                _write(conn, operation_id, outcome, progress)
                _finish(
                    ctx, conn, operation_id, claim, "SUCCESS", {"aggregated_tasks_count": outcome.labelled}
                )
    except _ClaimLost:
        return False
    return True


def _finish(
    ctx: Context, conn: Connection, operation_id: str, claim: str, status: str, details: dict[str, Any]
) -> None:
    if not operation_store.finish(
        conn,
        operation_id=operation_id,
        claim=claim,
        status=status,
        now=ctx.clock.now(),
        details=details,
        log_body="[]",
    ):
        raise _ClaimLost


def _write(conn: Connection, operation_id: str, result: Result, progress: Progress) -> None:
    rendered, pool_id = result.rendered_values, result.plan.pool_id
    batch: list[store.SolutionValues] = []
    done = 0
    progress("writing", done, result.labelled)
    for task_id, label, confidence in result.rows():
        batch.append((operation_id, task_id, pool_id, confidence, rendered[label]))
        if len(batch) == WRITE_BATCH:
            store.insert_solutions(conn, batch)
            done += len(batch)
            progress("writing", done, result.labelled)
            batch = []
    store.insert_solutions(conn, batch)
    progress("writing", result.labelled, result.labelled)


def by_task(ctx: Context, *, caller: int, body: TaskAggregationIn) -> AggregatedSolution:
    """The label of one real task, from the answers it has now."""
    with ctx.db.read() as conn:
        result = compute(ctx, conn, check(conn, caller=caller, body=body))
    for task_id, label, confidence in result.rows():
        values = dict(zip(result.plan.fields, result.values(label), strict=True))
        return AggregatedSolution(result.plan.pool_id, task_id, confidence, values)
    message = f"task {body.task_id} has no answers to aggregate yet"
    raise ValidationFailed(message, {"task_id": {"code": "NO_ANSWERS", "message": message}})


def find(ctx: Context, *, caller: int, operation_id: str, params: dict[str, str]) -> RenderedJson:
    """A page of the labels an aggregate-by-pool operation produced, by task_id, rendered around the
    stored output_values (a page holds up to 100,000)."""
    search = search_rules.parse(SEARCH, params)
    with ctx.db.read() as conn:
        operation = operation_store.get(conn, owner_id=caller, operation_id=operation_id)
        if operation is None or operation.type != OPERATION_TYPE:
            raise NotFound(f"Aggregation operation {operation_id} does not exist")
        if operation.status != "SUCCESS":
            raise Conflict(
                f"Operation {operation_id} is {operation.status}; its labels exist once it succeeds"
            )
        rows, has_more = store.find_solutions(conn, operation_id=operation_id, search=search)
    pool = f'{{"pool_id":"{operation.parameters["pool_id"]}","task_id":'
    items = ",".join(
        f"{pool}{orjson.dumps(row.task_id).decode()},"
        f'"confidence":{orjson.dumps(row.confidence).decode()},"output_values":{row.output_values}}}'
        for row in rows
    )
    return RenderedJson('{"items":[' + items + '],"has_more":' + ("true" if has_more else "false") + "}")


def of_pool(
    ctx: Context,
    *,
    pool_id: str,
    method: str,
    fields: list[str],
    skill_id: str | None,
    progress: Progress = no_progress,
) -> Result:
    """Aggregate a pool on behalf of its owner, without storing the labels (the command line's way).

    Without `fields`, every output field of the project is aggregated.
    """
    with ctx.db.read() as conn:
        pool = pool_store.get_any(conn, pool_id=int(pool_id)) if pool_id.isdigit() else None
        if pool is None:
            raise NotFound(f"Pool {pool_id} does not exist")
        if not fields:
            fields = list(
                load_project(conn, caller=pool.owner_id, project_id=pool.project_id).task_spec["output_spec"]
            )
        body = PoolAggregationIn(
            type=method,
            pool_id=pool_id,
            answer_weight_skill_id=skill_id,
            fields=[FieldIn(name=name) for name in fields],
        )
        return compute(ctx, conn, check(conn, caller=pool.owner_id, body=body), progress)
