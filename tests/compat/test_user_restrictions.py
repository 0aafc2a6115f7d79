"""toloka-kit sets, reads and lifts user restrictions; the restricted worker is kept out."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from toloka.client import Pool, Project, Task
from toloka.client.exceptions import DoesNotExistApiError
from toloka.client.user_restriction import (
    AllProjectsUserRestriction,
    PoolUserRestriction,
    ProjectUserRestriction,
    UserRestriction,
)

from tests.compat import builders
from tests.support.live import LiveServer, create_account

pytestmark = pytest.mark.compat

API = Any


def test_toloka_kit_manages_restrictions(api: API, live_server: LiveServer) -> None:
    project: Project = api.create_project(builders.project())
    sent = builders.pool(project.id)
    sent.set_mixer_config(real_tasks_count=1, golden_tasks_count=0, training_tasks_count=0)
    pool: Pool = api.create_pool(sent)
    api.create_tasks(
        [Task(input_values={"image": "https://img.example/1.png"}, pool_id=pool.id, overlap=2)],
        open_pool=True,
    )
    token = create_account(
        live_server.database_url, "worker", f"worker-{uuid.uuid4().hex[:8]}", "--languages", "EN"
    )
    worker = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    user_id = worker.get("/api/worker/v1/me").json()["id"]

    by_pool = api.set_user_restriction(
        PoolUserRestriction(user_id=user_id, pool_id=pool.id, private_comment="Low quality")
    )
    assert isinstance(by_pool, PoolUserRestriction)
    assert (by_pool.pool_id, by_pool.user_id, by_pool.scope) == (pool.id, user_id, UserRestriction.POOL)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    by_project = api.set_user_restriction(
        ProjectUserRestriction(user_id=user_id, project_id=project.id, will_expire=until)
    )
    assert by_project.will_expire == until
    everywhere = api.set_user_restriction(AllProjectsUserRestriction(user_id=user_id))

    assert worker.post(f"/api/worker/v1/pools/{pool.id}/assignments").status_code == 409
    mine = list(api.get_user_restrictions(user_id=user_id))
    assert [item.id for item in mine] == [by_pool.id, by_project.id, everywhere.id]
    assert [item.id for item in api.get_user_restrictions(pool_id=pool.id)] == [by_pool.id]
    newest = api.find_user_restrictions(user_id=user_id, sort=["-created", "-id"], limit=1)
    assert [item.id for item in newest.items] == [everywhere.id] and newest.has_more
    assert api.get_user_restriction(by_project.id).project_id == project.id

    for restriction in mine:
        api.delete_user_restriction(restriction.id)
    with pytest.raises(DoesNotExistApiError):
        api.get_user_restriction(by_pool.id)
    assert worker.post(f"/api/worker/v1/pools/{pool.id}/assignments").status_code == 201
