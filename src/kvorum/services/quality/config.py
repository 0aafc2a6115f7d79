"""Checks of a quality_control object that need more than its own shape: rules and linked trainings."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.schemas.quality_control import QualityControl
from kvorum.services.errors import Problems
from kvorum.services.pools.intervals import check_distribution
from kvorum.services.pools.model import Pool
from kvorum.services.pools.settings import TRAINING
from kvorum.services.quality.rules import check_configs
from kvorum.store import pools as pool_store
from kvorum.store import skills as skill_store

PATH = "quality_control"


def _named_skills(configs: list[dict[str, Any]]) -> Iterator[tuple[str, Any]]:
    """(path, skill id) of every skill the rules name: in actions and in skill_id conditions."""
    for index, config in enumerate(configs):
        for rule_index, rule in enumerate(config["rules"]):
            path = f"{PATH}.configs.{index}.rules.{rule_index}"
            parameters = rule["action"].get("parameters") or {}
            if "skill_id" in parameters:
                yield f"{path}.action.parameters.skill_id", parameters["skill_id"]
            for condition_index, condition in enumerate(rule["conditions"]):
                if condition["key"] == "skill_id":
                    yield f"{path}.conditions.{condition_index}.value", condition["value"]


def _check_skills(conn: Connection, caller: int, configs: list[dict[str, Any]], problems: Problems) -> None:
    for path, named in _named_skills(configs):
        skill_id = parse_id(str(named))
        if skill_id is not None and skill_store.get(conn, owner_id=caller, skill_id=skill_id) is None:
            problems.add(path, "ENTITY_DOES_NOT_EXIST", f"skill {named} does not exist")


def check_quality_control(
    conn: Connection, *, caller: int, qc: QualityControl, project_id: int | None, problems: Problems
) -> None:
    """Rules must be well-formed and name the caller's skills; a training_requirement must name a
    training of the same project."""
    configs = qc.wire().get("configs", [])
    check_configs(configs, f"{PATH}.configs", problems)
    _check_skills(conn, caller, configs, problems)
    checkpoints = qc.checkpoints_config
    if checkpoints is not None:
        for name, settings in (
            ("real_settings", checkpoints.real_settings),
            ("golden_settings", checkpoints.golden_settings),
            ("training_settings", checkpoints.training_settings),
        ):
            if settings is not None:
                check_distribution(
                    settings.task_distribution_function,
                    f"{PATH}.checkpoints_config.{name}.task_distribution_function",
                    problems,
                )
    requirement = qc.training_requirement
    if requirement is None:
        return
    path = f"{PATH}.training_requirement.training_pool_id"
    row = pool_store.get(conn, owner_id=caller, pool_id=int(requirement.training_pool_id), kind=TRAINING)
    if row is None:
        problems.add(path, "ENTITY_DOES_NOT_EXIST", f"training {requirement.training_pool_id} does not exist")
        return
    training = Pool.from_row(row)
    if project_id is not None and training.project_id != project_id:
        problems.add(
            path,
            "INVALID_VALUE",
            f"training {training.id} belongs to project {training.project_id}, not to project {project_id}",
        )
    elif training.status == "ARCHIVED":
        problems.add(path, "INVALID_VALUE", f"training {training.id} is archived")
