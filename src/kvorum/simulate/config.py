"""The crowd file (TOML): the crowd, the ground truth and the run's bounds, checked key by key.

Every problem is a ConfigError naming the key (`crowd.mediocre.accuracy: ...`), never a traceback.
The format is documented in README.md (`kvorum simulate`).
"""

import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from kvorum.simulate.behaviours import BEHAVIOURS, Behaviour
from kvorum.simulate.classification import Setup
from kvorum.simulate.crowd import DEFAULT_GROUPS, CrowdSpec, Group
from kvorum.simulate.errors import ConfigError
from kvorum.simulate.run import Simulation
from kvorum.simulate.truth import GroundTruth, generate, read_tsv


@dataclass(frozen=True, slots=True)
class TruthSource:
    """A TSV file of inputs and labels, or `tasks` items of `classes` classes generated from the seed."""

    tsv: Path | None = None
    label_column: str = "label"
    classes: int = 4
    tasks: int = 100

    def load(self, seed: int) -> GroundTruth:
        if self.tsv is not None:
            return read_tsv(self.tsv, self.label_column)
        return generate(self.classes, self.tasks, seed)


@dataclass(frozen=True, slots=True)
class Config:
    simulation: Simulation
    truth: TruthSource


SETUP, SIMULATION, TRUTH, CROWD = Setup(), Simulation(), TruthSource(), CrowdSpec()
"""Where the defaults of every key come from."""

TOP_KEYS = {"seed", "crowd", "truth", "run"}
GROUP_KEYS = {"share", "accuracy", "seconds_per_task", "skip_rate", "abandon_rate"}
TRUTH_KEYS = {"tsv", "label_column", "classes", "tasks"}
RUN_KEYS = {
    "max_assignments",
    "max_seconds",
    "time_scale",
    "pools",
    "overlap",
    "tasks_per_suite",
    "reward",
    "assignment_max_duration_seconds",
    "output",
}


def read(path: Path) -> dict[str, Any]:
    """A crowd file's tables, a relative `truth.tsv` made relative to the file's folder."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    truth = document.get("truth")
    if isinstance(truth, dict) and isinstance(truth.get("tsv"), str) and truth["tsv"]:
        truth["tsv"] = str(path.parent / truth["tsv"])
    return document


def merged(document: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The document with the overrides' keys (flags, shaped like the file) put in, table by table."""
    result = dict(document)
    for key, value in overrides.items():
        inner = result.get(key)
        if isinstance(value, dict) and isinstance(inner, dict):
            result[key] = merged(inner, value)
        else:
            result[key] = value
    return result


def parse(document: dict[str, Any]) -> Config:
    """Check a crowd document (a file read with `read`, flags merged in) and build the run from it."""
    _known(document, TOP_KEYS, "")
    seed = _integer(document, "seed", "", 0, 2**63, 1)
    crowd = _crowd(_table(document, "crowd", ""))
    truth = _truth(_table(document, "truth", ""))
    run = _table(document, "run", "")
    _known(run, RUN_KEYS, "run.")
    setup = Setup(
        overlap=_integer(run, "overlap", "run.", 1, 30_000, SETUP.overlap),
        tasks_per_suite=_integer(run, "tasks_per_suite", "run.", 1, 10_000, SETUP.tasks_per_suite),
        reward=Decimal(str(_number(run, "reward", "run.", 0.005, 1000, float(SETUP.reward)))),
        assignment_max_duration_seconds=_integer(
            run, "assignment_max_duration_seconds", "run.", 1, 604_800, SETUP.assignment_max_duration_seconds
        ),
        output=_text(run, "output", "run.", SETUP.output),
    )
    pools = run.get("pools", [])
    if not isinstance(pools, list) or not all(isinstance(pool, str) and pool for pool in pools):
        raise ConfigError("run.pools: a list of pool ids (strings)")
    simulation = Simulation(
        crowd=crowd,
        seed=seed,
        pools=tuple(pools),
        setup=setup,
        max_assignments=_integer(run, "max_assignments", "run.", 1, 10_000_000, SIMULATION.max_assignments),
        max_seconds=_number(run, "max_seconds", "run.", 0.001, 86_400, SIMULATION.max_seconds),
        time_scale=_number(run, "time_scale", "run.", 0, 10, SIMULATION.time_scale),
    )
    return Config(simulation, truth)


def _crowd(table: dict[str, Any]) -> CrowdSpec:
    _known(table, {"workers", "prefix", *BEHAVIOURS}, "crowd.")
    groups = dict(DEFAULT_GROUPS)
    for kind in BEHAVIOURS:
        if kind in table:
            groups[kind] = _group(kind, _table(table, kind, "crowd."))
    prefix = _text(table, "prefix", "crowd.", CROWD.prefix)
    return CrowdSpec(
        workers=_integer(table, "workers", "crowd.", 1, 100_000, 20), groups=groups, prefix=prefix
    )


def _group(kind: Behaviour, table: dict[str, Any]) -> Group:
    where = f"crowd.{kind}."
    _known(table, GROUP_KEYS, where)
    default = DEFAULT_GROUPS[kind]
    if kind == "honest" and "share" in table:
        raise ConfigError(f"{where}share: honest workers are the rest of the crowd; give the others' shares")
    return replace(
        default,
        share=_number(table, "share", where, 0, 1, default.share),
        accuracy=_range(table, "accuracy", where, 0, 1, default.accuracy),
        seconds_per_task=_range(table, "seconds_per_task", where, 0, 86_400, default.seconds_per_task),
        skip_rate=_number(table, "skip_rate", where, 0, 1, default.skip_rate),
        abandon_rate=_number(table, "abandon_rate", where, 0, 1, default.abandon_rate),
    )


def _truth(table: dict[str, Any]) -> TruthSource:
    _known(table, TRUTH_KEYS, "truth.")
    tsv = table.get("tsv")
    if tsv is not None and (not isinstance(tsv, str) or not tsv):
        raise ConfigError("truth.tsv: a file name")
    if tsv is not None and {"classes", "tasks"} & table.keys():
        raise ConfigError("truth: give either tsv or classes and tasks, not both")
    return TruthSource(
        tsv=None if tsv is None else Path(tsv),
        label_column=_text(table, "label_column", "truth.", "label"),
        classes=_integer(table, "classes", "truth.", 2, 100, TRUTH.classes),
        tasks=_integer(table, "tasks", "truth.", 1, 100_000, TRUTH.tasks),
    )


def _known(table: dict[str, Any], keys: set[str], where: str) -> None:
    unknown = sorted(table.keys() - keys)
    if unknown:
        raise ConfigError(f"{where}{unknown[0]}: unknown key (expected one of {', '.join(sorted(keys))})")


def _table(table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}{key}: expected a table ([{where}{key}])")
    return value


def _number(table: dict[str, Any], key: str, where: str, low: float, high: float, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{where}{key}: expected a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _integer(table: dict[str, Any], key: str, where: str, low: int, high: int, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where}{key}: expected a whole number from {low} to {high}, got {value!r}")
    return value


def _text(table: dict[str, Any], key: str, where: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}{key}: expected a non-empty string, got {value!r}")
    return value.strip()


def _range(
    table: dict[str, Any], key: str, where: str, low: float, high: float, default: tuple[float, float]
) -> tuple[float, float]:
    value = table.get(key, list(default))
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = [value, value]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(bound, int | float) and not isinstance(bound, bool) for bound in value)
        or not low <= value[0] <= value[1] <= high
    ):
        raise ConfigError(
            f"{where}{key}: expected [low, high] with {low:g} <= low <= high <= {high:g}, got {value!r}"
        )
    return (float(value[0]), float(value[1]))
