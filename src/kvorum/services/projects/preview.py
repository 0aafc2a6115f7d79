"""What a requester previews: a project's task as a worker will see it, for one of its tasks or for
a sample made from the input spec, and the check its answers would meet on submit.

A sample value fits its field's spec (allowed values, bounds, lengths), so the view draws as it
would for real data; hidden inputs are left out, as they are for workers.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kvorum.services.context import Context
from kvorum.services.errors import NotFound
from kvorum.services.pools.service import load as load_pool
from kvorum.services.projects.model import Project
from kvorum.services.projects.service import load as load_project
from kvorum.services.tasks.values import Errors, ValuesChecker
from kvorum.store import tasks as task_store

_SAMPLES: Mapping[str, Any] = {
    "string": "Sample text",
    "url": "https://example.com/sample.png",
    "file": "sample-file",
    "coordinates": "55.7558,37.6173",
    "integer": 1,
    "float": 0.5,
    "boolean": True,
    "json": {"sample": "value"},
}


@dataclass(frozen=True, slots=True)
class Preview:
    project: Project
    input_values: Mapping[str, Any]
    """As the worker is shown them: without the hidden inputs."""
    instructions: str
    task_id: str | None
    """None for a sample."""

    @property
    def task_spec(self) -> Mapping[str, Any]:
        return self.project.task_spec


def sample_value(spec: Mapping[str, Any]) -> Any:
    """A value of the field's type within its constraints."""
    field_type = str(spec.get("type", "string"))
    scalar_type = field_type.removeprefix("array_")
    allowed = spec.get("allowed_values")
    if allowed:
        value = allowed[0]
    elif scalar_type in ("integer", "float") and spec.get("min_value") is not None:
        value = spec["min_value"]
    elif scalar_type in ("integer", "float") and spec.get("max_value") is not None:
        value = min(_SAMPLES[scalar_type], spec["max_value"])
    else:
        value = _SAMPLES.get(scalar_type, "Sample text")
    if isinstance(value, str) and scalar_type == "string":
        low, high = spec.get("min_length"), spec.get("max_length")
        if isinstance(low, int) and len(value) < low:
            value = value.ljust(low, "x")
        if isinstance(high, int) and len(value) > high:
            value = value[:high]
    if not field_type.startswith("array_"):
        return value
    size = spec.get("min_size")
    return [value] * (size if isinstance(size, int) and size > 0 else 1)


def _shown(project: Project, values: Mapping[str, Any]) -> dict[str, Any]:
    inputs = project.task_spec.get("input_spec") or {}
    return {name: value for name, value in values.items() if not (inputs.get(name) or {}).get("hidden")}


def sample(ctx: Context, *, caller: int, project_id: str) -> Preview:
    """The project's task with a sample value for every input field."""
    with ctx.db.read() as conn:
        project = load_project(conn, caller=caller, project_id=project_id)
    inputs = project.task_spec.get("input_spec") or {}
    values = {name: sample_value(spec) for name, spec in inputs.items()}
    instructions = str(project.stored_settings.get("public_instructions") or "")
    return Preview(project, _shown(project, values), instructions, None)


def of_task(ctx: Context, *, caller: int, project_id: str, task_id: str) -> Preview:
    """The caller's task `task_id`, of a pool of the project, with its pool's instructions."""
    with ctx.db.read() as conn:
        project = load_project(conn, caller=caller, project_id=project_id)
        row = task_store.get_task(conn, owner_id=caller, task_id=task_id)
        pool = None if row is None else load_pool(conn, caller=caller, pool_type=None, pool_id=row.pool_id)
    if row is None or pool is None or pool.project_id != project.id:
        raise NotFound(f"Task {task_id} of project {project_id} does not exist")
    values = json.loads(row.body).get("input_values") or {}
    project_instructions = str(project.stored_settings.get("public_instructions") or "")
    instructions = pool.settings.public_instructions or project_instructions
    return Preview(project, _shown(project, values), instructions, task_id)


def check_answers(preview: Preview, output_values: list[Any]) -> Errors:
    """The problems the submit of these answers would meet, by `solutions.<i>.output_values.<field>`."""
    outputs = ValuesChecker(preview.task_spec.get("output_spec") or {})
    errors: Errors = {}
    for index, values in enumerate(output_values):
        outputs.check(values, f"solutions.{index}.output_values", errors)
    return errors
