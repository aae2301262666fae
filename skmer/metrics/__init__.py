"""Metrics and scorers of multi-modal emotion recognition."""

from skmer.metrics._classification import (
    acc2_score,
    acc5_score,
    acc7_score,
    binary_f1_score,
    unweighted_accuracy,
    weighted_accuracy,
)
from skmer.metrics._detection import (
    event_detection_scores,
    labels_to_events,
    localization_accuracy,
    temporal_iou,
)
from skmer.metrics._ldl import (
    canberra_distance,
    chebyshev_distance,
    check_distributions,
    clark_distance,
    cosine_similarity_score,
    intersection_similarity,
    kl_divergence,
)
from skmer.metrics._ranking import (
    mean_average_precision,
    precision_at_k,
    relevance_from_labels,
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
    "canberra_distance",
    "chebyshev_distance",
    "check_distributions",
    "clark_distance",
    "concordance_correlation_coefficient",
    "cosine_similarity_score",
    "event_detection_scores",
    "get_scorer",
    "get_scorer_names",
    "intersection_similarity",
    "kl_divergence",
    "labels_to_events",
    "localization_accuracy",
    "mean_average_precision",
    "mer_scoring",
    "pearson_correlation",
    "precision_at_k",
    "relevance_from_labels",
    "temporal_iou",
    "unweighted_accuracy",
    "weighted_accuracy",
]
