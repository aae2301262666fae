"""Training losses of the neural fusion estimators.

:class:`FusionLoss` is the criterion skorch trains every neural fusion
estimator with; it combines a main loss on the network output (cross-entropy
with class weights, KL divergence to label distributions, polarity-consistent
cross-entropy; or MSE / L1 / Huber / polarity-aware MSE for regression) with an
optional auxiliary metric loss (batch-all triplet or N-pair) on the fused
embedding.
"""

import torch
import torch.nn.functional as F
from torch import nn


def _normalize(emb):
    return F.normalize(emb.flatten(1), dim=1)


def triplet_loss(embeddings, labels, margin=0.5):
    """Batch-all triplet loss on L2-normalised embeddings.

    Every (anchor, positive, negative) triplet of the batch, positive sharing
    the anchor's label and negative not, costs ``max(d_ap - d_an + margin, 0)``
    (Schroff et al. 2015; the batch-all form of Hermans et al. 2017, which
    unlike batch-hard mining does not collapse the embeddings early in
    training).

    Parameters
    ----------
    embeddings : Tensor of shape (n, d)
    labels : Tensor of shape (n,)
    margin : float, default=0.5

    Returns
    -------
    loss : Tensor (scalar)
        Mean over the valid triplets; 0 when the batch has none.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import triplet_loss
    >>> emb = torch.tensor([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [0.1, 1.0]])
    >>> float(triplet_loss(emb, torch.tensor([0, 0, 1, 1])))
    0.0
    """
    e = _normalize(embeddings)
    # unit vectors: |a - b|^2 = 2 - 2 a.b; clamped so that the gradient at zero
    # distance (the diagonal) is 0, not NaN as with cdist
    d = torch.sqrt(torch.clamp(2 - 2 * e @ e.T, min=1e-12))
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool, device=e.device)
    pos = same & ~eye
    neg = ~same
    valid = pos[:, :, None] & neg[:, None, :]  # [anchor, positive, negative]
    if not valid.any():
        return e.sum() * 0.0
    cost = F.relu(d[:, :, None] - d[:, None, :] + margin)
    return cost[valid].mean()


def npair_loss(embeddings, labels, scale=10.0):
    """Multi-class N-pair loss (Sohn 2016) on L2-normalised embeddings.

    For every anchor ``i`` and positive ``j`` (same label) in the batch,
    ``log(1 + sum_k exp(s_ik - s_ij))`` over the negatives ``k``, with cosine
    similarities ``s`` multiplied by ``scale``.

    Parameters
    ----------
    embeddings : Tensor of shape (n, d)
    labels : Tensor of shape (n,)
    scale : float, default=10.0
        Inverse temperature of the similarities.

    Returns
    -------
    loss : Tensor (scalar)
        Mean over the (anchor, positive) pairs that have a negative.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import npair_loss
    >>> emb = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    >>> float(npair_loss(emb, torch.tensor([0, 0, 1, 1]))) < 1e-3
    True
    """
    e = _normalize(embeddings)
    s = scale * e @ e.T
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool, device=e.device)
    pos = same & ~eye
    neg = ~same
    if not (pos.any() and neg.any()):
        return e.sum() * 0.0
    # for each (i, j): logsumexp over {0} ∪ {s_ik - s_ij : k negative}
    diff = s[:, None, :] - s[:, :, None]  # [i, j, k] = s_ik - s_ij
    diff = diff.masked_fill(~neg[:, None, :], float("-inf"))
    zeros = torch.zeros_like(diff[:, :, :1])
    per_pair = torch.logsumexp(torch.cat([zeros, diff], dim=2), dim=2)
    valid = pos & neg.any(1, keepdim=True)
    return per_pair[valid].mean() if valid.any() else e.sum() * 0.0


def _weighted_mean(values, weight):
    """Mean of per-sample ``values`` weighted by ``weight`` (None: plain mean)."""
    if weight is None:
        return values.mean()
    return (values * weight).sum() / weight.sum().clamp(min=1e-12)


def polarity_cross_entropy(
    logits, target, polarity, weight=None, polarity_weight=1.0, sample_weight=None
):
    """Cross-entropy plus a penalty on probability across the polarity divide.

    ``CE(p, y) - polarity_weight * log(1 - q)``, where ``q`` is the probability
    given to classes of the opposite polarity to the true class (negative vs
    positive; neutral classes, polarity 0, have no opposite). A confusion
    within the positive or within the negative classes costs the plain
    cross-entropy; one across the divide costs more.

    Parameters
    ----------
    logits : Tensor of shape (n, n_classes)
    target : Tensor of shape (n,)
        Class indices.
    polarity : Tensor of shape (n_classes,)
        -1, 0 or +1 per class.
    weight : Tensor of shape (n_classes,), default=None
        Class weights of the cross-entropy.
    polarity_weight : float, default=1.0
    sample_weight : Tensor of shape (n,), default=None
        Per-sample weights (weighted means).

    Returns
    -------
    loss : Tensor (scalar)

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import polarity_cross_entropy
    >>> pol = torch.tensor([-1.0, -1.0, 1.0])
    >>> within = polarity_cross_entropy(torch.tensor([[0.0, 2.0, 0.0]]), torch.tensor([0]), pol)
    >>> across = polarity_cross_entropy(torch.tensor([[0.0, 0.0, 2.0]]), torch.tensor([0]), pol)
    >>> bool(across > within)
    True
    """
    ce = _cross_entropy(logits, target, weight, sample_weight)
    p = torch.softmax(logits, dim=1)
    opposite = (polarity[target][:, None] * polarity[None, :]) < 0
    q = (p * opposite.to(p.dtype)).sum(1)
    penalty = _weighted_mean(torch.log1p(-q.clamp(max=1 - 1e-6)), sample_weight)
    return ce - polarity_weight * penalty


def _cross_entropy(logits, target, weight, sample_weight):
    """Cross-entropy with class weights, the mean also weighted per sample."""
    if sample_weight is None:
        return F.cross_entropy(logits, target, weight=weight)
    losses = F.cross_entropy(logits, target, weight=weight, reduction="none")
    w = sample_weight if weight is None else sample_weight * weight[target]
    return (losses * sample_weight).sum() / w.sum().clamp(min=1e-12)


def kl_to_distribution(logits, target_dist, weight=None, sample_weight=None):
    """KL divergence from target label distributions to the predicted ones.

    Parameters
    ----------
    logits : Tensor of shape (n, n_classes)
    target_dist : Tensor of shape (n, n_classes)
        Rows are probability distributions (e.g. annotator vote shares).
    weight : Tensor of shape (n_classes,), default=None
        Class weights; a row counts ``sum_k target_k * weight_k``.
    sample_weight : Tensor of shape (n,), default=None
        Per-sample weights, multiplied with the class weights.

    Returns
    -------
    loss : Tensor (scalar)
        Batch mean of ``KL(target || softmax(logits))``.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import kl_to_distribution
    >>> t = torch.tensor([[0.25, 0.75]])
    >>> float(kl_to_distribution(torch.log(t), t))
    0.0
    """
    kl = F.kl_div(torch.log_softmax(logits, dim=1), target_dist, reduction="none").sum(
        1
    )
    w = None if weight is None else target_dist @ weight
    if sample_weight is not None:
        w = sample_weight if w is None else w * sample_weight
    return _weighted_mean(kl, w)


class FusionLoss(nn.Module):
    """Criterion of the neural fusion estimators (main loss + metric loss).

    Parameters
    ----------
    loss : str, default="cross_entropy"
        Classification: ``"cross_entropy"``, ``"kl"`` (KL divergence to the
        target distributions; with class-index targets it equals the
        cross-entropy) or ``"polarity"`` (:func:`polarity_cross_entropy`).
        Regression: ``"mse"``, ``"l1"``, ``"huber"`` or ``"polarity"`` (MSE
        plus ``polarity_weight * mean(relu(-y_pred * y))`` in the original
        target units, penalising predictions of the wrong sign).
    metric_loss : {"triplet", "npair"} or None, default=None
        Auxiliary metric loss on the fused embedding, labels being the classes
        (regression: the sign of the first target).
    metric_weight : float, default=0.1
        Weight of the metric loss.
    class_weight : Tensor of shape (n_classes,), default=None
    polarity : Tensor of shape (n_classes,), default=None
        Class polarities for ``loss="polarity"`` (classification).
    polarity_weight : float, default=1.0
    task : {"classification", "regression"}, default="classification"
    target_offset, target_scale : Tensor of shape (n_outputs,), default=None
        Regression targets are standardised; these map them back for the
        polarity term and the metric-loss labels.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import FusionLoss
    >>> crit = FusionLoss(metric_loss="triplet")
    >>> logits, emb = torch.zeros(4, 2), torch.randn(4, 3)
    >>> float(crit((logits, emb), torch.tensor([0, 1, 0, 1]))) > 0
    True
    """

    def __init__(
        self,
        loss="cross_entropy",
        metric_loss=None,
        metric_weight=0.1,
        class_weight=None,
        polarity=None,
        polarity_weight=1.0,
        task="classification",
        target_offset=None,
        target_scale=None,
    ):
        super().__init__()
        self.loss = loss
        self.metric_loss = metric_loss
        self.metric_weight = float(metric_weight)
        self.polarity_weight = float(polarity_weight)
        self.task = task
        for name, value in [
            ("class_weight", class_weight),
            ("polarity", polarity),
            ("target_offset", target_offset),
            ("target_scale", target_scale),
        ]:
            self.register_buffer(
                name, None if value is None else torch.as_tensor(value)
            )

    def _classification(self, out, y, sw):
        if y.is_floating_point() and y.dim() == 2:
            return kl_to_distribution(out, y, self.class_weight, sw), y.argmax(1)
        y = y.long()
        if self.loss == "polarity":
            if self.polarity is None:
                raise ValueError("loss='polarity' needs class polarities.")
            main = polarity_cross_entropy(
                out, y, self.polarity, self.class_weight, self.polarity_weight, sw
            )
        else:
            main = _cross_entropy(out, y, self.class_weight, sw)
        return main, y

    def _regression(self, out, y, sw):
        y = y.reshape(out.shape).to(out.dtype)
        per_sample = {"l1": F.l1_loss, "huber": F.huber_loss}.get(self.loss, F.mse_loss)
        main = _weighted_mean(per_sample(out, y, reduction="none").mean(1), sw)
        offset = 0.0 if self.target_offset is None else self.target_offset
        scale = 1.0 if self.target_scale is None else self.target_scale
        y_raw, out_raw = y * scale + offset, out * scale + offset
        if self.loss == "polarity":
            wrong = F.relu(-out_raw * y_raw).mean(1)
            main = main + self.polarity_weight * _weighted_mean(wrong, sw)
        return main, (y_raw[:, 0] >= 0).long()

    def forward(self, y_pred, y_true, sample_weight=None):
        """Loss of a batch; ``y_pred`` is the output or ``(output, fused, ...)``.

        ``sample_weight`` (n,) weights the main loss's mean over the batch
        (the metric loss is unweighted).
        """
        if isinstance(y_pred, tuple | list):
            out, emb = y_pred[0], (y_pred[1] if len(y_pred) > 1 else None)
        else:
            out, emb = y_pred, None
        if self.task == "classification":
            main, labels = self._classification(out, y_true, sample_weight)
        else:
            main, labels = self._regression(out, y_true, sample_weight)
        if self.metric_loss is None or emb is None or self.metric_weight == 0:
            return main
        aux = triplet_loss if self.metric_loss == "triplet" else npair_loss
        return main + self.metric_weight * aux(emb, labels)
