"""Fusion meta-estimators over encoded modality blocks.

Every fusion estimator takes the encoded features (a DataFrame with
``"<modality>__<feature>"`` columns, or an array with ``modalities=``), handles
rows whose block is all NaN (a missing modality) natively, and exposes
``modalities_`` and ``modality_weights_``.
"""

from skmer.fusion._attention import AttentionFusionClassifier, AttentionFusionRegressor
from skmer.fusion._base import (
    BaseFusion,
    SingleModalityWarning,
    accepts_sample_weight,
    block_importances,
    fit_weighted,
    modality_presence,
    normalize_weights,
    resolve_modalities,
)
from skmer.fusion._baselines import make_rf_baseline, make_svm_baseline
from skmer.fusion._early import EarlyFusionClassifier, EarlyFusionRegressor
from skmer.fusion._graph import GraphFusionClassifier, GraphFusionRegressor
from skmer.fusion._hybrid import HybridFusionClassifier, HybridFusionRegressor
from skmer.fusion._kernel import MultipleKernelClassifier, MultipleKernelRegressor
from skmer.fusion._late import LateFusionClassifier, LateFusionRegressor
from skmer.fusion._neural_base import BaseNeuralFusion
from skmer.fusion._tensor import TensorFusionClassifier, TensorFusionRegressor

__all__ = [
    "MultipleKernelClassifier",
    "MultipleKernelRegressor",
    "make_rf_baseline",
    "make_svm_baseline",
    "BaseFusion",
    "SingleModalityWarning",
    "EarlyFusionClassifier",
    "EarlyFusionRegressor",
    "GraphFusionClassifier",
    "GraphFusionRegressor",
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
    "AttentionFusionClassifier",
    "AttentionFusionRegressor",
    "BaseNeuralFusion",
    "TensorFusionClassifier",
    "TensorFusionRegressor",
]

# the end-to-end sequence models moved to skmer.sequence; the old names keep
# working for one release
_MOVED_TO_SEQUENCE = {
    "ContextualLSTMClassifier",
    "ContextualLSTMRegressor",
    "FineTunedTransformerClassifier",
    "FineTunedTransformerRegressor",
    "MemoryFusionNetworkClassifier",
    "MemoryFusionNetworkRegressor",
    "MultiAttentionRecurrentNetworkClassifier",
    "MultiAttentionRecurrentNetworkRegressor",
    "MultiViewLSTMClassifier",
    "MultiViewLSTMRegressor",
    "MultimodalAdaptationGateClassifier",
    "MultimodalAdaptationGateRegressor",
    "TriModalHMMClassifier",
}


def __getattr__(name):
    if name in _MOVED_TO_SEQUENCE:
        import warnings

        import skmer.sequence

        warnings.warn(
            f"skmer.fusion.{name} moved to skmer.sequence.{name} (sequence models "
            "are not fusion steps); import it from skmer.sequence. The old path "
            "will be removed in the next release.",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(skmer.sequence, name)
    raise AttributeError(f"module 'skmer.fusion' has no attribute {name!r}")
