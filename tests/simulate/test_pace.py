"""Simulated time: on a time-travel server the crowd moves the clock once everyone waits; elsewhere it
sleeps, never past the run's deadline."""

import asyncio
import time
from typing import Any

import pytest

from kvorum.simulate.pace import RealPace, ServerClock


class RecordingServer:
    """Stands in for the server's advance-clock call and remembers every move."""

    def __init__(self) -> None:
        self.moves: list[float] = []

    async def advance(self, seconds: float) -> None:
        self.moves.append(seconds)


def test_the_clock_moves_to_each_wake_up_once_every_worker_waits() -> None:
    server = RecordingServer()
    clock = ServerClock(server, tick=1.0)  # type: ignore[arg-type]
    woke: list[tuple[str, float]] = []

    async def worker(name: str, waits: list[float]) -> None:
        for seconds in waits:
            await clock.spend(seconds)
            woke.append((name, clock.now))
        await clock.leave()

    async def crowd() -> None:
        plans = {"fast": [1.0, 1.0, 1.0], "slow": [2.5], "idle": []}
        for _ in plans:
            clock.enter()
        await asyncio.gather(*(worker(name, waits) for name, waits in plans.items()))

    asyncio.run(crowd())
    assert woke == [("fast", 1.0), ("fast", 2.0), ("fast", 3.0), ("slow", 3.0)]
    assert server.moves == [1.0, 1.0, 1.0]
    assert clock.now == 3.0


def test_a_failed_clock_move_reaches_every_waiting_worker() -> None:
    class Failing(RecordingServer):
        async def advance(self, seconds: float) -> None:
            raise RuntimeError("server gone")

    clock = ServerClock(Failing())  # type: ignore[arg-type]
    outcomes: list[Any] = []

    async def worker(seconds: float) -> None:
        try:
            await clock.spend(seconds)
        except RuntimeError as exc:
            outcomes.append(str(exc))
        finally:
            await clock.leave()

    async def crowd() -> None:
        clock.enter()
        clock.enter()
        await asyncio.gather(worker(5), worker(9))

    asyncio.run(crowd())
    assert outcomes == ["server gone", "server gone"]


def test_real_time_sleeps_are_scaled_and_cut_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    soon = RealPace(scale=0.01, deadline=time.monotonic() + 3_600)
    asyncio.run(soon.spend(50))
    past = RealPace(scale=1.0, deadline=time.monotonic() - 1)
    asyncio.run(past.spend(50))
    assert slept == [pytest.approx(0.5), 0.0]
