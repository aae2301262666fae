"""End-to-end sequence models: published MER systems that read raw sequences.

MV-LSTM, MFN and MARN over word-aligned ``(T, d)`` sequences, the tri-modal
HMM, bc-LSTM over the utterances of a video, and the pretrained-language-model
systems FT and MAG. They take the raw multimodal DataFrame directly (not the
encoded blocks of :mod:`skmer.fusion`), name their input columns with
``columns``, and the contextual model takes its groups from ``group_column`` and
the order of utterances from ``order_column``. Their behaviour is checked by
:func:`skmer.utils.estimator_checks.check_sequence_estimator`.
"""

from skmer.sequence._context import ContextualLSTMClassifier, ContextualLSTMRegressor
from skmer.sequence._hmm import TriModalHMMClassifier
from skmer.sequence._recurrent import (
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
)
from skmer.sequence._transformer import (
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
)

__all__ = [
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
]
