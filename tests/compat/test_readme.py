"""The README's toloka-kit example runs as written against a live server."""

import re
from pathlib import Path

import pytest

from tests.support.live import LiveServer

pytestmark = pytest.mark.compat

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_example(live_server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert block is not None, "the README has no python example"
    code = block.group(1).replace("PASTE-THE-TOKEN", live_server.token)
    code = code.replace("http://127.0.0.1:8080", live_server.url)
    assert len(code.strip().splitlines()) == 5
    exec(compile(code, "README.md", "exec"), {})  # the example itself is what is tested
    assert "public_name='Demo'" in capsys.readouterr().out
