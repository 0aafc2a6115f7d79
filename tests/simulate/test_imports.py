"""The simulator is a client of the public API: none of its modules imports the server's layers."""

import ast
from pathlib import Path

import kvorum.simulate

SERVER_SIDE = ("kvorum.services", "kvorum.store", "kvorum.api", "kvorum.app", "kvorum.jobs", "kvorum.cli")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_simulate_module_imports_the_server() -> None:
    package = Path(kvorum.simulate.__file__).parent
    modules = sorted(package.rglob("*.py"))
    assert len(modules) >= 5
    offending = {
        f"{module.name}: {name}"
        for module in modules
        for name in imported_modules(module)
        if name.startswith(SERVER_SIDE) or name in ("kvorum", "toloka") or name.startswith("toloka.")
    }
    assert offending == set()


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from kvorum.store import db\nimport kvorum.services.context\n")
    assert {"kvorum.store", "kvorum.services.context"} <= imported_modules(sample)
