"""The simulated workers' behaviours, measured over many answers: each is what its profile says."""

import random
from collections import Counter
from dataclasses import replace

import pytest

from kvorum.simulate import CrowdSpec, profiles
from kvorum.simulate.behaviours import BEHAVIOURS, Profile, answer, decide
from kvorum.simulate.crowd import DEFAULT_GROUPS, answer_rng, choices_rng
from kvorum.simulate.truth import generate

LABELS = ("a", "b", "c", "d")
K = len(LABELS)
N = 4_000
TOLERANCE = 0.035
"""About four standard deviations of a share measured over 1,000 answers (sqrt(0.25 / 1000) = 0.016)."""


def profile(behaviour: str, **changes: object) -> Profile:
    base = Profile(index=0, name="w", behaviour="honest", accuracy=0.9, bias="b", seconds_per_task=1.0)
    return replace(base, behaviour=behaviour, **changes)


def accuracy_of(worker: Profile, answers: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    truths = [rng.choice(LABELS) for _ in range(answers)]
    return sum(answer(worker, LABELS, truth, rng) == truth for truth in truths) / answers


def test_a_random_spammers_accuracy_is_one_in_k_whatever_its_accuracy_says() -> None:
    assert accuracy_of(profile("random_spammer", accuracy=0.99), N) == pytest.approx(1 / K, abs=TOLERANCE)


def test_a_random_spammer_gives_every_label_about_as_often() -> None:
    rng = random.Random(3)
    counts = Counter(answer(profile("random_spammer"), LABELS, "a", rng) for _ in range(N))
    assert set(counts) == set(LABELS)
    assert all(count / N == pytest.approx(1 / K, abs=TOLERANCE) for count in counts.values())


def test_every_honest_worker_of_a_crowd_answers_within_its_range_over_1000_answers() -> None:
    crowd = profiles(CrowdSpec(workers=30), LABELS, seed=5)
    low, high = DEFAULT_GROUPS["honest"].accuracy
    honest = [worker for worker in crowd if worker.behaviour == "honest"]
    assert len(honest) == 30
    for worker in honest:
        assert low <= worker.accuracy <= high
        measured = accuracy_of(worker, 1_000, seed=worker.index)
        assert low - TOLERANCE <= measured <= high + TOLERANCE
        assert measured == pytest.approx(worker.accuracy, abs=0.05)


def test_a_constant_spammer_always_gives_its_one_label() -> None:
    rng = random.Random(4)
    given = {answer(profile("constant_spammer", bias="c"), LABELS, truth, rng) for truth in LABELS * 250}
    assert given == {"c"}


def test_an_adversarial_worker_is_right_less_often_than_chance() -> None:
    high = DEFAULT_GROUPS["adversarial"].accuracy[1]
    measured = accuracy_of(profile("adversarial", accuracy=high), N)
    assert measured < 1 / K - TOLERANCE
    assert measured == pytest.approx(high, abs=TOLERANCE)


def test_a_wrong_answer_is_mostly_the_workers_favourite_wrong_label() -> None:
    rng = random.Random(6)
    worker = profile("mediocre", accuracy=0.0, bias="d")
    counts = Counter(answer(worker, LABELS, "a", rng) for _ in range(N))
    assert counts["a"] == 0
    assert counts["d"] / N == pytest.approx(0.7 + 0.3 / 3, abs=TOLERANCE)


def test_an_abandoning_worker_skips_and_walks_away_at_its_rates() -> None:
    worker = profile("abandoning", skip_rate=0.3, abandon_rate=0.2)
    rng = random.Random(7)
    decisions = Counter(decide(worker, rng) for _ in range(N))
    assert decisions["skip"] / N == pytest.approx(0.3, abs=TOLERANCE)
    assert decisions["abandon"] / N == pytest.approx(0.2, abs=TOLERANCE)
    assert {decide(profile("honest"), rng) for _ in range(1_000)} == {"answer"}


def test_the_crowd_has_the_shares_asked_for_and_honest_workers_fill_the_rest() -> None:
    groups = dict(DEFAULT_GROUPS)
    groups["random_spammer"] = replace(groups["random_spammer"], share=0.15)
    groups["mediocre"] = replace(groups["mediocre"], share=0.25)
    crowd = profiles(CrowdSpec(workers=200, groups=groups), LABELS, seed=1)
    counts = Counter(worker.behaviour for worker in crowd)
    assert counts == {"random_spammer": 30, "mediocre": 50, "honest": 120}
    assert len({worker.name for worker in crowd}) == 200
    assert crowd[0].name == "sim-0001"


def test_rounded_shares_still_add_up_to_the_crowd() -> None:
    groups = {kind: replace(DEFAULT_GROUPS[kind], share=1 / 7) for kind in BEHAVIOURS}
    assert sum(CrowdSpec(workers=10, groups=groups).counts().values()) == 10


def test_a_seed_gives_the_same_crowd_and_the_same_choices_every_time() -> None:
    groups = {kind: replace(DEFAULT_GROUPS[kind], share=0.1) for kind in BEHAVIOURS}
    spec = CrowdSpec(workers=50, groups=groups)
    first, again, other = (profiles(spec, LABELS, seed) for seed in (11, 11, 12))
    assert first == again
    assert first != other
    truth = generate(4, 50, seed=11)
    for worker in first:
        rngs = (choices_rng(11, worker.index), choices_rng(11, worker.index))
        assert [decide(worker, rngs[0]) for _ in range(20)] == [decide(worker, rngs[1]) for _ in range(20)]
        given = [
            [
                answer(worker, LABELS, "a", answer_rng(11, worker, item.input_values["text"]))
                for item in truth.items
            ]
            for _ in range(2)
        ]
        assert given[0] == given[1]
