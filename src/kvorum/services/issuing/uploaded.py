"""Issuing the task suites a requester uploaded, to pools without a mixer.

Suites are issued by id (creation order), or by issuing_order_override first when the pool's
assignments_issuing_config.issue_task_suites_in_creation_order says so.
"""

import orjson
from sqlalchemy import Connection

from kvorum.services.accounts.workers import Worker
from kvorum.services.issuing.suite import Suite, reserved_elsewhere
from kvorum.services.pools.model import Pool
from kvorum.store import assignments as store

SUITE_PAGE = 8
"""Suites read per query: usually the first is issued, and suite bodies can be large."""


def uploaded(conn: Connection, pool: Pool, worker: Worker) -> Suite | None:
    """The next uploaded suite the worker may be issued, read a page at a time past reserved ones."""
    by_override = pool.settings.issue_suites_in_creation_order
    skip = 0
    while True:
        page = store.free_suites(
            conn, pool_id=pool.id, worker_id=worker.id, by_override=by_override, skip=skip, limit=SUITE_PAGE
        )
        for row in page:
            body = orjson.loads(row.body)
            if not reserved_elsewhere(body, worker):
                tasks = [
                    {"kind": "GOLDEN" if task.get("known_solutions") else "REAL", **task}
                    for task in body["tasks"]
                ]
                return Suite(tasks, row.id)
        if len(page) < SUITE_PAGE:
            return None
        skip += SUITE_PAGE
