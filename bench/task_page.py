"""Server time to render the task page of a 10-task suite, next to a bare authenticated JSON GET.

    python -m bench.task_page [--requests 300] [--postgres]

A live `kvorum serve` on 127.0.0.1 on a fresh database; a requester's template-builder project
(image, text and a radio group, as toloka-kit's template_builder writes it), a pool of 10-task
suites, and a worker signed in through the pages. The two requests alternate: GET
/work/assignments/{id} with the session cookie, and GET /api/worker/v1/assignments/{id} with the
worker's token (the same assignment as JSON). Server time is what the server logs for each
request (from the first byte in to the last byte out); the round trip seen by the client is
printed beside it. Prints figures; never fails on them.
"""

import argparse
import json
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from kvorum.store import db, migrate
from tests.support.live import LiveServer, create_account, running_server
from tests.support.pgserver import PostgresServer

SUITE = 10
TARGET_P95_MS = 20.0
PASSWORD = "bench password"
CONFIG = {
    "view": {
        "type": "view.list",
        "items": [
            {"type": "view.image", "url": {"type": "@data.input", "path": "image"}, "ratio": [1, 1]},
            {"type": "view.text", "label": "Caption", "content": {"type": "@data.input", "path": "caption"}},
            {
                "type": "field.radio-group",
                "label": "What is in the picture?",
                "data": {"type": "@data.output", "path": "label"},
                "options": [{"label": "Cat", "value": "cat"}, {"label": "Dog", "value": "dog"}],
                "validation": {"type": "condition.required"},
            },
        ],
    },
    "plugins": [
        {
            "type": "plugin.hotkeys",
            "1": {"type": "action.set", "data": {"type": "@data.output", "path": "label"}, "payload": "cat"},
            "2": {"type": "action.set", "data": {"type": "@data.output", "path": "label"}, "payload": "dog"},
        }
    ],
}
TASK_SPEC = {
    "input_spec": {"image": {"type": "url"}, "caption": {"type": "string"}},
    "output_spec": {"label": {"type": "string", "allowed_values": ["cat", "dog"]}},
    "view_spec": {
        "type": "tb",
        "config": json.dumps(CONFIG),
        "lock": {"core": "1.0.0", "view.list": "1.0.0", "view.image": "1.0.0", "view.text": "1.0.0",
                 "field.radio-group": "1.0.0", "plugin.hotkeys": "1.0.0", "condition.required": "1.0.0"},
        "settings": {"showSkip": True, "showTimer": True, "showTitle": True},
    },
}  # fmt: skip
_LOGGED = re.compile(r"request_id=\w+ GET (\S+) 200 ([\d.]+)ms")


def _created(response: httpx.Response) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


def _setup(server: LiveServer) -> tuple[httpx.Client, httpx.Client, str]:
    """A signed-in browser-like client, a worker-token client, and the id of an active 10-task assignment."""
    requester = httpx.Client(base_url=server.url, headers={"Authorization": f"OAuth {server.token}"})
    project_body = {
        "public_name": "Cats and dogs",
        "public_description": "Which is it?",
        "public_instructions": "<p>Pick <b>Cat</b> or <b>Dog</b> for each picture.</p>",
        "task_spec": TASK_SPEC,
    }
    project = _created(requester.post("/api/v1/projects", json=project_body))
    pool = _created(
        requester.post(
            "/api/v1/pools",
            json={
                "project_id": project["id"],
                "private_name": "bench",
                "may_contain_adult_content": False,
                "will_expire": "2040-01-01T00:00:00",
                "reward_per_assignment": 0.05,
                "assignment_max_duration_seconds": 3600,
                "mixer_config": {
                    "real_tasks_count": SUITE,
                    "golden_tasks_count": 0,
                    "training_tasks_count": 0,
                },
                "defaults": {"default_overlap_for_new_tasks": 1, "default_overlap_for_new_task_suites": 1},
            },
        )
    )
    tasks = [
        {
            "pool_id": pool["id"],
            "input_values": {"image": f"https://img.example/{n}.jpg", "caption": f"Photo {n}"},
        }
        for n in range(SUITE)
    ]
    _created(
        requester.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks)
    )
    requester.close()

    token = create_account(
        server.database_url, "worker", "wanda", "--languages", "EN", "--password", PASSWORD
    )
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})
    browser = httpx.Client(base_url=server.url)
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/signin").text)
    assert form_token is not None
    signed_in = browser.post(
        "/signin", data={"csrf_token": form_token.group(1), "name": "wanda", "password": PASSWORD}
    )
    assert signed_in.status_code == 303, signed_in.text
    assignment = _created(api.post(f"/api/worker/v1/pools/{pool['id']}/assignments"))
    return browser, api, assignment["id"]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def measure(server: LiveServer, requests: int) -> dict[str, dict[str, float]]:
    browser, api, assignment_id = _setup(server)
    page_path, json_path = f"/work/assignments/{assignment_id}", f"/api/worker/v1/assignments/{assignment_id}"
    page = browser.get(page_path)
    assert page.status_code == 200 and page.text.count('class="kv-task"') == SUITE, page.text[:2000]
    round_trips: dict[str, list[float]] = {page_path: [], json_path: []}
    for _ in range(requests):
        for client, path in ((browser, page_path), (api, json_path)):
            started = time.perf_counter()
            response = client.get(path)
            round_trips[path].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    browser.close()
    api.close()
    logged: dict[str, list[float]] = {page_path: [], json_path: []}
    for path, ms in _LOGGED.findall(server.log_path.read_text()):
        if path in logged:
            logged[path].append(float(ms))
    figures = {}
    for name, path in (("task page (HTML, 10 tasks)", page_path), ("assignment JSON", json_path)):
        served = logged[path][-requests:]
        figures[name] = {
            "server p50": statistics.median(served),
            "server p95": _p95(served),
            "round trip p95": _p95(round_trips[path]),
        }
    return figures


@contextmanager
def _database(backend: str, folder: Path) -> Iterator[tuple[str, PostgresServer | None]]:
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
        engine = db.create(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url, None
        return
    pg = PostgresServer().start()
    try:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        pg.create_database(name)
        engine = db.create(pg.url_for(name))
        migrate.upgrade(engine)
        engine.dispose()
        yield pg.url_for(name), pg
    finally:
        pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind (at most 5000)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL")
    args = parser.parse_args()
    requests = max(20, min(args.requests, 5000))
    for backend in ("sqlite", "postgresql") if args.postgres else ("sqlite",):
        with tempfile.TemporaryDirectory() as folder, _database(backend, Path(folder)) as (url, _):
            env = {"KVORUM_RUN_BACKGROUND_JOBS": "false"}
            with running_server(backend, url, Path(folder), env) as server:
                figures = measure(server, requests)
        print(f"\n{backend}: {requests} requests of each kind, alternated")
        for name, values in figures.items():
            print(
                f"  {name:28} server p50 {values['server p50']:6.2f} ms   p95 {values['server p95']:6.2f} ms"
                f"   round trip p95 {values['round trip p95']:6.2f} ms"
            )
        page_p95 = figures["task page (HTML, 10 tasks)"]["server p95"]
        verdict = "within" if page_p95 < TARGET_P95_MS else "OVER"
        print(f"  task page p95 {page_p95:.2f} ms: {verdict} the {TARGET_P95_MS:.0f} ms target")


if __name__ == "__main__":
    main()
