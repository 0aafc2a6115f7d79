"""kvorum's native methods equal crowd-kit 1.4.2 on the same answers; the extension methods go through it.

Labels must be identical and probabilities within 1e-6. Where crowd-kit's probabilities tie, its
label follows row order (MajorityVote on pandas 3), so there the test asserts kvorum's rule
instead: the smallest of the tied labels.
"""

import functools
from typing import Any

import numpy as np
import pytest

from kvorum.services.aggregation import Answers, Golden, Labels, aggregate, extension
from kvorum.services.aggregation.choice import TIE_RTOL
from kvorum.services.errors import ValidationFailed

pd = pytest.importorskip("pandas")
crowdkit = pytest.importorskip("crowdkit.aggregation")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # crowd-kit on pandas 3, scikit-learn
TOLERANCE = 1e-6


def crowd(n_tasks: int, per_task: int, n_labels: int, n_workers: int, seed: int) -> Answers:
    """Seeded answers: each task answered by distinct workers whose accuracy ranges 0.3-0.95."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_labels, n_tasks)
    accuracy = rng.uniform(0.3, 0.95, n_workers)
    task = np.repeat(np.arange(n_tasks), per_task)
    worker = np.concatenate([rng.choice(n_workers, per_task, replace=False) for _ in range(n_tasks)])
    right = rng.random(len(task)) < accuracy[worker]
    label = np.where(right, truth[task], rng.integers(0, n_labels, len(task)))
    return Answers(task, worker, label, n_tasks, n_workers, n_labels)


def frame(answers: Answers) -> Any:
    """The answers as crowd-kit reads them, in kvorum's canonical row order (task, worker, label)."""
    data = pd.DataFrame({"task": answers.task, "worker": answers.worker, "label": answers.label})
    return data.sort_values(["task", "worker", "label"], ignore_index=True)


def assert_matches(ours: Labels, answers: Answers, probas: Any, labels: Any) -> int:
    """Checks every task against crowd-kit's probabilities and labels; returns how many tasks tied."""
    dense = probas.reindex(columns=range(answers.n_labels), fill_value=0.0).fillna(0.0)
    answered = dense.index.to_numpy(np.int64)
    matrix = dense.to_numpy(np.float64)
    unanswered = np.setdiff1d(np.arange(answers.n_tasks), answered)
    assert (ours.label[unanswered] == -1).all()
    assert np.isnan(ours.confidence[unanswered]).all()
    chosen = ours.label[answered]
    np.testing.assert_allclose(
        ours.confidence[answered], matrix[np.arange(len(answered)), chosen], rtol=0, atol=TOLERANCE
    )
    tied = matrix >= matrix.max(axis=1, keepdims=True) * (1 - TIE_RTOL)
    assert tied[np.arange(len(answered)), chosen].all()
    smallest_tied = np.argmax(tied, axis=1)
    assert (chosen == smallest_tied).all()
    single = tied.sum(axis=1) == 1
    assert (chosen[single] == labels.loc[answered[single]].to_numpy(np.int64)).all()
    return int((~single).sum())


def majority(answers: Answers) -> Labels:
    return aggregate("MAJORITY_VOTE", answers)


def dawid_skene(answers: Answers) -> Labels:
    return aggregate("DAWID_SKENE", answers)


def against_majority_vote(answers: Answers) -> int:
    model = crowdkit.MajorityVote()
    labels = model.fit_predict(frame(answers))
    return assert_matches(majority(answers), answers, model.probas_, labels)


def against_dawid_skene(answers: Answers) -> int:
    model = crowdkit.DawidSkene(n_iter=100, tol=1e-5)
    labels = model.fit_predict(frame(answers))
    return assert_matches(dawid_skene(answers), answers, model.probas_, labels)


REAL = crowd(2000, 5, 4, 150, seed=7)


def test_majority_vote_equals_crowdkit_on_real_shaped_answers() -> None:
    ties = against_majority_vote(REAL)
    assert 0 < ties < REAL.n_tasks // 2  # 2-2-1 splits happen; the rule is exercised


def test_dawid_skene_equals_crowdkit_on_real_shaped_answers() -> None:
    model = crowdkit.DawidSkene(n_iter=100, tol=1e-5)
    labels = model.fit_predict(frame(REAL))
    ours = dawid_skene(REAL)
    assert (ours.label == labels.loc[np.arange(REAL.n_tasks)].to_numpy(np.int64)).all()
    probas = model.probas_.loc[np.arange(REAL.n_tasks), np.arange(REAL.n_labels)].to_numpy()
    np.testing.assert_allclose(ours.confidence, probas[np.arange(REAL.n_tasks), ours.label], atol=1e-10)


def test_dawid_skene_with_known_labels_equals_crowdkit_true_labels() -> None:
    rng = np.random.default_rng(11)
    control = rng.choice(REAL.n_tasks, 300, replace=False)
    known = rng.integers(0, REAL.n_labels, len(control))
    model = crowdkit.DawidSkene(n_iter=100, tol=1e-5)
    labels = model.fit_predict(frame(REAL), pd.Series(known, index=control))
    ours = aggregate("DAWID_SKENE", REAL, golden=Golden(control, known))
    assert (ours.label[control] == known).all()
    assert_matches(ours, REAL, model.probas_, labels)
    assert not np.array_equal(ours.confidence, dawid_skene(REAL).confidence)


def answers_of(rows: list[tuple[int, int, int]], n_tasks: int, n_workers: int, n_labels: int) -> Answers:
    columns = np.array(rows, np.int64).reshape(-1, 3).T
    return Answers(columns[0], columns[1], columns[2], n_tasks, n_workers, n_labels)


EDGES = {
    "one answer": answers_of([(0, 0, 1)], 1, 1, 2),
    "one answer, an unanswered task": answers_of([(1, 0, 0)], 2, 1, 2),
    "all ties": answers_of([(t, w, w % 2) for t in range(4) for w in range(2)], 4, 2, 2),
    "three-way ties": answers_of([(t, w, (w + t) % 3) for t in range(6) for w in range(3)], 6, 3, 3),
    "unseen labels": answers_of(
        [(t, w, (0, 1, 3)[(t * w + t) % 3]) for t in range(30) for w in range(4)], 30, 4, 5
    ),
    "workers with one answer": answers_of(
        [(t, 3 * t + i, (t + (i == 2)) % 3) for t in range(20) for i in range(3)], 20, 60, 3
    ),
    "duplicate answers": answers_of([(0, 0, 1), (0, 0, 1), (0, 1, 0), (1, 1, 0)], 2, 2, 2),
}


@pytest.mark.parametrize("case", EDGES, ids=list(EDGES))
def test_majority_vote_equals_crowdkit_on_edge_cases(case: str) -> None:
    against_majority_vote(EDGES[case])


@pytest.mark.parametrize("case", EDGES, ids=list(EDGES))
def test_dawid_skene_equals_crowdkit_on_edge_cases(case: str) -> None:
    against_dawid_skene(EDGES[case])


def test_all_ties_go_to_the_smallest_label() -> None:
    assert majority(EDGES["all ties"]).label.tolist() == [0, 0, 0, 0]
    assert dawid_skene(EDGES["three-way ties"]).label.tolist() == [0] * 6


BINARY = crowd(200, 4, 2, 30, seed=3)
MANY = crowd(200, 4, 4, 30, seed=5)
SHORTER = {
    "MACE": {"n_restarts": 2, "n_iter": 10},
    "GLAD": {"n_iter": 20},
    "ZERO_BASED_SKILL": {"n_iter": 20},
}
"""Fewer iterations for the slow methods: the test is about what goes in and out of crowd-kit."""


@pytest.mark.parametrize("method", extension.METHODS)
def test_extension_method_returns_crowdkit_results(method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    adapter = extension.ADAPTERS[method]
    cls = getattr(crowdkit, adapter.cls)
    monkeypatch.setattr(crowdkit, adapter.cls, functools.partial(cls, **SHORTER.get(method, {})))
    answers = BINARY if adapter.binary else MANY
    model = getattr(crowdkit, adapter.cls)()
    labels = model.fit_predict(frame(answers))
    ours = aggregate(method, answers)
    if adapter.probabilities:
        assert_matches(ours, answers, model.probas_, labels)
    else:
        assert (ours.label == labels.loc[np.arange(answers.n_tasks)].to_numpy(np.int64)).all()
        assert np.isnan(ours.confidence).all()


def test_kos_refuses_more_than_two_labels() -> None:
    with pytest.raises(ValidationFailed, match="two labels") as raised:
        aggregate("KOS", crowd(20, 3, 3, 10, seed=1))
    assert "type" in raised.value.payload


def test_extension_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extension, "available", lambda: False)
    with pytest.raises(ValidationFailed, match=r"kvorum\[crowdkit\]") as raised:
        aggregate("GLAD", BINARY)
    assert raised.value.payload["type"]["code"] == "VALUE_NOT_ALLOWED"
