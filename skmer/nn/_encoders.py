"""Torch modules of skmer's learned modality encoders.

Every module takes a zero-padded batch ``x`` of shape ``(batch, T, d)`` and the
true ``lengths`` of its sequences, returns the prediction head's output from
``forward`` and the penultimate embedding from ``embed``. Padding never
changes the embedding of a sequence: recurrent nets run on packed sequences,
convolutional nets zero the padded steps after every layer and pool over the
valid steps only.
"""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


def _time_mask(lengths, T, device):
    return torch.arange(T, device=device)[None, :] < lengths.to(device)[:, None]


class _Head(nn.Module):
    def __init__(self, in_features, embedding_size, n_outputs, dropout):
        super().__init__()
        self.proj = nn.Linear(in_features, embedding_size)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(embedding_size, n_outputs)

    def embed(self, h):
        return torch.relu(self.proj(h))

    def forward(self, h):
        return self.out(self.dropout(self.embed(h)))


class _SequenceNet(nn.Module):
    """Shared ``embed``/``forward`` over a subclass's ``_encode`` and ``head``."""

    def embed(self, x, lengths):
        """Penultimate embedding ``(batch, embedding_size)``."""
        return self.head.embed(self._encode(x, lengths))

    def forward(self, x, lengths):
        return self.head(self._encode(x, lengths))


class RecurrentSequenceNet(_SequenceNet):
    """GRU/LSTM encoder of padded sequences with a linear prediction head.

    Parameters
    ----------
    input_size : int
        Features per time step.
    n_outputs : int
        Outputs of the head (classes or regression targets).
    cell : {"gru", "lstm"}, default="gru"
        Recurrent cell.
    hidden_size : int, default=32
        Hidden units per direction.
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=False
        Read sequences both ways.
    embedding_size : int, default=32
        Size of the penultimate embedding.
    dropout : float, default=0.0
        Dropout before the output layer.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn._encoders import RecurrentSequenceNet
    >>> net = RecurrentSequenceNet(3, 2, embedding_size=4)
    >>> x, lengths = torch.zeros(5, 7, 3), torch.tensor([7, 3, 1, 2, 5])
    >>> net(x, lengths).shape, net.embed(x, lengths).shape
    (torch.Size([5, 2]), torch.Size([5, 4]))
    """

    def __init__(
        self,
        input_size,
        n_outputs,
        *,
        cell="gru",
        hidden_size=32,
        num_layers=1,
        bidirectional=False,
        embedding_size=32,
        dropout=0.0,
    ):
        super().__init__()
        rnn = {"gru": nn.GRU, "lstm": nn.LSTM}[cell]
        self.rnn = rnn(
            input_size,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=bidirectional,
        )
        self.n_dirs = 2 if bidirectional else 1
        self.head = _Head(hidden_size * self.n_dirs, embedding_size, n_outputs, dropout)

    def _encode(self, x, lengths):
        packed = pack_padded_sequence(
            x, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        _, h = self.rnn(packed)
        if isinstance(h, tuple):
            h = h[0]
        return torch.cat(list(h[-self.n_dirs :]), dim=-1)


class ConvSequenceNet(_SequenceNet):
    """1-D convolutional encoder of padded sequences with masked mean pooling.

    Parameters
    ----------
    input_size : int
        Features per time step.
    n_outputs : int
        Outputs of the head.
    channels : tuple of int, default=(32, 32)
        Output channels of the convolution layers.
    kernel_size : int, default=5
        Odd kernel width ("same" padding).
    embedding_size : int, default=32
        Size of the penultimate embedding.
    dropout : float, default=0.0
        Dropout before the output layer.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn._encoders import ConvSequenceNet
    >>> net = ConvSequenceNet(3, 2, channels=(4,), embedding_size=4)
    >>> net(torch.zeros(2, 6, 3), torch.tensor([6, 2])).shape
    torch.Size([2, 2])
    """

    def __init__(
        self,
        input_size,
        n_outputs,
        *,
        channels=(32, 32),
        kernel_size=5,
        embedding_size=32,
        dropout=0.0,
    ):
        super().__init__()
        sizes = [input_size, *channels]
        self.convs = nn.ModuleList(
            nn.Conv1d(a, b, kernel_size, padding=kernel_size // 2)
            for a, b in zip(sizes[:-1], sizes[1:])
        )
        self.head = _Head(sizes[-1], embedding_size, n_outputs, dropout)

    def _encode(self, x, lengths):
        mask = _time_mask(lengths, x.shape[1], x.device)[:, None, :].to(x.dtype)
        h = x.transpose(1, 2) * mask
        for conv in self.convs:
            h = torch.relu(conv(h)) * mask
        return h.sum(-1) / mask.sum(-1)


class SpectrogramCNN(_SequenceNet):
    """2-D CNN over (log-mel) spectrograms of varying length.

    The input batch is ``(batch, T, n_mels)``: frames are time steps. Each
    layer is a "same" 2-D convolution, ReLU, zeroing of padded frames and a
    max-pooling by 2 along frequency only; the embedding pools the last
    feature map over frequency and valid frames.

    Parameters
    ----------
    n_mels : int
        Frequency bins per frame.
    n_outputs : int
        Outputs of the head.
    channels : tuple of int, default=(8, 16)
        Output channels of the convolution layers.
    kernel_size : int, default=3
        Odd square kernel size.
    embedding_size : int, default=32
        Size of the penultimate embedding.
    dropout : float, default=0.0
        Dropout before the output layer.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn._encoders import SpectrogramCNN
    >>> net = SpectrogramCNN(16, 3, channels=(4,), embedding_size=5)
    >>> net.embed(torch.zeros(2, 10, 16), torch.tensor([10, 4])).shape
    torch.Size([2, 5])
    """

    def __init__(
        self,
        n_mels,
        n_outputs,
        *,
        channels=(8, 16),
        kernel_size=3,
        embedding_size=32,
        dropout=0.0,
    ):
        super().__init__()
        sizes = [1, *channels]
        self.convs = nn.ModuleList(
            nn.Conv2d(a, b, kernel_size, padding=kernel_size // 2)
            for a, b in zip(sizes[:-1], sizes[1:])
        )
        self.head = _Head(sizes[-1], embedding_size, n_outputs, dropout)

    def _encode(self, x, lengths):
        mask = _time_mask(lengths, x.shape[1], x.device)[:, None, None, :].to(x.dtype)
        h = x.transpose(1, 2)[:, None] * mask  # (batch, 1, n_mels, T)
        for conv in self.convs:
            h = torch.relu(conv(h)) * mask
            if h.shape[2] >= 2:
                h = nn.functional.max_pool2d(h, kernel_size=(2, 1))
        return h.mean(2).sum(-1) / mask[:, :, 0].sum(-1)
