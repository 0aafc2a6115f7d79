"""The Toloka wire form of the domain objects the pools, trainings, projects, user restrictions
and requester routes answer with.

Routes return these bodies as JSONResponse: they are exact (a pool echoes its stored settings,
keys that do not apply are absent rather than null) and are not passed through the routes'
response models again, which only document them.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from kvorum.schemas.common import format_datetime, owner
from kvorum.services.accounts.requesters import Requester
from kvorum.services.pools.model import Pool
from kvorum.services.projects.model import Project
from kvorum.services.quality.history import QualityEvent
from kvorum.services.search import Page
from kvorum.services.workforce.restrictions import UserRestriction
from kvorum.services.workforce.skills import Skill, UserSkill

Item = TypeVar("Item")


def page(found: Page[Item], render: Callable[[Item], dict[str, Any]]) -> dict[str, Any]:
    return {"items": [render(item) for item in found.items], "has_more": found.has_more}


def pool(found: Pool, caller: int, *, with_type: bool) -> dict[str, Any]:
    """A pool or training; `type` is shown by the /pools routes, not by /trainings."""
    body: dict[str, Any] = {
        **found.stored_settings,
        "id": str(found.id),
        "project_id": str(found.project_id),
        "status": found.status,
        "created": format_datetime(found.created),
        "owner": owner(found.owner_id, caller),
    }
    if found.last_started is not None:
        body["last_started"] = format_datetime(found.last_started)
    if found.last_stopped is not None:
        body["last_stopped"] = format_datetime(found.last_stopped)
    if found.last_close_reason is not None:
        body["last_close_reason"] = found.last_close_reason
    if with_type:
        body["type"] = found.type
    return body


def project(found: Project, caller: int) -> dict[str, Any]:
    return {
        **found.stored_settings,
        "id": str(found.id),
        "status": found.status,
        "created": format_datetime(found.created),
        "owner": owner(found.owner_id, caller),
    }


def user_restriction(found: UserRestriction) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(found.id),
        "scope": found.scope,
        "user_id": str(found.worker_id),
        "created": format_datetime(found.created),
    }
    if found.project_id is not None:
        body["project_id"] = str(found.project_id)
    if found.pool_id is not None:
        body["pool_id"] = str(found.pool_id)
    if found.private_comment is not None:
        body["private_comment"] = found.private_comment
    if found.will_expire is not None:
        body["will_expire"] = format_datetime(found.will_expire)
    return body


def skill(found: Skill, caller: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(found.id),
        "name": found.name,
        "hidden": found.hidden,
        "training": found.training_pool_id is not None,
        "owner": owner(found.owner_id, caller),
        "created": format_datetime(found.created),
    }
    optional = {
        "private_comment": found.private_comment,
        "skill_ttl_hours": found.skill_ttl_hours,
        "public_name": found.public_name,
        "public_requester_description": found.public_requester_description,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    return body


def user_skill(found: UserSkill) -> dict[str, Any]:
    return {
        "id": str(found.id),
        "skill_id": str(found.skill_id),
        "user_id": str(found.worker_id),
        "value": found.value,
        "exact_value": found.exact_value,
        "created": format_datetime(found.created),
        "modified": format_datetime(found.modified),
    }


def requester(account: Requester) -> dict[str, Any]:
    account_id = str(account.id)
    return {
        "id": account_id,
        "balance": 0,
        "public_name": {"EN": account.name},
        "company": {"id": account_id, "superintendent_id": account_id},
    }


def quality_event(found: QualityEvent) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(found.id),
        "pool_id": str(found.pool_id),
        "user_id": str(found.worker_id),
        "collector": {"type": found.collector_type, "uuid": found.collector_uuid},
        "rule": {"source": found.source, "index": found.rule_index},
        "values": dict(found.values),
        "action": dict(found.action),
        "outcome": dict(found.outcome),
        "created": format_datetime(found.created),
    }
    if found.assignment_id is not None:
        body["assignment_id"] = found.assignment_id
    return body
