"""A pool id a worker asks for that cannot name a pool is not found, never a server error."""

import pytest
from fastapi.testclient import TestClient

from kvorum.services.context import Context
from tests.helpers import assert_error, take, worker_client


@pytest.mark.parametrize("pool_id", ["9" * 30, "١٢", "1234567890123456789", "abc"])
def test_taking_from_a_pool_that_cannot_exist(app_client: TestClient, ctx: Context, pool_id: str) -> None:
    assert_error(take(worker_client(app_client, ctx, "wanda"), pool_id), 404, "DOES_NOT_EXIST")
