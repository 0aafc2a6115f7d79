"""GET /api/new/requester/pools/{id}/assignments.tsv: the results file, read as toloka-kit reads it."""

import asyncio
import io
import json
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from starlette.requests import ClientDisconnect

from kvorum.clock import SettableClock
from kvorum.services.context import Context
from kvorum.services.exports import assignments_tsv
from tests.helpers import (
    assert_error,
    mixer,
    mixer_pool,
    project_body,
    take,
    task_spec,
    upload_lesson,
    worker_client,
)

SPEC = task_spec(
    {"image": {"type": "url"}, "note": {"type": "string", "required": False, "hidden": True}},
    {"result": {"type": "string"}, "details": {"type": "json", "required": False}},
)
ANSWER_COLUMNS = [
    "INPUT:image",
    "INPUT:note",
    "OUTPUT:result",
    "OUTPUT:details",
    "GOLDEN:result",
    "GOLDEN:details",
]
"""The INPUT, OUTPUT and GOLDEN columns of SPEC, in the file's order."""
HINT_COLUMNS = ["HINT:text", "HINT:default_language"]
EVERY_ASSIGNMENT_COLUMN = ",".join(f"ASSIGNMENT:{name}" for name in assignments_tsv.ASSIGNMENT_COLUMNS)


def url(pool_id: str) -> str:
    return f"/api/new/requester/pools/{pool_id}/assignments.tsv"


def frame(response: Any) -> pd.DataFrame:
    """The file as get_assignments_df reads it."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    return pd.read_csv(io.StringIO(response.text), delimiter="\t")


def cells(response: Any) -> list[dict[str, str]]:
    """The file's rows as text, without pandas' type inference (empty cells are '')."""
    assert response.status_code == 200, response.text
    table = pd.read_csv(io.StringIO(response.text), delimiter="\t", dtype=str, keep_default_na=False)
    return list(table.to_dict("records"))


def make_pool(
    api: TestClient, *, real: int, golden: int = 0, training: int = 0, tasks: int = 4, overlap: int = 5
) -> str:
    """An open pool whose suites hold `real` real, `golden` control and `training` training tasks."""
    project = api.post("/api/v1/projects", json=project_body(task_spec=SPEC)).json()
    issuing = {"mixer_config": mixer(real, golden, training), "auto_accept_solutions": False}
    body = mixer_pool(project["id"], overlap=overlap, **issuing)
    pool = api.post("/api/v1/pools", json=body)
    assert pool.status_code == 201, pool.text
    pool_id = str(pool.json()["id"])
    work = [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{n}.png", "note": f"n{n}"}}
        for n in range(tasks)
    ]
    known = {"known_solutions": [{"output_values": {"result": "cat"}}]}
    control = [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/golden-{n}.png"}, **known}
        for n in range(golden * 2)
    ]
    lessons = [
        {
            "pool_id": pool_id,
            "input_values": {"image": f"https://img.example/lesson-{n}.png"},
            "message_on_unknown_solution": "It is a cat",
            **known,
        }
        for n in range(training * 2)
    ]
    made = api.post(
        "/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=work + control + lessons
    )
    assert made.status_code == 201, made.text
    return pool_id


def submit(worker: TestClient, pool_id: str, result: str = "dog", details: Any = None) -> dict[str, Any]:
    taken = take(worker, pool_id)
    assert taken.status_code == 201, taken.text
    assignment = dict(taken.json())
    outputs: dict[str, Any] = {"result": result} | ({} if details is None else {"details": details})
    solutions = [{"output_values": outputs} for _ in assignment["tasks"]]
    response = worker.post(
        f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions}
    )
    assert response.status_code == 200, response.text
    return assignment


def review(api: TestClient, assignment_id: str, status: str) -> None:
    body = {"status": status, "public_comment": "Reviewed"}
    response = api.patch(f"/api/v1/assignments/{assignment_id}", json=body)
    assert response.status_code == 200, response.text


def worker_id(worker: TestClient) -> str:
    return str(worker.get("/api/worker/v1/me").json()["id"])


def test_one_row_per_task_with_every_column(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock
) -> None:
    pool_id = make_pool(api, real=2, golden=1, training=1)
    wanda = worker_client(app_client, ctx, "wanda")
    issued = submit(wanda, pool_id, "dog", {"box": [1, 2]})
    review(api, issued["id"], "ACCEPTED")
    assignment = api.get(f"/api/v1/assignments/{issued['id']}").json()  # with the hidden inputs

    response = api.get(url(pool_id), params={"status": "APPROVED", "field": EVERY_ASSIGNMENT_COLUMN})
    rows = cells(response)
    header = response.text.split("\n", 1)[0].split("\t")
    assert header == [*ANSWER_COLUMNS, *HINT_COLUMNS, *EVERY_ASSIGNMENT_COLUMN.split(",")]
    assert [row["ASSIGNMENT:task_id"] for row in rows] == [task["id"] for task in assignment["tasks"]]
    started = clock.now().isoformat(timespec="milliseconds")
    for row, task in zip(rows, assignment["tasks"], strict=True):
        control = bool(task.get("known_solutions"))
        assert row["INPUT:image"] == task["input_values"]["image"]
        assert row["INPUT:note"] == task["input_values"].get("note", "")
        assert (row["OUTPUT:result"], row["OUTPUT:details"]) == ("dog", '{"box":[1,2]}')
        assert row["GOLDEN:result"] == ("cat" if control else "")
        assert row["GOLDEN:details"] == ""
        assert row["HINT:text"] == task.get("message_on_unknown_solution", "")
        assert row["HINT:default_language"] == ""
        assert row["ASSIGNMENT:link"] == f"http://testserver/api/v1/assignments/{assignment['id']}"
        assert row["ASSIGNMENT:assignment_id"] == assignment["id"]
        assert row["ASSIGNMENT:task_suite_id"] == assignment["task_suite_id"]
        assert row["ASSIGNMENT:worker_id"] == worker_id(wanda)
        assert row["ASSIGNMENT:status"] == "APPROVED"
        assert row["ASSIGNMENT:started"] == row["ASSIGNMENT:submitted"] == started
        assert row["ASSIGNMENT:accepted"] == started
        assert row["ASSIGNMENT:rejected"] == row["ASSIGNMENT:skipped"] == row["ASSIGNMENT:expired"] == ""
        assert row["ASSIGNMENT:reward"] == "0.01"
    assert sorted(row["HINT:text"] for row in rows) == ["", "", "", "It is a cat"]


def test_each_status_selects_its_assignments(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    pool_id = make_pool(api, real=1, tasks=1)
    crowd = [worker_client(app_client, ctx, f"worker-{n}") for n in range(5)]
    approved, submitted, rejected = (submit(worker, pool_id) for worker in crowd[:3])
    review(api, approved["id"], "ACCEPTED")
    review(api, rejected["id"], "REJECTED")
    active = take(crowd[3], pool_id).json()
    skipped = take(crowd[4], pool_id).json()
    assert crowd[4].post(f"/api/worker/v1/assignments/{skipped['id']}/skip").status_code == 200

    def exported(**params: str) -> list[str]:
        rows = cells(api.get(url(pool_id), params=params))
        return [row["ASSIGNMENT:assignment_id"] for row in rows]

    assert exported() == [approved["id"]]  # toloka-kit's default, APPROVED
    for status, expected in (
        ("APPROVED", approved),
        ("SUBMITTED", submitted),
        ("REJECTED", rejected),
        ("ACTIVE", active),
        ("SKIPPED", skipped),
    ):
        assert exported(status=status) == [expected["id"]], status
    assert exported(status="EXPIRED") == []
    assert exported(status="SUBMITTED,APPROVED,REJECTED") == [approved["id"], submitted["id"], rejected["id"]]
    statuses = [
        row["ASSIGNMENT:status"]
        for row in cells(api.get(url(pool_id), params={"status": "ACTIVE,SKIPPED,REJECTED"}))
    ]
    assert statuses == ["REJECTED", "ACTIVE", "SKIPPED"]
    unanswered = cells(api.get(url(pool_id), params={"status": "ACTIVE"}))
    assert unanswered[0]["OUTPUT:result"] == "" and unanswered[0]["INPUT:note"] == "n0"


def test_the_time_range_bounds_when_assignments_started(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock
) -> None:
    pool_id = make_pool(api, real=1, tasks=1)
    start = clock.now()
    issued = []
    for n in range(3):
        issued.append(submit(worker_client(app_client, ctx, f"worker-{n}"), pool_id)["id"])
        clock.advance(timedelta(minutes=1))
    minute = [(start + timedelta(minutes=n)).isoformat() for n in range(4)]

    def exported(**params: str) -> list[str]:
        rows = cells(api.get(url(pool_id), params={"status": "SUBMITTED", **params}))
        return [row["ASSIGNMENT:assignment_id"] for row in rows]

    assert exported(startTimeFrom=minute[1]) == issued[1:]  # inclusive
    assert exported(startTimeTo=minute[1]) == issued[:1]  # exclusive
    assert exported(startTimeFrom=minute[1], startTimeTo=minute[2]) == issued[1:2]
    assert exported(startTimeFrom=minute[3]) == []
    assert exported(startTimeFrom=f"{minute[2]}+03:00") == issued  # an offset is honoured


@pytest.mark.parametrize("scope", ["POOL", "PROJECT", "ALL_PROJECTS"])
def test_exclude_banned_leaves_out_workers_kept_out_now(
    api: TestClient, app_client: TestClient, ctx: Context, clock: SettableClock, scope: str
) -> None:
    pool_id = make_pool(api, real=1, tasks=1)
    honest, cheat, pardoned = (
        worker_client(app_client, ctx, name) for name in ("honest", "cheat", "pardoned")
    )
    answered = {
        name: submit(worker, pool_id)["id"]
        for name, worker in (("honest", honest), ("cheat", cheat), ("pardoned", pardoned))
    }
    project_id = api.get(f"/api/v1/pools/{pool_id}").json()["project_id"]
    target = {"POOL": {"pool_id": pool_id}, "PROJECT": {"project_id": project_id}, "ALL_PROJECTS": {}}[scope]
    soon = (clock.now() + timedelta(hours=1)).isoformat()
    for worker, until in ((cheat, None), (pardoned, soon)):
        body = {"scope": scope, "user_id": worker_id(worker), **target} | (
            {"will_expire": until} if until else {}
        )
        assert api.put("/api/v1/user-restrictions", json=body).status_code == 201
    other_project = api.post("/api/v1/projects", json=project_body(task_spec=SPEC)).json()["id"]
    api.put(
        "/api/v1/user-restrictions",
        json={"scope": "PROJECT", "user_id": worker_id(honest), "project_id": other_project},
    )

    def exported(**params: str) -> list[str]:
        rows = cells(api.get(url(pool_id), params={"status": "SUBMITTED", **params}))
        return [row["ASSIGNMENT:assignment_id"] for row in rows]

    everyone = list(answered.values())
    assert exported() == exported(excludeBanned="false") == everyone
    assert exported(excludeBanned="true") == [answered["honest"]]
    clock.advance(timedelta(hours=2))  # the pardon's restriction has lapsed
    assert exported(excludeBanned="true") == [answered["honest"], answered["pardoned"]]


def test_the_field_list_picks_the_columns(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    pool_id = make_pool(api, real=1, tasks=1)
    submit(worker_client(app_client, ctx, "wanda"), pool_id)

    def header(field: str | None) -> list[str]:
        params = {"status": "SUBMITTED"} | ({} if field is None else {"field": field})
        response = api.get(url(pool_id), params=params)
        assert response.status_code == 200, response.text
        return response.text.split("\n", 1)[0].split("\t")

    answers, hints = ANSWER_COLUMNS, HINT_COLUMNS
    defaults = ["link", "assignment_id", "worker_id", "status", "started"]
    assert header(None) == [*answers, *hints, *(f"ASSIGNMENT:{name}" for name in defaults)]
    picked = header("ASSIGNMENT:reward,ASSIGNMENT:task_id,ASSIGNMENT:assignment_id")
    assert picked == [*answers, *hints, "ASSIGNMENT:assignment_id", "ASSIGNMENT:task_id", "ASSIGNMENT:reward"]
    assert header("") == [*answers, *hints]
    narrowed = header("OUTPUT:result,INPUT:image,HINT:text,ASSIGNMENT:worker_id")
    assert narrowed == [
        "INPUT:image",
        "OUTPUT:result",
        "GOLDEN:result",
        "GOLDEN:details",
        "HINT:text",
        "ASSIGNMENT:worker_id",
    ]


def test_bad_parameters_are_named(api: TestClient, pool: dict[str, Any]) -> None:
    cases = [
        ({"statuses": "APPROVED"}, "statuses"),
        ({"status": "ACCEPTED"}, "status"),
        ({"status": "APPROVED,DONE"}, "status"),
        ({"status": ""}, "status"),
        ({"startTimeFrom": "yesterday"}, "startTimeFrom"),
        ({"startTimeTo": "2030-13-01T00:00:00"}, "startTimeTo"),
        ({"startTimeFrom": "2030-01-02T00:00:00", "startTimeTo": "2030-01-01T00:00:00"}, "startTimeTo"),
        ({"excludeBanned": "yes"}, "excludeBanned"),
        ({"addRowDelimiter": "1"}, "addRowDelimiter"),
        ({"field": "ASSIGNMENT:link,ASSIGNMENT:nope"}, "field"),
        ({"field": "INPUT:missing"}, "field"),
        ({"field": "link"}, "field"),
    ]
    for params, name in cases:
        assert_error(api.get(url(pool["id"]), params=params), 400, "VALIDATION_ERROR", name)
    several = {"status": "NOPE", "excludeBanned": "maybe", "extra": "1"}
    assert_error(
        api.get(url(pool["id"]), params=several), 400, "VALIDATION_ERROR", "status", "excludeBanned", "extra"
    )


def test_only_the_owner_reads_a_pools_file(
    api: TestClient, other_api: TestClient, app_client: TestClient, pool: dict[str, Any]
) -> None:
    assert_error(other_api.get(url(pool["id"])), 404, "DOES_NOT_EXIST")
    assert_error(api.get(url("987654")), 404, "DOES_NOT_EXIST")
    assert_error(api.get(url("not-an-id")), 404, "DOES_NOT_EXIST")
    assert_error(app_client.get(url(pool["id"]), headers={"Authorization": ""}), 401, "AUTHENTICATION_ERROR")


def test_a_pool_without_answers_is_a_header(api: TestClient, pool: dict[str, Any]) -> None:
    response = api.get(url(pool["id"]))
    assert response.status_code == 200, response.text
    assert response.text.count("\n") == 1 and response.text.endswith("\n")
    table = frame(response)
    assert table.empty and list(table.columns)[:1] == ["INPUT:image"]


HOSTILE = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    'say "hi"',
    '"',
    "crlf at the end\r\n",
    "  spaces kept  ",
    '"quoted" then\t"tab"',
    "ünïcödé ✓",
    "back\\slash\\n",
]


def test_hostile_values_read_back_exactly(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    project = api.post("/api/v1/projects", json=project_body(task_spec=SPEC)).json()
    pool_id = api.post("/api/v1/pools", json=mixer_pool(project["id"], real=1, overlap=1)).json()["id"]
    tasks = [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{n}.png", "note": value}}
        for n, value in enumerate(HOSTILE)
    ]
    made = api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks)
    assert made.status_code == 201, made.text
    notes = {item["id"]: item["input_values"]["note"] for item in made.json()["items"].values()}
    wanda = worker_client(app_client, ctx, "wanda")
    sent_in_order = []
    for _ in HOSTILE:
        assignment = take(wanda, pool_id).json()
        note = notes[assignment["tasks"][0]["id"]]
        details = {"text": note, "nested": [note, {"quote": '"'}]}
        solution = {"output_values": {"result": note[::-1], "details": details}}
        sent = wanda.post(
            f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": [solution]}
        )
        assert sent.status_code == 200, sent.text
        sent_in_order.append((note, details))

    table = frame(api.get(url(pool_id), params={"status": "APPROVED", "field": ""}))
    assert len(table) == len(HOSTILE)
    for row, (note, details) in zip(table.to_dict("records"), sent_in_order, strict=True):
        assert row["INPUT:note"] == note
        assert row["OUTPUT:result"] == note[::-1]
        assert json.loads(row["OUTPUT:details"]) == details


def test_a_row_delimiter_separates_assignments(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    pool_id = make_pool(api, real=2, tasks=4, overlap=1)
    wanda = worker_client(app_client, ctx, "wanda")
    first, second = submit(wanda, pool_id), submit(wanda, pool_id)
    params = {"status": "SUBMITTED", "field": "ASSIGNMENT:assignment_id"}
    plain = api.get(url(pool_id), params=params)
    spaced = api.get(url(pool_id), params=params | {"addRowDelimiter": "true"})
    lines = spaced.text.split("\n")
    assert lines[3] == "" and lines[6] == "" and len(lines) == 8
    assert frame(spaced).equals(frame(plain))
    ids = [row["ASSIGNMENT:assignment_id"] for row in cells(plain)]
    assert ids == [first["id"]] * 2 + [second["id"]] * 2


def test_the_text_comes_in_chunks_read_as_they_are_sent(
    api: TestClient, app_client: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assignments_tsv, "CHUNK_LINES", 3)
    monkeypatch.setattr(assignments_tsv, "BATCH", 2)
    pool_id = make_pool(api, real=1, tasks=7, overlap=1)
    wanda = worker_client(app_client, ctx, "wanda")
    answered = [submit(wanda, pool_id)["id"] for _ in range(7)]
    caller = int(api.get("/api/v1/requester").json()["id"])
    made = assignments_tsv.export(
        ctx, caller=caller, pool_id=pool_id, params={"status": "SUBMITTED"}, link_base="http://x"
    )
    chunks = list(made)
    assert [chunk.count("\n") for chunk in chunks] == [1, 3, 3, 1]  # the header, then rows three at a time
    assert "".join(chunks) == api.get(url(pool_id), params={"status": "SUBMITTED"}).text.replace(
        "http://testserver", "http://x"
    )
    assert [line.split("\t")[-4] for line in "".join(chunks).splitlines()[1:]] == answered


def test_an_abandoned_download_gives_its_connection_back(
    api: TestClient, app_client: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assignments_tsv, "CHUNK_LINES", 1)
    pool_id = make_pool(api, real=1, tasks=3, overlap=1)
    wanda = worker_client(app_client, ctx, "wanda")
    for _ in range(3):
        submit(wanda, pool_id)
    caller = int(api.get("/api/v1/requester").json()["id"])
    made = assignments_tsv.export(
        ctx, caller=caller, pool_id=pool_id, params={"status": "SUBMITTED"}, link_base="http://x"
    )
    pool = ctx.db.engine.pool
    idle = pool.checkedout()
    assert next(made).startswith("INPUT:image") and next(made).count("\n") == 1
    assert pool.checkedout() == idle + 1  # the connection the cursor reads from
    made.close()  # what happens to it when the client goes away
    assert pool.checkedout() == idle


def test_a_client_that_goes_away_ends_the_export_at_once(
    api: TestClient, app_client: TestClient, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server sees the client gone when a write fails (OSError, as uvicorn raises it); the
    export's cursor and transaction end then, not at some later garbage collection."""
    monkeypatch.setattr(assignments_tsv, "CHUNK_LINES", 1)
    pool_id = make_pool(api, real=1, tasks=3, overlap=1)
    wanda = worker_client(app_client, ctx, "wanda")
    for _ in range(3):
        submit(wanda, pool_id)
    pool = ctx.db.engine.pool
    idle = pool.checkedout()
    sent: list[bytes] = []
    checked_out_while_sending: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            checked_out_while_sending.append(pool.checkedout())
            if sent:
                raise OSError("the client went away")
            sent.append(message["body"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url(pool_id),
        "raw_path": url(pool_id).encode(),
        "query_string": b"status=SUBMITTED",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", api.headers["Authorization"].encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def download() -> int:
        """Connections checked out once the server is done with the request, still in its loop."""
        with pytest.raises(ClientDisconnect):
            await app_client.app(scope, receive, send)  # type: ignore[arg-type]
        return pool.checkedout()

    assert asyncio.run(download()) == idle
    assert sent[0].startswith(b"INPUT:image") and checked_out_while_sending == [idle, idle + 1]


def test_a_trainings_file_shows_the_known_answer_and_the_hint(
    api: TestClient, app_client: TestClient, ctx: Context, training: dict[str, Any]
) -> None:
    upload_lesson(api, training["id"], message_on_unknown_solution="Whiskers: a cat")
    wanda = worker_client(app_client, ctx, "wanda")
    assignment = take(wanda, training["id"]).json()
    solutions = [{"output_values": {"result": "dog"}}]
    sent = wanda.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions})
    assert sent.status_code == 200, sent.text

    rows = cells(api.get(url(training["id"])))
    assert [(row["OUTPUT:result"], row["GOLDEN:result"], row["HINT:text"]) for row in rows] == [
        ("dog", "cat", "Whiskers: a cat")
    ]
    assert rows[0]["ASSIGNMENT:status"] == "APPROVED"
