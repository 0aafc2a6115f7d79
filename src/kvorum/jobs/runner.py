"""A daemon thread per server process that runs due operations.

Operations are claimed in the database, so any number of processes can poll at once; one that
dies mid-run leaves a lease that expires, and another process takes the operation over.
"""

import logging
import threading

from kvorum.services.assignments import timers
from kvorum.services.bulk import run as batch
from kvorum.services.context import Context
from kvorum.services.pools import lifecycle

log = logging.getLogger("kvorum.jobs")


class Runner:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kvorum-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = batch.run_due(self._ctx)
                timers.expire_due(self._ctx)
                timers.auto_accept_due(self._ctx)
                lifecycle.close_due(self._ctx)
            except Exception:
                log.exception("running due operations failed; retrying")
                ran = 0
            if not ran:
                self._stop.wait(self._ctx.settings.job_poll_seconds)
