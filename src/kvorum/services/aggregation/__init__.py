"""Aggregation: labels and confidences from crowd answers. Pure computation on numpy arrays."""

from kvorum.services.aggregation.answers import (
    Answers,
    Golden,
    IndexedAnswers,
    Labels,
    Priors,
    canonical_label,
    index_answers,
    possible_labels,
)
from kvorum.services.aggregation.methods import METHODS, aggregate

__all__ = [
    "METHODS",
    "Answers",
    "Golden",
    "IndexedAnswers",
    "Labels",
    "Priors",
    "aggregate",
    "canonical_label",
    "index_answers",
    "possible_labels",
]
