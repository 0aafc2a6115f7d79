"""Spot checks (quality_control.checkpoints_config): more answers for some of a worker's tasks.

Each setting (real, control, training tasks) has a distribution function that numbers the
worker's tasks from their completed count, as the mixer's functions do: the suite's tasks are
done+1, done+2, ... in the order issued. A task of the setting's role whose number is selected
has its overlap raised to target_overlap, so other workers answer it too and a majority vote can
check this worker's answer. Infinite overlaps, and overlaps already that high, stay as they are.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from kvorum.services.issuing.distribution import picked
from kvorum.services.pools.settings import Checkpoint, Distribution
from kvorum.store import tasks as task_store


def raise_checked(
    conn: Connection,
    checkpoints: Mapping[str, Checkpoint],
    tasks: Sequence[Mapping[str, Any]],
    done: Callable[[Distribution], int],
    now: datetime,
) -> None:
    """Raise the overlap of the suite's tasks that a checkpoint selects; `done` counts the
    worker's completed tasks as a function sees them."""
    for role, checkpoint in checkpoints.items():
        if not any(task["kind"] == role for task in tasks):
            continue  # nothing to check: no count to read
        function = checkpoint.distribution
        chosen = picked(function, done(function), len(tasks))
        task_ids = [
            task["id"] for task, pick in zip(tasks, chosen, strict=True) if pick and task["kind"] == role
        ]
        if task_ids:
            task_store.raise_overlap(conn, task_ids=task_ids, overlap=checkpoint.target_overlap, now=now)
