"""How each kind of simulated worker answers a task, skips it, or walks away from it."""

import random
from dataclasses import dataclass
from typing import Literal, get_args

Behaviour = Literal[
    "honest",
    "mediocre",
    "random_spammer",
    "constant_spammer",
    "adversarial",
    "fast_clicker",
    "abandoning",
]
BEHAVIOURS: tuple[Behaviour, ...] = get_args(Behaviour)

Decision = Literal["answer", "skip", "abandon"]

BIAS_WEIGHT = 0.7
"""A wrong answer is the worker's favourite wrong label this often; otherwise any wrong label."""


@dataclass(frozen=True, slots=True)
class Profile:
    """One simulated worker: what it is like, drawn once from the crowd's seed."""

    index: int
    name: str
    behaviour: Behaviour
    accuracy: float
    """How often an answer is the true label (the spammers ignore it: their accuracy follows from K)."""
    bias: str
    """The label this worker prefers when wrong (a constant spammer's only answer)."""
    seconds_per_task: float
    skip_rate: float = 0.0
    abandon_rate: float = 0.0


def decide(profile: Profile, rng: random.Random) -> Decision:
    """Whether the worker answers the suite it was given, skips it, or leaves it to expire."""
    draw = rng.random()
    if draw < profile.abandon_rate:
        return "abandon"
    if draw < profile.abandon_rate + profile.skip_rate:
        return "skip"
    return "answer"


def answer(profile: Profile, labels: tuple[str, ...], truth: str | None, rng: random.Random) -> str:
    """The label the worker gives a task whose true label is `truth` (None: not known to the crowd)."""
    if profile.behaviour == "constant_spammer":
        return profile.bias
    if profile.behaviour == "random_spammer" or truth is None:
        return rng.choice(labels)
    if rng.random() < profile.accuracy:
        return truth
    return _wrong(profile, labels, truth, rng)


def _wrong(profile: Profile, labels: tuple[str, ...], truth: str, rng: random.Random) -> str:
    others = [label for label in labels if label != truth]
    if not others:
        return truth
    if profile.bias != truth and rng.random() < BIAS_WEIGHT:
        return profile.bias
    return rng.choice(others)
