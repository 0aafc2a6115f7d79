"""What an aggregation request must name, checked against the pool, its project and the skills.

Every problem of a request is reported at once, as a VALIDATION_ERROR naming the field; a request
that passes is a Plan, which a stored operation re-checks when it runs.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from kvorum.schemas.aggregation import PoolAggregationIn, TaskAggregationIn
from kvorum.services.aggregation.answers import possible_labels
from kvorum.services.aggregation.methods import KNOWN, METHODS
from kvorum.services.errors import NotFound, Problems
from kvorum.services.pools.service import load as load_pool
from kvorum.services.projects.service import load as load_project
from kvorum.store import aggregation as store
from kvorum.store import skills as skill_store

WEIGHTED = "WEIGHTED_DYNAMIC_OVERLAP"
ONE_FIELD = frozenset({"DAWID_SKENE"})
"""Methods that aggregate a single output field, as in Toloka."""
LEARNS_FROM_CONTROL = frozenset({"DAWID_SKENE"})
"""Methods that read control tasks' answers and known solutions to judge the workers."""
EXTRA = "kvorum[crowdkit]"


@dataclass(frozen=True)
class Plan:
    """A checked request: what to aggregate, where, and for whom."""

    method: str
    owner_id: int
    pool_id: int
    fields: tuple[str, ...]
    skill_id: int | None
    """The skill whose values are the workers' accuracy (WEIGHTED_DYNAMIC_OVERLAP only)."""
    possible_labels: int | None
    """K, when every field has a finite set of values in the output spec; else None (per task)."""
    task_id: str | None = None
    """Set for aggregate-by-task."""


def check(conn: Connection, *, caller: int, body: PoolAggregationIn | TaskAggregationIn) -> Plan:
    """The plan of a request, or a VALIDATION_ERROR naming every bad field."""
    problems = Problems()
    if body.type not in KNOWN:
        problems.add("type", "UNKNOWN_ENUM_VALUE", f"unknown aggregation type; use one of {', '.join(KNOWN)}")
    elif body.type not in METHODS:
        problems.add(
            "type", "VALUE_NOT_ALLOWED", f"{body.type} needs the {EXTRA} extra installed on the server"
        )
    fields = tuple(field.name for field in body.fields)
    if body.type in ONE_FIELD and len(fields) > 1:
        problems.add("fields", "ARRAY_SIZE_GREATER_THAN_MAX", f"{body.type} aggregates exactly one field")
    skill_id = _skill(conn, caller, body, problems)
    output_spec = _output_spec(conn, caller, body.pool_id, problems)
    if output_spec is not None:
        for index, name in enumerate(fields):
            if name not in output_spec:
                problems.add(
                    f"fields.{index}.name", "VALUE_NOT_ALLOWED", f"the project has no output field {name!r}"
                )
            elif name in fields[:index]:
                problems.add(
                    f"fields.{index}.name", "DUPLICATE_VALUE_IN_ARRAY", f"field {name!r} is named twice"
                )
    task_id = body.task_id if isinstance(body, TaskAggregationIn) else None
    if task_id is not None and output_spec is not None:
        kind = store.task_kind(conn, pool_id=int(body.pool_id), task_id=task_id)
        if kind is None:
            problems.add("task_id", "DOES_NOT_EXIST", f"pool {body.pool_id} has no task {task_id}")
        elif kind != "REAL":
            problems.add(
                "task_id", "VALUE_NOT_ALLOWED", f"task {task_id} is a {kind.lower()} task, not a real one"
            )
    problems.raise_if_any("Invalid aggregation request")
    assert output_spec is not None
    return Plan(
        method=body.type,
        owner_id=caller,
        pool_id=int(body.pool_id),
        fields=fields,
        skill_id=skill_id,
        possible_labels=possible_labels(output_spec, fields),
        task_id=task_id,
    )


def _skill(conn: Connection, caller: int, body: PoolAggregationIn, problems: Problems) -> int | None:
    """The weighting skill of WEIGHTED_DYNAMIC_OVERLAP, which must be the caller's; other methods
    ignore it."""
    if body.type != WEIGHTED:
        return None
    if body.answer_weight_skill_id is None:
        problems.add("answer_weight_skill_id", "VALUE_REQUIRED", f"{WEIGHTED} weighs answers by a skill")
        return None
    skill_id = int(body.answer_weight_skill_id)
    if skill_store.get(conn, owner_id=caller, skill_id=skill_id) is None:
        problems.add("answer_weight_skill_id", "DOES_NOT_EXIST", f"skill {skill_id} does not exist")
        return None
    return skill_id


def _output_spec(
    conn: Connection, caller: int, pool_id: str, problems: Problems
) -> Mapping[str, Mapping[str, Any]] | None:
    try:
        pool = load_pool(conn, caller=caller, pool_type=None, pool_id=pool_id)
    except NotFound as exc:
        problems.add("pool_id", "DOES_NOT_EXIST", exc.message)
        return None
    output_spec: Mapping[str, Mapping[str, Any]] = load_project(
        conn, caller=caller, project_id=pool.project_id
    ).task_spec["output_spec"]
    return output_spec
