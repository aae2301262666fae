"""Recurrent multimodal networks of the seed's MER systems, as plain torch modules.

Every sequence network reads one padded tensor per modality, ``xs[v]`` of shape
``(batch, T, d_v)``, and a float mask ``masks[v]`` of shape ``(batch, T)`` that is 1
on real steps and 0 on padding (and everywhere when the modality is missing).
Step ``t`` of every modality is processed together, as for word-aligned
sequences. On a masked step a modality's state is carried over unchanged, so
padding and missing modalities never alter the representation.

- :class:`MultiViewLSTM` -- MV-LSTM (Rajagopalan et al., ECCV 2016).
- :class:`MemoryFusionNetwork` -- MFN (Zadeh et al., AAAI 2018).
- :class:`MultiAttentionRecurrentNetwork` -- MARN (Zadeh et al., AAAI 2018).
- :class:`ContextualLSTM` -- bc-LSTM (Poria et al., ACL 2017).
"""

import torch
from torch import nn


def _keep(new, old, m):
    """``new`` where the step mask ``m`` (batch, 1) is 1, else ``old``."""
    return m * new + (1.0 - m) * old


def _mlp(n_in, n_hidden, n_out, dropout):
    return nn.Sequential(
        nn.Linear(n_in, n_hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(n_hidden, n_out),
    )


def _check_inputs(xs, masks, n_views):
    if len(xs) != n_views or len(masks) != n_views:
        raise ValueError(
            f"Expected {n_views} modality tensors and masks; got {len(xs)} and "
            f"{len(masks)}."
        )
    T = {x.shape[1] for x in xs}
    if len(T) != 1:
        raise ValueError(f"Modality tensors must share the padded length T; got {T}.")


class _LSTMStep(nn.Module):
    """One LSTM step whose gates read the input and any extra state vectors."""

    def __init__(self, n_in, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.linear = nn.Linear(n_in, 4 * hidden_size)

    def forward(self, inputs, c):
        i, f, o, g = self.linear(torch.cat(inputs, dim=-1)).chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c


class MultiViewLSTM(nn.Module):
    """Multi-View LSTM (MV-LSTM) over word-aligned modality sequences.

    Each view (modality) has its own LSTM memory split into a view-specific
    region, whose gates read the view's input and its own hidden state, and a
    cross-view region, whose gates read the view's input and the hidden states
    of all views (the "fully connected" MV-LSTM topology). The final hidden
    states of all views feed a two-layer head.

    Parameters
    ----------
    input_dims : list of int
        Features per step of each view.
    n_outputs : int
        Size of the output (classes or regression targets).
    hidden_size : int, default=32
        Memory size per view.
    cross_fraction : float, default=0.5
        Share of each view's memory in the cross-view region.
    dropout : float, default=0.0
        Dropout before the output head.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import MultiViewLSTM
    >>> net = MultiViewLSTM([3, 2], n_outputs=4, hidden_size=8)
    >>> xs = [torch.randn(5, 7, 3), torch.randn(5, 7, 2)]
    >>> net(xs, [torch.ones(5, 7), torch.ones(5, 7)]).shape
    torch.Size([5, 4])
    """

    def __init__(
        self, input_dims, n_outputs, *, hidden_size=32, cross_fraction=0.5, dropout=0.0
    ):
        super().__init__()
        self.input_dims = list(input_dims)
        self.hidden_size = hidden_size
        n_views = len(self.input_dims)
        self.n_cross = min(hidden_size - 1, max(1, round(hidden_size * cross_fraction)))
        self.n_spec = hidden_size - self.n_cross
        self.specific = nn.ModuleList(
            _LSTMStep(d + hidden_size, self.n_spec) for d in self.input_dims
        )
        self.cross = nn.ModuleList(
            _LSTMStep(d + n_views * hidden_size, self.n_cross) for d in self.input_dims
        )
        total = n_views * hidden_size
        self.head = nn.Sequential(
            nn.Dropout(dropout), _mlp(total, hidden_size, n_outputs, dropout)
        )

    def forward(self, xs, masks):
        _check_inputs(xs, masks, len(self.input_dims))
        B, T = xs[0].shape[:2]
        zeros = xs[0].new_zeros
        h = [zeros(B, self.hidden_size) for _ in xs]
        c = [zeros(B, self.hidden_size) for _ in xs]
        for t in range(T):
            h_all = torch.cat(h, dim=-1)
            new_h, new_c = [], []
            for v, x in enumerate(xs):
                m = masks[v][:, t : t + 1]
                hs, cs = self.specific[v]([x[:, t], h[v]], c[v][:, : self.n_spec])
                hc, cc = self.cross[v]([x[:, t], h_all], c[v][:, self.n_spec :])
                new_h.append(_keep(torch.cat([hs, hc], -1), h[v], m))
                new_c.append(_keep(torch.cat([cs, cc], -1), c[v], m))
            h, c = new_h, new_c
        return self.head(torch.cat(h, dim=-1))


class MemoryFusionNetwork(nn.Module):
    """Memory Fusion Network (MFN) over word-aligned modality sequences.

    A system of LSTMs (one per modality) is read at every step by the
    Delta-memory Attention Network, which attends over the concatenated LSTM
    memories of steps ``t-1`` and ``t``; the attended cross-modal code updates the
    Multi-view Gated Memory ``u`` through a retain gate and an update gate. The
    final hidden states and ``u`` feed the output head.

    Parameters
    ----------
    input_dims : list of int
        Features per step of each modality.
    n_outputs : int
        Size of the output.
    hidden_size : int, default=32
        LSTM size per modality.
    memory_size : int, default=None
        Size of the multi-view gated memory; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout inside the attention, gate and output networks.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import MemoryFusionNetwork
    >>> net = MemoryFusionNetwork([3, 2], n_outputs=1, hidden_size=8)
    >>> net([torch.randn(4, 6, 3), torch.randn(4, 6, 2)], [torch.ones(4, 6)] * 2).shape
    torch.Size([4, 1])
    """

    def __init__(
        self, input_dims, n_outputs, *, hidden_size=32, memory_size=None, dropout=0.0
    ):
        super().__init__()
        self.input_dims = list(input_dims)
        self.hidden_size = hidden_size
        self.memory_size = hidden_size if memory_size is None else memory_size
        self.lstms = nn.ModuleList(nn.LSTMCell(d, hidden_size) for d in self.input_dims)
        total = len(self.input_dims) * hidden_size
        self.attention = _mlp(2 * total, hidden_size, 2 * total, dropout)
        self.update = _mlp(2 * total, hidden_size, self.memory_size, dropout)
        self.retain_gate = _mlp(
            2 * total + self.memory_size, hidden_size, self.memory_size, dropout
        )
        self.update_gate = _mlp(
            2 * total + self.memory_size, hidden_size, self.memory_size, dropout
        )
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            _mlp(total + self.memory_size, hidden_size, n_outputs, dropout),
        )

    def forward(self, xs, masks):
        _check_inputs(xs, masks, len(self.input_dims))
        B, T = xs[0].shape[:2]
        zeros = xs[0].new_zeros
        h = [zeros(B, self.hidden_size) for _ in xs]
        c = [zeros(B, self.hidden_size) for _ in xs]
        u = zeros(B, self.memory_size)
        for t in range(T):
            c_prev = torch.cat(c, dim=-1)
            any_step = torch.zeros_like(masks[0][:, t : t + 1])
            for v, x in enumerate(xs):
                m = masks[v][:, t : t + 1]
                hv, cv = self.lstms[v](x[:, t], (h[v], c[v]))
                h[v], c[v] = _keep(hv, h[v], m), _keep(cv, c[v], m)
                any_step = torch.maximum(any_step, m)
            delta = torch.cat([c_prev, torch.cat(c, dim=-1)], dim=-1)
            attended = delta * torch.softmax(self.attention(delta), dim=-1)
            u_hat = torch.tanh(self.update(attended))
            gate_in = torch.cat([attended, u], dim=-1)
            g1 = torch.sigmoid(self.retain_gate(gate_in))
            g2 = torch.sigmoid(self.update_gate(gate_in))
            u = _keep(g1 * u + g2 * u_hat, u, any_step)
        return self.head(torch.cat(h + [u], dim=-1))


class MultiAttentionRecurrentNetwork(nn.Module):
    """Multi-attention Recurrent Network (MARN) over word-aligned sequences.

    Each modality has a Long-Short Term Hybrid Memory (LSTHM): an LSTM whose
    gates also read the hybrid cross-modal code ``z`` of the previous step. The
    Multi-attention Block computes ``n_attentions`` softmax attentions over the
    concatenated hidden states, reduces each modality's attended slices with its
    own network and maps them to the next ``z``. Final hidden states and ``z``
    feed the output head.

    Parameters
    ----------
    input_dims : list of int
        Features per step of each modality.
    n_outputs : int
        Size of the output.
    hidden_size : int, default=32
        LSTHM size per modality.
    n_attentions : int, default=4
        Number of attentions of the multi-attention block.
    code_size : int, default=None
        Size of the hybrid code ``z``; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout inside the attention, reduction and output networks.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import MultiAttentionRecurrentNetwork
    >>> net = MultiAttentionRecurrentNetwork([3, 2], n_outputs=2, hidden_size=8)
    >>> net([torch.randn(4, 6, 3), torch.randn(4, 6, 2)], [torch.ones(4, 6)] * 2).shape
    torch.Size([4, 2])
    """

    def __init__(
        self,
        input_dims,
        n_outputs,
        *,
        hidden_size=32,
        n_attentions=4,
        code_size=None,
        dropout=0.0,
    ):
        super().__init__()
        self.input_dims = list(input_dims)
        self.hidden_size = hidden_size
        self.n_attentions = n_attentions
        self.code_size = hidden_size if code_size is None else code_size
        n_views = len(self.input_dims)
        total = n_views * hidden_size
        self.lsthms = nn.ModuleList(
            _LSTMStep(d + hidden_size + self.code_size, hidden_size)
            for d in self.input_dims
        )
        self.attention = _mlp(total, hidden_size, n_attentions * total, dropout)
        self.reduce = nn.ModuleList(
            _mlp(n_attentions * hidden_size, hidden_size, hidden_size, dropout)
            for _ in self.input_dims
        )
        self.code = _mlp(total, hidden_size, self.code_size, dropout)
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            _mlp(total + self.code_size, hidden_size, n_outputs, dropout),
        )

    def forward(self, xs, masks):
        _check_inputs(xs, masks, len(self.input_dims))
        B, T = xs[0].shape[:2]
        zeros = xs[0].new_zeros
        H, K = self.hidden_size, self.n_attentions
        h = [zeros(B, H) for _ in xs]
        c = [zeros(B, H) for _ in xs]
        z = zeros(B, self.code_size)
        for t in range(T):
            any_step = torch.zeros_like(masks[0][:, t : t + 1])
            for v, x in enumerate(xs):
                m = masks[v][:, t : t + 1]
                hv, cv = self.lsthms[v]([x[:, t], h[v], z], c[v])
                h[v], c[v] = _keep(hv, h[v], m), _keep(cv, c[v], m)
                any_step = torch.maximum(any_step, m)
            h_cat = torch.cat(h, dim=-1)
            scores = self.attention(h_cat).view(B, K, -1)
            attended = torch.softmax(scores, dim=-1) * h_cat.unsqueeze(1)  # (B, K, V*H)
            parts = [
                self.reduce[v](attended[:, :, v * H : (v + 1) * H].reshape(B, K * H))
                for v in range(len(xs))
            ]
            z = _keep(torch.tanh(self.code(torch.cat(parts, dim=-1))), z, any_step)
        return self.head(torch.cat(h + [z], dim=-1))


class ContextualLSTM(nn.Module):
    """Bidirectional contextual LSTM (bc-LSTM) over the utterances of a video.

    Input is one sequence of utterances per video (or dialogue): for each
    modality a tensor ``(batch, L, d_v)`` of utterance-level features and a
    presence mask ``(batch, L)`` (0 where the utterance misses that modality or
    is padding). Each modality is projected, missing ones zeroed and flagged,
    the concatenation runs through a bidirectional LSTM over the utterances, and
    a dense layer gives one output per utterance.

    Parameters
    ----------
    input_dims : list of int
        Utterance-level features of each modality.
    n_outputs : int
        Size of the output per utterance.
    hidden_size : int, default=32
        LSTM size per direction.
    projection_size : int, default=None
        Size of each modality's projection; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout on the projections and before the output layer.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import ContextualLSTM
    >>> net = ContextualLSTM([3, 2], n_outputs=1, hidden_size=8)
    >>> xs = [torch.randn(2, 5, 3), torch.randn(2, 5, 2)]
    >>> net(xs, [torch.ones(2, 5)] * 2, torch.ones(2, 5)).shape
    torch.Size([2, 5, 1])
    """

    def __init__(
        self,
        input_dims,
        n_outputs,
        *,
        hidden_size=32,
        projection_size=None,
        dropout=0.0,
    ):
        super().__init__()
        self.input_dims = list(input_dims)
        size = hidden_size if projection_size is None else projection_size
        self.project = nn.ModuleList(
            nn.Sequential(nn.Linear(d, size), nn.ReLU(), nn.Dropout(dropout))
            for d in self.input_dims
        )
        n_in = len(self.input_dims) * (size + 1)
        self.lstm = nn.LSTM(n_in, hidden_size, batch_first=True, bidirectional=True)
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(2 * hidden_size, hidden_size),
            nn.ReLU(),
            nn.Linear(hidden_size, n_outputs),
        )

    def forward(self, xs, presence, utterance_mask):
        _check_inputs(xs, presence, len(self.input_dims))
        parts = []
        for v, x in enumerate(xs):
            p = presence[v].unsqueeze(-1)
            parts += [self.project[v](x) * p, p]
        seq = torch.cat(parts, dim=-1)
        lengths = utterance_mask.sum(dim=1).long().clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(
            seq, lengths, batch_first=True, enforce_sorted=False
        )
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(
            out, batch_first=True, total_length=seq.shape[1]
        )
        return self.head(out)


class ModalityDictAdapter(nn.Module):
    """Feed skorch's dict batches to a multimodal recurrent network.

    skorch unpacks a dict input into keyword arguments; this wrapper collects the
    ``x<v>`` tensors and the step masks ``m<v>`` into the lists the networks of
    this module take. ``mask`` is the presence of each modality per sample,
    shape ``(batch, n_modalities)``, or per utterance, ``(batch, L,
    n_modalities)`` together with ``utterance_mask`` (for
    :class:`ContextualLSTM`, whose per-modality masks are the presence itself).
    While training, present modalities are hidden with probability
    ``modality_dropout`` (:func:`skmer.nn.drop_modalities`).

    Parameters
    ----------
    network : type
        The module class, e.g. :class:`MemoryFusionNetwork`.
    input_dims : list of int
        Features per step of each modality.
    n_outputs : int
        Output size.
    options : dict, default=None
        Keyword arguments of ``network``.
    modality_dropout : float, default=0.0
        Probability of hiding a present modality of a sample while training.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import ModalityDictAdapter, MultiViewLSTM
    >>> net = ModalityDictAdapter(MultiViewLSTM, [2], 3, {"hidden_size": 4})
    >>> net(x0=torch.randn(2, 5, 2), m0=torch.ones(2, 5), mask=torch.ones(2, 1)).shape
    torch.Size([2, 3])
    """

    def __init__(
        self, network, input_dims, n_outputs, options=None, modality_dropout=0.0
    ):
        super().__init__()
        self.n_views = len(input_dims)
        self.modality_dropout = modality_dropout
        self.network = network(list(input_dims), n_outputs, **(options or {}))

    def forward(self, **batch):
        from skmer.nn._subnets import drop_modalities

        xs = [batch[f"x{v}"] for v in range(self.n_views)]
        mask = batch["mask"]
        flat = drop_modalities(
            mask.reshape(-1, self.n_views), self.modality_dropout, self.training
        )
        mask = flat.reshape(mask.shape)
        if "utterance_mask" in batch:
            presence = [mask[..., v] for v in range(self.n_views)]
            return self.network(xs, presence, batch["utterance_mask"])
        ms = [batch[f"m{v}"] * mask[:, v : v + 1] for v in range(self.n_views)]
        return self.network(xs, ms)


class PaddedLoss(nn.Module):
    """Apply :class:`skmer.nn.FusionLoss` to the real entries of padded targets.

    For per-utterance outputs ``(batch, L, n_outputs)``: class targets equal to
    ``-100`` and float targets that are NaN mark padding; the remaining
    utterances are flattened and scored by ``FusionLoss(**kwargs)``, weighted by
    per-utterance ``sample_weight`` ``(batch, L)`` when given.

    Parameters
    ----------
    **kwargs : dict
        Arguments of :class:`skmer.nn.FusionLoss` (skorch's ``criterion__*``).

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import PaddedLoss
    >>> loss = PaddedLoss(loss="cross_entropy", task="classification")
    >>> y = torch.tensor([[1, -100]])
    >>> float(loss(torch.tensor([[[0.0, 0.0], [5.0, 0.0]]]), y)) > 0.69
    True
    """

    def __init__(self, **kwargs):
        super().__init__()
        from skmer.nn import FusionLoss

        self.loss = FusionLoss(**kwargs)

    def forward(self, y_pred, y_true, sample_weight=None):
        if isinstance(y_pred, tuple):
            y_pred = y_pred[0]
        n_out = y_pred.shape[-1]
        y_pred = y_pred.reshape(-1, n_out)
        if y_true.dtype.is_floating_point:
            y_true = y_true.reshape(y_pred.shape[0], -1)
            keep = ~torch.isnan(y_true).any(dim=1)
        else:
            y_true = y_true.reshape(-1)
            keep = y_true != -100
        if sample_weight is not None:
            sample_weight = sample_weight.reshape(-1)[keep]
        return self.loss(y_pred[keep], y_true[keep], sample_weight=sample_weight)
