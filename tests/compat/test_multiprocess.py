"""Several `kvorum serve` processes on one PostgreSQL database behave as one server."""

import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import dynamic_overlap_pool, mixer_pool, pool_body, project_body
from tests.support.databases import BACKENDS
from tests.support.live import LiveServer, create_account, create_requester, fresh_database, running_server

pytestmark = pytest.mark.compat

QUOTA = 5


@pytest.fixture
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[LiveServer]]:
    """Two processes, each with two workers, sharing one fresh database and one requester."""
    if "postgresql" not in BACKENDS:
        pytest.skip("needs PostgreSQL")
    env = {"KVORUM_QUOTA_POOL_CREATE_PER_MINUTE": str(QUOTA), "KVORUM_QUOTA_POOL_CREATE_PER_DAY": str(QUOTA)}
    with fresh_database("postgresql", request, tmp_path) as url, ExitStack() as stack:
        token = create_requester(url)
        yield [
            stack.enter_context(
                running_server("postgresql", url, tmp_path, env, token=token, extra_args=("--workers", "2"))
            )
            for _ in range(2)
        ]


def clients(servers: list[LiveServer]) -> list[httpx.Client]:
    return [
        httpx.Client(base_url=s.url, headers={"Authorization": f"OAuth {s.token}"}, timeout=60)
        for s in servers
    ]


def across(servers: list[LiveServer], count: int, call: Any) -> list[httpx.Response]:
    """`count` concurrent calls, alternating between the servers."""
    http = clients(servers)
    with ThreadPoolExecutor(max_workers=count) as executor:
        return list(executor.map(lambda n: call(http[n % len(http)]), range(count)))


def test_processes_share_quotas_transitions_and_operation_ids(servers: list[LiveServer]) -> None:
    first = clients(servers)[0]
    project = first.post("/api/v1/projects", json=project_body()).json()

    created = across(servers, 12, lambda http: http.post("/api/v1/pools", json=pool_body(project["id"])))
    assert sorted(response.status_code for response in created) == [201] * QUOTA + [429] * (12 - QUOTA)
    pool_id = next(response.json()["id"] for response in created if response.status_code == 201)

    opened = across(servers, 8, lambda http: http.post(f"/api/v1/pools/{pool_id}/open"))
    assert sorted(response.status_code for response in opened) == [202] + [204] * 7

    operation_id = str(uuid.uuid4())
    tasks = [
        {"pool_id": pool_id, "input_values": {"image": f"https://img.example/{n}.png"}} for n in range(500)
    ]
    params = {"async_mode": "true", "allow_defaults": "true", "operation_id": operation_id}
    submitted = across(servers, 8, lambda http: http.post("/api/v1/tasks", params=params, json=tasks))
    assert sorted(response.status_code for response in submitted) == [202] + [409] * 7
    page = first.get("/api/v1/tasks", params={"pool_id": pool_id, "limit": 1000}).json()
    assert len(page["items"]) == 500


def test_processes_never_over_issue(servers: list[LiveServer]) -> None:
    first = clients(servers)[0]
    project = first.post("/api/v1/projects", json=project_body()).json()
    pool = first.post("/api/v1/pools", json=mixer_pool(project["id"], real=2, golden=1, overlap=2)).json()
    tasks = [
        {"pool_id": pool["id"], "input_values": {"image": f"https://img.example/{n}.png"}} for n in range(6)
    ]
    golden = [{**tasks[0], "known_solutions": [{"output_values": {"result": "cat"}}]}]
    first.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks + golden)
    tokens = [
        create_account(servers[0].database_url, "worker", f"mp{n}", "--languages", "EN") for n in range(10)
    ]
    workers_http = [
        httpx.Client(base_url=servers[n % 2].url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        for n, token in enumerate(tokens)
    ]
    with ThreadPoolExecutor(max_workers=10) as executor:
        taken = list(
            executor.map(
                lambda http: http.post(f"/api/worker/v1/pools/{pool['id']}/assignments"), workers_http
            )
        )
    assert (
        sorted(response.status_code for response in taken) == [201] * 6 + [409] * 4
    )  # 6 tasks x 2 / 2 per suite
    found = first.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"]
    held = Counter(task["id"] for item in found for task in item["tasks"] if not task.get("known_solutions"))
    assert len(held) == 6 and set(held.values()) == {2}


def _rule(collector: str, key: str, value: Any, action: dict[str, Any]) -> dict[str, Any]:
    return {
        "collector_config": {"type": collector},
        "rules": [
            {
                "conditions": [
                    {"key": key, "operator": "EQ" if isinstance(value, str) else "GTE", "value": value}
                ],
                "action": action,
            }
        ],
    }


def test_processes_count_each_event_once_and_act_once(servers: list[LiveServer]) -> None:
    """The same submit and the same review sent to both processes at once: one wins each, the
    collectors count it once, and each rule acts once."""
    first = clients(servers)[0]
    spec = {"result": {"type": "string", "allowed_values": ["cat", "dog"]}}
    project = first.post(
        "/api/v1/projects", json=project_body(task_spec={**project_body()["task_spec"], "output_spec": spec})
    ).json()
    configs = [
        _rule(
            "ANSWER_COUNT",
            "assignments_accepted_count",
            1,
            {"type": "RESTRICTION_V2", "parameters": {"scope": "POOL", "duration_unit": "PERMANENT"}},
        ),
        _rule(
            "ASSIGNMENTS_ASSESSMENT",
            "assessment_event",
            "REJECT",
            {"type": "CHANGE_OVERLAP", "parameters": {"delta": 1}},
        ),
    ]
    body = mixer_pool(
        project["id"], real=1, overlap=1, auto_accept_solutions=False, quality_control={"configs": configs}
    )
    pool = first.post("/api/v1/pools", json=body).json()
    tasks = [
        {"pool_id": pool["id"], "input_values": {"image": f"https://img.example/{n}.png"}} for n in range(2)
    ]
    first.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=tasks)
    token = create_account(servers[0].database_url, "worker", "twice", "--languages", "EN")
    worker = [
        httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        for server in servers
    ]
    assignment = worker[0].post(f"/api/worker/v1/pools/{pool['id']}/assignments").json()
    answers = {"solutions": [{"output_values": {"result": "cat"}}]}
    with ThreadPoolExecutor(max_workers=8) as executor:
        submits = list(
            executor.map(
                lambda n: worker[n % 2].post(
                    f"/api/worker/v1/assignments/{assignment['id']}/submit", json=answers
                ),
                range(8),
            )
        )
    assert sorted(response.status_code for response in submits) == [200] + [409] * 7
    review = {"status": "REJECTED", "public_comment": "no"}
    reviews = across(
        servers, 8, lambda http: http.patch(f"/api/v1/assignments/{assignment['id']}", json=review)
    )
    assert sorted(response.status_code for response in reviews) == [200] + [409] * 7
    restrictions = first.get("/api/v1/user-restrictions", params={"pool_id": pool["id"]}).json()["items"]
    assert len(restrictions) == 1
    task_id = assignment["tasks"][0]["id"]
    assert first.get(f"/api/v1/tasks/{task_id}").json()["overlap"] == 2  # raised once, by one rejection
    events = first.get(f"/api/v1/pools/{pool['id']}/quality-events").json()["items"]
    assert sorted(event["action"]["type"] for event in events) == ["CHANGE_OVERLAP", "RESTRICTION_V2"]


def test_processes_grow_dynamic_overlap_once_per_decision(servers: list[LiveServer]) -> None:
    """Four workers on both processes submit their answers to one task at once: it grows once; the
    next submit, sent to both processes eight times, grows it once more; it never passes max_overlap."""
    first = clients(servers)[0]
    spec = {"result": {"type": "string", "allowed_values": ["cat", "dog"]}}
    project = first.post(
        "/api/v1/projects", json=project_body(task_spec={**project_body()["task_spec"], "output_spec": spec})
    ).json()
    skill = first.post("/api/v1/skills", json={"name": "Accuracy"}).json()
    pool = first.post(
        "/api/v1/pools", json=dynamic_overlap_pool(project["id"], skill["id"], overlap=4, max_overlap=6)
    ).json()
    task = {"pool_id": pool["id"], "input_values": {"image": "https://img.example/0.png"}}
    first.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=[task])
    tokens = [
        create_account(servers[0].database_url, "worker", f"dyn{n}", "--languages", "EN") for n in range(10)
    ]
    crowd = [
        httpx.Client(base_url=servers[n % 2].url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        for n, token in enumerate(tokens)
    ]

    def overlap() -> int:
        found = first.get("/api/v1/tasks", params={"pool_id": pool["id"]}).json()["items"]
        return int(found[0]["overlap"])

    def take_all(workers: list[httpx.Client]) -> list[tuple[httpx.Client, dict[str, Any]]]:
        with ThreadPoolExecutor(max_workers=len(workers)) as executor:
            taken = list(
                executor.map(lambda w: w.post(f"/api/worker/v1/pools/{pool['id']}/assignments"), workers)
            )
        assert {response.status_code for response in taken} <= {201, 409}
        return [(w, r.json()) for w, r in zip(workers, taken, strict=True) if r.status_code == 201]

    def submit(worker: httpx.Client, assignment: dict[str, Any], label: str) -> httpx.Response:
        answers = {"solutions": [{"output_values": {"result": label}}]}
        return worker.post(f"/api/worker/v1/assignments/{assignment['id']}/submit", json=answers)

    holders = take_all(crowd[:4])
    assert len(holders) == 4
    with ThreadPoolExecutor(max_workers=4) as executor:
        labels = ["cat", "dog", "cat", "dog"]
        submitted = list(
            executor.map(lambda pair: submit(*pair[0], pair[1]), zip(holders, labels, strict=True))
        )
    assert [response.status_code for response in submitted] == [200] * 4
    assert overlap() == 5

    (winner,) = take_all(crowd[4:8])
    same_worker = [
        httpx.Client(base_url=server.url, headers=winner[0].headers, timeout=60) for server in servers
    ]
    with ThreadPoolExecutor(max_workers=8) as executor:
        retried = list(executor.map(lambda n: submit(same_worker[n % 2], winner[1], "dog"), range(8)))
    assert sorted(response.status_code for response in retried) == [200] + [409] * 7
    assert overlap() == 6

    (last,) = take_all(crowd[8:])
    assert submit(*last, "cat").status_code == 200
    assert overlap() == 6  # max_overlap
    assert take_all(crowd[4:8]) == []
    found = first.get("/api/v1/assignments", params={"pool_id": pool["id"]}).json()["items"]
    assert len(found) == 6
