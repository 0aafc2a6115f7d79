"""toloka-kit gives a worker bonuses, for an assignment or not, reads and searches them; the
worker sees them in their earnings."""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from toloka.client import Project, Task
from toloka.client.exceptions import DoesNotExistApiError, ValidationApiError
from toloka.client.user_bonus import UserBonus

from tests.compat import builders
from tests.support.live import LiveServer, create_account

pytestmark = pytest.mark.compat

API = Any


def test_toloka_kit_gives_and_finds_bonuses(api: API, live_server: LiveServer) -> None:
    project: Project = api.create_project(builders.project())
    sent = builders.pool(project.id)
    sent.set_mixer_config(real_tasks_count=1, golden_tasks_count=0, training_tasks_count=0)
    pool = api.create_pool(sent)
    api.create_tasks(
        [Task(input_values={"image": "https://img.example/1.png"}, pool_id=pool.id, overlap=1)],
        open_pool=True,
    )
    token = create_account(
        live_server.database_url, "worker", f"worker-{uuid.uuid4().hex[:8]}", "--languages", "EN"
    )
    worker = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    user_id = worker.get("/api/worker/v1/me").json()["id"]
    taken = worker.post(f"/api/worker/v1/pools/{pool.id}/assignments")
    assert taken.status_code == 201, taken.text
    assignment_id = taken.json()["id"]

    comment = f"good work {uuid.uuid4().hex[:8]}"
    bonus: UserBonus = api.create_user_bonus(
        UserBonus(
            user_id=user_id,
            amount=Decimal("0.50"),
            assignment_id=assignment_id,
            private_comment=comment,
            public_title={"EN": "Good Job!", "RU": "Молодец!"},
            public_message={"EN": "Ten tasks were completed"},
        )
    )
    assert (bonus.user_id, bonus.amount, bonus.assignment_id) == (user_id, Decimal("0.50"), assignment_id)
    assert bonus.public_title == {"EN": "Good Job!", "RU": "Молодец!"} and bonus.created is not None
    assert api.get_user_bonus(bonus.id).private_comment == comment
    other: UserBonus = api.create_user_bonus(
        UserBonus(user_id=user_id, amount=Decimal("1.25"), without_message=True)
    )
    assert other.amount == Decimal("1.25") and other.without_message

    assert [found.id for found in api.get_user_bonuses(user_id=user_id)] == [bonus.id, other.id]
    assert [found.id for found in api.get_user_bonuses(private_comment=comment)] == [bonus.id]
    page = api.find_user_bonuses(user_id=user_id, created_gte=bonus.created, sort=["-created", "id"], limit=1)
    assert [found.id for found in page.items] == [other.id] and page.has_more
    assert worker.get("/api/worker/v1/me").json()["earnings"]["bonuses"] == 1.75

    with pytest.raises(ValidationApiError):
        api.create_user_bonus(UserBonus(user_id=user_id, amount=Decimal("100.01")))
    with pytest.raises(DoesNotExistApiError):
        api.get_user_bonus("999999")


def test_toloka_kit_gives_arrays_of_bonuses(api: API, live_server: LiveServer) -> None:
    token = create_account(live_server.database_url, "worker", f"worker-{uuid.uuid4().hex[:8]}")
    worker = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    user_id = worker.get("/api/worker/v1/me").json()["id"]
    given = [
        UserBonus(user_id=user_id, amount=Decimal("0.10")),
        UserBonus(user_id="999999", amount=Decimal("1")),
    ]

    batch = api.create_user_bonuses(given, skip_invalid_items=True)
    assert list(batch.items) == ["0"] and batch.items["0"].amount == Decimal("0.10")
    assert list(batch.validation_errors) == ["1"]

    operation_id = uuid.uuid4()
    operation = api.create_user_bonuses_async(given[:1] * 2, operation_id=operation_id)
    operation = api.wait_operation(operation)
    assert operation.status == operation.Status.SUCCESS and operation.details.success_count == 2
    again = api.create_user_bonuses_async(given[:1], operation_id=operation_id)
    assert again.id == str(operation_id)
    assert len(list(api.get_user_bonuses(user_id=user_id))) == 3
    assert worker.get("/api/worker/v1/me").json()["earnings"]["bonuses"] == 0.3
