"""Fusion meta-estimators over encoded modality blocks.

Every fusion estimator takes the encoded features (a DataFrame with
``"<modality>__<feature>"`` columns, or an array with ``modalities=``), handles
rows whose block is all NaN (a missing modality) natively, and exposes
``modalities_`` and ``modality_weights_``.
"""

from skmer.fusion._attention import AttentionFusionClassifier, AttentionFusionRegressor
from skmer.fusion._base import (
    BaseFusion,
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
from skmer.fusion._seed_hmm import TriModalHMMClassifier
from skmer.fusion._seed_recurrent import (
    ContextualLSTMClassifier,
    ContextualLSTMRegressor,
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
)
from skmer.fusion._seed_transformer import (
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
)
from skmer.fusion._tensor import TensorFusionClassifier, TensorFusionRegressor

__all__ = [
    "MultipleKernelClassifier",
    "MultipleKernelRegressor",
    "ContextualLSTMClassifier",
    "ContextualLSTMRegressor",
    "MemoryFusionNetworkClassifier",
    "MemoryFusionNetworkRegressor",
    "MultiAttentionRecurrentNetworkClassifier",
    "MultiAttentionRecurrentNetworkRegressor",
    "MultiViewLSTMClassifier",
    "MultiViewLSTMRegressor",
    "TriModalHMMClassifier",
    "FineTunedTransformerClassifier",
    "FineTunedTransformerRegressor",
    "MultimodalAdaptationGateClassifier",
    "MultimodalAdaptationGateRegressor",
    "make_rf_baseline",
    "make_svm_baseline",
    "BaseFusion",
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
