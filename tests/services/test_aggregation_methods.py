"""kvorum's own aggregation methods on hand-computed cases: the formulas of docs/api.md."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvorum.services.aggregation import (
    Answers,
    Golden,
    Labels,
    Priors,
    aggregate,
    canonical_label,
    dawid_skene,
    index_answers,
)
from kvorum.services.errors import ValidationFailed

WDO = "WEIGHTED_DYNAMIC_OVERLAP"


def run(
    method: str,
    rows: list[tuple[str, str, str]],
    priors: list[tuple[str, str, float]] = (),  # type: ignore[assignment]
    accuracy: dict[str, float] | None = None,
    possible: int | None = None,
) -> dict[str, tuple[str | None, float]]:
    indexed = index_answers(rows, priors)
    worker_accuracy = (
        None if accuracy is None else np.array([accuracy.get(str(w), np.nan) for w in indexed.worker_keys])
    )
    k = None if possible is None else np.full(indexed.answers.n_tasks, possible, np.int64)
    result = aggregate(
        method, indexed.answers, priors=indexed.priors, worker_accuracy=worker_accuracy, possible_labels=k
    )
    return {
        str(task): (indexed.labels[label] if label >= 0 else None, float(confidence))
        for task, label, confidence in zip(indexed.task_keys, result.label, result.confidence, strict=True)
    }


def test_index_answers_orders_labels_by_canonical_string_and_keeps_unanswered_tasks() -> None:
    indexed = index_answers(
        [("t2", "w1", '["b"]'), ("t1", "w2", '["a"]')], [("t3", '["c"]', 0.5)], tasks=["t0"]
    )
    assert indexed.labels == ['["a"]', '["b"]', '["c"]']
    assert indexed.task_keys == ["t0", "t2", "t1", "t3"]
    assert indexed.answers.label.tolist() == [1, 0]
    assert indexed.answers.task.tolist() == [1, 2]
    assert indexed.priors.label.tolist() == [2]
    assert indexed.answers.n_tasks == 4
    assert canonical_label([{"b": 1, "a": "é"}, True]) == '[{"a":"é","b":1},true]'


def test_wdo_agreeing_answers_multiply_odds() -> None:
    result = run(WDO, [("t", "w1", "a"), ("t", "w2", "a")], accuracy={"w1": 0.9, "w2": 0.8})
    assert result["t"] == ("a", pytest.approx(36 / 37))


def test_wdo_disagreement_goes_to_the_more_accurate_worker() -> None:
    result = run(WDO, [("t", "w1", "a"), ("t", "w2", "b")], accuracy={"w1": 0.8, "w2": 0.9})
    assert result["t"] == ("b", pytest.approx(9 / 13))


def test_wdo_k_from_the_spec_counts_unseen_labels() -> None:
    rows = [("t", "w1", "a"), ("t", "w2", "a")]
    observed = run(WDO, rows, accuracy={"w1": 0.9, "w2": 0.9})
    spec = run(WDO, rows, accuracy={"w1": 0.9, "w2": 0.9}, possible=3)
    assert observed["t"] == ("a", pytest.approx(81 / 82))
    assert spec["t"] == ("a", pytest.approx(324 / 326))


def test_wdo_worker_without_skill_counts_as_a_coin() -> None:
    result = run(WDO, [("t", "w1", "a"), ("t", "w2", "b")], accuracy={"w2": 0.8})
    assert result["t"] == ("b", pytest.approx(4 / 5))
    assert run(WDO, [("t", "w1", "a")])["t"] == ("a", pytest.approx(0.5))


def test_wdo_skill_is_clipped() -> None:
    sure = run(WDO, [("t", "w1", "a")], accuracy={"w1": 1.0})
    wrong = run(WDO, [("t", "w1", "a"), ("t", "w2", "b")], accuracy={"w1": 0.0, "w2": 0.5})
    assert sure["t"] == ("a", pytest.approx(0.99))
    assert wrong["t"] == ("b", pytest.approx(1 / (1 + 0.01 / 0.99)))


def test_wdo_baseline_solution_is_a_weighted_sure_answer() -> None:
    result = run(WDO, [("t", "w1", "b")], [("t", "a", 0.5), ("p", "a", 1.0)], accuracy={"w1": 0.8})
    assert result["t"] == ("a", pytest.approx(math.sqrt(99) / (math.sqrt(99) + 4)))
    assert result["p"] == ("a", pytest.approx(0.99))


def test_wdo_tie_goes_to_the_smallest_label() -> None:
    result = run(WDO, [("t", "w1", "b"), ("t", "w2", "a")], accuracy={"w1": 0.7, "w2": 0.7})
    assert result["t"] == ("a", pytest.approx(0.5))


def test_task_without_evidence_has_no_label() -> None:
    indexed = index_answers([("t1", "w", "a")], tasks=["t0"])
    for method in ("WEIGHTED_DYNAMIC_OVERLAP", "DAWID_SKENE", "MAJORITY_VOTE"):
        result = aggregate(method, indexed.answers)
        assert result.label.tolist() == [-1, 0]
        assert math.isnan(result.confidence[0])


def test_majority_vote_shares_and_weighted_baselines() -> None:
    rows = [("t", "w1", "a"), ("t", "w2", "b"), ("t", "w3", "b"), ("u", "w1", "c"), ("u", "w2", "a")]
    result = run("MAJORITY_VOTE", rows, [("u", "c", 0.5), ("v", "a", 0.0)])
    assert result["t"] == ("b", pytest.approx(2 / 3))
    assert result["u"] == ("c", pytest.approx(1.5 / 2.5))
    assert result["v"][0] is None


def test_dawid_skene_prior_only_task_takes_its_baseline() -> None:
    rows = [("t", "w1", "a"), ("t", "w2", "a"), ("u", "w1", "b"), ("u", "w2", "b")]
    result = run("DAWID_SKENE", rows, [("p", "c", 1.0)])
    assert result["t"][0] == "a"
    assert result["u"][0] == "b"
    assert result["p"] == ("c", pytest.approx(0.99))


def test_dawid_skene_baseline_solution_breaks_a_split() -> None:
    rows = [("t", "w1", "a"), ("t", "w2", "b"), ("u", "w1", "a"), ("u", "w2", "a")]
    assert run("DAWID_SKENE", rows)["t"][0] == "a"
    with_prior = run("DAWID_SKENE", rows, [("t", "b", 1.0)])["t"]
    assert with_prior[0] == "b"
    assert with_prior[1] > 0.9


def test_dawid_skene_control_task_with_two_correct_labels_splits_its_posterior() -> None:
    answers = Answers(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0, 1, 1, 1]), 2, 2, 2)
    result = aggregate("DAWID_SKENE", answers, golden=Golden(np.array([0, 0]), np.array([1, 0])))
    assert result.label.tolist() == [0, 1]
    assert result.confidence[0] == pytest.approx(0.5)


def test_dawid_skene_refuses_a_label_space_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dawid_skene, "MAX_CELLS", 11)
    small = Answers(np.arange(3), np.zeros(3, np.int64), np.arange(3), 3, 1, 3)
    assert aggregate("DAWID_SKENE", small).label.tolist() == [0, 1, 2]
    answers = Answers(np.arange(4), np.zeros(4, np.int64), np.arange(4), 4, 1, 4)
    with pytest.raises(ValidationFailed) as raised:
        aggregate("DAWID_SKENE", answers)
    assert "fields" in raised.value.payload


def test_unknown_method_names_the_type() -> None:
    with pytest.raises(ValidationFailed) as raised:
        aggregate("NO_SUCH", index_answers([]).answers)
    assert "type" in raised.value.payload


@pytest.mark.parametrize(
    ("answers", "extra", "field"),
    [
        (Answers(np.array([0]), np.array([0]), np.array([3]), 1, 1, 3), None, "answers"),
        (Answers(np.array([0, 1]), np.array([0]), np.array([0]), 2, 1, 1), None, "answers"),
        (
            Answers(np.array([0]), np.array([0]), np.array([0]), 1, 1, 1),
            Priors(np.array([0]), np.array([0]), np.array([1.5])),
            "priors",
        ),
        (
            Answers(np.array([0]), np.array([0]), np.array([0]), 1, 1, 1),
            Golden(np.array([1]), np.array([0])),
            "golden",
        ),
    ],
)
def test_bad_arrays_are_a_domain_error(answers: Answers, extra: Priors | Golden | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        if isinstance(extra, Golden):
            aggregate("DAWID_SKENE", answers, golden=extra)
        else:
            aggregate("MAJORITY_VOTE", answers, priors=extra)
    assert field in raised.value.payload


def shuffled(answers: Answers, order: list[int]) -> Answers:
    picked = np.array(order, np.int64)
    return Answers(
        answers.task[picked],
        answers.worker[picked],
        answers.label[picked],
        answers.n_tasks,
        answers.n_workers,
        answers.n_labels,
    )


def same(left: Labels, right: Labels) -> None:
    assert left.label.tolist() == right.label.tolist()
    np.testing.assert_array_equal(left.confidence, right.confidence)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(0, 2)), min_size=1, max_size=30
    ).flatmap(lambda rows: st.tuples(st.just(rows), st.permutations(range(len(rows))))),
    st.lists(st.sampled_from([0.0, 0.6, 0.6, 0.9, float("nan")]), min_size=5, max_size=5),
)
def test_results_do_not_depend_on_row_order(
    case: tuple[list[tuple[int, int, int]], list[int]], skills: list[float]
) -> None:
    rows, order = case
    answers = Answers(
        np.array([r[0] for r in rows]),
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows]),
        6,
        5,
        3,
    )
    accuracy = np.array(skills)
    for method in ("WEIGHTED_DYNAMIC_OVERLAP", "DAWID_SKENE", "MAJORITY_VOTE"):
        same(
            aggregate(method, answers, worker_accuracy=accuracy),
            aggregate(method, shuffled(answers, order), worker_accuracy=accuracy),
        )


def posterior_by_hand(
    labels: list[int], accuracies: list[float], priors: list[tuple[int, float]], k_spec: int
) -> tuple[int, float]:
    """The WEIGHTED_DYNAMIC_OVERLAP formula of docs/api.md for one task, written out plainly."""
    seen = sorted(set(labels) | {label for label, _ in priors})
    k = max(2, len(seen), k_spec)

    def e(q: float) -> float:
        q = min(max(0.5 if math.isnan(q) else q, 0.01), 0.99)
        return math.log(q * (k - 1) / (1 - q))

    score = dict.fromkeys(seen, 0.0)
    for label, q in zip(labels, accuracies, strict=True):
        score[label] += e(q)
    for label, weight in priors:
        score[label] += weight * e(0.99)
    total = sum(math.exp(s) for s in score.values()) + (k - len(seen))
    confidence = {label: math.exp(s) / total for label, s in score.items()}
    best = max(confidence.values())
    winner = min(label for label, c in confidence.items() if c >= best * (1 - 1e-9))
    return winner, confidence[winner]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 5), st.integers(0, 3)), max_size=40),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 3), st.sampled_from([0.0, 0.3, 1.0])), max_size=6),
    st.lists(st.sampled_from([0.0, 0.3, 0.55, 0.8, 1.0, float("nan")]), min_size=6, max_size=6),
    st.sampled_from([0, 3, 5]),
)
def test_wdo_equals_the_formula_task_by_task(
    rows: list[tuple[int, int, int]],
    prior_rows: list[tuple[int, int, float]],
    skills: list[float],
    k_spec: int,
) -> None:
    answers = Answers(
        np.array([r[0] for r in rows], np.int64),
        np.array([r[1] for r in rows], np.int64),
        np.array([r[2] for r in rows], np.int64),
        8,
        6,
        4,
    )
    priors = Priors(
        np.array([p[0] for p in prior_rows], np.int64),
        np.array([p[1] for p in prior_rows], np.int64),
        np.array([p[2] for p in prior_rows], np.float64),
    )
    result = aggregate(
        WDO, answers, priors=priors, worker_accuracy=np.array(skills), possible_labels=np.full(8, k_spec)
    )
    for task in range(8):
        labels = [label for t, _, label in rows if t == task]
        accuracies = [skills[worker] for t, worker, _ in rows if t == task]
        task_priors = [(label, weight) for t, label, weight in prior_rows if t == task]
        if not labels and not task_priors:
            assert result.label[task] == -1
            continue
        label, confidence = posterior_by_hand(labels, accuracies, task_priors, k_spec)
        assert result.label[task] == label
        assert result.confidence[task] == pytest.approx(confidence, rel=1e-9)
