"""Async batches as operations: deferred runs, takeover after a dead runner, exactly-once under races."""

import uuid
from datetime import timedelta

import orjson
import pytest

from kvorum.clock import SettableClock
from kvorum.schemas.pool import PoolIn
from kvorum.schemas.project import ProjectIn
from kvorum.services import operations
from kvorum.services.accounts import requesters as accounts
from kvorum.services.bulk import running
from kvorum.services.bulk.params import CreateParams
from kvorum.services.context import Context
from kvorum.services.errors import OperationExists
from kvorum.services.pools import service as pools
from kvorum.services.pools.types import REGULAR_POOL
from kvorum.services.projects import service as projects
from kvorum.services.tasks import service as tasks
from kvorum.store import operations as operation_store
from tests.helpers import pool_body, project_body, race


@pytest.fixture
def caller(ctx: Context) -> int:
    return accounts.create_requester(ctx, name="ops")[0].id


@pytest.fixture
def pool_id(ctx: Context, caller: int) -> str:
    project = projects.create(ctx, caller=caller, body=ProjectIn.model_validate(project_body()))
    body = PoolIn.model_validate(pool_body(str(project.id)))
    return str(pools.create(ctx, caller=caller, pool_type=REGULAR_POOL, body=body).id)


def body(pool_id: str, count: int) -> bytes:
    items = [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{i}.png"}} for i in range(count)
    ]
    return orjson.dumps(items)


def submit(ctx: Context, caller: int, raw: bytes, operation_id: str | None = None) -> operations.Operation:
    params = CreateParams(async_mode=True, allow_defaults=True, operation_id=operation_id)
    return running.submit(ctx, caller=caller, bulk_type=tasks.BATCH_CREATE, raw=raw, params=params)


def task_count(ctx: Context, caller: int) -> int:
    return len(orjson.loads(tasks.find(ctx, caller=caller, params={"limit": "100000"}))["items"])


def test_a_deferred_operation_runs_later(ctx: Context, caller: int, pool_id: str) -> None:
    ctx.settings.inline_operation_items = 0
    operation = submit(ctx, caller, body(pool_id, 30))
    assert operation.status == "PENDING" and operation.started is None
    assert operations.log(ctx, caller=caller, operation_id=operation.id) == "[]"
    assert task_count(ctx, caller) == 0
    assert running.run_due(ctx) == 1
    finished = operations.get(ctx, caller=caller, operation_id=operation.id)
    assert finished.status == "SUCCESS" and finished.details is not None
    assert finished.details["success_count"] == 30
    assert task_count(ctx, caller) == 30
    assert running.run_due(ctx) == 0


def test_a_dead_runners_operation_is_taken_over_after_its_lease(
    ctx: Context, clock: SettableClock, caller: int, pool_id: str
) -> None:
    ctx.settings.inline_operation_items = 0
    operation_id = submit(ctx, caller, body(pool_id, 10)).id
    lease = timedelta(seconds=ctx.settings.operation_lease_seconds)
    with ctx.db.write() as conn:
        assert operation_store.claim(
            conn, operation_id=operation_id, claim="dead", now=clock.now(), lease_until=clock.now() + lease
        )
    assert operations.get(ctx, caller=caller, operation_id=operation_id).status == "RUNNING"
    assert running.run_due(ctx) == 0
    clock.advance(lease + timedelta(seconds=1))
    assert running.run_due(ctx) == 1
    assert operations.get(ctx, caller=caller, operation_id=operation_id).status == "SUCCESS"
    assert task_count(ctx, caller) == 10


def test_a_runner_that_lost_its_claim_writes_nothing(
    ctx: Context, clock: SettableClock, caller: int, pool_id: str
) -> None:
    ctx.settings.inline_operation_items = 0
    operation_id = submit(ctx, caller, body(pool_id, 10)).id
    with ctx.db.write() as conn:
        operation_store.claim(
            conn, operation_id=operation_id, claim="slow", now=clock.now(), lease_until=clock.now()
        )
    clock.advance(timedelta(seconds=1))
    assert running.run_due(ctx) == 1
    assert running._execute(ctx, operation_id, "slow") is False
    assert task_count(ctx, caller) == 10
    log = orjson.loads(operations.log(ctx, caller=caller, operation_id=operation_id))
    assert len(log) == 10


def test_racing_requests_with_one_operation_id_create_one_set(
    ctx: Context, caller: int, pool_id: str
) -> None:
    operation_id = str(uuid.uuid4())
    raw = body(pool_id, 50)
    results = race(lambda: submit(ctx, caller, raw, operation_id))
    accepted = [result for result in results if isinstance(result, operations.Operation)]
    assert len(accepted) == 1 and accepted[0].status == "SUCCESS"
    assert all(
        isinstance(result, OperationExists)
        for result in results
        if not isinstance(result, operations.Operation)
    )
    assert task_count(ctx, caller) == 50


def test_racing_runners_run_each_operation_once(ctx: Context, caller: int, pool_id: str) -> None:
    ctx.settings.inline_operation_items = 0
    submitted = [submit(ctx, caller, body(pool_id, 20)).id for _ in range(5)]
    ran = race(lambda: running.run_due(ctx))
    assert sum(ran) == 5
    statuses = {operations.get(ctx, caller=caller, operation_id=op).status for op in submitted}
    assert statuses == {"SUCCESS"}
    ids = [
        task["id"] for task in orjson.loads(tasks.find(ctx, caller=caller, params={"limit": "1000"}))["items"]
    ]
    assert len(ids) == len(set(ids)) == 100
