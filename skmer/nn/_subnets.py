"""Per-modality subnetworks: map one modality's encoded vector to an embedding."""

import torch
from torch import nn


def mlp_layers(in_features, hidden_sizes, dropout):
    """Linear -> ReLU -> Dropout layers; return ``(layers, out_features)``."""
    layers, d = [], in_features
    for h in hidden_sizes:
        layers += [nn.Linear(d, h), nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        d = h
    return layers, d


class ModalityMLP(nn.Module):
    """Multi-layer perceptron over one modality's encoded feature vector.

    Parameters
    ----------
    in_features : int
        Number of encoded features of the modality.
    hidden_sizes : sequence of int, default=(32,)
        Width of each hidden layer; the last one is the embedding size. Empty
        means the identity (the embedding is the input).
    dropout : float, default=0.0
        Dropout after each hidden layer.

    Attributes
    ----------
    out_features : int
        Embedding size.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import ModalityMLP
    >>> net = ModalityMLP(10, hidden_sizes=(16, 8))
    >>> net(torch.zeros(4, 10)).shape, net.out_features
    (torch.Size([4, 8]), 8)
    """

    def __init__(self, in_features, hidden_sizes=(32,), dropout=0.0):
        super().__init__()
        layers, self.out_features = mlp_layers(in_features, hidden_sizes, dropout)
        self.net = nn.Sequential(*layers) if layers else nn.Identity()

    def forward(self, x):
        """Embed ``x`` of shape (n, in_features) into (n, out_features)."""
        return self.net(x)


def drop_modalities(mask, p, training):
    """Randomly hide present modalities while training (modality dropout).

    Each present modality of a row is dropped with probability ``p``; a row
    whose present modalities would all be dropped keeps its original mask, so
    every row still sees at least one modality.

    Parameters
    ----------
    mask : Tensor of shape (n, n_modalities)
        1 where a modality is present, 0 where it is missing.
    p : float
        Drop probability in [0, 1).
    training : bool
        Only drop in training mode.

    Returns
    -------
    mask : Tensor of shape (n, n_modalities)

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import drop_modalities
    >>> _ = torch.manual_seed(0)
    >>> m = drop_modalities(torch.ones(1000, 3), 0.3, True)
    >>> bool((m.sum(1) >= 1).all()), round(float(m.mean()), 1)
    (True, 0.7)
    """
    if not training or p <= 0:
        return mask
    keep = (torch.rand_like(mask) >= p).to(mask.dtype)
    dropped = mask * keep
    empty = (dropped.sum(dim=1, keepdim=True) == 0) & (
        mask.sum(dim=1, keepdim=True) > 0
    )
    return torch.where(empty, mask, dropped)
