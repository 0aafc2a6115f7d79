"""Known and baseline solutions: what they must fit, and the role known solutions give a task."""

from collections.abc import Mapping
from typing import Any

from kvorum.services.tasks.targets import TargetPool
from kvorum.services.tasks.values import Errors

REAL, GOLDEN, TRAINING = "REAL", "GOLDEN", "TRAINING"


def check_solutions(sent: Mapping[str, Any], pool: TargetPool, prefix: str, errors: Errors) -> None:
    """Solutions must fit the output spec; training and zero-reward pools take only tasks with answers."""
    known = sent.get("known_solutions")
    for key in ("known_solutions", "baseline_solutions"):
        if key in sent:
            for index, solution in enumerate(sent[key] or ()):
                pool.outputs.check(solution["output_values"], f"{prefix}{key}.{index}.output_values", errors)
    if not known and (pool.training or pool.zero_reward):
        why = "a training task" if pool.training else f"pool {pool.id} pays no reward, so a task there"
        errors[f"{prefix}known_solutions"] = {
            "code": "VALUE_REQUIRED",
            "message": f"{why} needs known_solutions",
        }


def task_role(task: Mapping[str, Any], in_training: bool) -> str:
    """REAL, GOLDEN (control: known answers) or TRAINING (known answers with a hint, or in a training).

    The mixer draws each role by its own count (mixer_config's real, golden and training counts).
    """
    if in_training:
        return TRAINING
    if not task.get("known_solutions"):
        return REAL
    return TRAINING if task.get("message_on_unknown_solution") else GOLDEN
