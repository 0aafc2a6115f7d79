"""The requester's pages over HTTP: signing in with an API token, the projects and pools, a pool's
progress, spend and quality events against work done through the worker API, the preview of a task
and of a sample, and hostile values rendered harmless."""

import json
import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from kvorum.services.accounts import requesters
from kvorum.services.context import Context
from kvorum.web.headers import CONTENT_SECURITY_POLICY
from kvorum.web.requester.session import COOKIE
from tests.helpers import (
    CHOICE_RESULT,
    created,
    mixer_pool,
    pool_body,
    project_body,
    take,
    task_spec,
    training_body,
    worker_client,
)
from tests.web.conftest import form_token, post_form, sign_up

HOSTILE = "<script>alert('x')</script>"
CHOICE_SPEC = task_spec(output_spec=CHOICE_RESULT)


def _ctx(client: TestClient) -> Context:
    ctx: Context = client.app.state.context  # type: ignore[attr-defined]
    return ctx


def _api(client: TestClient, name: str) -> tuple[TestClient, str]:
    """A new requester's API client and token."""
    token = requesters.create_requester(_ctx(client), name=name)[1]
    api = TestClient(client.app, raise_server_exceptions=False)
    api.headers["Authorization"] = f"OAuth {token}"
    return api, token


def _sign_in(browser: TestClient, token: str, next_page: str = "/requester") -> Any:
    return post_form(browser, "/requester/signin", {"token": token, "next": next_page})


def _tasks(api: TestClient, pool_id: str, inputs: list[dict[str, Any]]) -> list[str]:
    """Create the tasks (opening the pool); their ids in order."""
    body = [{"pool_id": pool_id, "input_values": values} for values in inputs]
    done = api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=body)
    assert done.status_code == 201, done.text
    items = done.json()["items"]
    return [items[str(n)]["id"] for n in range(len(inputs))]


def _answer(worker: TestClient, pool_id: str, answer: str = "cat") -> dict[str, Any]:
    assignment = created(take(worker, pool_id))
    solutions = [{"output_values": {"result": answer}} for _ in assignment["tasks"]]
    done = worker.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions})
    assert done.status_code == 200, done.text
    return assignment


def _figure(page: str, attribute: str, key: str) -> str:
    found = re.search(rf'{attribute}="{key}">([^<]*)<', page)
    assert found is not None, f"no {attribute}={key}"
    return found.group(1)


def _answers(html: str) -> dict[str, str]:
    """The answers-per-task table: {answers: how many tasks (or suites) have that many}."""
    return dict(re.findall(r'data-answers="(\d+)"><td>\d+</td><td class="kv-num">(\d+)<', html))


def test_a_requester_signs_in_with_the_api_token_and_out(browser_like: TestClient) -> None:
    _, token = _api(browser_like, "alice")
    away = browser_like.get("/requester/pools/1", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/requester/signin?next=/requester/pools/1"

    wrong = _sign_in(browser_like, "kv_not-a-token")
    assert wrong.status_code == 401 and "The API token is not valid" in wrong.text
    assert COOKIE not in browser_like.cookies

    done = _sign_in(browser_like, f"  {token} ", "/requester/projects")
    assert done.status_code == 303 and done.headers["location"] == "/requester/projects"
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert token not in cookie, "the cookie carries a session, never the token"
    home = browser_like.get("/requester")
    assert home.status_code == 200 and "Sign out requester (alice)" in home.text
    assert home.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "No projects yet" in home.text
    unreadable = browser_like.get("/requester", params={"before": "x"})
    assert unreadable.status_code == 400 and "This did not work" in unreadable.text

    elsewhere = _sign_in(browser_like, token, "https://evil.example/")
    assert elsewhere.headers["location"] == "/requester", "sign-in returns to requester pages only"

    copied = browser_like.cookies[COOKIE]
    out = post_form(browser_like, "/requester/signout", {}, page="/requester")
    assert out.status_code == 303 and out.headers["location"] == "/requester/signin"
    assert browser_like.get("/requester", follow_redirects=False).status_code == 303
    browser_like.cookies.set(COOKIE, copied)
    assert browser_like.get("/requester", follow_redirects=False).status_code == 303, "the session ended"
    browser_like.cookies.set(COOKIE, copied.partition(".")[0] + ".forged")
    assert browser_like.get("/requester", follow_redirects=False).status_code == 303


def test_forms_without_the_sites_token_are_refused(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    refused = browser_like.post("/requester/signin", data={"token": token}, follow_redirects=False)
    assert refused.status_code == 403 and "did not come from a page of this site" in refused.text
    assert COOKIE not in browser_like.cookies
    assert _sign_in(browser_like, token).status_code == 303
    project = created(api.post("/api/v1/projects", json=project_body()))
    forged = browser_like.post(
        f"/requester/projects/{project['id']}/preview",
        data={"csrf_token": "0" * 64, "solutions": "[]"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert (
        browser_like.post("/requester/signout", data={"csrf_token": ""}, follow_redirects=False).status_code
        == 403
    )
    assert browser_like.get("/requester").status_code == 200, "still signed in"


def _header(page: str) -> str:
    found = re.search(r'<header class="kv-top">(.*?)</header>', page, re.S)
    assert found is not None
    return found.group(1)


def test_requester_pages_have_the_requesters_header_and_not_the_workers(browser_like: TestClient) -> None:
    _, token = _api(browser_like, "alice")
    signed_out = _header(browser_like.get("/requester/signin").text)
    assert 'href="/requester/signin"' in signed_out and 'href="/signin"' in signed_out
    assert 'href="/signup"' not in signed_out and "Sign out" not in signed_out
    sign_up(browser_like, "wanda")
    assert _sign_in(browser_like, token).status_code == 303
    for path in ("/requester", "/requester/projects/999"):
        header = _header(browser_like.get(path).text)
        assert 'href="/requester"' in header and "Sign out requester (alice)" in header, path
        assert 'href="/work"' not in header and "Sign out (wanda)" not in header, path
        assert 'href="/signin"' not in header, path
    worker_header = _header(browser_like.get("/work").text)
    assert "Sign out (wanda)" in worker_header and "requester" not in worker_header


def test_a_requesters_form_token_is_bound_to_the_requesters_session(browser_like: TestClient) -> None:
    _, token = _api(browser_like, "alice")
    before = form_token(browser_like, "/requester/signin")
    assert _sign_in(browser_like, token).status_code == 303
    signed_in = form_token(browser_like, "/requester")
    assert signed_in != before, "signing in gives the requester pages a token of their own"
    assert form_token(browser_like, "/requester/signin") == signed_in
    for stale in (before, form_token(browser_like, "/signin")):
        refused = browser_like.post("/requester/signout", data={"csrf_token": stale}, follow_redirects=False)
        assert refused.status_code == 403, "a token of the visitor (or the worker) is not the requester's"
    assert browser_like.get("/requester").status_code == 200, "still signed in"

    assert _sign_in(browser_like, token).status_code == 303
    again = form_token(browser_like, "/requester")
    assert again != signed_in, "a new session, a new token"
    refused = browser_like.post("/requester/signout", data={"csrf_token": signed_in}, follow_redirects=False)
    assert refused.status_code == 403, "the token of an earlier session is refused"
    done = browser_like.post("/requester/signout", data={"csrf_token": again}, follow_redirects=False)
    assert done.status_code == 303


def test_failed_token_sign_ins_are_limited_per_address(browser_like: TestClient) -> None:
    _, token = _api(browser_like, "alice")
    for _ in range(5):  # KVORUM_SIGN_IN_FAILURES_PER_ADDRESS of tests/web
        assert _sign_in(browser_like, "kv_guess").status_code == 401
    limited = _sign_in(browser_like, token)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in limited.text and COOKIE not in browser_like.cookies
    worker_side = post_form(browser_like, "/signin", {"name": "wanda", "password": "whatever1"})
    assert worker_side.status_code == 429, "both sign-in forms share the address's limit"


def test_another_requesters_objects_do_not_exist(browser_like: TestClient) -> None:
    alice, alice_token = _api(browser_like, "alice")
    bob, _ = _api(browser_like, "bob")
    project = created(bob.post("/api/v1/projects", json=project_body(task_spec=CHOICE_SPEC)))
    pool = created(bob.post("/api/v1/pools", json=mixer_pool(project["id"])))
    task_id = _tasks(bob, pool["id"], [{"image": "https://img.example/1.png"}])[0]
    mine = created(alice.post("/api/v1/projects", json=project_body(task_spec=CHOICE_SPEC)))
    _sign_in(browser_like, alice_token)
    for path in (
        f"/requester/pools/{pool['id']}",
        f"/requester/projects/{project['id']}",
        f"/requester/projects/{project['id']}/preview",
        f"/requester/projects/{mine['id']}/preview?task_id={task_id}",
        "/requester/pools/not-an-id",
    ):
        page = browser_like.get(path)
        assert page.status_code == 404, path
        assert "Not found" in page.text
    assert f"/requester/projects/{project['id']}" not in browser_like.get("/requester").text


def test_a_pools_progress_counts_its_tasks_assignments_answers_and_spend(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=CHOICE_SPEC)))
    body = mixer_pool(project["id"], real=1, overlap=2, auto_accept_solutions=False, private_name="Cats")
    pool = created(api.post("/api/v1/pools", json=body))
    _tasks(api, pool["id"], [{"image": f"https://img.example/{n}.png"} for n in range(3)])
    ctx = _ctx(browser_like)
    ann, ben = worker_client(browser_like, ctx, "ann"), worker_client(browser_like, ctx, "ben")
    first = _answer(ann, pool["id"])
    _answer(ann, pool["id"])
    _answer(ben, pool["id"])
    skipped = created(take(ben, pool["id"]))
    assert ben.post(f"/api/worker/v1/assignments/{skipped['id']}/skip").status_code == 200
    created(take(ben, pool["id"]))  # left active
    accepted = api.patch(f"/api/v1/assignments/{first['id']}", json={"status": "ACCEPTED"})
    assert accepted.status_code == 200, accepted.text
    ann_id = ann.get("/api/worker/v1/me").json()["id"]
    bonus = {"user_id": ann_id, "amount": "0.50", "assignment_id": first["id"]}
    created(api.post("/api/v1/user-bonuses", json=bonus))
    created(api.post("/api/v1/user-bonuses", json={"user_id": ann_id, "amount": "2.00"}))

    _sign_in(browser_like, token)
    listed = browser_like.get(f"/requester/projects/{project['id']}").text
    assert f'href="/requester/pools/{pool["id"]}">Cats</a>' in listed
    page = browser_like.get(f"/requester/pools/{pool['id']}")
    assert page.status_code == 200, page.text
    text = page.text
    figures = {key: _figure(text, "data-figure", key) for key in ("total", "done", "remaining")}
    assert figures == {"total": "3", "done": "1", "remaining": "2"}
    statuses = {
        status: _figure(text, "data-status", status)
        for status in ("ACTIVE", "SUBMITTED", "ACCEPTED", "REJECTED", "SKIPPED", "EXPIRED")
    }
    assert statuses == {
        "ACTIVE": "1",
        "SUBMITTED": "2",
        "ACCEPTED": "1",
        "REJECTED": "0",
        "SKIPPED": "1",
        "EXPIRED": "0",
    }
    assert _answers(text) == {"0": "1", "1": "1", "2": "1"}
    spend = {key: _figure(text, "data-spend", key) for key in ("rewards", "bonuses", "total")}
    assert spend == {"rewards": "$0.01", "bonuses": "$0.50", "total": "$0.51"}, (
        "a bonus for no assignment is no pool's"
    )
    assert "No quality events yet" in text


def test_the_pool_page_lists_its_quality_events(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=CHOICE_SPEC)))
    rule = {
        "collector_config": {"type": "ANSWER_COUNT"},
        "rules": [
            {
                "conditions": [{"key": "assignments_accepted_count", "operator": "GTE", "value": 1}],
                "action": {
                    "type": "RESTRICTION_V2",
                    "parameters": {"scope": "POOL", "duration_unit": "PERMANENT", "private_comment": HOSTILE},
                },
            }
        ],
    }
    body = mixer_pool(project["id"], quality_control={"configs": [rule]})
    pool = created(api.post("/api/v1/pools", json=body))
    _tasks(api, pool["id"], [{"image": f"https://img.example/{n}.png"} for n in range(2)])
    for name in ("ann", "ben"):
        _answer(worker_client(browser_like, _ctx(browser_like), name), pool["id"])
    wire = api.get(f"/api/v1/pools/{pool['id']}/quality-events").json()["items"]
    assert len(wire) == 2

    _sign_in(browser_like, token)
    text = browser_like.get(f"/requester/pools/{pool['id']}").text
    shown = re.findall(r'data-event-id="(\d+)"', text)
    assert shown == [item["id"] for item in reversed(wire)], "newest first, as the API has them"
    assert text.count("ANSWER_COUNT #0") == 2 and "RESTRICTION_V2" in text
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_hostile_names_and_instructions_are_shown_harmless(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    body = project_body(
        public_name=HOSTILE,
        public_description=HOSTILE,
        public_instructions=f"<b>Look</b>{HOSTILE}<img src=x onerror=alert(1)>",
        task_spec=CHOICE_SPEC,
    )
    project = created(api.post("/api/v1/projects", json=body))
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], private_name=HOSTILE)))
    _sign_in(browser_like, token)
    for path in (
        "/requester",
        f"/requester/projects/{project['id']}",
        f"/requester/pools/{pool['id']}",
        f"/requester/projects/{project['id']}/preview",
    ):
        text = browser_like.get(path).text
        assert "<script>alert" not in text and "onerror" not in text, path
        assert "&lt;script&gt;" in text, path
    assert "<b>Look</b>" in browser_like.get(f"/requester/projects/{project['id']}").text


TB_SPEC = {
    "input_spec": {
        "text": {"type": "string"},
        "picture": {"type": "url"},
        "count": {"type": "integer", "min_value": 3},
        "flag": {"type": "boolean"},
        "secret": {"type": "string", "hidden": True, "required": False},
    },
    "output_spec": {"label": {"type": "string", "allowed_values": ["yes", "no"]}},
    "view_spec": {
        "type": "tb",
        "config": json.dumps(
            {
                "view": {
                    "type": "view.list",
                    "items": [
                        {"type": "view.text", "content": {"type": "data.input", "path": "text"}},
                        {"type": "view.sparkles"},
                        {
                            "type": "field.radio-group",
                            "label": "Answer",
                            "data": {"type": "data.output", "path": "label"},
                            "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
                        },
                    ],
                },
                "plugins": [{"type": "plugin.confetti"}],
            }
        ),
        "lock": {"core": "1.0.0"},
    },
}


def _preview_project(api: TestClient, spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=spec)))
    pool = created(
        api.post("/api/v1/pools", json=mixer_pool(project["id"], public_instructions="Pool rules"))
    )
    return project, pool


def _shown_inputs(text: str) -> dict[str, Any]:
    found = re.search(r"<summary>Input values shown</summary>\s*<pre><code>(.*?)</code></pre>", text, re.S)
    assert found is not None
    inputs: dict[str, Any] = json.loads(unescape(found.group(1)))
    return inputs


def test_the_preview_of_a_task_draws_it_as_a_worker_sees_it_and_lists_what_is_not_drawn(
    browser_like: TestClient,
) -> None:
    api, token = _api(browser_like, "alice")
    project, pool = _preview_project(api, TB_SPEC)
    values = {
        "text": HOSTILE,
        "picture": "https://img.example/a.png",
        "count": 7,
        "flag": False,
        "secret": "s",
    }
    task_id = _tasks(api, pool["id"], [values])[0]
    _sign_in(browser_like, token)
    page = browser_like.get(f"/requester/projects/{project['id']}/preview", params={"task_id": task_id})
    assert page.status_code == 200, page.text
    text = page.text
    assert f"Preview: task {task_id}" in text and "Pool rules" in text
    assert 'data-task-index="0"' in text and ">Submit</button>" in text
    notices = re.search(r'<ul class="kv-error" role="alert">(.*?)</ul>', text, re.S)
    assert notices is not None
    assert re.findall(r"<li>(.*?)</li>", notices.group(1)) == [
        "Unsupported component: plugin.confetti",
        "Unsupported component: view.sparkles",
    ]
    assert "<script>alert" not in text and "&lt;script&gt;alert" in text
    assert _shown_inputs(text) == {key: value for key, value in values.items() if key != "secret"}


def test_the_preview_of_a_sample_fills_every_input_to_its_spec(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    project, _ = _preview_project(api, TB_SPEC)
    _sign_in(browser_like, token)
    text = browser_like.get(f"/requester/projects/{project['id']}/preview").text
    assert "Preview: sample inputs" in text
    assert _shown_inputs(text) == {
        "text": "Sample text",
        "picture": "https://example.com/sample.png",
        "count": 3,
        "flag": True,
    }


def test_a_classic_preview_says_its_script_is_not_run(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    spec = task_spec(output_spec=CHOICE_RESULT)
    spec["view_spec"] |= {
        "script": "exports.Task = extend(TolokaTask, {});",
        "markup": "<p>{{input.image}}</p>",
    }
    project, _ = _preview_project(api, spec)
    plain, _ = _preview_project(api, task_spec(output_spec=CHOICE_RESULT))
    _sign_in(browser_like, token)
    text = browser_like.get(f"/requester/projects/{project['id']}/preview").text
    assert "<li>This project&#39;s script is not run in kvorum" in text
    assert "exports.Task" not in text
    assert (
        "Every component of this view is drawn"
        in browser_like.get(f"/requester/projects/{plain['id']}/preview").text
    )


def test_the_previews_submit_shows_what_would_be_sent_and_records_nothing(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    project, pool = _preview_project(api, TB_SPEC)
    task_id = _tasks(
        api, pool["id"], [{"text": "t", "picture": "https://a.example/", "count": 3, "flag": True}]
    )[0]
    _sign_in(browser_like, token)
    path = f"/requester/projects/{project['id']}/preview"
    page = f"{path}?task_id={task_id}"
    good = post_form(
        browser_like,
        path,
        {"task_id": task_id, "solutions": '[{"output_values": {"label": "yes"}}]'},
        page=page,
    )
    assert good.status_code == 200, good.text  # type: ignore[attr-defined]
    sent = re.search(r'<pre class="kv-sent"><code>(.*?)</code></pre>', good.text, re.S)  # type: ignore[attr-defined]
    assert sent is not None
    assert json.loads(unescape(sent.group(1))) == {"solutions": [{"output_values": {"label": "yes"}}]}
    assert f"Preview: task {task_id}" in good.text  # type: ignore[attr-defined]

    bad = post_form(browser_like, path, {"solutions": '[{"output_values": {"label": "maybe"}}]'}, page=path)
    assert bad.status_code == 200 and "Some answers need attention" in bad.text  # type: ignore[attr-defined]
    assert "allowed values are" in bad.text  # type: ignore[attr-defined]
    hostile = json.dumps([{"output_values": {"label": HOSTILE}}])
    echoed = post_form(browser_like, path, {"solutions": hostile}, page=path)
    assert "<script>alert" not in echoed.text and "&lt;script&gt;alert" in echoed.text  # type: ignore[attr-defined]
    unreadable = post_form(browser_like, path, {"solutions": "nope"}, page=path)
    assert unreadable.status_code == 400 and "could not be read" in unreadable.text  # type: ignore[attr-defined]
    assert api.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"] == []
    assert form_token(browser_like, path)


def test_a_trainings_tasks_of_infinite_overlap_are_counted_apart(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=CHOICE_SPEC)))
    training = created(api.post("/api/v1/trainings", json=training_body(project["id"])))
    lessons = [
        {
            "pool_id": training["id"],
            "input_values": {"image": f"https://img.example/{n}.png"},
            "known_solutions": [{"output_values": {"result": "cat"}}],
        }
        for n in range(2)
    ]
    made = api.post("/api/v1/tasks", params={"open_pool": "true"}, json=lessons)
    assert made.status_code == 201, made.text
    _answer(worker_client(browser_like, _ctx(browser_like), "ann"), training["id"])
    _sign_in(browser_like, token)
    text = browser_like.get(f"/requester/pools/{training['id']}").text
    figures = {key: _figure(text, "data-figure", key) for key in ("total", "done", "remaining", "open_ended")}
    assert figures == {"total": "2", "done": "0", "remaining": "0", "open_ended": "2"}
    assert _answers(text) == {
        "0": "1",
        "1": "1",
    }
    assert (
        f'href="/requester/pools/{training["id"]}"'
        in browser_like.get(f"/requester/projects/{project['id']}").text
    )


def test_a_pool_of_uploaded_suites_is_counted_by_suite(browser_like: TestClient) -> None:
    api, token = _api(browser_like, "alice")
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=CHOICE_SPEC)))
    pool = created(api.post("/api/v1/pools", json=pool_body(project["id"], auto_accept_solutions=False)))
    suites = [
        {
            "pool_id": pool["id"],
            "overlap": overlap,
            "tasks": [{"input_values": {"image": f"https://img.example/{n}-{i}.png"}} for i in range(2)],
        }
        for n, overlap in enumerate((1, 2))
    ]
    made = api.post("/api/v1/task-suites", params={"open_pool": "true"}, json=suites)
    assert made.status_code == 201, made.text
    for name in ("ann", "ben"):
        _answer(worker_client(browser_like, _ctx(browser_like), name), pool["id"])
    _sign_in(browser_like, token)
    text = browser_like.get(f"/requester/pools/{pool['id']}").text
    section = text.partition('data-coverage="suites"')[2]
    figures = {key: _figure(section, "data-figure", key) for key in ("total", "done", "remaining")}
    assert figures == {"total": "2", "done": "1", "remaining": "1"}
    assert _answers(section) == {"1": "2"}
    assert _figure(text.partition('data-coverage="tasks"')[2], "data-figure", "total") == "0"
    assert _figure(text, "data-status", "SUBMITTED") == "2"


def test_unknown_requester_paths_get_an_html_404_page(browser_like: TestClient) -> None:
    _, token = _api(browser_like, "alice")
    for path in ("/requester/nothing-here", "/requester/projects/1/nothing"):
        missing = browser_like.get(path)
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html"), path
        assert "Not found" in missing.text and 'href="/requester/signin"' in _header(missing.text)
    assert _sign_in(browser_like, token).status_code == 303
    missing = browser_like.get("/requester/<script>x</script>")
    assert missing.status_code == 404 and "Sign out requester (alice)" in _header(missing.text)
    assert "<script>x" not in missing.text and 'href="/requester">Back to the start' in missing.text
    api = browser_like.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["code"] == "DOES_NOT_EXIST"
