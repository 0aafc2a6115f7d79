"""The demo is a client of the public API, as the simulator is: none of its modules imports the
server's layers (the command in cli.py starts the server and makes the accounts)."""

from pathlib import Path

import kvorum.demo
from tests.simulate.test_imports import SERVER_SIDE, imported_modules


def test_no_demo_module_imports_the_server() -> None:
    modules = sorted(Path(kvorum.demo.__file__).parent.rglob("*.py"))
    assert len(modules) >= 6
    offending = {
        f"{module.name}: {name}"
        for module in modules
        for name in imported_modules(module)
        if name.startswith(SERVER_SIDE) or name.startswith("toloka")
    }
    assert offending == set()
