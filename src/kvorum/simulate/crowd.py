"""A crowd: how many workers of each behaviour, and the profiles drawn for them from a seed."""

import random
from dataclasses import dataclass, field

from kvorum.simulate.behaviours import BEHAVIOURS, Behaviour, Profile
from kvorum.simulate.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Group:
    """The workers of one behaviour: their share of the crowd and the ranges their traits come from."""

    behaviour: Behaviour
    share: float
    accuracy: tuple[float, float]
    seconds_per_task: tuple[float, float]
    skip_rate: float = 0.0
    abandon_rate: float = 0.0


DEFAULT_GROUPS: dict[Behaviour, Group] = {
    "honest": Group("honest", 0.0, (0.8, 0.95), (8.0, 20.0)),
    "mediocre": Group("mediocre", 0.0, (0.6, 0.75), (6.0, 15.0)),
    "random_spammer": Group("random_spammer", 0.0, (0.0, 0.0), (2.0, 6.0)),
    "constant_spammer": Group("constant_spammer", 0.0, (0.0, 0.0), (1.0, 4.0)),
    "adversarial": Group("adversarial", 0.0, (0.0, 0.1), (5.0, 12.0)),
    "fast_clicker": Group("fast_clicker", 0.0, (0.35, 0.55), (0.5, 2.0)),
    "abandoning": Group("abandoning", 0.0, (0.7, 0.9), (8.0, 20.0), skip_rate=0.3, abandon_rate=0.2),
}
"""Every behaviour's default traits; honest workers fill whatever share the others leave."""


@dataclass(frozen=True, slots=True)
class CrowdSpec:
    """`workers` simulated workers named `<prefix>-0001`...; `groups` by behaviour, honest included."""

    workers: int = 20
    groups: dict[Behaviour, Group] = field(default_factory=lambda: dict(DEFAULT_GROUPS))
    prefix: str = "sim"

    def group(self, kind: Behaviour) -> Group:
        return self.groups.get(kind, DEFAULT_GROUPS[kind])

    def __post_init__(self) -> None:
        others = sum(group.share for kind, group in self.groups.items() if kind != "honest")
        if self.workers < 1:
            raise ConfigError("crowd.workers: a crowd needs at least one worker")
        if others > 1 + 1e-9:
            raise ConfigError(f"crowd: the shares add up to {others:g}, more than the whole crowd")

    def counts(self) -> dict[Behaviour, int]:
        """Workers per behaviour, summing to `workers`: honest ones fill what the others' shares leave
        (largest remainders, ties in behaviour order)."""
        exact: dict[Behaviour, float] = {
            b: self.group(b).share * self.workers for b in BEHAVIOURS if b != "honest"
        }
        exact["honest"] = max(0.0, self.workers - sum(exact.values()))
        counts: dict[Behaviour, int] = {behaviour: int(value) for behaviour, value in exact.items()}
        short = self.workers - sum(counts.values())
        by_remainder = sorted(BEHAVIOURS, key=lambda b: (-(exact[b] - counts[b]), BEHAVIOURS.index(b)))
        for behaviour in by_remainder[:short]:
            counts[behaviour] += 1
        return counts


def profiles(spec: CrowdSpec, labels: tuple[str, ...], seed: int) -> list[Profile]:
    """The crowd's workers, in a seeded order, each with traits from its own seeded generator."""
    kinds = [behaviour for behaviour, count in spec.counts().items() for _ in range(count)]
    random.Random(f"{seed}:crowd").shuffle(kinds)
    return [_profile(spec, index, kind, labels, seed) for index, kind in enumerate(kinds)]


def _profile(spec: CrowdSpec, index: int, kind: Behaviour, labels: tuple[str, ...], seed: int) -> Profile:
    group = spec.group(kind)
    rng = worker_rng(seed, index)
    return Profile(
        index=index,
        name=f"{spec.prefix}-{index + 1:04d}",
        behaviour=kind,
        accuracy=rng.uniform(*group.accuracy),
        bias=rng.choice(labels),
        seconds_per_task=rng.uniform(*group.seconds_per_task),
        skip_rate=group.skip_rate,
        abandon_rate=group.abandon_rate,
    )


def worker_rng(seed: int, index: int) -> random.Random:
    """The generator of one worker's traits."""
    return random.Random(f"{seed}:worker:{index}")


def choices_rng(seed: int, index: int) -> random.Random:
    """The generator of one worker's choices (answer, skip or walk away), in the order it makes them."""
    return random.Random(f"{seed}:choices:{index}")


def answer_rng(seed: int, profile: Profile, task_key: str) -> random.Random:
    """The generator of one worker's answer to one task: the same worker gives the same task the same
    answer in every run with this seed, whichever order the server hands out the tasks in, so two
    pool configurations can be compared on one crowd."""
    return random.Random(f"{seed}:answer:{profile.index}:{task_key}")
