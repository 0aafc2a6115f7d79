"""The simulator talks to the server it was pointed at and to no other host."""

import asyncio
import re

import pytest

from kvorum.simulate import ConfigError, ServerError
from kvorum.simulate.server import DEFAULT_URL, Server, checked_url


def test_only_127_0_0_1_unless_a_url_is_named() -> None:
    assert checked_url(DEFAULT_URL, explicit=False) == DEFAULT_URL
    assert checked_url("http://kvorum.internal:8080/", explicit=True) == "http://kvorum.internal:8080"
    with pytest.raises(ConfigError, match=re.escape("targets 127.0.0.1 unless")):
        checked_url("http://kvorum.internal:8080", explicit=False)
    with pytest.raises(ConfigError, match="not an http"):
        checked_url("file:///etc/passwd", explicit=True)


@pytest.mark.parametrize("elsewhere", ["http://10.0.0.1:8080/api/v1/projects", "http://127.0.0.1:9999/x"])
def test_a_request_to_any_other_origin_is_refused_before_it_is_sent(elsewhere: str) -> None:
    async def attempt() -> None:
        server = Server("http://127.0.0.1:8080")
        try:
            await server.http.get(elsewhere)
        finally:
            await server.aclose()

    with pytest.raises(ServerError, match=re.escape("the run targets http://127.0.0.1:8080 only")):
        asyncio.run(attempt())


def test_an_unreachable_server_is_a_clear_error() -> None:
    async def attempt() -> bool:
        server = Server("http://127.0.0.1:9")
        try:
            return await server.time_travel()
        finally:
            await server.aclose()

    with pytest.raises(ServerError, match=re.escape("POST http://127.0.0.1:9/api/testing/advance-clock")):
        asyncio.run(attempt())
