"""Output heads: map a fused representation to class logits or regression outputs."""

from torch import nn

from skmer.nn._subnets import mlp_layers


class _MLPHead(nn.Module):
    def __init__(self, in_features, n_outputs, hidden_sizes=(64,), dropout=0.0):
        super().__init__()
        layers, d = mlp_layers(in_features, hidden_sizes, dropout)
        self.net = nn.Sequential(*layers, nn.Linear(d, n_outputs))
        self.n_outputs = int(n_outputs)

    def forward(self, fused):
        """Map (n, in_features) to (n, n_outputs)."""
        return self.net(fused)


class ClassificationHead(_MLPHead):
    """MLP from the fused representation to class logits (no softmax).

    Parameters
    ----------
    in_features : int
        Size of the fused representation.
    n_classes : int
        Number of classes.
    hidden_sizes : sequence of int, default=(64,)
        Hidden layers (ReLU, dropout); empty for a linear head.
    dropout : float, default=0.0

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import ClassificationHead
    >>> ClassificationHead(8, 3)(torch.zeros(2, 8)).shape
    torch.Size([2, 3])
    """

    def __init__(self, in_features, n_classes, hidden_sizes=(64,), dropout=0.0):
        super().__init__(in_features, n_classes, hidden_sizes, dropout)


class RegressionHead(_MLPHead):
    """MLP from the fused representation to continuous outputs.

    Multi-output, e.g. valence, arousal and dominance at once.

    Parameters
    ----------
    in_features : int
        Size of the fused representation.
    n_outputs : int, default=1
        Number of targets.
    hidden_sizes : sequence of int, default=(64,)
        Hidden layers (ReLU, dropout); empty for a linear head.
    dropout : float, default=0.0

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import RegressionHead
    >>> RegressionHead(8, n_outputs=3)(torch.zeros(2, 8)).shape
    torch.Size([2, 3])
    """

    def __init__(self, in_features, n_outputs=1, hidden_sizes=(64,), dropout=0.0):
        super().__init__(in_features, n_outputs, hidden_sizes, dropout)
