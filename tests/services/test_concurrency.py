"""Races between requests: one transition wins, quotas never let more through than allowed."""

import pytest

from kvorum.schemas.pool import PoolIn
from kvorum.schemas.project import ProjectIn
from kvorum.services import operations
from kvorum.services.accounts import requesters as accounts
from kvorum.services.context import Context
from kvorum.services.errors import TooManyRequests
from kvorum.services.pools import lifecycle
from kvorum.services.pools import service as pools
from kvorum.services.pools.model import Pool
from kvorum.services.pools.types import REGULAR_POOL
from kvorum.services.projects import service as projects
from tests.helpers import pool_body, project_body, race

THREADS = 8


@pytest.fixture
def caller(ctx: Context) -> int:
    return accounts.create_requester(ctx, name="racer")[0].id


@pytest.fixture
def project_id(ctx: Context, caller: int) -> str:
    return str(projects.create(ctx, caller=caller, body=ProjectIn.model_validate(project_body())).id)


def test_concurrent_opens_make_one_operation(ctx: Context, caller: int, project_id: str) -> None:
    body = PoolIn.model_validate(pool_body(project_id))
    pool_id = str(pools.create(ctx, caller=caller, pool_type=REGULAR_POOL, body=body).id)
    results = race(
        lambda: lifecycle.transition(
            ctx, caller=caller, pool_type=REGULAR_POOL, pool_id=pool_id, change=lifecycle.OPEN
        )
    )
    done = [result for result in results if isinstance(result, lifecycle.AlreadyDone)]
    assert [type(result) for result in results if not isinstance(result, lifecycle.AlreadyDone)] == [
        operations.Operation
    ]
    assert len(done) == THREADS - 1
    assert pools.get(ctx, caller=caller, pool_type=REGULAR_POOL, pool_id=pool_id).status == "OPEN"
    found = operations.find(ctx, caller=caller, params={"type": "POOL.OPEN"})
    assert len(found.items) == 1


def test_quota_admits_exactly_the_limit_under_concurrency(ctx: Context, caller: int, project_id: str) -> None:
    ctx.settings.quota_pool_create_per_minute = 3
    body = PoolIn.model_validate(pool_body(project_id))
    results = race(lambda: pools.create(ctx, caller=caller, pool_type=REGULAR_POOL, body=body))
    created = [result for result in results if isinstance(result, Pool)]
    refused = [result for result in results if isinstance(result, TooManyRequests)]
    assert (len(created), len(refused)) == (3, THREADS - 3)
    assert len(pools.find(ctx, caller=caller, pool_type=REGULAR_POOL, params={}).items) == 3
