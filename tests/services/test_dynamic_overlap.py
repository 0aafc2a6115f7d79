"""The decision of dynamic overlap on fixed answer sequences: done, or one more answer."""

import math

import pytest

from kvorum.services.aggregation import possible_labels
from kvorum.services.pools.settings import DynamicOverlap
from kvorum.services.tasks.dynamic_overlap import TaskAnswers, decide, label_of

CONFIG = DynamicOverlap(max_overlap=3, min_confidence=0.9, answer_weight_skill_id=1, fields=("result",))
CAT, DOG = label_of({"result": "cat"}, ("result",)), label_of({"result": "dog"}, ("result",))
K = 3
SKILLS = {1: 95.0, 2: 80.0, 3: 80.0, 4: 80.0}
"""Worker 1 answers right 95% of the time; the others 80%."""


def verdict(
    answers: list[tuple[int, str | None]], overlap: int | None = None, **changes: object
) -> tuple[float, bool]:
    """The confidence and the growth decided for one task whose slots are all answered."""
    state = {
        "overlap": overlap or len(answers),
        "resolved": len(answers),
        "rejected": 0,
        "answers": answers,
        "priors": [],
    }
    state.update(changes)
    (found,) = decide(CONFIG, [TaskAnswers(**state)], SKILLS, K)  # type: ignore[arg-type]
    return found.confidence, found.grow


def test_one_confident_answer_is_done_at_overlap_one() -> None:
    confidence, grow = verdict([(1, CAT)])
    assert confidence == pytest.approx(0.95)  # one answer of accuracy q among K=3 labels: q
    assert not grow


def test_one_less_accurate_answer_asks_for_another_and_agreement_finishes() -> None:
    assert verdict([(2, CAT)]) == (pytest.approx(0.8), True)
    assert verdict([(2, CAT), (3, CAT)]) == (pytest.approx(64 / 66), False)  # e = ln 8 each: 8^2 / (8^2 + 2)


def test_disagreement_grows_until_max_overlap() -> None:
    assert verdict([(2, CAT), (3, DOG)]) == (pytest.approx(8 / 17), True)
    confidence, grow = verdict([(2, CAT), (3, DOG), (4, CAT)])
    assert confidence == pytest.approx(64 / 73) and confidence < CONFIG.min_confidence
    assert not grow  # overlap 3 is max_overlap


def test_the_more_skilled_worker_weighs_more() -> None:
    confidence, grow = verdict([(1, CAT), (2, DOG)])
    assert confidence == pytest.approx(38 / (38 + 8 + 1))  # e(0.95) = ln 38 beats e(0.8) = ln 8
    assert grow


def test_a_worker_without_the_skill_counts_as_a_coin() -> None:
    confidence, grow = verdict([(99, CAT)])
    assert confidence == pytest.approx(0.5)  # q = 0.5: e = ln 2; 2 / (2 + 2)
    assert grow


def test_baseline_solutions_are_prior_answers() -> None:
    prior = math.log(0.99 * 2 / 0.01)
    confidence, grow = verdict([(2, CAT)], priors=[(CAT, 0.5)])
    expected = math.exp(prior / 2) * 8
    assert confidence == pytest.approx(expected / (expected + 2))
    assert not grow
    assert verdict([(2, CAT)], priors=[(CAT, 0.0)])[1]  # weight 0: no evidence


def test_pending_slots_are_waited_for() -> None:
    confidence, grow = verdict([(2, CAT)], overlap=2, resolved=1)
    assert confidence == pytest.approx(0.8) and not grow  # the second worker has not answered yet


def test_a_rejected_answer_no_longer_counts_and_its_slot_is_given_again() -> None:
    confidence, grow = verdict([], overlap=1, resolved=1, rejected=1)
    assert math.isnan(confidence) and grow
    assert verdict([(1, CAT)], overlap=2, resolved=2, rejected=1) == (pytest.approx(0.95), False)


def test_an_answer_without_the_fields_does_not_count() -> None:
    assert verdict([(1, CAT)], overlap=2, resolved=2) == (pytest.approx(0.95), True)


def test_tasks_are_decided_together_each_on_its_own_answers() -> None:
    tasks = [
        TaskAnswers(1, 1, 0, [(1, CAT)], []),
        TaskAnswers(2, 2, 0, [(2, CAT), (3, DOG)], []),
        TaskAnswers(1, 1, 0, [(2, DOG)], [(DOG, 1.0)]),
    ]
    assert [found.grow for found in decide(CONFIG, tasks, SKILLS, K)] == [False, True, False]


def test_labels_and_their_number() -> None:
    fields = ("result", "sure")
    assert label_of({"result": "cat", "sure": True}, fields) == '["cat",true]'
    assert label_of({"result": "cat"}, fields) is None
    spec = {
        "result": {"type": "string", "allowed_values": ["cat", "dog", "other"]},
        "sure": {"type": "boolean"},
    }
    assert possible_labels(spec, fields) == 6
    assert possible_labels({**spec, "result": {"type": "string"}}, fields) is None
