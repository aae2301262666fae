"""Complete fusion networks: per-modality subnets, a fusion layer and a head."""

from torch import nn

from skmer.nn._fusion_layers import (
    AttentionFusion,
    ConcatFusion,
    GatedFusion,
    LowRankFusion,
    TensorFusion,
)
from skmer.nn._heads import ClassificationHead, RegressionHead
from skmer.nn._subnets import ModalityMLP, drop_modalities

FUSIONS = ("tensor", "low_rank", "attention", "gated", "concat")


class MultimodalFusionNet(nn.Module):
    """Subnetwork per modality -> fusion layer -> classification/regression head.

    ``forward(mask, x0, x1, ...)`` takes one (n, d_m) block per modality (keys
    ``x0 .. x{M-1}`` in the order of ``in_features``, absent rows zero) and the
    (n, M) presence mask, and returns ``(output, fused)`` or, for fusions with
    modality weights (attention, gated), ``(output, fused, weights)``.

    Parameters
    ----------
    in_features : sequence of int
        Number of encoded features of each modality.
    n_outputs : int
        Number of classes (classification) or targets (regression).
    fusion : {"tensor", "low_rank", "attention", "gated", "concat"}, default="tensor"
        The fusion layer (:class:`TensorFusion`, :class:`LowRankFusion`,
        :class:`AttentionFusion`, :class:`GatedFusion`, :class:`ConcatFusion`).
    task : {"classification", "regression"}, default="classification"
        Head type.
    hidden_sizes : sequence of int, default=(32,)
        Layers of every modality subnetwork (the last is the embedding size).
    fusion_size : int, default=64
        Output size of the low-rank, attention and gated fusion layers.
    rank : int, default=4
        Rank of ``"low_rank"`` fusion.
    head_hidden_sizes : sequence of int, default=(64,)
        Hidden layers of the head.
    dropout : float, default=0.0
        Dropout in the subnetworks and the head.
    modality_dropout : float, default=0.0
        Probability of hiding a present modality of a row while training.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import MultimodalFusionNet
    >>> net = MultimodalFusionNet([4, 3], n_outputs=2, fusion="attention")
    >>> out, fused, w = net(mask=torch.ones(5, 2), x0=torch.zeros(5, 4),
    ...                     x1=torch.zeros(5, 3))
    >>> out.shape, w.shape
    (torch.Size([5, 2]), torch.Size([5, 2]))
    """

    def __init__(
        self,
        in_features,
        n_outputs,
        fusion="tensor",
        task="classification",
        hidden_sizes=(32,),
        fusion_size=64,
        rank=4,
        head_hidden_sizes=(64,),
        dropout=0.0,
        modality_dropout=0.0,
    ):
        super().__init__()
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}; got {fusion!r}.")
        self.modality_dropout = float(modality_dropout)
        self.subnets = nn.ModuleList(
            [ModalityMLP(d, hidden_sizes, dropout) for d in in_features]
        )
        dims = [s.out_features for s in self.subnets]
        if fusion == "tensor":
            self.fusion = TensorFusion(dims)
        elif fusion == "low_rank":
            self.fusion = LowRankFusion(dims, fusion_size, rank)
        elif fusion == "attention":
            self.fusion = AttentionFusion(dims, fusion_size, fusion_size)
        elif fusion == "gated":
            self.fusion = GatedFusion(dims, fusion_size)
        else:
            self.fusion = ConcatFusion(dims)
        head = ClassificationHead if task == "classification" else RegressionHead
        self.head = head(
            self.fusion.out_features, n_outputs, head_hidden_sizes, dropout
        )

    def forward(self, mask, **blocks):
        """Return ``(output, fused[, weights])``."""
        mask = drop_modalities(mask, self.modality_dropout, self.training)
        hs = [net(blocks[f"x{j}"]) for j, net in enumerate(self.subnets)]
        fused, weights = self.fusion(hs, mask)
        out = self.head(fused)
        return (out, fused) if weights is None else (out, fused, weights)
