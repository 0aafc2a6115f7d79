"""Task and task suite request bodies.

These are TypedDicts rather than models: bulk creation validates up to 100,000 of them from raw
JSON in one call, and validated dicts cost a fraction of model instances. Unknown keys (such as
toloka-kit's `__item_idx`, or read-only fields echoed back) are kept, so the operation log can
show each input as it was sent; only the declared keys are stored.
"""

from typing import Annotated, Any, Required

from pydantic import ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from kvorum.schemas.common import Bool, Int, Number, Str
from kvorum.schemas.ids import ID_PATTERN

PoolId = Annotated[Str, Field(pattern=ID_PATTERN)]
"""A pool id as the client sends it: a string of digits (checked by pydantic-core, not in Python)."""

MAX_OVERLAP = 30_000
Weight = Annotated[Number, Field(ge=0, le=1)]
Overlap = Annotated[Int, Field(ge=1, le=MAX_OVERLAP)]
WorkerIds = Annotated[list[Str], Field(max_length=10_000)]
Traits = Annotated[list[Str], Field(max_length=100)]


class KnownSolution(TypedDict, total=False):
    output_values: Required[dict[Str, Any]]
    correctness_weight: Weight


class BaselineSolution(TypedDict, total=False):
    output_values: Required[dict[Str, Any]]
    confidence_weight: Weight


class Issuing(TypedDict, total=False):
    """How often and to whom a task or suite is issued."""

    overlap: Overlap | None
    infinite_overlap: Bool | None
    reserved_for: WorkerIds
    unavailable_for: WorkerIds
    traits_all_of: Traits
    traits_any_of: Traits
    traits_none_of_any: Traits


class TaskIn(Issuing, total=False):
    """A task to create: required `pool_id` and `input_values`; overlap unless defaults or infinite."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    pool_id: Required[PoolId]
    input_values: Required[dict[Str, Any]]
    known_solutions: Annotated[list[KnownSolution], Field(max_length=100)]
    message_on_unknown_solution: Str
    baseline_solutions: Annotated[list[BaselineSolution], Field(max_length=100)]


class SuiteTaskIn(TypedDict, total=False):
    """A task inside a suite: no pool, overlap or baseline solutions of its own."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    input_values: Required[dict[Str, Any]]
    known_solutions: Annotated[list[KnownSolution], Field(max_length=100)]
    message_on_unknown_solution: Str


class TaskSuiteIn(Issuing, total=False):
    """A task suite to create."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    pool_id: Required[PoolId]
    tasks: Required[Annotated[list[SuiteTaskIn], Field(min_length=1, max_length=1_000)]]
    issuing_order_override: Annotated[Number, Field(ge=-99_999.99999, le=99_999.99999)]
    mixed: Bool
    longitude: Annotated[Number, Field(ge=-180, le=180)]
    latitude: Annotated[Number, Field(ge=-90, le=90)]


class TaskPatch(TypedDict, total=False):
    overlap: Overlap | None
    infinite_overlap: Bool | None
    baseline_solutions: Annotated[list[BaselineSolution], Field(max_length=100)]
    known_solutions: Annotated[list[KnownSolution], Field(max_length=100)]
    message_on_unknown_solution: Str


class TaskSuitePatch(TypedDict, total=False):
    overlap: Overlap | None
    infinite_overlap: Bool | None
    issuing_order_override: Annotated[Number, Field(ge=-99_999.99999, le=99_999.99999)]


class OverlapPatch(TypedDict, total=False):
    overlap: Overlap | None
    infinite_overlap: Bool | None


TASK = TypeAdapter(TaskIn)
TASKS = TypeAdapter(list[TaskIn])
TASK_SUITE = TypeAdapter(TaskSuiteIn)
TASK_SUITES = TypeAdapter(list[TaskSuiteIn])
TASK_PATCH = TypeAdapter(TaskPatch)
TASK_SUITE_PATCH = TypeAdapter(TaskSuitePatch)
OVERLAP_PATCH = TypeAdapter(OverlapPatch)
