"""Tasks and task suites as the API shows them.

The services answer with JSON assembled around each object's stored body; these models document
that JSON in the OpenAPI document.
"""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from kvorum.schemas.common import UtcDateTime
from kvorum.schemas.task import BaselineSolution, KnownSolution


class IssuingOut(BaseModel):
    overlap: int | None = None
    """Absent with infinite_overlap."""
    infinite_overlap: bool
    remaining_overlap: int | None = None
    """overlap less the assignments holding a slot; absent with infinite_overlap."""
    reserved_for: list[str] | None = None
    unavailable_for: list[str] | None = None
    traits_all_of: list[str] | None = None
    traits_any_of: list[str] | None = None
    traits_none_of_any: list[str] | None = None


class TaskOut(IssuingOut):
    id: str
    pool_id: str
    input_values: dict[str, Any]
    known_solutions: list[KnownSolution] | None = None
    message_on_unknown_solution: str | None = None
    baseline_solutions: list[BaselineSolution] | None = None
    created: UtcDateTime


class SuiteTaskOut(BaseModel):
    id: str
    input_values: dict[str, Any]
    known_solutions: list[KnownSolution] | None = None
    message_on_unknown_solution: str | None = None


class TaskSuiteOut(IssuingOut):
    id: str
    pool_id: str
    tasks: list[SuiteTaskOut]
    issuing_order_override: float
    mixed: bool | None = None
    longitude: float | None = None
    latitude: float | None = None
    created: UtcDateTime


Item = TypeVar("Item", bound=BaseModel)


class Batch(BaseModel, Generic[Item]):
    """The answer to an array in sync mode, keyed by index in the request."""

    items: dict[str, Item]
    validation_errors: dict[str, dict[str, dict[str, str]]]
    """Field path -> {code, message} of each object that was not created."""
