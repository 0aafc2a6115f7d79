"""The profile page: the facts a worker states, their skills by public name, their earnings."""

from fastapi.testclient import TestClient

from kvorum.services.accounts import requesters
from kvorum.services.context import Context
from kvorum.store import accounts as account_store
from kvorum.store.accounts import WORKERS
from tests.helpers import created
from tests.web.conftest import post_form, sign_up


def test_the_profile_shows_skills_and_earnings_and_saves_stated_facts(browser_like: TestClient) -> None:
    ctx: Context = browser_like.app.state.context  # type: ignore[attr-defined]
    api = TestClient(browser_like.app, raise_server_exceptions=False)
    api.headers["Authorization"] = f"OAuth {requesters.create_requester(ctx, name='alice')[1]}"
    sign_up(browser_like, "wanda", languages="DE")
    with ctx.db.read() as conn:
        row = account_store.by_name(conn, WORKERS, name="wanda")
    assert row is not None
    named = created(
        api.post(
            "/api/v1/skills", json={"name": "s1", "public_name": {"EN": "Cat spotter", "DE": "Katzenfinder"}}
        )
    )
    plain = created(api.post("/api/v1/skills", json={"name": "s2"}))
    for skill, value in ((named, 85.5), (plain, 10)):
        assert api.put(
            "/api/v1/user-skills", json={"skill_id": skill["id"], "user_id": str(row.id), "value": value}
        ).status_code in (200, 201)
    created(
        api.post(
            "/api/v1/user-bonuses", json={"user_id": str(row.id), "amount": "1.25", "without_message": True}
        )
    )

    page = browser_like.get("/work/profile").text
    assert "Katzenfinder" in page and "85.5" in page and f"Skill {plain['id']}" in page
    assert "$1.25" in page

    saved = post_form(
        browser_like, "/work/profile", {"country": "fr", "languages": "fr, en", "education": "HIGH"}
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    with ctx.db.read() as conn:
        profile = account_store.by_name(conn, WORKERS, name="wanda").profile  # type: ignore[union-attr]
    assert (
        profile["country"] == "FR" and profile["languages"] == ["FR", "EN"] and profile["education"] == "HIGH"
    )
    assert profile["client_type"] == "BROWSER", "facts a worker does not state are kept"

    refused = post_form(browser_like, "/work/profile", {"country": "France", "gender": "OTHER"})
    assert refused.status_code == 400 and "String should match pattern" in refused.text  # type: ignore[attr-defined]
    with ctx.db.read() as conn:
        assert account_store.by_name(conn, WORKERS, name="wanda").profile == profile  # type: ignore[union-attr]
