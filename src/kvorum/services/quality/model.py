"""Quality-control rules as the engine reads them: a collector (named by its uuid) and its rules.

Configs are stored as the requester sent them, with a uuid given to every collector that came
without one (`with_uuids`), so that a collector's statistics follow its uuid: kept while a pool is
edited with the same uuid, fresh for a new one, shared by the pools cloned from one another.
"""

import operator
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kvorum.services.quality.rules import numeric

Source = Literal["POOL", "PROJECT"]

Values = Mapping[str, Any]
"""A collector's condition keys and their values for one worker (or task suite), at one event."""

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "EQ": operator.eq,
    "NE": operator.ne,
    "GT": operator.gt,
    "GTE": operator.ge,
    "LT": operator.lt,
    "LTE": operator.le,
}


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    operator: str
    value: Any

    def holds(self, values: Values) -> bool:
        """Whether the collector's value of the key satisfies the condition; a key the collector
        has no value for (a rate before any answer) satisfies none."""
        if self.key not in values:
            return False
        actual, wanted = values[self.key], self.value
        if isinstance(actual, bool | str):
            return _COMPARE[self.operator](str(actual).lower(), str(wanted).lower())
        number = numeric(wanted)
        return number is not None and _COMPARE[self.operator](actual, number)

    def wire(self) -> dict[str, Any]:
        return {"key": self.key, "operator": self.operator, "value": self.value}


@dataclass(frozen=True, slots=True)
class Rule:
    index: int
    """The rule's place among its collector's rules."""
    conditions: tuple[Condition, ...]
    action: str
    parameters: Mapping[str, Any]

    def fires(self, values: Values) -> bool:
        return all(condition.holds(values) for condition in self.conditions)

    def describe(self) -> str:
        return " and ".join(f"{c.key} {c.operator} {c.value}" for c in self.conditions)


@dataclass(frozen=True, slots=True)
class Collector:
    source: Source
    type: str
    uuid: str
    parameters: Mapping[str, Any]
    rules: tuple[Rule, ...]

    @property
    def history(self) -> int | None:
        """history_size: how many of the latest observations count; None: all."""
        size = self.parameters.get("history_size")
        return None if size is None else int(size)


def parse(configs: Sequence[Mapping[str, Any]], source: Source, holder: int) -> tuple[Collector, ...]:
    """Stored configs as collectors of the pool or project `holder`; a config stored before
    collectors were given uuids is named by its place."""
    collectors = []
    for index, config in enumerate(configs):
        collector = config["collector_config"]
        rules = tuple(
            Rule(
                rule_index,
                tuple(Condition(c["key"], c["operator"], c["value"]) for c in rule["conditions"]),
                rule["action"]["type"],
                rule["action"].get("parameters") or {},
            )
            for rule_index, rule in enumerate(config["rules"])
        )
        marker = collector.get("uuid") or f"{source}-{holder}-{index}"
        collectors.append(
            Collector(source, collector["type"], str(marker), collector.get("parameters") or {}, rules)
        )
    return tuple(collectors)


def with_uuids(quality_control: dict[str, Any] | None) -> dict[str, Any] | None:
    """The quality_control object to store: every collector without a uuid gets a new one."""
    if not quality_control or not quality_control.get("configs"):
        return quality_control
    configs = [
        {
            **config,
            "collector_config": {
                **config["collector_config"],
                "uuid": config["collector_config"].get("uuid") or str(uuid.uuid4()),
            },
        }
        for config in quality_control["configs"]
    ]
    return {**quality_control, "configs": configs}
