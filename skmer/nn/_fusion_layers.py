"""Fusion layers: combine per-modality embeddings into one representation.

Every layer takes ``(embeddings, mask)``: a list of (n, d_m) tensors, one per
modality, and the (n, n_modalities) presence mask (1 present, 0 missing), and
returns ``(fused, weights)``: the (n, out_features) fused representation and
per-row modality weights (n, n_modalities), or None when the layer has none.
"""

import math

import torch
from torch import nn


def _with_one(h, m):
    """Zero an absent embedding and append the constant 1 (kept when absent)."""
    h = h * m.unsqueeze(1)
    return torch.cat([torch.ones_like(h[:, :1]), h], dim=1)


def masked_softmax(scores, mask):
    """Softmax over modalities restricted to the present ones.

    Parameters
    ----------
    scores : Tensor of shape (n, n_modalities)
    mask : Tensor of shape (n, n_modalities)
        1 where present. A row with no modality gets all-zero weights.

    Returns
    -------
    weights : Tensor of shape (n, n_modalities)
        Non-negative, 0 at absent modalities, rows summing to 1 (or 0).

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import masked_softmax
    >>> masked_softmax(torch.zeros(1, 3), torch.tensor([[1.0, 0.0, 1.0]]))
    tensor([[0.5000, 0.0000, 0.5000]])
    """
    present = mask > 0
    scores = scores.masked_fill(~present, float("-inf"))
    any_present = present.any(dim=1, keepdim=True)
    scores = torch.where(any_present, scores, torch.zeros_like(scores))
    weights = torch.softmax(scores, dim=1)
    return weights * any_present.to(weights.dtype)


class TensorFusion(nn.Module):
    """Tensor fusion (TFN, Zadeh et al. 2017): outer product of the embeddings.

    Each embedding gets a constant 1 appended, ``z_m = [1, h_m]``, and the
    fused representation is the flattened outer product
    ``z_1 ⊗ z_2 ⊗ ... ⊗ z_M``, which holds the unimodal, bimodal and trimodal
    interaction terms. An absent modality enters as a zero embedding with the
    constant 1 kept, so only its interaction terms vanish.

    Parameters
    ----------
    in_features : sequence of int
        Embedding size of each modality.

    Attributes
    ----------
    out_features : int
        ``prod(d_m + 1)``.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import TensorFusion
    >>> fusion = TensorFusion([2, 3])
    >>> fused, _ = fusion([torch.ones(4, 2), torch.ones(4, 3)], torch.ones(4, 2))
    >>> fused.shape
    torch.Size([4, 12])
    """

    def __init__(self, in_features):
        super().__init__()
        self.in_features = list(in_features)
        self.out_features = math.prod(d + 1 for d in self.in_features)

    def forward(self, embeddings, mask):
        """Return ``(fused, None)``."""
        fused = None
        for j, h in enumerate(embeddings):
            z = _with_one(h, mask[:, j])
            fused = (
                z if fused is None else (fused.unsqueeze(2) * z.unsqueeze(1)).flatten(1)
            )
        return fused, None


class LowRankFusion(nn.Module):
    """Low-rank multimodal fusion (LMF, Liu et al. 2018).

    Computes the same multilinear map of ``z_1 ⊗ ... ⊗ z_M`` as a TFN followed
    by a linear layer, but with the weight tensor decomposed into ``rank``
    modality-specific factors ``W_m^(i)`` of shape (d_m + 1, out_features)::

        fused = sum_i lambda_i * prod_m (z_m @ W_m^(i)) + b

    so it never builds the outer product. Parameters:
    ``rank * out_features * sum(d_m + 1) + rank + out_features``.

    Parameters
    ----------
    in_features : sequence of int
        Embedding size of each modality.
    out_features : int
        Size of the fused representation.
    rank : int
        Number of rank-one factors.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import LowRankFusion
    >>> fusion = LowRankFusion([2, 3], out_features=5, rank=4)
    >>> fused, _ = fusion([torch.ones(6, 2), torch.ones(6, 3)], torch.ones(6, 2))
    >>> fused.shape, sum(p.numel() for p in fusion.parameters())
    (torch.Size([6, 5]), 149)
    """

    def __init__(self, in_features, out_features, rank):
        super().__init__()
        self.in_features = list(in_features)
        self.out_features = int(out_features)
        self.rank = int(rank)
        self.factors = nn.ParameterList(
            [
                nn.Parameter(torch.empty(rank, d + 1, out_features))
                for d in self.in_features
            ]
        )
        self.fusion_weights = nn.Parameter(torch.empty(1, rank))
        self.bias = nn.Parameter(torch.zeros(out_features))
        for f in self.factors:
            nn.init.xavier_normal_(f)
        nn.init.xavier_normal_(self.fusion_weights)

    def forward(self, embeddings, mask):
        """Return ``(fused, None)``."""
        prod = None
        for j, (h, w) in enumerate(zip(embeddings, self.factors)):
            z = _with_one(h, mask[:, j])
            f = torch.matmul(z, w)  # (rank, n, out)
            prod = f if prod is None else prod * f
        fused = torch.matmul(self.fusion_weights, prod.permute(1, 0, 2)).squeeze(1)
        return fused + self.bias, None


class AttentionFusion(nn.Module):
    """Modality-level attention: a weighted sum with input-dependent weights.

    Each embedding is projected to a common size, ``p_m = W_m h_m``, scored
    ``s_m = v^T tanh(U p_m)``, and the fused vector is ``sum_m a_m p_m`` with
    ``a = softmax(s)`` over the present modalities only (absent ones get
    weight 0).

    Parameters
    ----------
    in_features : sequence of int
        Embedding size of each modality.
    out_features : int, default=32
        Common projection size (the fused size).
    attention_size : int, default=32
        Hidden size of the scoring network.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import AttentionFusion
    >>> fusion = AttentionFusion([2, 3], out_features=4)
    >>> fused, w = fusion([torch.ones(5, 2), torch.ones(5, 3)],
    ...                   torch.tensor([[1.0, 0.0]] * 5))
    >>> fused.shape, w[0].tolist()
    (torch.Size([5, 4]), [1.0, 0.0])
    """

    def __init__(self, in_features, out_features=32, attention_size=32):
        super().__init__()
        self.in_features = list(in_features)
        self.out_features = int(out_features)
        self.projections = nn.ModuleList(
            [nn.Linear(d, out_features) for d in self.in_features]
        )
        self.score = nn.Sequential(
            nn.Linear(out_features, attention_size),
            nn.Tanh(),
            nn.Linear(attention_size, 1, bias=False),
        )

    def forward(self, embeddings, mask):
        """Return ``(fused, attention weights)``."""
        p = torch.stack(
            [proj(h) for proj, h in zip(self.projections, embeddings)], dim=1
        )
        weights = masked_softmax(self.score(p).squeeze(2), mask)
        return (weights.unsqueeze(2) * p).sum(dim=1), weights


class GatedFusion(nn.Module):
    """Gated multimodal unit (GMU, Arevalo et al. 2017) for any number of modalities.

    Each embedding is mapped to ``t_m = tanh(W_m h_m)``; gates computed jointly
    from all (masked) embeddings, ``g = softmax(W_g [h_1, ..., h_M])`` over the
    present modalities, mix them: ``fused = sum_m g_m t_m``. Unlike attention,
    each modality's gate depends on all modalities.

    Parameters
    ----------
    in_features : sequence of int
        Embedding size of each modality.
    out_features : int, default=32
        Size of the fused representation.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import GatedFusion
    >>> fusion = GatedFusion([2, 3], out_features=4)
    >>> fused, g = fusion([torch.ones(5, 2), torch.ones(5, 3)], torch.ones(5, 2))
    >>> fused.shape, torch.allclose(g.sum(1), torch.ones(5))
    (torch.Size([5, 4]), True)
    """

    def __init__(self, in_features, out_features=32):
        super().__init__()
        self.in_features = list(in_features)
        self.out_features = int(out_features)
        self.transforms = nn.ModuleList(
            [nn.Linear(d, out_features) for d in self.in_features]
        )
        self.gate = nn.Linear(sum(self.in_features), len(self.in_features))

    def forward(self, embeddings, mask):
        """Return ``(fused, gates)``."""
        masked = [h * mask[:, j : j + 1] for j, h in enumerate(embeddings)]
        t = torch.stack(
            [torch.tanh(w(h)) for w, h in zip(self.transforms, masked)], dim=1
        )
        gates = masked_softmax(self.gate(torch.cat(masked, dim=1)), mask)
        return (gates.unsqueeze(2) * t).sum(dim=1), gates


class ConcatFusion(nn.Module):
    """Concatenation of the embeddings (zeroed where absent) and the presence mask.

    Parameters
    ----------
    in_features : sequence of int
        Embedding size of each modality.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import ConcatFusion
    >>> fused, _ = ConcatFusion([2, 3])([torch.ones(1, 2), torch.ones(1, 3)],
    ...                                 torch.tensor([[1.0, 0.0]]))
    >>> fused.tolist()
    [[1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]]
    """

    def __init__(self, in_features):
        super().__init__()
        self.in_features = list(in_features)
        self.out_features = sum(self.in_features) + len(self.in_features)

    def forward(self, embeddings, mask):
        """Return ``(fused, None)``."""
        masked = [h * mask[:, j : j + 1] for j, h in enumerate(embeddings)]
        return torch.cat(masked + [mask], dim=1), None
