"""Metrics and scorers of multi-modal emotion recognition."""

from skmer.metrics._classification import (
    acc2_score,
    acc5_score,
    acc7_score,
    binary_f1_score,
    unweighted_accuracy,
    weighted_accuracy,
)
from skmer.metrics._regression import (
    concordance_correlation_coefficient,
    pearson_correlation,
)
from skmer.metrics._scorer import get_scorer, get_scorer_names, mer_scoring

__all__ = [
    "acc2_score",
    "acc5_score",
    "acc7_score",
    "binary_f1_score",
    "concordance_correlation_coefficient",
    "get_scorer",
    "get_scorer_names",
    "mer_scoring",
    "pearson_correlation",
    "unweighted_accuracy",
    "weighted_accuracy",
]
