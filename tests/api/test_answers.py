"""What the requester, project, pool, training and user restriction routes send fits the response
models /openapi.json publishes: declared keys only, no nulls."""

from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel

from kvorum.schemas.operation import OperationOut
from kvorum.schemas.pool_out import PoolOut
from kvorum.schemas.project_out import ProjectOut
from kvorum.schemas.requester import RequesterOut
from kvorum.schemas.training_out import TrainingAsPoolOut, TrainingOut
from kvorum.schemas.user_restriction_out import UserRestrictionOut
from kvorum.services.context import Context
from tests.helpers import example_pool_body, example_project_body, worker_client


def assert_fits(model: type[BaseModel], answer: dict[str, Any]) -> None:
    """The answer validates as the model and sends no key the model does not declare, and no null."""
    declared = {field.alias or name for name, field in model.model_fields.items()}
    assert set(answer) <= declared, set(answer) - declared
    assert None not in answer.values()
    model.model_validate(answer)


def assert_page_fits(model: type[BaseModel], answer: dict[str, Any]) -> None:
    assert set(answer) == {"items", "has_more"} and isinstance(answer["has_more"], bool)
    assert answer["items"]
    for item in answer["items"]:
        assert_fits(model, item)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


def test_answers_fit_their_models(
    api: TestClient, app_client: TestClient, ctx: Context, training: dict[str, Any], skill: dict[str, Any]
) -> None:
    assert_fits(RequesterOut, ok(api.get("/api/v1/requester")))

    project = ok(api.post("/api/v1/projects", json=example_project_body(metadata={"team": ["a"]})), 201)
    assert_fits(ProjectOut, project)
    url = f"/api/v1/projects/{project['id']}"
    assert_fits(ProjectOut, ok(api.get(url)))
    assert_fits(ProjectOut, ok(api.put(url, json=example_project_body(private_comment="changed"))))
    assert_page_fits(ProjectOut, ok(api.get("/api/v1/projects")))
    assert_fits(OperationOut, ok(api.post(f"{url}/archive"), 202))

    url = f"/api/v1/trainings/{training['id']}"
    assert_fits(TrainingOut, training)
    assert_fits(TrainingOut, ok(api.get(url)))
    assert_fits(TrainingAsPoolOut, ok(api.get(f"/api/v1/pools/{training['id']}")))
    assert_fits(OperationOut, ok(api.post(f"{url}/open"), 202))
    assert_fits(OperationOut, ok(api.post(f"{url}/close"), 202))
    assert_fits(TrainingOut, ok(api.put(url, json={**training, "retry_training_after_days": 3})))
    assert_page_fits(TrainingOut, ok(api.get("/api/v1/trainings")))

    pool = ok(
        api.post(
            "/api/v1/pools", json=example_pool_body(training["project_id"], training["id"], skill["id"])
        ),
        201,
    )
    assert_fits(PoolOut, pool)
    url = f"/api/v1/pools/{pool['id']}"
    assert_fits(OperationOut, ok(api.post(f"{url}/open"), 202))
    assert_fits(OperationOut, ok(api.post(f"{url}/close-for-update"), 202))
    closed = ok(api.get(url))
    assert {"last_started", "last_stopped", "last_close_reason"} <= set(closed)
    assert_fits(PoolOut, closed)
    assert_fits(PoolOut, ok(api.patch(url, json={"priority": 9})))
    assert_fits(
        PoolOut,
        ok(api.put(url, json=example_pool_body(training["project_id"], skill_id=skill["id"], priority=3))),
    )
    assert_fits(OperationOut, ok(api.post(f"{url}/clone"), 202))
    assert_page_fits(PoolOut, ok(api.get("/api/v1/pools")))

    worker = ok(worker_client(app_client, ctx, "walter").get("/api/worker/v1/me"))
    body = {"scope": "POOL", "user_id": worker["id"], "pool_id": pool["id"], "private_comment": "slow"}
    restriction = ok(api.put("/api/v1/user-restrictions", json=body), 201)
    assert_fits(UserRestrictionOut, restriction)
    replaced = {**body, "will_expire": "2041-01-01T00:00:00"}
    assert_fits(UserRestrictionOut, ok(api.put("/api/v1/user-restrictions", json=replaced)))
    assert_fits(UserRestrictionOut, ok(api.get(f"/api/v1/user-restrictions/{restriction['id']}")))
    assert_page_fits(UserRestrictionOut, ok(api.get("/api/v1/user-restrictions")))
