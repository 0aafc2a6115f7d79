"""Counting observations and reading tallies at once (one statement on PostgreSQL) gives what
counting them one by one and recounting gives, whatever was counted before."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvorum.schemas.worker import WorkerProfile
from kvorum.services.accounts import requesters, workers
from kvorum.services.context import Context
from kvorum.store import quality as store

SPANS: tuple[store.Span, ...] = (None, 1, 3, store.IN_ROW)
AT = datetime(2030, 1, 1)


@dataclass
class Recount:
    """What the store should hold: each (collector, assignment, position) once, in counting order."""

    rows: dict[tuple[str, str, int], dict[str, Any]] = field(default_factory=dict)

    def count(self, batch: list[dict[str, Any]], replace: bool) -> None:
        for row in batch:
            key = (row["collector"], row["assignment_id"], row["position"])
            if key not in self.rows:
                self.rows[key] = dict(row)
            elif replace:
                self.rows[key]["value"] = row["value"]

    def tally(self, collector: str, worker_id: int, span: store.Span) -> store.Tally:
        mine = [r for r in self.rows.values() if r["collector"] == collector and r["worker_id"] == worker_id]
        if span == store.IN_ROW:
            zeros = [n for n, r in enumerate(mine) if r["value"] == 0]
            mine = mine[zeros[-1] + 1 :] if zeros else mine
        elif span is not None:
            mine = mine[-span:]
        golden = [r for r in mine if r["golden"]]
        return store.Tally(
            len(mine), sum(r["value"] for r in mine), len(golden), sum(r["value"] for r in golden)
        )


observation = st.tuples(
    st.sampled_from("AB"),  # collector
    st.integers(0, 1),  # worker
    st.integers(0, 5),  # assignment
    st.integers(-1, 1),  # position
    st.sampled_from((0.0, 1.0)),
    st.booleans(),  # golden
)
batches = st.lists(
    st.tuples(st.lists(observation, max_size=6, unique_by=lambda o: (o[0], o[2], o[3])), st.booleans()),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=batches)
def test_counting_and_tallying_at_once_equals_a_recount(ctx: Context, batches: Any) -> None:
    run = uuid.uuid4().hex[:8]  # accounts and collectors of its own: examples share nothing
    owner = requesters.create_requester(ctx, name=f"owner-{run}")[0].id
    crew = [workers.create_worker(ctx, name=f"w{n}-{run}", profile=WorkerProfile())[0].id for n in range(2)]
    recount = Recount()
    wanted = [(f"{run}-{c}", worker_id, span) for c in "AB" for worker_id in crew for span in SPANS]
    for batch, replace in batches:
        rows = [
            {
                "owner_id": owner,
                "collector": f"{run}-{collector}",
                "worker_id": crew[worker],
                "assignment_id": f"{run}{assignment}",
                "position": position,
                "value": value,
                "golden": golden,
                "created": AT,
            }
            for collector, worker, assignment, position, value, golden in batch
        ]
        # The tallies a statement reads are of one span each (collector, worker): the batch's
        # span comes with its counting, the others are read after it.
        first = SPANS[len(recount.rows) % len(SPANS)]
        for span in (first, *(other for other in SPANS if other != first)):
            asked = [w for w in wanted if w[2] == span]
            with ctx.db.write() as conn:
                kept, replaced = ([], rows) if replace else (rows, [])
                found = store.count(conn, owner_id=owner, kept=kept, replaced=replaced, wanted=asked)
            recount.count(rows, replace)
            rows = []
            for collector, worker_id, _ in asked:
                assert found[(collector, worker_id)] == recount.tally(collector, worker_id, span)
    with ctx.db.read() as conn:
        for collector, worker_id, span in wanted:
            stored = store.tallies(conn, owner_id=owner, wanted=[(collector, worker_id, span)])
            assert stored[(collector, worker_id)] == recount.tally(collector, worker_id, span)
