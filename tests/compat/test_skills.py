"""toloka-kit makes skills, sets workers' values of them and takes them away; a value counts
for a pool's skill filter at once."""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from toloka.client import Pool, Project, Skill, Task
from toloka.client.exceptions import DoesNotExistApiError
from toloka.client.filter import Skill as SkillFilter
from toloka.client.user_skill import SetUserSkillRequest, UserSkill

from tests.compat import builders
from tests.support.live import LiveServer, create_account

pytestmark = pytest.mark.compat

API = Any


def test_toloka_kit_manages_skills_and_values(api: API, live_server: LiveServer) -> None:
    name = f"Road signs {uuid.uuid4().hex[:8]}"
    skill: Skill = api.create_skill(
        Skill(name=name, hidden=False, skill_ttl_hours=48, public_name={"EN": "Road signs", "RU": "Знаки"})
    )
    assert (skill.name, skill.hidden, skill.skill_ttl_hours, skill.training) == (name, False, 48, False)
    assert skill.public_name == {"EN": "Road signs", "RU": "Знаки"} and skill.owner.myself
    skill.private_comment = "for segmentation pools"
    updated = api.update_skill(skill.id, skill)
    assert updated.private_comment == "for segmentation pools"
    assert api.get_skill(skill.id).private_comment == "for segmentation pools"
    assert [found.id for found in api.get_skills(name=name)] == [skill.id]
    page = api.find_skills(name=name, id_gte=skill.id, sort=["-created", "id"], limit=1)
    assert [found.id for found in page.items] == [skill.id] and not page.has_more

    project: Project = api.create_project(builders.project())
    sent = builders.pool(project.id)
    sent.set_mixer_config(real_tasks_count=1, golden_tasks_count=0, training_tasks_count=0)
    sent.filter = SkillFilter(skill.id) >= 80
    pool: Pool = api.create_pool(sent)
    task = Task(input_values={"image": "https://img.example/1.png"}, pool_id=pool.id, overlap=1)
    api.create_tasks([task], open_pool=True)
    token = create_account(
        live_server.database_url, "worker", f"worker-{uuid.uuid4().hex[:8]}", "--languages", "EN"
    )
    worker = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    user_id = worker.get("/api/worker/v1/me").json()["id"]
    assert worker.post(f"/api/worker/v1/pools/{pool.id}/assignments").status_code == 409

    held: UserSkill = api.set_user_skill(
        SetUserSkillRequest(skill_id=skill.id, user_id=user_id, value=Decimal("85.5"))
    )
    assert (held.skill_id, held.user_id, held.value) == (skill.id, user_id, 85)
    assert held.exact_value == Decimal("85.5")
    assert api.get_user_skill(held.id).modified == held.modified
    assert [found.id for found in api.get_user_skills(user_id=user_id, skill_id=skill.id)] == [held.id]
    found = api.find_user_skills(skill_id=skill.id, modified_gte=held.modified, sort=["-modified"], limit=5)
    assert [item.id for item in found.items] == [held.id]
    assert worker.post(f"/api/worker/v1/pools/{pool.id}/assignments").status_code == 201

    api.delete_user_skill(held.id)
    with pytest.raises(DoesNotExistApiError):
        api.get_user_skill(held.id)
