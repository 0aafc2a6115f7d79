"""Checks of a quality_control object that need more than its own shape: rules and linked trainings."""

from sqlalchemy import Connection

from kvorum.schemas.quality_control import QualityControl
from kvorum.services.errors import Problems
from kvorum.services.pools.intervals import check_distribution
from kvorum.services.pools.model import Pool
from kvorum.services.pools.settings import TRAINING
from kvorum.services.quality.rules import check_configs
from kvorum.store import pools as pool_store

PATH = "quality_control"


def check_quality_control(
    conn: Connection, *, caller: int, qc: QualityControl, project_id: int | None, problems: Problems
) -> None:
    """Rules must be well-formed; a training_requirement must name a training of the same project."""
    check_configs(qc.wire().get("configs", []), f"{PATH}.configs", problems)
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
