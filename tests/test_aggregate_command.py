"""`kvorum aggregate`: a pool's labels written to a TSV file, with the errors an operator can act on."""

import csv
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kvorum.cli import app
from kvorum.services.context import Context
from tests.helpers import CHOICE_RESULT, created, mixer_pool, project_body, task_spec
from tests.support.answers import fill_pool

runner = CliRunner()


def test_aggregate_writes_one_row_per_labelled_task(
    api: TestClient, ctx: Context, database_url: str, tmp_path: Path
) -> None:
    spec = task_spec(output_spec={**CHOICE_RESULT, "sure": {"type": "boolean"}})
    project = created(api.post("/api/v1/projects", json=project_body(task_spec=spec)))
    pool = created(api.post("/api/v1/pools", json=mixer_pool(project["id"])))
    votes = {0: ["cat", "cat", "dog"], 1: ["dog", "other", "dog"], 2: ["other", "other", "other"]}
    answers = [(task, worker, value) for task, values in votes.items() for worker, value in enumerate(values)]
    owner = int(api.get("/api/v1/requester").json()["id"])
    filled = fill_pool(
        ctx, owner_id=owner, pool_id=int(pool["id"]), field="result", answers=answers, n_tasks=4, n_workers=3
    )
    out = tmp_path / "labels.tsv"
    arguments = ["aggregate", pool["id"], "--method", "MAJORITY_VOTE", "--field", "result", "--out", str(out)]
    result = runner.invoke(app, [*arguments, "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "3 labels written" in result.output
    with out.open(encoding="utf-8") as stream:
        rows: list[Any] = list(csv.reader(stream, delimiter="\t"))
    assert rows[0] == ["task_id", "OUTPUT:result", "confidence"]
    assert [row[:2] for row in rows[1:]] == [
        [filled.task_ids[n], label] for n, label in enumerate(["cat", "dog", "other"])
    ]
    assert [float(row[2]) for row in rows[1:]] == [2 / 3, 2 / 3, 1.0]

    every_field = runner.invoke(
        app, ["aggregate", pool["id"], "--out", str(out), "--database-url", database_url]
    )
    assert every_field.exit_code == 1  # DAWID_SKENE takes one field, and the project has two
    assert "fields" in every_field.output

    missing = runner.invoke(app, ["aggregate", "999", "--out", str(out), "--database-url", database_url])
    assert missing.exit_code == 1 and "Pool 999 does not exist" in missing.output
    unknown = runner.invoke(app, [*arguments, "--field", "colour", "--database-url", database_url])
    assert unknown.exit_code == 1 and "colour" in unknown.output
