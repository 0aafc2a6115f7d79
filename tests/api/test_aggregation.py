"""Aggregation over HTTP: aggregate-by-pool as an operation whose labels are paged by task_id,
aggregate-by-task at once, which answers count, and every bad request refused with nothing written."""

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kvorum.jobs.runner import Runner
from kvorum.services.context import Context
from kvorum.store.tables import aggregated_solutions, operations
from tests.helpers import (
    CHOICE_RESULT,
    assert_error,
    created,
    mixer_pool,
    project_body,
    take,
    task_spec,
    upload_tasks,
    worker_client,
)
from tests.support.answers import fill_pool

BY_POOL = "/api/v1/aggregated-solutions/aggregate-by-pool"
BY_TASK = "/api/v1/aggregated-solutions/aggregate-by-task"
IMAGES = [f"https://img.example/{n}.png" for n in range(3)]
VOTES = {
    IMAGES[0]: ("cat", "cat", "dog"),
    IMAGES[1]: ("dog", "dog", "dog"),
    IMAGES[2]: ("cat", "dog", "other"),
}
"""What workers 0, 1 and 2 answer to each real task; every control task they answer "dog"."""


def choice_project(api: TestClient, **output: Any) -> dict[str, Any]:
    spec = task_spec(output_spec={**CHOICE_RESULT, **output})
    return created(api.post("/api/v1/projects", json=project_body(task_spec=spec)))


def work(client: TestClient, pool_id: str, answer: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """Take and submit suites until none is left; how many were submitted."""
    submitted = 0
    while (response := take(client, pool_id)).status_code == 201:
        assignment = response.json()
        solutions = [{"output_values": answer(task)} for task in assignment["tasks"]]
        submit = client.post(
            f"/api/worker/v1/assignments/{assignment['id']}/submit", json={"solutions": solutions}
        )
        assert submit.status_code == 200, submit.text
        submitted += 1
    return submitted


@pytest.fixture
def voted(api: TestClient, app_client: TestClient, ctx: Context) -> dict[str, Any]:
    """A pool of three real tasks and three control tasks (answer "cat"), suites of one of each,
    answered by three workers as VOTES says; the workers' ids under "workers"."""
    project = choice_project(api)
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], real=1, golden=1, overlap=3)))
    upload_tasks(api, pool["id"], 3, golden=3)
    workers = []
    for number in range(3):
        client = worker_client(app_client, ctx, f"voter-{number}")

        def answer(task: dict[str, Any], number: int = number) -> dict[str, Any]:
            votes = VOTES.get(task["input_values"]["image"])
            return {"result": "dog" if votes is None else votes[number]}

        assert work(client, pool["id"], answer) == 3
        workers.append(client.get("/api/worker/v1/me").json()["id"])
    tasks = api.get("/api/v1/tasks", params={"pool_id": pool["id"], "limit": 10}).json()["items"]
    real = sorted((task for task in tasks if not task.get("known_solutions")), key=lambda task: task["id"])
    return {"pool": pool, "project": project, "workers": workers, "tasks": real}


def by_pool(api: TestClient, pool_id: str, kind: str = "DAWID_SKENE", **body: Any) -> dict[str, Any]:
    response = api.post(
        BY_POOL, json={"type": kind, "pool_id": pool_id, "fields": [{"name": "result"}], **body}
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


def labels(api: TestClient, operation_id: str, **params: Any) -> dict[str, Any]:
    response = api.get(f"/api/v1/aggregated-solutions/{operation_id}", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def alice(api: TestClient) -> int:
    return int(api.get("/api/v1/requester").json()["id"])


def stored(ctx: Context) -> tuple[int, int]:
    """How many operations and aggregated solutions the database holds."""
    with ctx.db.read() as conn:
        count = conn.execute(select(func.count()).select_from(operations)).scalar_one()
        return count, conn.execute(select(func.count()).select_from(aggregated_solutions)).scalar_one()


def test_aggregate_by_pool_labels_each_real_task_once_the_operation_succeeds(
    api: TestClient, voted: dict[str, Any]
) -> None:
    operation = by_pool(api, voted["pool"]["id"], "MAJORITY_VOTE")
    assert operation["type"] == "SOLUTION.AGGREGATE"
    assert operation["status"] == "SUCCESS"
    assert operation["parameters"] == {"pool_id": voted["pool"]["id"]}
    assert api.get(f"/api/v1/operations/{operation['id']}").json()["status"] == "SUCCESS"
    page = labels(api, operation["id"])
    assert page["has_more"] is False
    task_ids = [task["id"] for task in voted["tasks"]]
    assert [item["task_id"] for item in page["items"]] == task_ids  # control tasks are not labelled
    assert [item["output_values"] for item in page["items"]] == [
        {"result": "cat"},
        {"result": "dog"},
        {"result": "cat"},  # a three-way tie: the smallest label wins
    ]
    assert [item["confidence"] for item in page["items"]] == pytest.approx([2 / 3, 1, 1 / 3])
    assert {item["pool_id"] for item in page["items"]} == {voted["pool"]["id"]}


def test_dawid_skene_learns_the_workers_from_control_tasks_and_ignores_the_skill(
    api: TestClient, voted: dict[str, Any]
) -> None:
    """Every control answer is "dog" where the known solution is "cat": Dawid-Skene learns that these
    workers' "dog" means "cat", so task 1 (three "dog") is read as "cat". Majority vote, which does
    not learn from control tasks, says "dog"."""
    operation = by_pool(api, voted["pool"]["id"], answer_weight_skill_id="424242")
    page = labels(api, operation["id"])
    assert [item["task_id"] for item in page["items"]] == [task["id"] for task in voted["tasks"]]
    assert page["items"][1]["output_values"] == {"result": "cat"}
    assert all(0 < item["confidence"] <= 1 for item in page["items"])
    voted_page = labels(api, by_pool(api, voted["pool"]["id"], "MAJORITY_VOTE")["id"])
    assert voted_page["items"][1]["output_values"] == {"result": "dog"}


def set_skill(api: TestClient, skill_id: str, worker_id: str, value: float) -> None:
    body = {"skill_id": skill_id, "user_id": worker_id, "value": value}
    assert api.put("/api/v1/user-skills", json=body).status_code == 201


def evidence(q: float, k: int) -> float:
    q = min(max(q, 0.01), 0.99)
    return math.log(q * (k - 1) / (1 - q))


def test_weighted_dynamic_overlap_weighs_answers_by_the_skill(api: TestClient, voted: dict[str, Any]) -> None:
    skill = created(api.post("/api/v1/skills", json={"name": "accuracy"}))
    first, second, third = voted["workers"]
    set_skill(api, skill["id"], first, 80)
    set_skill(api, skill["id"], second, 80)
    set_skill(api, skill["id"], third, 95)
    operation = by_pool(
        api, voted["pool"]["id"], "WEIGHTED_DYNAMIC_OVERLAP", answer_weight_skill_id=skill["id"]
    )
    items = labels(api, operation["id"])["items"]
    k = 3  # cat, dog, other
    cat, dog = 2 * evidence(0.8, k), evidence(0.95, k)  # two good workers outweigh one better one
    assert items[0]["output_values"] == {"result": "cat"}
    assert items[0]["confidence"] == pytest.approx(math.exp(cat) / (math.exp(cat) + math.exp(dog) + 1))
    third_scores = [evidence(0.8, k), evidence(0.8, k), evidence(0.95, k)]  # cat, dog, other: all apart
    assert items[2]["output_values"] == {"result": "other"}
    assert items[2]["confidence"] == pytest.approx(
        math.exp(third_scores[2]) / sum(map(math.exp, third_scores))
    )


def test_a_worker_without_a_skill_value_counts_as_a_coin(api: TestClient, voted: dict[str, Any]) -> None:
    skill = created(api.post("/api/v1/skills", json={"name": "accuracy"}))
    body = {
        "type": "WEIGHTED_DYNAMIC_OVERLAP",
        "answer_weight_skill_id": skill["id"],
        "fields": [{"name": "result"}],
    }
    task = voted["tasks"][1]
    found = api.post(BY_TASK, json={**body, "pool_id": voted["pool"]["id"], "task_id": task["id"]}).json()
    e = evidence(0.5, 3)
    assert found == {
        "pool_id": voted["pool"]["id"],
        "task_id": task["id"],
        "output_values": {"result": "dog"},
        "confidence": pytest.approx(math.exp(3 * e) / (math.exp(3 * e) + 2)),
    }


def test_baseline_solutions_are_priors_weighted_by_confidence(
    api: TestClient, app_client: TestClient, ctx: Context
) -> None:
    project = choice_project(api)
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], real=1, overlap=1)))
    task = {
        "pool_id": pool["id"],
        "input_values": {"image": IMAGES[0]},
        "baseline_solutions": [{"output_values": {"result": "dog"}, "confidence_weight": 0.5}],
    }
    response = api.post("/api/v1/tasks", params={"allow_defaults": "true", "open_pool": "true"}, json=[task])
    assert response.status_code == 201, response.text
    assert work(worker_client(app_client, ctx, "lone"), pool["id"], lambda _: {"result": "cat"}) == 1
    skill = created(api.post("/api/v1/skills", json={"name": "accuracy"}))
    operation = by_pool(api, pool["id"], "WEIGHTED_DYNAMIC_OVERLAP", answer_weight_skill_id=skill["id"])
    [item] = labels(api, operation["id"])["items"]
    prior, coin = 0.5 * evidence(0.99, 3), evidence(0.5, 3)  # a worker without a value: q = 0.5
    assert prior > coin
    assert item["output_values"] == {"result": "dog"}
    assert item["confidence"] == pytest.approx(math.exp(prior) / (math.exp(prior) + math.exp(coin) + 1))


def test_labels_page_by_task_id(api: TestClient, ctx: Context, project: dict[str, Any]) -> None:
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    answers = [(task, worker, f"label-{(task + worker) % 2}") for task in range(7) for worker in range(3)]
    filled = fill_pool(
        ctx,
        owner_id=alice(api),
        pool_id=int(pool["id"]),
        field="result",
        answers=answers,
        n_tasks=7,
        n_workers=3,
    )
    operation = by_pool(api, pool["id"], "MAJORITY_VOTE")
    first = labels(api, operation["id"], limit=3)
    assert first["has_more"] is True
    assert [item["task_id"] for item in first["items"]] == filled.task_ids[:3]
    rest = labels(api, operation["id"], limit=100, task_id_gt=first["items"][-1]["task_id"])
    assert rest["has_more"] is False
    assert [item["task_id"] for item in rest["items"]] == filled.task_ids[3:]
    backwards = labels(api, operation["id"], sort="-task_id", task_id_lte=filled.task_ids[1])
    assert [item["task_id"] for item in backwards["items"]] == filled.task_ids[1::-1]
    assert [item["output_values"]["result"] for item in first["items"]] == ["label-0", "label-1", "label-0"]
    assert len(labels(api, operation["id"])["items"]) == 7  # default limit 50
    for params, path in (
        ((("limit", "100001"),), "limit"),
        ((("sort", "id"),), "sort"),
        ((("id_gt", "1"),), "id_gt"),
    ):
        response = api.get(f"/api/v1/aggregated-solutions/{operation['id']}", params=dict(params))
        assert_error(response, 400, "VALIDATION_ERROR", path)


def test_a_pool_without_answers_gives_no_labels(api: TestClient, project: dict[str, Any]) -> None:
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    upload_tasks(api, pool["id"], 2)
    operation = by_pool(api, pool["id"])
    assert operation["status"] == "SUCCESS"
    assert labels(api, operation["id"]) == {"items": [], "has_more": False}


def test_a_large_pool_is_aggregated_by_the_jobs_runner(
    api: TestClient, ctx: Context, project: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ctx.settings, "inline_operation_items", 0)
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    fill_pool(
        ctx,
        owner_id=alice(api),
        pool_id=int(pool["id"]),
        field="result",
        answers=[(0, 0, "a")],
        n_tasks=1,
        n_workers=1,
    )
    operation = by_pool(api, pool["id"])
    assert operation["status"] == "PENDING"
    response = api.get(f"/api/v1/aggregated-solutions/{operation['id']}")
    assert_error(response, 409, "CONFLICT_STATE")
    assert Runner(ctx).run_once() == 1
    assert api.get(f"/api/v1/operations/{operation['id']}").json()["status"] == "SUCCESS"
    assert [item["output_values"] for item in labels(api, operation["id"])["items"]] == [{"result": "a"}]
    assert Runner(ctx).run_once() == 0


def test_several_fields_make_one_label(api: TestClient, app_client: TestClient, ctx: Context) -> None:
    project = choice_project(api, sure={"type": "boolean"})
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"], real=1, overlap=3)))
    upload_tasks(api, pool["id"], 1, golden=0)
    for number, answer in enumerate([("cat", True), ("cat", False), ("cat", False)]):
        client = worker_client(app_client, ctx, f"w{number}")
        assert (
            work(client, pool["id"], lambda _, answer=answer: {"result": answer[0], "sure": answer[1]}) == 1
        )
    fields = [{"name": "sure"}, {"name": "result"}]
    operation = by_pool(api, pool["id"], "MAJORITY_VOTE", fields=fields)
    [item] = labels(api, operation["id"])["items"]
    assert item["output_values"] == {"sure": False, "result": "cat"}
    assert item["confidence"] == pytest.approx(2 / 3)


BAD_REQUESTS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("an unknown field", {"fields": [{"name": "colour"}]}, ("fields.0.name",)),
    (
        "a field named twice",
        {"fields": [{"name": "result"}, {"name": "result"}], "type": "MAJORITY_VOTE"},
        ("fields.1.name",),
    ),
    ("no fields", {"fields": []}, ("fields",)),
    ("two fields for DAWID_SKENE", {"fields": [{"name": "result"}, {"name": "note"}]}, ("fields",)),
    ("an unknown type", {"type": "BEST_GUESS"}, ("type",)),
    ("WDO without a skill", {"type": "WEIGHTED_DYNAMIC_OVERLAP"}, ("answer_weight_skill_id",)),
    (
        "WDO with a missing skill",
        {"type": "WEIGHTED_DYNAMIC_OVERLAP", "answer_weight_skill_id": "999"},
        ("answer_weight_skill_id",),
    ),
    ("a missing pool", {"pool_id": "999"}, ("pool_id",)),
    ("a malformed pool id", {"pool_id": "pool"}, ("pool_id",)),
    ("no type", {"type": None}, ("type",)),
]


@pytest.mark.parametrize(("case", "change", "paths"), BAD_REQUESTS, ids=[case for case, _, _ in BAD_REQUESTS])
def test_bad_requests_are_refused_naming_the_field_and_write_nothing(
    api: TestClient,
    ctx: Context,
    voted: dict[str, Any],
    case: str,
    change: dict[str, Any],
    paths: tuple[str, ...],
) -> None:
    before = stored(ctx)
    base = {"type": "DAWID_SKENE", "pool_id": voted["pool"]["id"], "fields": [{"name": "result"}]}
    body = {key: value for key, value in {**base, **change}.items() if value is not None}
    assert_error(api.post(BY_POOL, json=body), 400, "VALIDATION_ERROR", *paths)
    task = {**body, "task_id": voted["tasks"][0]["id"]}
    assert_error(api.post(BY_TASK, json=task), 400, "VALIDATION_ERROR", *paths)
    assert stored(ctx) == before


def test_another_requesters_pool_and_skill_do_not_exist(
    api: TestClient, other_api: TestClient, voted: dict[str, Any]
) -> None:
    skill = created(api.post("/api/v1/skills", json={"name": "mine"}))
    body = {
        "type": "WEIGHTED_DYNAMIC_OVERLAP",
        "pool_id": voted["pool"]["id"],
        "fields": [{"name": "result"}],
    }
    response = other_api.post(BY_POOL, json={**body, "answer_weight_skill_id": skill["id"]})
    assert_error(response, 400, "VALIDATION_ERROR", "pool_id", "answer_weight_skill_id")
    operation = by_pool(api, voted["pool"]["id"])
    assert_error(other_api.get(f"/api/v1/aggregated-solutions/{operation['id']}"), 404, "DOES_NOT_EXIST")


def test_aggregate_by_task_refuses_tasks_it_cannot_label(
    api: TestClient, voted: dict[str, Any], project: dict[str, Any]
) -> None:
    body = {"type": "DAWID_SKENE", "pool_id": voted["pool"]["id"], "fields": [{"name": "result"}]}
    assert_error(api.post(BY_TASK, json={**body, "task_id": "ffff"}), 400, "VALIDATION_ERROR", "task_id")
    tasks = api.get("/api/v1/tasks", params={"pool_id": voted["pool"]["id"], "limit": 10}).json()["items"]
    control = next(task for task in tasks if task.get("known_solutions"))
    assert_error(
        api.post(BY_TASK, json={**body, "task_id": control["id"]}), 400, "VALIDATION_ERROR", "task_id"
    )
    other_pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    upload_tasks(api, other_pool["id"], 1, golden=0)
    unanswered = api.get("/api/v1/tasks", params={"pool_id": other_pool["id"]}).json()["items"][0]
    response = api.post(BY_TASK, json={**body, "pool_id": other_pool["id"], "task_id": unanswered["id"]})
    assert_error(response, 400, "VALIDATION_ERROR", "task_id")
    assert_error(
        api.post(BY_TASK, json={**body, "task_id": voted["tasks"][0]["id"], "pool_id": other_pool["id"]}),
        400,
        "VALIDATION_ERROR",
        "task_id",
    )


def test_unknown_operations_have_no_labels(api: TestClient, voted: dict[str, Any]) -> None:
    assert_error(api.get("/api/v1/aggregated-solutions/nothing"), 404, "DOES_NOT_EXIST")
    pool_open = api.post(f"/api/v1/pools/{voted['pool']['id']}/close")
    assert pool_open.status_code == 202
    assert_error(api.get(f"/api/v1/aggregated-solutions/{pool_open.json()['id']}"), 404, "DOES_NOT_EXIST")


@pytest.mark.filterwarnings("ignore:The (inplace|copy) keyword")  # crowd-kit 1.4.2 on pandas 3
def test_dawid_skene_through_the_api_equals_crowd_kit(
    api: TestClient, ctx: Context, project: dict[str, Any]
) -> None:
    """2,000 tasks x 5 answers of 4 classes from workers of mixed accuracy, stored, aggregated through
    the API and by crowd-kit's DawidSkene on the same answers: the same labels, probabilities within 1e-6."""
    pd = pytest.importorskip(
        "pandas", reason="crowd-kit's reference needs pandas (the kvorum[crowdkit] extra)"
    )
    classification = pytest.importorskip(
        "crowdkit.aggregation", reason="crowd-kit is not installed (pip install 'kvorum[crowdkit]')"
    )
    rng = np.random.default_rng(7)
    n_tasks, n_workers, overlap, classes = 2_000, 60, 5, ["a", "b", "c", "d"]
    truth = rng.integers(0, len(classes), n_tasks)
    accuracy = rng.uniform(0.35, 0.95, n_workers)
    answers = []
    for task in range(n_tasks):
        for worker in rng.choice(n_workers, overlap, replace=False):
            right = rng.random() < accuracy[worker]
            label = truth[task] if right else rng.integers(0, len(classes))
            answers.append((task, int(worker), classes[label]))
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    filled = fill_pool(
        ctx,
        owner_id=alice(api),
        pool_id=int(pool["id"]),
        field="result",
        answers=answers,
        n_tasks=n_tasks,
        n_workers=n_workers,
    )
    operation = by_pool(api, pool["id"])
    items = labels(api, operation["id"], limit=100_000)["items"]
    frame = pd.DataFrame(
        [(filled.task_ids[task], worker, f'["{label}"]') for task, worker, label in answers],
        columns=["task", "worker", "label"],
    )
    model = classification.DawidSkene(n_iter=100, tol=1e-5)
    expected = model.fit_predict(frame)
    probas = model.probas_
    assert [item["task_id"] for item in items] == sorted(filled.task_ids)
    assert [f'["{item["output_values"]["result"]}"]' for item in items] == [
        expected[t] for t in sorted(filled.task_ids)
    ]
    chosen = [probas.loc[item["task_id"], expected[item["task_id"]]] for item in items]
    assert [item["confidence"] for item in items] == pytest.approx(chosen, abs=1e-6)


@pytest.mark.filterwarnings("ignore:The (inplace|copy) keyword")  # crowd-kit 1.4.2 on pandas 3
def test_crowd_kit_extension_types_run_as_operations(api: TestClient, voted: dict[str, Any]) -> None:
    pytest.importorskip(
        "crowdkit.aggregation", reason="crowd-kit is not installed (pip install 'kvorum[crowdkit]')"
    )
    operation = by_pool(api, voted["pool"]["id"], "WAWA")
    assert operation["status"] == "SUCCESS", operation
    items = labels(api, operation["id"])["items"]
    assert [item["task_id"] for item in items] == [task["id"] for task in voted["tasks"]]
    assert items[1] == {**items[1], "output_values": {"result": "dog"}, "confidence": pytest.approx(1)}
    response = api.post(
        BY_POOL, json={"type": "KOS", "pool_id": voted["pool"]["id"], "fields": [{"name": "result"}]}
    )
    assert response.status_code == 202
    failed = response.json()  # three labels: KOS takes two, which is found when it runs
    assert failed["status"] == "FAIL"
    assert failed["details"]["error"] == "VALIDATION_ERROR" and "type" in failed["details"]["payload"]
    assert_error(api.get(f"/api/v1/aggregated-solutions/{failed['id']}"), 409, "CONFLICT_STATE")
