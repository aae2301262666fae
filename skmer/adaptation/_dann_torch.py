"""torch modules of :class:`skmer.adaptation.DANNClassifier` (imported only in fit)."""

import math

import torch
from skorch.callbacks import Callback
from torch import nn
from torch.nn import functional as F

from skmer.nn._losses import _cross_entropy


class _GradientReversal(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight):
        ctx.weight = weight
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.weight * grad, None


class MultimodalDANN(nn.Module):
    """Per-modality encoders, masked-mean fusion, label head, domain discriminator.

    The input is one matrix: the standardised modality blocks (0 where a
    modality is absent) followed by one presence column per modality. The
    discriminator sees the fused representation through a gradient reversal
    layer, so the encoders learn features the discriminator cannot tell apart
    between source and target rows.
    """

    def __init__(
        self,
        blocks,
        n_classes,
        hidden_size=32,
        embedding_size=16,
        domain_weight=1.0,
        dropout=0.0,
    ):
        super().__init__()
        self.blocks = [list(b) for b in blocks]
        self.n_modalities = len(blocks)
        self.n_block_columns = sum(len(b) for b in blocks)
        self.encoders = nn.ModuleList(
            nn.Sequential(
                nn.Linear(len(cols), hidden_size),
                nn.ReLU(),
                nn.Dropout(dropout),
                nn.Linear(hidden_size, embedding_size),
                nn.ReLU(),
            )
            for cols in blocks
        )
        self.classifier = nn.Linear(embedding_size, n_classes)
        self.discriminator = nn.Sequential(
            nn.Linear(embedding_size, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 1)
        )
        self.domain_weight = domain_weight

    def embed(self, X):
        mask = X[:, self.n_block_columns :]
        total = 0.0
        for j, (enc, cols) in enumerate(zip(self.encoders, self.blocks)):
            total = total + enc(X[:, cols]) * mask[:, j : j + 1]
        return total / mask.sum(dim=1, keepdim=True).clamp(min=1.0)

    def forward(self, X):
        z = self.embed(X)
        reversed_z = _GradientReversal.apply(z, self.domain_weight)
        return self.classifier(z), self.discriminator(reversed_z).squeeze(-1)


class DANNLoss(nn.Module):
    """Cross-entropy on labelled source rows plus the domain discriminator's BCE.

    ``y_true`` holds two columns: the class index (-1 for target rows) and the
    domain (1 source, 0 target). With ``sample_weight`` both are weighted
    means (the cross-entropy over the labelled rows, with the class weights as
    in :func:`torch.nn.functional.cross_entropy`), so a row of integer weight
    ``k`` counts as ``k`` copies of it.
    """

    def __init__(self, class_weight=None):
        super().__init__()
        self.class_weight = class_weight

    def forward(self, y_pred, y_true, sample_weight=None):
        logits, domain_logit = y_pred
        label, domain = y_true[:, 0].long(), y_true[:, 1].float()
        labelled = label >= 0
        if sample_weight is None:
            loss = F.binary_cross_entropy_with_logits(domain_logit, domain)
        else:
            sample_weight = sample_weight.to(domain_logit.dtype)
            bce = F.binary_cross_entropy_with_logits(
                domain_logit, domain, reduction="none"
            )
            loss = (bce * sample_weight).sum() / sample_weight.sum().clamp(min=1e-12)
        if labelled.any():
            weight = None
            if self.class_weight is not None:
                weight = torch.as_tensor(
                    self.class_weight, dtype=logits.dtype, device=logits.device
                )
            loss = loss + _cross_entropy(
                logits[labelled],
                label[labelled],
                weight,
                None if sample_weight is None else sample_weight[labelled],
            )
        return loss


class DomainWeightSchedule(Callback):
    """Ramp the reversal weight up as in DANN: ``w * (2 / (1 + exp(-10 p)) - 1)``.

    ``p`` is the fraction of training done, so the discriminator's noisy early
    gradients do not disturb the encoders.
    """

    def __init__(self, weight):
        self.weight = weight

    def on_epoch_begin(self, net, **kwargs):
        p = (len(net.history) - 1) / max(net.max_epochs, 1)
        net.module_.domain_weight = self.weight * (
            2.0 / (1.0 + math.exp(-10.0 * p)) - 1.0
        )
