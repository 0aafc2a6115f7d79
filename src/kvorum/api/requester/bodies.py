"""Request bodies read as raw bytes (bulk creation validates them in one call), documented in OpenAPI."""

from typing import Any

from fastapi import FastAPI
from pydantic import TypeAdapter

from kvorum.schemas import bonus
from kvorum.schemas import task as schema

DOCUMENTED: dict[str, TypeAdapter[Any]] = {
    "TaskIn": schema.TASK,
    "TaskSuiteIn": schema.TASK_SUITE,
    "TaskPatch": schema.TASK_PATCH,
    "TaskSuitePatch": schema.TASK_SUITE_PATCH,
    "OverlapPatch": schema.OVERLAP_PATCH,
    "UserBonusIn": bonus.USER_BONUS,
}
REF = "#/components/schemas/{model}"


def body_doc(name: str, *, many: bool = False) -> dict[str, Any]:
    """`openapi_extra` for a route taking the named body (or, with `many`, also an array of it)."""
    one = {"$ref": REF.format(model=name)}
    shape = {"oneOf": [one, {"type": "array", "items": one}]} if many else one
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": shape}}}}


def install(app: FastAPI) -> None:
    """Add the raw-body schemas to the generated OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, adapter in DOCUMENTED.items():
                generated = adapter.json_schema(ref_template=REF)
                schemas.update(generated.pop("$defs", {}))
                schemas[name] = generated
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]
