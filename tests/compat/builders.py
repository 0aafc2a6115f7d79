"""Projects, trainings and pools built with toloka-kit's own classes, and a round-trip check.

`project`, `training` and `pool` are minimal: only what a valid object needs, so that a test names
every setting it relies on. The `example_*` builders fill in every setting, for the tests that
check a whole object goes through.
"""

import datetime
from decimal import Decimal
from typing import Any

from toloka.client import Pool, Project, Training, actions, collectors, conditions, filter, unstructure
from toloka.client.pool.dynamic_overlap_config import DynamicOverlapConfig
from toloka.client.pool.dynamic_pricing_config import DynamicPricingConfig
from toloka.client.pool.mixer_config import MixerConfig
from toloka.client.pool.speed_quality_balance_config import TopPercentageByQuality
from toloka.client.project import field_spec
from toloka.client.project.task_spec import TaskSpec
from toloka.client.project.template_builder import (
    GroupFieldOption,
    InputData,
    ListViewV1,
    OutputData,
    RadioGroupFieldV1,
    RequiredConditionV1,
    TemplateBuilder,
    TextViewV1,
)
from toloka.client.project.view_spec import ClassicViewSpec, TemplateBuilderViewSpec, ViewSpec
from toloka.client.quality_control import QualityControl
from toloka.client.task_distribution_function import TaskDistributionFunction

WILL_EXPIRE = datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC)
SKILL_ID = "1289"


def project(**changes: Any) -> Project:
    """A minimal project: an `image` URL input and a free-text `animal` output."""
    task_spec = TaskSpec(
        input_spec={"image": field_spec.UrlSpec()},
        output_spec={"animal": field_spec.StringSpec()},
        view_spec=ClassicViewSpec(markup="<img src='{{input.image}}'>"),
    )
    settings = {
        "public_name": "Animals",
        "public_description": "What is in the picture?",
        "task_spec": task_spec,
    }
    return Project(**(settings | changes))


def training(project_id: str, **changes: Any) -> Training:
    """A minimal training: one task a suite, everything else left to Toloka's defaults."""
    settings = {
        "private_name": "Training",
        "may_contain_adult_content": False,
        "training_tasks_in_task_suite_count": 1,
    }
    return Training(project_id=project_id, **(settings | changes))


def pool(project_id: str, **changes: Any) -> Pool:
    """A minimal pool: no mixer, filter, quality control or automation unless given."""
    settings = {
        "private_name": "Pool",
        "may_contain_adult_content": False,
        "will_expire": WILL_EXPIRE,
        "reward_per_assignment": 0.01,
        "assignment_max_duration_seconds": 600,
        "defaults": Pool.Defaults(default_overlap_for_new_task_suites=1),
    }
    return Pool(project_id=project_id, **(settings | changes))


def every_input_field() -> dict[str, field_spec.FieldSpec]:
    """One input field of every type, with the constraints each type takes."""
    return {
        "text": field_spec.StringSpec(min_length=1, max_length=200),
        "choice": field_spec.StringSpec(required=False, allowed_values=["a", "b"]),
        "count": field_spec.IntegerSpec(min_value=0, max_value=10),
        "level": field_spec.IntegerSpec(allowed_values=[1, 2, 3]),
        "score": field_spec.FloatSpec(min_value=0.5, max_value=9.5),
        "flag": field_spec.BooleanSpec(allowed_values=[True]),
        "image": field_spec.UrlSpec(),
        "photo": field_spec.FileSpec(required=False),
        "place": field_spec.CoordinatesSpec(current_location=False),
        "extra": field_spec.JsonSpec(required=False, hidden=True),
        "flags": field_spec.ArrayBooleanSpec(allowed_values=[True, False], min_size=1, max_size=2),
        "tags": field_spec.ArrayStringSpec(max_length=20, min_size=1, max_size=5),
        "numbers": field_spec.ArrayIntegerSpec(min_value=0, max_value=100, min_size=0, max_size=10),
        "weights": field_spec.ArrayFloatSpec(min_value=0.0, max_value=1.0, max_size=3),
        "links": field_spec.ArrayUrlSpec(min_size=1, max_size=3),
        "files": field_spec.ArrayFileSpec(required=False, max_size=2),
        "points": field_spec.ArrayCoordinatesSpec(current_location=True, max_size=4),
        "blobs": field_spec.ArrayJsonSpec(required=False, max_size=2),
    }


def example_project(name: str = "Compat: every field type") -> Project:
    """A classic project with every field type and every view setting."""
    return Project(
        public_name=name,
        public_description="Every field spec type",
        public_instructions="<p>Look closely.</p>",
        private_comment="compat",
        task_spec=TaskSpec(
            input_spec=every_input_field(),
            output_spec={
                "result": field_spec.StringSpec(allowed_values=["cat", "dog", "other"]),
                "confidence": field_spec.FloatSpec(required=False, min_value=0.0, max_value=1.0),
                "boxes": field_spec.ArrayJsonSpec(required=False, max_size=10),
            },
            view_spec=ClassicViewSpec(
                markup="<img src='{{input.image}}'>{{field type='radio' name='result' value='cat'}}",
                script="exports.Task = extend(TolokaHandlebarsTask, {});",
                styles=".task { color: black; }",
                assets=ClassicViewSpec.Assets(
                    script_urls=["$TOLOKA_ASSETS/js/toloka-handlebars-templates.js"]
                ),
                settings=ViewSpec.Settings(show_skip=False, show_timer=True),
            ),
        ),
        assignments_issuing_type=Project.AssignmentsIssuingType.AUTOMATED,
        metadata={"team": ["compat"]},
    )


def template_builder_project() -> Project:
    view = ListViewV1(
        items=[
            TextViewV1(content=InputData(path="text"), label="Text"),
            RadioGroupFieldV1(
                data=OutputData(path="result"),
                options=[
                    GroupFieldOption(value="cat", label="Cat"),
                    GroupFieldOption(value="dog", label="Dog"),
                ],
                validation=RequiredConditionV1(),
            ),
        ]
    )
    return Project(
        public_name="Compat: template builder",
        public_description="A Template Builder interface",
        task_spec=TaskSpec(
            input_spec={"text": field_spec.StringSpec()},
            output_spec={"result": field_spec.StringSpec(allowed_values=["cat", "dog"])},
            view_spec=TemplateBuilderViewSpec(
                config=TemplateBuilder(view=view), settings=ViewSpec.Settings(show_finish=True)
            ),
        ),
    )


def example_training(project_id: str) -> Training:
    """The request body of Toloka's 'Create a training pool' example."""
    return Training(
        project_id=project_id,
        private_name="Selection for a labeling task",
        inherited_instructions=False,
        public_instructions="Unpaid selection for a project: 10 tasks, 90% threshold.",
        may_contain_adult_content=False,
        assignment_max_duration_seconds=600,
        mix_tasks_in_creation_order=True,
        shuffle_tasks_in_task_suite=True,
        training_tasks_in_task_suite_count=10,
        task_suites_required_to_pass=1,
        retry_training_after_days=7,
    )


def distribution() -> TaskDistributionFunction:
    return TaskDistributionFunction(
        scope=TaskDistributionFunction.Scope.PROJECT,
        distribution=TaskDistributionFunction.Distribution.UNIFORM,
        window_days=7,
        intervals=[
            TaskDistributionFunction.Interval(from_=1, to=100, frequency=5),
            TaskDistributionFunction.Interval(from_=101, to=1000, frequency=25),
        ],
    )


def dynamic_overlap(skill_id: str, *, max_overlap: int, min_confidence: float) -> DynamicOverlapConfig:
    """Dynamic overlap on the `result` field, each answer weighted by the worker's value of the skill."""
    return DynamicOverlapConfig(
        type=DynamicOverlapConfig.Type.BASIC,
        max_overlap=max_overlap,
        min_confidence=min_confidence,
        answer_weight_skill_id=skill_id,
        fields=[DynamicOverlapConfig.Field(name="result")],
    )


def example_pool(project_id: str, training_id: str, skill_id: str = SKILL_ID) -> Pool:
    """A pool with every setting filled in through the client's classes and rule builder; its
    dynamic pricing and dynamic overlap read `skill_id`, which must exist for the pool to be created."""
    full = Pool(
        project_id=project_id,
        private_name="Compat pool",
        private_comment="every setting",
        public_description="Pool's description",
        public_instructions="<p>Pool instructions</p>",
        may_contain_adult_content=False,
        will_expire=WILL_EXPIRE,
        reward_per_assignment=0.02,
        assignment_max_duration_seconds=300,
        auto_accept_solutions=False,
        auto_accept_period_day=7,
        auto_close_after_complete_delay_seconds=60,
        assignments_issuing_config=Pool.AssignmentsIssuingConfig(issue_task_suites_in_creation_order=False),
        priority=10,
        defaults=Pool.Defaults(default_overlap_for_new_task_suites=3, default_overlap_for_new_tasks=3),
        filter=filter.Languages.in_("EN") & (filter.ClientType == filter.ClientType.ClientType.BROWSER),
        speed_quality_balance=TopPercentageByQuality(percent=80),
        dynamic_overlap_config=dynamic_overlap(skill_id, max_overlap=5, min_confidence=0.75),
        dynamic_pricing_config=DynamicPricingConfig(
            type=DynamicPricingConfig.Type.SKILL,
            skill_id=skill_id,
            intervals=[
                DynamicPricingConfig.Interval(from_=0, to=60, reward_per_assignment=0.03),
                DynamicPricingConfig.Interval(from_=61, to=100, reward_per_assignment=0.04),
            ],
        ),
        mixer_config=MixerConfig(
            real_tasks_count=6,
            golden_tasks_count=1,
            training_tasks_count=1,
            min_real_tasks_count=2,
            min_golden_tasks_count=0,
            min_training_tasks_count=0,
            force_last_assignment=True,
            force_last_assignment_delay_seconds=10,
            mix_tasks_in_creation_order=True,
            shuffle_tasks_in_task_suite=False,
            golden_task_distribution_function=distribution(),
            training_task_distribution_function=distribution(),
        ),
        metadata={"team": ["compat"]},
    )
    full.set_training_requirement(training_pool_id=training_id, training_passing_skill_value=70)
    full.set_captcha_frequency(QualityControl.CaptchaFrequency.LOW)
    settings = QualityControl.CheckpointsConfig.Settings(
        target_overlap=5, task_distribution_function=distribution()
    )
    full.set_checkpoints_config(real_settings=settings, golden_settings=settings, training_settings=settings)
    full.quality_control.add_action(
        collector=collectors.AssignmentSubmitTime(history_size=5, fast_submit_threshold_seconds=20),
        conditions=[conditions.FastSubmittedCount > 1],
        action=actions.RestrictionV2(
            scope="PROJECT", duration=10, duration_unit="DAYS", private_comment="fast"
        ),
    )
    full.quality_control.add_action(
        collector=collectors.GoldenSet(history_size=10),
        conditions=[conditions.GoldenSetCorrectAnswersRate < 60, conditions.GoldenSetAnswersCount >= 3],
        action=actions.RestrictionV2(scope="POOL", duration=1, duration_unit="DAYS"),
    )
    full.quality_control.add_action(
        collector=collectors.AssignmentsAssessment(),
        conditions=[conditions.AssessmentEvent == conditions.AssessmentEvent.REJECT],
        action=actions.ChangeOverlap(delta=1, open_pool=True),
    )
    return full


def _normal(value: Any) -> Any:
    """JSON-ish value with numbers as Decimal, so 0.02 (sent) equals Decimal('0.02') (received)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(item) for item in value]
    return value


def _missing(sent: Any, got: Any, path: str) -> list[str]:
    """Paths where `got` does not carry what `sent` had (extra keys in `got` are fine)."""
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return [f"{path}: sent an object, got {got!r}"]
        problems = []
        for key, value in sent.items():
            if key not in got:
                problems.append(f"{path}.{key}: missing (sent {value!r})")
            else:
                problems.extend(_missing(value, got[key], f"{path}.{key}"))
        return problems
    if isinstance(sent, list):
        if not isinstance(got, list) or len(got) != len(sent):
            return [f"{path}: sent {sent!r}, got {got!r}"]
        return [
            problem
            for i, (a, b) in enumerate(zip(sent, got, strict=True))
            for problem in _missing(a, b, f"{path}.{i}")
        ]
    return [] if sent == got else [f"{path}: sent {sent!r}, got {got!r}"]


def assert_kept(sent: Any, got: Any) -> None:
    """Everything the client sent comes back unchanged in the server's answer."""
    problems = _missing(_normal(unstructure(sent)), _normal(unstructure(got)), "")
    assert not problems, "\n".join(problems)
