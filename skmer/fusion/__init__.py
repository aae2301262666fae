"""Fusion meta-estimators over encoded modality blocks.

Every fusion estimator takes the encoded features (a DataFrame with
``"<modality>__<feature>"`` columns, or an array with ``modalities=``), handles
rows whose block is all NaN (a missing modality) natively, and exposes
``modalities_`` and ``modality_weights_``.
"""

from skmer.fusion._base import (
    BaseFusion,
    accepts_sample_weight,
    block_importances,
    fit_weighted,
    modality_presence,
    normalize_weights,
    resolve_modalities,
)
from skmer.fusion._early import EarlyFusionClassifier, EarlyFusionRegressor
from skmer.fusion._hybrid import HybridFusionClassifier, HybridFusionRegressor
from skmer.fusion._late import LateFusionClassifier, LateFusionRegressor

__all__ = [
    "BaseFusion",
    "EarlyFusionClassifier",
    "EarlyFusionRegressor",
    "HybridFusionClassifier",
    "HybridFusionRegressor",
    "LateFusionClassifier",
    "LateFusionRegressor",
    "accepts_sample_weight",
    "block_importances",
    "fit_weighted",
    "modality_presence",
    "normalize_weights",
    "resolve_modalities",
]
