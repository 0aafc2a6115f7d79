"""Operations as the API shows them (Toloka's Operation, OperationLogItem)."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from kvorum.schemas.common import UtcDateTime


class OperationOut(BaseModel):
    """An asynchronous action; started, finished and details appear once they have values."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    type: str
    status: Literal["PENDING", "RUNNING", "SUCCESS", "FAIL"]
    submitted: UtcDateTime
    parameters: dict[str, Any]
    progress: int
    started: UtcDateTime | None = None
    finished: UtcDateTime | None = None
    details: dict[str, Any] | None = None


class OperationLogItem(BaseModel):
    """What happened to one input object (TASK_CREATE, TASK_VALIDATE, ...) or to a pool (POOL_OPEN)."""

    type: str
    success: bool
    input: dict[str, Any]
    output: dict[str, Any]


OperationLog = list[OperationLogItem]
"""GET /operations/{id}/log: a bare array, in input order, then the pools opened."""
