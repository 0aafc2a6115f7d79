"""Projects, trainings and pools through the unmodified toloka-kit client against a live kvorum.

Every test runs on each backend and with both the sync and the async client (`api` fixture).
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from toloka.client import Pool, Project, Skill, TolokaClient, Training, operations
from toloka.client.exceptions import (
    AuthenticationApiError,
    ConflictStateApiError,
    DoesNotExistApiError,
    TooManyRequestsApiError,
    ValidationApiError,
)
from toloka.client.requester import Requester

from tests.compat import builders
from tests.compat.builders import assert_kept
from tests.support.live import LiveServer, live_server_on_fresh_database

pytestmark = pytest.mark.compat

API = Any  # a TolokaClient, or an AsyncTolokaClient behind the conftest's AsyncFacade


@pytest.fixture
def project(api: API) -> Project:
    created: Project = api.create_project(builders.example_project())
    return created


@pytest.fixture
def training(api: API, project: Project) -> Training:
    created: Training = api.create_training(builders.example_training(project.id))
    return created


@pytest.fixture
def skill(api: API) -> Skill:
    created: Skill = api.create_skill(Skill(name="Accuracy on control tasks"))
    return created


def finish(api: API, operation: Any, expected: type[operations.Operation]) -> operations.Operation:
    """Wait for an operation a `*_async` method returned; it must be of the expected type and succeed."""
    assert isinstance(operation, expected), operation
    done: operations.Operation = api.wait_operation(operation)
    assert isinstance(done, expected)
    assert done.status == operations.Operation.Status.SUCCESS, done
    return done


def test_get_requester(api: API) -> None:
    requester = api.get_requester()
    assert isinstance(requester, Requester)
    assert requester.id
    assert isinstance(requester.balance, Decimal)


# Projects


@pytest.mark.parametrize(
    "build",
    [builders.example_project, builders.template_builder_project],
    ids=["classic_every_field_type", "template_builder"],
)
def test_create_and_get_project(api: API, build: Callable[[], Project]) -> None:
    sent = build()
    created = api.create_project(sent)
    assert created.id
    assert created.status == Project.ProjectStatus.ACTIVE
    assert created.created is not None
    assert_kept(sent, created)
    assert created.task_spec == sent.task_spec
    assert api.get_project(created.id) == created


def test_find_and_page_projects(api: API) -> None:
    made = [api.create_project(builders.project(public_name=f"Compat search {name}")) for name in "cba"]
    first, last = made[0], made[-1]
    mine = {"id_gte": first.id, "created_gte": first.created, "created_lte": last.created}

    newest = api.find_projects(status="ACTIVE", **mine, sort=["-id"], limit=2)
    assert [p.id for p in newest.items] == [last.id, made[1].id]
    assert newest.has_more

    by_name = api.find_projects(**mine, sort=["public_name"])
    assert [p.id for p in by_name.items] == [p.id for p in reversed(made)]
    assert not by_name.has_more
    assert api.find_projects(status="ARCHIVED", **mine).items == []

    paged = list(api.get_projects(status="ACTIVE", **mine, batch_size=2))
    assert paged == [api.get_project(p.id) for p in made]


def test_update_and_archive_project(api: API, project: Project, training: Training) -> None:
    pool = api.create_pool(builders.pool(project.id))
    project.public_description = "Updated description"
    project.private_comment = "updated"
    updated = api.update_project(project.id, project)
    assert updated.public_description == "Updated description"
    assert_kept(project, updated)
    assert api.get_project(project.id) == updated

    api.archive_pool(pool.id)
    api.archive_training(training.id)
    archived = api.archive_project(project.id)
    assert archived.id == project.id
    assert archived.status == Project.ProjectStatus.ARCHIVED
    assert api.get_project(project.id) == archived


def test_archive_project_async(api: API, project: Project) -> None:
    done = finish(api, api.archive_project_async(project.id), operations.ProjectArchiveOperation)
    assert done.parameters.project_id == project.id
    assert api.get_project(project.id).status == Project.ProjectStatus.ARCHIVED


# Trainings


def test_training_lifecycle(api: API, project: Project) -> None:
    sent = builders.example_training(project.id)
    created = api.create_training(sent)
    assert created.id
    assert created.status == Training.Status.CLOSED
    assert_kept(sent, created)
    assert api.get_training(created.id) == created

    found = api.find_trainings(project_id=project.id, status="CLOSED", sort=["-id"], limit=5)
    assert found.items == [created]
    assert not found.has_more

    created.private_name = "Renamed training"
    created.retry_training_after_days = 3
    updated = api.update_training(created.id, created)
    assert updated.private_name == "Renamed training"
    assert updated.retry_training_after_days == 3
    assert api.get_training(created.id) == updated

    opened = api.open_training(created.id)
    assert opened.status == Training.Status.OPEN
    assert opened.last_started is not None
    assert api.open_training_async(created.id) is None  # already open: 204
    assert api.open_training(created.id) == opened

    closed = api.close_training(created.id)
    assert closed.status == Training.Status.CLOSED
    assert closed.last_close_reason == Training.CloseReason.MANUAL
    assert api.close_training_async(created.id) is None

    clone = api.clone_training(created.id)
    assert clone.id != created.id
    assert clone.status == Training.Status.CLOSED
    assert (clone.project_id, clone.private_name) == (project.id, "Renamed training")

    assert [t.id for t in api.get_trainings(project_id=project.id, batch_size=1)] == [created.id, clone.id]

    archived = api.archive_training(created.id)
    assert archived.status == Training.Status.ARCHIVED
    assert api.archive_training_async(created.id) is None
    assert api.find_trainings(project_id=project.id, status="ARCHIVED").items == [archived]


def test_training_operations(api: API, training: Training) -> None:
    done = finish(api, api.open_training_async(training.id), operations.TrainingOpenOperation)
    assert done.parameters.training_id == training.id
    assert api.get_training(training.id).status == Training.Status.OPEN

    finish(api, api.close_training_async(training.id), operations.TrainingCloseOperation)
    assert api.get_training(training.id).status == Training.Status.CLOSED

    done = finish(api, api.clone_training_async(training.id), operations.TrainingCloneOperation)
    clone = api.get_training(done.details.training_id)
    assert clone.id != training.id
    assert clone.private_name == training.private_name

    finish(api, api.archive_training_async(training.id), operations.TrainingArchiveOperation)
    assert api.get_training(training.id).status == Training.Status.ARCHIVED


# Pools


def test_create_full_pool(api: API, project: Project, training: Training, skill: Skill) -> None:
    sent = builders.example_pool(project.id, training.id, skill.id)
    created = api.create_pool(sent)
    assert created.id
    assert created.status == Pool.Status.CLOSED
    assert created.quality_control.training_requirement.training_pool_id == training.id
    assert_kept(sent, created)
    assert api.get_pool(created.id) == created


def test_find_and_page_pools(api: API, project: Project) -> None:
    made = [api.create_pool(builders.pool(project.id, private_name=f"Compat pool {i}")) for i in range(3)]
    opened = api.open_pool(made[1].id)
    created_range = {"created_gte": made[0].created, "created_lte": made[-1].created}

    closed = api.find_pools(project_id=project.id, status="CLOSED", **created_range, sort=["-id"], limit=1)
    assert [p.id for p in closed.items] == [made[2].id]
    assert closed.has_more
    open_now = api.find_pools(project_id=project.id, status="OPEN", last_started_gte=opened.last_started)
    assert open_now.items == [opened]

    paged = list(api.get_pools(project_id=project.id, **created_range, batch_size=2))
    assert paged == [api.get_pool(p.id) for p in made]


def test_pool_lifecycle(api: API, project: Project, training: Training, skill: Skill) -> None:
    pool = api.create_pool(builders.example_pool(project.id, training.id, skill.id))

    patched = api.patch_pool(pool.id, priority=42)
    assert patched.priority == 42
    assert api.get_pool(pool.id) == patched

    patched.private_comment = "updated"
    patched.auto_accept_period_day = 14
    patched.mixer_config.real_tasks_count = 8
    updated = api.update_pool(pool.id, patched)
    assert (updated.private_comment, updated.auto_accept_period_day, updated.priority) == ("updated", 14, 42)
    assert_kept(patched, updated)
    assert api.get_pool(pool.id) == updated

    opened = api.open_pool(pool.id)
    assert opened.status == Pool.Status.OPEN
    assert opened.last_started is not None
    assert api.open_pool(pool.id) == opened  # already open: the server answers 204
    assert api.open_pool_async(pool.id) is None

    for_update = api.close_pool_for_update(pool.id)
    assert for_update.status == Pool.Status.CLOSED
    assert for_update.last_close_reason == Pool.CloseReason.FOR_UPDATE
    assert api.open_pool(pool.id).status == Pool.Status.OPEN

    closed = api.close_pool(pool.id)
    assert closed.status == Pool.Status.CLOSED
    assert closed.last_close_reason == Pool.CloseReason.MANUAL
    assert closed.last_stopped is not None
    assert api.close_pool_async(pool.id) is None

    clone = api.clone_pool(pool.id)
    assert clone.id != pool.id
    assert clone.status == Pool.Status.CLOSED
    assert (clone.quality_control, clone.mixer_config, clone.filter) == (
        closed.quality_control,
        closed.mixer_config,
        closed.filter,
    )

    archived = api.archive_pool(pool.id)
    assert archived.status == Pool.Status.ARCHIVED
    assert api.archive_pool_async(pool.id) is None
    assert api.get_pool(pool.id) == archived


def test_pool_operations(api: API, project: Project) -> None:
    pool = api.create_pool(builders.pool(project.id))

    done = finish(api, api.open_pool_async(pool.id), operations.PoolOpenOperation)
    assert done.parameters.pool_id == pool.id
    assert api.get_pool(pool.id).status == Pool.Status.OPEN

    finish(api, api.close_pool_for_update_async(pool.id), operations.PoolCloseOperation)
    assert api.get_pool(pool.id).last_close_reason == Pool.CloseReason.FOR_UPDATE

    finish(api, api.open_pool_async(pool.id), operations.PoolOpenOperation)
    finish(api, api.close_pool_async(pool.id), operations.PoolCloseOperation)
    assert api.get_pool(pool.id).last_close_reason == Pool.CloseReason.MANUAL

    done = finish(api, api.clone_pool_async(pool.id), operations.PoolCloneOperation)
    assert done.parameters.pool_id == pool.id
    clone = api.get_pool(done.details.pool_id)
    assert (clone.id != pool.id, clone.private_name) == (True, pool.private_name)

    finish(api, api.archive_pool_async(pool.id), operations.PoolArchiveOperation)
    assert api.get_pool(pool.id).status == Pool.Status.ARCHIVED


# Errors as the client raises them


def _set(path: str, value: Any) -> Callable[[Pool], None]:
    def change(pool: Pool) -> None:
        *parents, last = path.split(".")
        target: Any = pool
        for name in parents:
            target = getattr(target, name)
        setattr(target, last, value)

    return change


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("auto_accept_period_day", 30),
        ("reward_per_assignment", 0.001),
        ("dynamic_overlap_config.max_overlap", 3),  # not above the default overlap (3)
        ("mixer_config.min_real_tasks_count", 7),  # above real_tasks_count (6)
    ],
)
def test_invalid_pool(api: API, project: Project, training: Training, field: str, value: Any) -> None:
    pool = builders.example_pool(project.id, training.id)
    _set(field, value)(pool)
    with pytest.raises(ValidationApiError) as raised:
        api.create_pool(pool)
    assert raised.value.code == "VALIDATION_ERROR"
    assert field in raised.value.invalid_fields, raised.value.payload


def test_missing_pool(api: API) -> None:
    with pytest.raises(DoesNotExistApiError) as raised:
        api.get_pool("999999999")
    assert raised.value.code == "DOES_NOT_EXIST"


def test_archiving_an_open_pool_conflicts(api: API, project: Project) -> None:
    pool = api.open_pool(api.create_pool(builders.pool(project.id)).id)
    with pytest.raises(ConflictStateApiError) as raised:
        api.archive_pool(pool.id)
    assert raised.value.code == "CONFLICT_STATE"
    assert api.get_pool(pool.id).status == Pool.Status.OPEN


def test_bad_token(live_server: LiveServer) -> None:
    with pytest.raises(AuthenticationApiError) as raised:
        TolokaClient("not-a-token", url=live_server.url).get_requester()
    assert raised.value.code == "AUTHENTICATION_ERROR"


# Rate limit: its own server, with a tiny quota


@pytest.fixture
def throttled_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    # The day limit matches the minute one, so the client's ~12 s of retries cannot outlast the window.
    env = {"KVORUM_QUOTA_POOL_CREATE_PER_MINUTE": "2", "KVORUM_QUOTA_POOL_CREATE_PER_DAY": "2"}
    with live_server_on_fresh_database("sqlite", request, tmp_path, env) as server:
        yield server


def test_pool_create_quota_raises_too_many_requests(throttled_server: LiveServer) -> None:
    """The default client retries the 429 with its normal backoff (~12 s), then raises it."""
    client = TolokaClient(throttled_server.token, url=throttled_server.url)
    project = client.create_project(builders.project())
    for _ in range(2):
        client.create_pool(builders.pool(project.id))
    with pytest.raises(TooManyRequestsApiError) as raised:
        client.create_pool(builders.pool(project.id))
    assert raised.value.code == "TOO_MANY_REQUESTS"
    assert raised.value.status_code == 429
    assert len(client.find_pools(project_id=project.id).items) == 2
