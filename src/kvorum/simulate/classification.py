"""A minimal classification setup made from the ground truth through the requester API:
one project (string inputs, one output whose allowed values are the classes), one pool, its tasks."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from kvorum.simulate.server import Server
from kvorum.simulate.truth import GroundTruth

POOL_LIFETIME = timedelta(days=3650)


@dataclass(frozen=True, slots=True)
class Setup:
    overlap: int = 3
    tasks_per_suite: int = 5
    reward: Decimal = Decimal("0.01")
    assignment_max_duration_seconds: int = 600
    output: str = "label"
    """The output field the workers answer."""


async def create(server: Server, truth: GroundTruth, setup: Setup) -> str:
    """Create the project, the pool and the tasks, and open the pool; the pool's id."""
    project = await server.create_project(
        {
            "public_name": "Simulated classification",
            "public_description": "Pick the class of each item",
            "task_spec": {
                "input_spec": {name: {"type": "string"} for name in truth.input_fields},
                "output_spec": {setup.output: {"type": "string", "allowed_values": list(truth.labels)}},
                "view_spec": {"type": "classic", "markup": _markup(truth, setup.output)},
            },
        }
    )
    pool = await server.create_pool(
        {
            "project_id": project["id"],
            "private_name": "Simulated crowd",
            "may_contain_adult_content": False,
            "will_expire": (datetime.now(UTC) + POOL_LIFETIME).strftime("%Y-%m-%dT%H:%M:%S"),
            "reward_per_assignment": float(setup.reward),
            "assignment_max_duration_seconds": setup.assignment_max_duration_seconds,
            "defaults": {
                "default_overlap_for_new_tasks": setup.overlap,
                "default_overlap_for_new_task_suites": setup.overlap,
            },
            "mixer_config": {
                "real_tasks_count": setup.tasks_per_suite,
                "golden_tasks_count": 0,
                "training_tasks_count": 0,
            },
        }
    )
    pool_id = str(pool["id"])
    tasks = [{"pool_id": pool_id, "input_values": item.input_values} for item in truth.items]
    await server.create_tasks(tasks, operation_id=str(uuid.uuid4()))
    return pool_id


def _markup(truth: GroundTruth, output: str) -> str:
    inputs = " ".join(f"{{{{input.{name}}}}}" for name in truth.input_fields)
    choices = "".join(f'{{{{field type="radio" name="{output}" value="{label}"}}}}' for label in truth.labels)
    return f"<p>{inputs}</p>{choices}"
