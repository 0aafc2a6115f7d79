"""Signing up, in and out through the pages: hashed passwords, signed session cookies, form tokens,
and the limit on failed sign-ins, on both databases."""

import hashlib
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kvorum.app import create_app
from kvorum.clock import SettableClock
from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import invites, workers
from kvorum.services.context import Context
from kvorum.settings import Settings
from kvorum.store import accounts as account_store
from kvorum.store.accounts import WORKERS
from kvorum.store.tables import web_sessions
from kvorum.store.tables import workers as worker_table
from tests.web.conftest import form_token, post_form, sign_up


def _ctx(client: TestClient) -> Context:
    context: Context = client.app.state.context  # type: ignore[attr-defined]
    return context


def _stored_hash(client: TestClient, name: str) -> str:
    with _ctx(client).db.read() as conn:
        row = account_store.by_name(conn, WORKERS, name=name)
    assert row is not None
    return str(row.password_hash)


def _worker_count(client: TestClient) -> int:
    with _ctx(client).db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(worker_table)).scalar_one())


def _sign_in(client: TestClient, name: str, password: str) -> object:
    return post_form(client, "/signin", {"name": name, "password": password, "next": "/work/profile"})


def test_a_person_signs_up_and_is_signed_in_with_a_safe_cookie(browser_like: TestClient) -> None:
    done = post_form(
        browser_like,
        "/signup",
        {"name": "wanda", "password": "correct horse", "country": "de", "languages": "en, de"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/work"  # type: ignore[attr-defined]
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("kv_session="))  # type: ignore[attr-defined]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert _stored_hash(browser_like, "wanda").startswith("$argon2id$")
    profile = browser_like.get("/work/profile")
    assert profile.status_code == 200 and 'value="DE"' in profile.text and "EN, DE" in profile.text


def test_sign_up_refuses_bad_input_with_messages_and_stores_nothing(browser_like: TestClient) -> None:
    sign_up(browser_like, "wanda")
    browser_like.cookies.clear()
    for fields, message in (
        ({"name": "olga", "password": "short"}, "at least 8 characters"),
        ({"name": "olga", "password": "long enough", "country": "Germany"}, "String should match pattern"),
        ({"name": "wanda", "password": "long enough"}, "already exists"),
        ({"name": "", "password": "long enough"}, "printable characters"),
    ):
        refused = post_form(browser_like, "/signup", fields)
        assert refused.status_code in (400, 409) and message in refused.text  # type: ignore[attr-defined]
    assert _worker_count(browser_like) == 1


def test_sign_in_takes_the_password_and_brings_the_worker_back(browser_like: TestClient) -> None:
    sign_up(browser_like, "wanda", "correct horse")
    browser_like.cookies.clear()
    assert (
        browser_like.get("/work/profile", follow_redirects=False).headers["location"]
        == "/signin?next=/work/profile"
    )
    wrong = _sign_in(browser_like, "wanda", "wrong horse")
    assert wrong.status_code == 401 and "The name or the password is wrong" in wrong.text  # type: ignore[attr-defined]
    right = _sign_in(browser_like, "wanda", "correct horse")
    assert right.status_code == 303 and right.headers["location"] == "/work/profile"  # type: ignore[attr-defined]
    assert browser_like.get("/work/profile").status_code == 200


def test_signing_out_revokes_the_session_even_in_a_copied_cookie(browser_like: TestClient) -> None:
    sign_up(browser_like, "wanda")
    copied = browser_like.cookies["kv_session"]
    done = post_form(browser_like, "/signout", {}, page="/work/profile")
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert browser_like.get("/work/profile", follow_redirects=False).status_code == 303
    browser_like.cookies.set("kv_session", copied)
    assert browser_like.get("/work/profile", follow_redirects=False).status_code == 303
    with _ctx(browser_like).db.read() as conn:
        assert conn.execute(select(web_sessions.c.revoked)).scalar_one() is not None


def test_a_tampered_session_cookie_signs_no_one_in(browser_like: TestClient) -> None:
    sign_up(browser_like, "wanda")
    session_id, _, signature = browser_like.cookies["kv_session"].partition(".")
    browser_like.cookies.set("kv_session", f"{session_id}.{'0' * len(signature)}")
    assert browser_like.get("/work/profile", follow_redirects=False).status_code == 303


def test_a_form_without_the_right_token_is_refused_and_changes_nothing(browser_like: TestClient) -> None:
    browser_like.get("/signup")
    for token in (None, "forged", "0" * 64, "é" * 64):
        fields = {"name": "mallory", "password": "long enough"} | (
            {} if token is None else {"csrf_token": token}
        )
        refused = browser_like.post("/signup", data=fields, follow_redirects=False)
        assert refused.status_code == 403 and "did not come from a page of this site" in refused.text
        assert refused.headers["content-type"].startswith("text/html")
    assert _worker_count(browser_like) == 0
    before_sign_in = form_token(browser_like, "/signin")
    sign_up(browser_like, "wanda")
    stale = browser_like.post("/signout", data={"csrf_token": before_sign_in}, follow_redirects=False)
    assert stale.status_code == 403, "a signed-in form token is bound to the session"
    assert browser_like.get("/work/profile").status_code == 200


def test_failed_sign_ins_are_limited_per_account_until_the_window_passes(
    browser_like: TestClient, clock: SettableClock
) -> None:
    sign_up(browser_like, "wanda", "correct horse")
    browser_like.cookies.clear()
    for _ in range(3):
        assert _sign_in(browser_like, "wanda", "guess").status_code == 401  # type: ignore[attr-defined]
    limited = _sign_in(browser_like, "wanda", "correct horse")
    assert limited.status_code == 429  # type: ignore[attr-defined]
    assert "Too many failed sign-ins for this account" in limited.text  # type: ignore[attr-defined]
    assert int(limited.headers["retry-after"]) == 600  # type: ignore[attr-defined]
    clock.advance(timedelta(seconds=601))
    assert _sign_in(browser_like, "wanda", "correct horse").status_code == 303  # type: ignore[attr-defined]


def test_failed_sign_ins_are_limited_per_client_address(browser_like: TestClient) -> None:
    for n in range(5):
        assert _sign_in(browser_like, f"nobody{n}", "guess").status_code == 401  # type: ignore[attr-defined]
    limited = _sign_in(browser_like, "someone-else", "guess")
    assert limited.status_code == 429 and "for this address" in limited.text  # type: ignore[attr-defined]


def test_a_scrypt_password_of_worker_create_signs_in_and_becomes_argon2(browser_like: TestClient) -> None:
    salt = bytes(range(16))
    digest = hashlib.scrypt(b"old secret", salt=salt, n=2**14, r=8, p=1)
    workers.create_worker(_ctx(browser_like), name="olga", profile=WorkerProfile())
    with _ctx(browser_like).db.write() as conn:
        row = account_store.by_name(conn, WORKERS, name="olga")
        assert row is not None
        account_store.update_worker(
            conn, worker_id=row.id, password_hash=f"scrypt${salt.hex()}${digest.hex()}"
        )
    assert _sign_in(browser_like, "olga", "old secret").status_code == 303  # type: ignore[attr-defined]
    assert _stored_hash(browser_like, "olga").startswith("$argon2id$")
    browser_like.cookies.clear()
    assert _sign_in(browser_like, "olga", "old secret").status_code == 303  # type: ignore[attr-defined]


@pytest.fixture
def invite_only(database_url: str, clock: SettableClock) -> TestClient:
    settings = Settings(database_url=database_url, run_background_jobs=False, signup="invite")
    return TestClient(create_app(settings, clock), raise_server_exceptions=False)


def test_sign_up_by_invitation_uses_each_code_once(invite_only: TestClient) -> None:
    with invite_only:
        assert 'name="invite"' in invite_only.get("/signup").text
        (code,) = invites.create_invites(_ctx(invite_only), count=1)
        fields = {"name": "wanda", "password": "long enough"}
        assert "needs an invite code" in post_form(invite_only, "/signup", fields).text  # type: ignore[attr-defined]
        unknown = post_form(invite_only, "/signup", fields | {"invite": "nope"})
        assert unknown.status_code == 400 and "unknown or already used" in unknown.text  # type: ignore[attr-defined]
        assert _worker_count(invite_only) == 0
        assert post_form(invite_only, "/signup", fields | {"invite": code}).status_code == 303  # type: ignore[attr-defined]
        invite_only.cookies.clear()
        again = post_form(invite_only, "/signup", {"name": "olga", "password": "long enough", "invite": code})
        assert again.status_code == 400 and _worker_count(invite_only) == 1  # type: ignore[attr-defined]


def test_sign_in_returns_only_to_a_page_of_this_site(browser_like: TestClient) -> None:
    sign_up(browser_like, "wanda", "correct horse")
    for target, landing in (
        ("//evil.example/x", "/work"),
        ("https://evil.example", "/work"),
        ("/work/profile", "/work/profile"),
    ):
        browser_like.cookies.clear()
        done = post_form(
            browser_like, "/signin", {"name": "wanda", "password": "correct horse", "next": target}
        )
        assert done.headers["location"] == landing  # type: ignore[attr-defined]


def test_behind_https_the_session_cookie_is_secure(database_url: str, clock: SettableClock) -> None:
    settings = Settings(database_url=database_url, run_background_jobs=False, secure_cookies=True)
    with TestClient(create_app(settings, clock), base_url="https://testserver") as client:
        done = post_form(client, "/signup", {"name": "wanda", "password": "long enough"})
        cookies = done.headers.get_list("set-cookie")  # type: ignore[attr-defined]
        session = next(cookie for cookie in cookies if cookie.startswith("kv_session="))
        assert "Secure" in session and "HttpOnly" in session
