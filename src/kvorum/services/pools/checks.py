"""Rules of a pool's settings that span fields or objects; field shapes and ranges are the schema's."""

from sqlalchemy import Connection

from kvorum.schemas.pool import PoolIn
from kvorum.schemas.training import TrainingIn
from kvorum.services.errors import Problems
from kvorum.services.pools.intervals import SKILL_RANGE, check_distribution, check_intervals
from kvorum.services.projects import service as projects
from kvorum.services.projects.model import Project
from kvorum.services.quality.config import check_quality_control
from kvorum.services.workforce.filters import check_filter


def _check_pool(conn: Connection, caller: int, body: PoolIn, project: Project) -> None:
    """Rules that span fields or objects; field shapes and ranges were checked by the schema."""
    problems = Problems()
    if body.filter is not None:
        check_filter(body.filter, "filter", problems)
    if body.quality_control is not None:
        check_quality_control(
            conn, caller=caller, qc=body.quality_control, project_id=project.id, problems=problems
        )
    overlap = body.dynamic_overlap_config
    if overlap is not None:
        defaults = body.defaults
        base = max(defaults.default_overlap_for_new_tasks or 0, defaults.default_overlap_for_new_task_suites)
        if overlap.max_overlap <= base:
            problems.add(
                "dynamic_overlap_config.max_overlap",
                "VALUE_LESS_THAN_MIN",
                f"max_overlap must be above the pool's default overlap ({base})",
            )
        outputs = project.task_spec["output_spec"]
        for index, field in enumerate(overlap.fields):
            if field.name not in outputs:
                problems.add(
                    f"dynamic_overlap_config.fields.{index}.name",
                    "INVALID_VALUE",
                    f"{field.name!r} is not an output field of project {project.id}",
                )
    if body.dynamic_pricing_config is not None:
        pricing = body.dynamic_pricing_config.intervals
        check_intervals(pricing, "dynamic_pricing_config.intervals", SKILL_RANGE, problems)
    mixer = body.mixer_config
    if mixer is not None:
        for name, function in (
            ("golden_task_distribution_function", mixer.golden_task_distribution_function),
            ("training_task_distribution_function", mixer.training_task_distribution_function),
        ):
            check_distribution(function, f"mixer_config.{name}", problems)
    if body.reward_per_assignment == 0 and mixer is not None and mixer.real_tasks_count > 0:
        problems.add(
            "reward_per_assignment",
            "VALUE_LESS_THAN_MIN",
            "a pool with reward 0 takes only control and training tasks: set mixer_config.real_tasks_count 0",
        )
    problems.raise_if_any()


def check(conn: Connection, caller: int, body: PoolIn | TrainingIn) -> Project:
    """The project the pool belongs to, once every rule holds; a training has no cross-field rules."""
    project = projects.require_active(conn, caller=caller, project_id=body.project_id, path="project_id")
    if isinstance(body, PoolIn):
        _check_pool(conn, caller, body, project)
    return project
