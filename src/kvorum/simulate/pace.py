"""How long a simulated worker "takes" over a suite.

On a server in time-travel mode the crowd moves the server's clock: a discrete-event schedule on
virtual time, where the clock advances (to the next tick a worker waits for) only once every
worker is waiting, so a worker's seconds are the seconds the server records. On any other server
a worker sleeps its time scaled down, never past the run's deadline.
"""

import asyncio
import heapq
import math
import time
from typing import Protocol

from kvorum.simulate.server import Server


class Pace(Protocol):
    def enter(self) -> None:
        """A worker starts working."""

    async def leave(self) -> None:
        """A worker stops for good."""

    async def spend(self, seconds: float) -> None:
        """The worker spends `seconds` of simulated time."""


class RealPace:
    """Sleeps `seconds * scale` of wall-clock time, cut short at the deadline (a monotonic time)."""

    def __init__(self, scale: float, deadline: float) -> None:
        self.scale = scale
        self.deadline = deadline

    def enter(self) -> None:
        pass

    async def leave(self) -> None:
        pass

    async def spend(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, min(seconds * self.scale, self.deadline - time.monotonic())))


class ServerClock:
    """Virtual time on the server's settable clock, rounded up to `tick` seconds so that workers due
    at about the same moment wake together and work concurrently."""

    def __init__(self, server: Server, tick: float = 1.0) -> None:
        self.server = server
        self.tick = tick
        self.now = 0.0
        """Seconds the server's clock has been moved since the run began."""
        self._running = 0
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = 0

    def enter(self) -> None:
        self._running += 1

    async def leave(self) -> None:
        self._running -= 1
        await self._advance_when_idle()

    async def spend(self, seconds: float) -> None:
        wake = math.ceil((self.now + seconds) / self.tick - 1e-9) * self.tick
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._order += 1
        heapq.heappush(self._waiting, (max(wake, self.now), self._order, future))
        self._running -= 1
        await self._advance_when_idle()
        await future

    async def _advance_when_idle(self) -> None:
        """Once nobody is working, move the clock to the earliest wake-up and wake everyone due then."""
        if self._running or not self._waiting:
            return
        wake = self._waiting[0][0]
        self._running += 1  # holds the schedule while the clock moves
        try:
            if wake > self.now:
                await self.server.advance(wake - self.now)
                self.now = wake
        except BaseException as exc:
            for _, _, future in self._waiting:
                if isinstance(exc, Exception):
                    future.set_exception(exc)
                else:
                    future.cancel()
            self._waiting.clear()
            raise
        finally:
            self._running -= 1
        while self._waiting and self._waiting[0][0] <= self.now:
            _, _, future = heapq.heappop(self._waiting)
            self._running += 1
            future.set_result(None)
