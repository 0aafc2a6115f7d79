"""An operation as answered: the record of an action, polled until it finishes."""

from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema

from kvorum.schemas.common import UtcDateTime


class OperationOut(BaseModel):
    """`type` names the action (POOL.OPEN, TASK_SUITE.BATCH_CREATE, ...); `parameters` its input."""

    id: str
    type: str
    status: Literal["PENDING", "RUNNING", "SUCCESS", "FAIL"]
    submitted: UtcDateTime
    parameters: dict[str, Any]
    progress: int
    started: UtcDateTime | SkipJsonSchema[None] = None
    finished: UtcDateTime | SkipJsonSchema[None] = None
    details: dict[str, Any] | SkipJsonSchema[None] = None
