"""Plain torch modules for multimodal fusion (nothing sklearn-specific).

Per-modality subnetworks, fusion layers (tensor, low-rank, attention, gated,
concatenation), output heads, complete fusion networks and training losses.
The estimators of :mod:`skmer.fusion` build and train these through skorch;
importing this subpackage imports torch.
"""

from skmer.nn._encoders import ConvSequenceNet, RecurrentSequenceNet, SpectrogramCNN
from skmer.nn._fusion_layers import (
    AttentionFusion,
    ConcatFusion,
    GatedFusion,
    LowRankFusion,
    TensorFusion,
    masked_softmax,
)
from skmer.nn._heads import ClassificationHead, RegressionHead
from skmer.nn._losses import (
    FusionLoss,
    kl_to_distribution,
    npair_loss,
    polarity_cross_entropy,
    triplet_loss,
)
from skmer.nn._mag import MultimodalAdaptationGate, PretrainedTextNetwork
from skmer.nn._models import MultimodalFusionNet
from skmer.nn._recurrent import (
    ContextualLSTM,
    MemoryFusionNetwork,
    ModalityDictAdapter,
    MultiAttentionRecurrentNetwork,
    MultiViewLSTM,
    PaddedLoss,
)
from skmer.nn._subnets import ModalityMLP, drop_modalities

__all__ = [
    "AttentionFusion",
    "ClassificationHead",
    "ConcatFusion",
    "ContextualLSTM",
    "FusionLoss",
    "GatedFusion",
    "LowRankFusion",
    "MemoryFusionNetwork",
    "ModalityDictAdapter",
    "ModalityMLP",
    "MultiAttentionRecurrentNetwork",
    "MultiViewLSTM",
    "MultimodalFusionNet",
    "MultimodalAdaptationGate",
    "PaddedLoss",
    "PretrainedTextNetwork",
    "RegressionHead",
    "TensorFusion",
    "drop_modalities",
    "kl_to_distribution",
    "masked_softmax",
    "npair_loss",
    "polarity_cross_entropy",
    "triplet_loss",
]
__all__ += ["ConvSequenceNet", "RecurrentSequenceNet", "SpectrogramCNN"]
