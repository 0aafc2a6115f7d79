"""Ground truth: task inputs and their true labels, read from a TSV file or generated from a seed."""

import csv
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kvorum.simulate.errors import ConfigError


def task_key(input_values: Mapping[str, Any]) -> str:
    """What identifies a task across runs and servers: its input values (task ids differ per server)."""
    return json.dumps(input_values, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Item:
    input_values: dict[str, str]
    label: str


@dataclass(frozen=True)
class GroundTruth:
    """The classes (in their order) and the items; every item's label is one of the classes."""

    labels: tuple[str, ...]
    items: tuple[Item, ...]
    _by_key: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {task_key(item.input_values): item.label for item in self.items})
        if len(self._by_key) != len(self.items):
            raise ConfigError("truth: two items have the same input values")

    def label_of(self, input_values: Mapping[str, Any]) -> str | None:
        return self._by_key.get(task_key(input_values))

    @property
    def input_fields(self) -> tuple[str, ...]:
        return tuple(self.items[0].input_values) if self.items else ()


def generate(classes: int, tasks: int, seed: int) -> GroundTruth:
    """`tasks` items `{"text": "item-00001"}` with labels `class-1`...`class-K` drawn uniformly."""
    if not 2 <= classes <= 100:
        raise ConfigError("truth.classes: between 2 and 100 classes")
    if not 1 <= tasks <= 100_000:
        raise ConfigError("truth.tasks: between 1 and 100000 tasks")
    labels = tuple(f"class-{number}" for number in range(1, classes + 1))
    rng = random.Random(f"{seed}:truth")
    items = tuple(Item({"text": f"item-{number:05d}"}, rng.choice(labels)) for number in range(1, tasks + 1))
    return GroundTruth(labels, items)


def read_tsv(path: Path, label_column: str = "label") -> GroundTruth:
    """A TSV with a header row: `label_column` holds the true label, every other column is an input field.

    The classes are the distinct labels in the order they first appear.
    """
    try:
        with path.open(newline="", encoding="utf-8") as file:
            rows = list(csv.reader(file, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the ground truth ({exc})") from None
    if len(rows) < 2:
        raise ConfigError(f"{path}: needs a header row and at least one item")
    header, body = rows[0], rows[1:]
    if label_column not in header:
        raise ConfigError(f"{path}: no {label_column!r} column in the header {header}")
    if len(set(header)) != len(header) or len(header) < 2 or not all(header):
        raise ConfigError(f"{path}: the header needs distinct, non-empty names and an input column")
    at = header.index(label_column)
    items = []
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ConfigError(f"{path}:{line}: {len(row)} columns, the header has {len(header)}")
        if not row[at]:
            raise ConfigError(f"{path}:{line}: the label is empty")
        inputs = {
            name: value for number, (name, value) in enumerate(zip(header, row, strict=True)) if number != at
        }
        items.append(Item(inputs, row[at]))
    labels = tuple(dict.fromkeys(item.label for item in items))
    if len(labels) < 2:
        raise ConfigError(f"{path}: the labels need at least two classes")
    return GroundTruth(labels, tuple(items))
