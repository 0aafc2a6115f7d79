"""Tasks, task suites and operations through the unmodified toloka-kit client against a live kvorum.

Toloka's documentation examples run as written (with `url=` pointed at kvorum); 100,000 tasks go through the
async client in one call; operations accepted before a crash finish after a restart.
"""

import asyncio
import datetime
import os
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
from toloka.async_client import AsyncTolokaClient
from toloka.client import Pool, Task, TaskSuite, TolokaClient, operations
from toloka.client.exceptions import TooManyRequestsApiError, ValidationApiError

from tests.compat import builders
from tests.support.databases import BACKENDS
from tests.support.live import fresh_database, live_server_on_fresh_database, running_server

pytestmark = pytest.mark.compat

API = Any


@pytest.fixture
def pool(api: API) -> Pool:
    """New tasks get overlap 3 and new suites 2 unless they set their own."""
    project = api.create_project(builders.project())
    defaults = Pool.Defaults(default_overlap_for_new_tasks=3, default_overlap_for_new_task_suites=2)
    created: Pool = api.create_pool(builders.pool(project.id, defaults=defaults))
    return created


def urls(count: int, start: int = 0) -> list[str]:
    return [f"https://img.example/{n}.png" for n in range(start, start + count)]


def test_documented_example_tasks_with_defaults(api: API, pool: Pool) -> None:
    tasks = [Task(input_values={"image": url}, pool_id=pool.id) for url in urls(50)]
    result = api.create_tasks(tasks, allow_defaults=True)
    assert len(result.items) == 50 and not result.validation_errors
    for index, url in enumerate(urls(50)):
        task = result.items[str(index)]
        assert (task.input_values, task.overlap, task.pool_id) == ({"image": url}, 3, pool.id)
    assert api.get_task(result.items["7"].id) == result.items["7"]
    assert [task.id for task in api.get_tasks(pool_id=pool.id)] == [
        result.items[str(i)].id for i in range(50)
    ]


def test_documented_example_control_tasks(api: API, pool: Pool) -> None:
    labeled = [("https://img.example/a.png", "cat"), ("https://img.example/b.png", "dog")]
    golden = [
        Task(
            input_values={"image": image},
            known_solutions=[Task.KnownSolution(output_values={"animal": label})],
            pool_id=pool.id,
        )
        for image, label in labeled
    ]
    result = api.create_tasks(golden, allow_defaults=True)
    assert len(result.items) == 2
    assert result.items["1"].known_solutions[0].output_values == {"animal": "dog"}
    assert result.items["1"].infinite_overlap is True


def test_mixed_batch_with_skip_invalid_items(api: API, pool: Pool) -> None:
    tasks = [Task(input_values={"image": url}, pool_id=pool.id, overlap=1) for url in urls(4)]
    tasks[1] = Task(input_values={"imagis": "https://img.example/x.png"}, pool_id=pool.id, overlap=1)
    tasks[3] = Task(input_values={"image": "not a url"}, pool_id=pool.id, overlap=1)
    result = api.create_tasks(tasks, skip_invalid_items=True)
    assert sorted(result.items) == ["0", "2"]
    assert sorted(result.validation_errors) == ["1", "3"]
    assert result.validation_errors["1"]["input_values.image"].code == "VALUE_REQUIRED"
    assert result.validation_errors["3"]["input_values.image"].code == "INVALID_URL_SYNTAX"


@pytest.mark.parametrize("async_mode", [True, False])
def test_an_invalid_batch_raises_and_writes_nothing(api: API, pool: Pool, async_mode: bool) -> None:
    tasks = [Task(input_values={"image": url}, pool_id=pool.id) for url in urls(3)]
    with pytest.raises(ValidationApiError) as raised:
        api.create_tasks(tasks, async_mode=async_mode)  # no overlap, no allow_defaults
    assert "overlap" in raised.value.payload["0"]
    assert list(api.get_tasks(pool_id=pool.id)) == []


def test_sync_mode_single_task_and_patches(api: API, pool: Pool) -> None:
    result = api.create_tasks(
        [Task(input_values={"image": u}, pool_id=pool.id, overlap=2) for u in urls(3)], async_mode=False
    )
    assert len(result.items) == 3
    single = api.create_task(
        Task(input_values={"image": "https://img.example/s.png"}, pool_id=pool.id), allow_defaults=True
    )
    assert single.overlap == 3 and api.get_task(single.id) == single
    raised = api.patch_task_overlap_or_min(single.id, overlap=5)
    assert raised.overlap == 5
    patched = api.patch_task(
        single.id,
        baseline_solutions=[Task.BaselineSolution(output_values={"animal": "cat"}, confidence_weight=0.6)],
    )
    assert patched.baseline_solutions[0].output_values == {"animal": "cat"}
    found = api.find_tasks(pool_id=pool.id, overlap=2, sort=["-id"], limit=2)
    assert [task.id for task in found.items] == [
        result.items["2"].id,
        result.items["1"].id,
    ] and found.has_more


def test_open_pool_and_repeated_operation_id(api: API, pool: Pool) -> None:
    operation_id = uuid.uuid4()
    tasks = [Task(input_values={"image": url}, pool_id=pool.id) for url in urls(5)]
    first = api.create_tasks(tasks, allow_defaults=True, open_pool=True, operation_id=operation_id)
    assert len(first.items) == 5
    assert api.get_pool(pool.id).status == Pool.Status.OPEN
    again = api.create_tasks(
        tasks, allow_defaults=True, operation_id=operation_id
    )  # answered 409; the client reuses it
    assert {task.id for task in again.items.values()} == {task.id for task in first.items.values()}
    assert len(list(api.get_tasks(pool_id=pool.id))) == 5
    operation = api.get_operation(operation_id)
    assert (
        isinstance(operation, operations.TasksCreateOperation)
        and operation.status == operation.Status.SUCCESS
    )
    log = api.get_operation_log(operation_id)
    assert [item.input["__item_idx"] for item in log if "__item_idx" in item.input] == [
        str(i) for i in range(5)
    ]
    assert any(item.type == "POOL_OPEN" for item in log)


def test_task_suites(api: API, pool: Pool) -> None:
    suites = [
        TaskSuite(
            pool_id=pool.id,
            tasks=[Task(input_values={"image": u}) for u in urls(2, 2 * n)],
            issuing_order_override=n,
        )
        for n in range(3)
    ]
    result = api.create_task_suites(suites, allow_defaults=True)
    assert len(result.items) == 3
    created = result.items["1"]
    assert created.overlap == 2 and [task.input_values["image"] for task in created.tasks] == urls(2, 2)
    assert api.get_task_suite(created.id) == created
    changed = api.patch_task_suite_overlap_or_min(created.id, overlap=4)
    assert changed.overlap == 4
    assert [suite.id for suite in api.get_task_suites(task_id=created.tasks[0].id)] == [created.id]
    single = api.create_task_suite(
        TaskSuite(pool_id=pool.id, tasks=[Task(input_values={"image": urls(1)[0]})], overlap=1)
    )
    assert single.overlap == 1 and len(list(api.get_task_suites(pool_id=pool.id))) == 4


def test_operations_search(api: API, pool: Pool) -> None:
    operation = api.create_tasks_async(
        [Task(input_values={"image": u}, pool_id=pool.id) for u in urls(2)], allow_defaults=True
    )
    done = api.wait_operation(operation)
    assert done.status == operations.Operation.Status.SUCCESS and done.details["success_count"] == 2
    found = api.find_operations(type="TASK.BATCH_CREATE", status="SUCCESS", id_gte=done.id, id_lte=done.id)
    assert [item.id for item in found.items] == [done.id]


# Each test below starts its own server


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param not in BACKENDS:
        pytest.skip(f"{request.param} not in KVORUM_TEST_BACKENDS")
    return str(request.param)


UNLIMITED = {"KVORUM_QUOTA_TASK_CREATE_PER_MINUTE": "1000000", "KVORUM_QUOTA_TASK_CREATE_PER_DAY": "10000000"}


def test_one_hundred_thousand_tasks_through_the_async_client(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with live_server_on_fresh_database(backend, request, tmp_path, UNLIMITED) as server:
        sync = TolokaClient(server.token, url=server.url)
        pool = sync.create_pool(builders.pool(sync.create_project(builders.project()).id))
        images = urls(100_000)
        tasks = [Task(input_values={"image": url}, pool_id=pool.id) for url in images]

        async def create_all() -> Any:
            client = AsyncTolokaClient(server.token, url=server.url)  # binds to the running loop
            return await client.create_tasks(tasks, allow_defaults=True)

        result = asyncio.run(create_all())
        assert len(result.items) == 100_000 and not result.validation_errors
        assert [result.items[str(i)].input_values["image"] for i in range(100_000)] == images
        ids = [result.items[str(i)].id for i in range(100_000)]
        assert ids == sorted(ids) and len(set(ids)) == 100_000


def test_accepted_operations_finish_after_a_crash(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Operations stored but not run when the server dies are run, once, by the next server."""
    with fresh_database(backend, request, tmp_path) as url:
        deferred = {"KVORUM_INLINE_OPERATION_ITEMS": "0", "KVORUM_RUN_BACKGROUND_JOBS": "false"}
        with running_server(backend, url, tmp_path, deferred) as first:
            client = TolokaClient(first.token, url=first.url)
            pool = client.create_pool(builders.pool(client.create_project(builders.project()).id))
            submitted = [
                client.create_tasks_async(
                    [Task(input_values={"image": u}, pool_id=pool.id) for u in urls(1000, 1000 * n)],
                    allow_defaults=True,
                )
                for n in range(3)
            ]
            assert {operation.status for operation in submitted} == {operations.Operation.Status.PENDING}
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait(10)
        with running_server(backend, url, tmp_path, token=first.token) as second:
            client = TolokaClient(second.token, url=second.url)
            for operation in submitted:
                done = client.wait_operation(operation, timeout=datetime.timedelta(seconds=60))
                assert done.status == operations.Operation.Status.SUCCESS
            ids = [task.id for task in client.get_tasks(pool_id=pool.id)]
            assert len(ids) == len(set(ids)) == 3000


def test_task_quota_ends_in_too_many_requests(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    with live_server_on_fresh_database(
        "sqlite",
        request,
        tmp_path,
        {"KVORUM_QUOTA_TASK_CREATE_PER_MINUTE": "10", "KVORUM_QUOTA_TASK_CREATE_PER_DAY": "10"},
    ) as server:
        client = TolokaClient(server.token, url=server.url)
        pool = client.create_pool(builders.pool(client.create_project(builders.project()).id))
        client.create_tasks(
            [Task(input_values={"image": u}, pool_id=pool.id) for u in urls(8)], allow_defaults=True
        )
        with pytest.raises(TooManyRequestsApiError):
            client.create_tasks(
                [Task(input_values={"image": u}, pool_id=pool.id) for u in urls(3)], allow_defaults=True
            )
        assert len(list(client.get_tasks(pool_id=pool.id))) == 8


def test_one_request_fills_several_pools(api: API, pool: Pool) -> None:
    other = api.create_pool(builders.pool(pool.project_id))
    tasks = [
        Task(input_values={"image": url}, pool_id=(pool.id, other.id)[n % 2]) for n, url in enumerate(urls(6))
    ]
    result = api.create_tasks(tasks, allow_defaults=True)
    assert [result.items[str(n)].pool_id for n in range(6)] == [pool.id, other.id] * 3
    assert len(list(api.get_tasks(pool_id=other.id))) == 3
