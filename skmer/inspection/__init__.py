"""Inspection: missing-modality robustness, modality importance, displays."""

from skmer.inspection._display import (
    MissingModalityDisplay,
    ModalityWeightsDisplay,
    ValenceArousalDisplay,
)
from skmer.inspection._robustness import (
    missing_modality_curve,
    permutation_importance_by_modality,
)

__all__ = [
    "MissingModalityDisplay",
    "ModalityWeightsDisplay",
    "ValenceArousalDisplay",
    "missing_modality_curve",
    "permutation_importance_by_modality",
]
