"""crowd-kit's other classification methods, through the optional `kvorum[crowdkit]` extra.

One table names each method's crowd-kit class and whether it yields probabilities. The answers go
to crowd-kit as a DataFrame of integer task, worker and label indices and come back the same way.
Where the method has probabilities (`probas_`), the label is chosen from them with kvorum's
tie-break and the confidence is the chosen label's probability; MMSR (scores, not probabilities)
and KOS (labels only) give crowd-kit's own label and a nan confidence. Baseline solutions and
worker skills are not read: crowd-kit's methods take neither.
"""

import importlib
import importlib.util
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from kvorum.services.aggregation.answers import Answers, Labels
from kvorum.services.aggregation.choice import best_of_rows
from kvorum.services.errors import ValidationFailed

EXTRA = "kvorum[crowdkit]"


@dataclass(frozen=True)
class Adapter:
    cls: str  # the class in crowdkit.aggregation
    probabilities: bool  # whether the fitted model has probas_
    binary: bool = False  # whether it takes exactly two labels


ADAPTERS: dict[str, Adapter] = {
    "GLAD": Adapter("GLAD", probabilities=True),
    "MACE": Adapter("MACE", probabilities=True),
    "ONE_COIN_DAWID_SKENE": Adapter("OneCoinDawidSkene", probabilities=True),
    "WAWA": Adapter("Wawa", probabilities=True),
    "ZERO_BASED_SKILL": Adapter("ZeroBasedSkill", probabilities=True),
    "MMSR": Adapter("MMSR", probabilities=False),
    "KOS": Adapter("KOS", probabilities=False, binary=True),
}
METHODS: tuple[str, ...] = tuple(ADAPTERS)


def available() -> bool:
    return importlib.util.find_spec("crowdkit") is not None


def refused(message: str, code: str = "INVALID_VALUE") -> ValidationFailed:
    return ValidationFailed(message, {"type": {"code": code, "message": message}})


def aggregate(method: str, answers: Answers) -> Labels:
    if not available():
        raise refused(f"aggregation type {method} needs the {EXTRA} extra installed", "VALUE_NOT_ALLOWED")
    adapter = ADAPTERS[method]
    result = Labels(np.full(answers.n_tasks, -1, np.int64), np.full(answers.n_tasks, np.nan))
    if not len(answers.task):
        return result
    used = np.unique(answers.label)
    if adapter.binary and len(used) != 2:
        raise refused(f"aggregation type {method} takes exactly two labels; the answers have {len(used)}")
    import pandas as pd

    model: Any = getattr(importlib.import_module("crowdkit.aggregation"), adapter.cls)()
    frame = pd.DataFrame({"task": answers.task, "worker": answers.worker, "label": answers.label})
    try:
        with warnings.catch_warnings():  # crowd-kit's deprecation noise on pandas 3 and scikit-learn
            warnings.simplefilter("ignore")
            chosen = model.fit_predict(frame)
    except (ValueError, KeyError, ArithmeticError) as error:
        raise refused(f"crowd-kit's {adapter.cls} failed on these answers: {error}") from error
    if adapter.probabilities:
        probas = model.probas_.reindex(columns=used, fill_value=0.0).fillna(0.0)
        matrix = probas.to_numpy(np.float64)
        best = best_of_rows(matrix)
        tasks = probas.index.to_numpy(np.int64)
        result.label[tasks] = used[best]
        result.confidence[tasks] = matrix[np.arange(len(tasks)), best]
    else:
        result.label[chosen.index.to_numpy(np.int64)] = chosen.to_numpy(np.int64)
    return result
