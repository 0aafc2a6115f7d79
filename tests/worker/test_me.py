from fastapi.testclient import TestClient

from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import workers
from kvorum.services.context import Context
from tests.helpers import assert_error


def test_me_needs_a_worker_token(app_client: TestClient, ctx: Context, token: str) -> None:
    profile = WorkerProfile(country="DE", languages=["DE", "EN"], adult_allowed=True)
    worker, worker_token = workers.create_worker(ctx, name="wanda", profile=profile)
    me = app_client.get("/api/worker/v1/me", headers={"Authorization": f"Bearer {worker_token}"})
    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(worker.id) and me.json()["profile"]["languages"] == ["DE", "EN"]
    for header in (f"Bearer {token}", "Bearer nope", f"OAuth {worker_token}", ""):
        assert_error(
            app_client.get("/api/worker/v1/me", headers={"Authorization": header}),
            401,
            "AUTHENTICATION_ERROR",
        )
    assert_error(
        app_client.get("/api/v1/requester", headers={"Authorization": f"OAuth {worker_token}"}),
        401,
        "AUTHENTICATION_ERROR",
    )
