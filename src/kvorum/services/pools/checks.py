"""Rules of a pool's settings that span fields or objects; field shapes and ranges are the schema's."""

from sqlalchemy import Connection

from kvorum.schemas.ids import parse_id
from kvorum.schemas.pool import PoolIn
from kvorum.schemas.training import TrainingIn
from kvorum.services.errors import Problems
from kvorum.services.pools.intervals import SKILL_RANGE, check_distribution, check_intervals
from kvorum.services.projects import service as projects
from kvorum.services.projects.model import Project
from kvorum.services.quality.config import check_quality_control
from kvorum.services.workforce.filters import check_filter
from kvorum.store import skills as skill_store


def _check_pool(conn: Connection, caller: int, body: PoolIn, project: Project) -> None:
    """Rules that span fields or objects; field shapes and ranges were checked by the schema."""
    problems = Problems()
    if body.filter is not None:
        check_filter(body.filter, "filter", problems)
    if body.quality_control is not None:
        check_quality_control(
            conn, caller=caller, qc=body.quality_control, project_id=project.id, problems=problems
        )
    if body.dynamic_overlap_config is not None:
        _check_dynamic_overlap(conn, caller, body, project, problems)
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


def _check_dynamic_overlap(
    conn: Connection, caller: int, body: PoolIn, project: Project, problems: Problems
) -> None:
    """Dynamic overlap grows the overlap of tasks the mixer issues, weighted by one of the caller's
    skills, on output fields; the pool must stay open while it grows (as Toloka requires)."""
    overlap = body.dynamic_overlap_config
    assert overlap is not None
    path = "dynamic_overlap_config"
    defaults = body.defaults
    base = max(defaults.default_overlap_for_new_tasks or 0, defaults.default_overlap_for_new_task_suites)
    if overlap.max_overlap <= base:
        problems.add(
            f"{path}.max_overlap",
            "VALUE_LESS_THAN_MIN",
            f"max_overlap must be above the pool's default overlap ({base})",
        )
    outputs = project.task_spec["output_spec"]
    for index, field in enumerate(overlap.fields):
        if field.name not in outputs:
            problems.add(
                f"{path}.fields.{index}.name",
                "INVALID_VALUE",
                f"{field.name!r} is not an output field of project {project.id}",
            )
    skill_id = parse_id(overlap.answer_weight_skill_id)
    if skill_id is None or skill_store.get(conn, owner_id=caller, skill_id=skill_id) is None:
        problems.add(
            f"{path}.answer_weight_skill_id",
            "ENTITY_DOES_NOT_EXIST",
            f"skill {overlap.answer_weight_skill_id} does not exist",
        )
    if body.mixer_config is None:
        problems.add("mixer_config", "VALUE_REQUIRED", "dynamic overlap needs tasks issued by the mixer")
    if not body.auto_close_after_complete_delay_seconds:
        problems.add(
            "auto_close_after_complete_delay_seconds",
            "VALUE_REQUIRED",
            "dynamic overlap needs a delay above 0, so that the pool stays open while overlaps grow",
        )


def check(conn: Connection, caller: int, body: PoolIn | TrainingIn) -> Project:
    """The project the pool belongs to, once every rule holds; a training has no cross-field rules."""
    project = projects.require_active(conn, caller=caller, project_id=body.project_id, path="project_id")
    if isinstance(body, PoolIn):
        _check_pool(conn, caller, body, project)
    return project
