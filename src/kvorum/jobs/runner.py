"""The background jobs: due operations (bulk creation, aggregation), assignment expiry, auto-accept,
and pool closing.

Every server process runs them in a daemon thread unless run_background_jobs is off; `kvorum jobs`
runs them alone. Operations are claimed in the database, so any number of processes can poll at
once; one that dies mid-run leaves a lease that expires, and another process takes the operation
over.
"""

import logging
import threading

from kvorum.services.aggregated import service as aggregation
from kvorum.services.assignments import timers
from kvorum.services.bulk import running as bulk
from kvorum.services.context import Context
from kvorum.services.pools import lifecycle

log = logging.getLogger("kvorum.jobs")


class Runner:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run the jobs in a daemon thread."""
        self._thread = threading.Thread(target=self.run, name="kvorum-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current pass; waits for the thread, if there is one."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def run(self) -> None:
        """Run the jobs in this thread until stopped, resting between passes that found nothing."""
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:
                log.exception("running due jobs failed; retrying")
                ran = 0
            if not ran:
                self._stop.wait(self._ctx.settings.job_poll_seconds)

    def run_once(self) -> int:
        """One pass over every job; answers how many operations ran."""
        ran = bulk.run_due(self._ctx) + aggregation.run_due(self._ctx)
        timers.expire_due(self._ctx)
        timers.auto_accept_due(self._ctx)
        lifecycle.close_due(self._ctx)
        return ran
