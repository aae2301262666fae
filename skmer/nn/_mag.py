"""Pretrained-language-model networks: fine-tuning (FT) and the Multimodal Adaptation Gate.

Both load a Hugging Face ``transformers`` encoder from a local directory only
(``local_files_only=True``: nothing is downloaded) and classify or regress from
its first token's representation or the mean of its tokens' representations.
"""

import json
import os

import torch
from torch import nn

# sentence-transformers' pooling flags and the pooling they mean here
_ST_POOLING = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "first"}


def checkpoint_pooling(model_path):
    """The sentence pooling a local checkpoint was trained with.

    A sentence-transformers directory names its pooling module in
    ``modules.json``; its ``config.json`` says whether it averages the tokens
    (``"mean"``) or reads the first one (``"first"``). Any other checkpoint
    (a plain Hugging Face model) or pooling (e.g. the maximum over tokens)
    gives ``"first"``, BERT's [CLS] convention.

    Parameters
    ----------
    model_path : str or path-like
        Local model directory.

    Returns
    -------
    pooling : {"first", "mean"}

    Examples
    --------
    >>> import tempfile
    >>> from skmer.nn._mag import checkpoint_pooling
    >>> checkpoint_pooling(tempfile.mkdtemp())
    'first'
    """
    modules = os.path.join(str(model_path), "modules.json")
    if not os.path.isfile(modules):
        return "first"
    with open(modules) as f:
        entries = json.load(f)
    for entry in entries:
        if entry.get("type", "").endswith("models.Pooling"):
            config = os.path.join(str(model_path), entry.get("path", ""), "config.json")
            if not os.path.isfile(config):
                return "first"
            with open(config) as f:
                flags = json.load(f)
            for flag, pooling in _ST_POOLING.items():
                if flags.get(flag):
                    return pooling
    return "first"


class MultimodalAdaptationGate(nn.Module):
    """Shift word representations by a gated displacement from nonverbal features.

    The MAG of Rahman et al. (ACL 2020): for each nonverbal modality ``v`` a
    gate ``g_v = relu(W_gv [z; v])`` scales a projection ``W_v v``; their sum
    ``H`` (plus a bias) is the displacement, scaled so that its norm is at most
    ``beta_shift`` times the word vector's norm, added to ``z`` and
    layer-normalised. Steps where a modality is absent (mask 0) contribute no
    displacement.

    Parameters
    ----------
    text_dim : int
        Size of the word representations ``z``.
    nonverbal_dims : list of int
        Features per step of each nonverbal modality.
    beta_shift : float, default=1.0
        Bound of the displacement's norm relative to ``z``'s.
    dropout : float, default=0.1
        Dropout on the shifted representation.

    Examples
    --------
    >>> import torch
    >>> from skmer.nn import MultimodalAdaptationGate
    >>> mag = MultimodalAdaptationGate(8, [3, 2])
    >>> z = torch.randn(2, 5, 8)
    >>> mag(z, [torch.randn(2, 5, 3), torch.randn(2, 5, 2)], [torch.ones(2, 5)] * 2).shape
    torch.Size([2, 5, 8])
    """

    def __init__(self, text_dim, nonverbal_dims, *, beta_shift=1.0, dropout=0.1):
        super().__init__()
        self.beta_shift = beta_shift
        self.gates = nn.ModuleList(
            nn.Linear(text_dim + d, text_dim) for d in nonverbal_dims
        )
        self.projections = nn.ModuleList(nn.Linear(d, text_dim) for d in nonverbal_dims)
        self.bias = nn.Parameter(torch.zeros(text_dim))
        self.norm = nn.LayerNorm(text_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, z, nonverbal, masks):
        shift = self.bias.expand_as(z)
        for gate, proj, v, m in zip(self.gates, self.projections, nonverbal, masks):
            g = torch.relu(gate(torch.cat([z, v], dim=-1)))
            shift = shift + m.unsqueeze(-1) * g * proj(v)
        eps = 1e-6
        ratio = z.norm(dim=-1, keepdim=True) / (shift.norm(dim=-1, keepdim=True) + eps)
        alpha = torch.clamp(ratio * self.beta_shift, max=1.0)
        return self.dropout(self.norm(z + alpha * shift))


class PretrainedTextNetwork(nn.Module):
    """A local transformer encoder with an output head, optionally with a MAG.

    ``input_ids`` and ``attention_mask`` are the tokenizer's outputs. With
    ``nonverbal_dims``, the token embeddings are shifted by a
    :class:`MultimodalAdaptationGate` from the word-aligned nonverbal features
    ``x<v>`` (``(batch, L, d_v)``, aligned to tokens) before the encoder, or
    after its ``injection_layer``-th layer (MAG); without, the encoder is fine-tuned (FT) or, with ``freeze_encoder``, used
    as a fixed feature extractor. Each batch is cut to its longest text
    (tokens right-padded), so padding beyond it costs nothing.

    Parameters
    ----------
    model_path : str
        Local directory of a Hugging Face model (``config.json`` and weights).
    n_outputs : int
        Output size.
    nonverbal_dims : list of int, default=None
        Features per step of each nonverbal modality (MAG); None for FT.
    freeze_encoder : bool, default=False
        Train only the head (and the gate).
    beta_shift : float, default=1.0
        See :class:`MultimodalAdaptationGate`.
    dropout : float, default=0.1
        Dropout before the head (and inside the gate).
    injection_layer : int, default=0
        Where the gate shifts the word representations (MAG): 0 on the token
        embeddings, ``k`` on the output of the encoder's ``k``-th layer
        (``1 <= k <`` number of layers; after the last layer the shifted words
        would never reach the first token the head reads, so only with
        ``pooling="mean"`` may ``k`` be the number of layers).
    pooling : {"auto", "first", "mean"}, default="auto"
        What the head reads: the first token's representation (``"first"``,
        BERT's [CLS]), the mean over the text's tokens (``"mean"``), or the
        pooling the checkpoint was trained with (``"auto"``: ``"mean"`` for a
        sentence-transformers checkpoint that averages its tokens, such as
        all-MiniLM-L6-v2, read from its ``modules.json`` and pooling
        ``config.json``; ``"first"`` for any other checkpoint or pooling).

    Examples
    --------
    >>> import tempfile, torch
    >>> from transformers import BertConfig, BertModel
    >>> from skmer.nn import PretrainedTextNetwork
    >>> path = tempfile.mkdtemp()
    >>> cfg = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1,
    ...                  num_attention_heads=2, intermediate_size=16)
    >>> BertModel(cfg).save_pretrained(path)
    >>> net = PretrainedTextNetwork(path, 3, nonverbal_dims=[2])
    >>> ids = torch.randint(0, 30, (2, 6))
    >>> net(input_ids=ids, attention_mask=torch.ones(2, 6), x0=torch.randn(2, 6, 2),
    ...     m0=torch.ones(2, 6), mask=torch.ones(2, 1)).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        model_path,
        n_outputs,
        *,
        nonverbal_dims=None,
        freeze_encoder=False,
        beta_shift=1.0,
        dropout=0.1,
        injection_layer=0,
        pooling="auto",
    ):
        super().__init__()
        from skmer.utils._optional import import_optional

        if pooling not in ("auto", "first", "mean"):
            raise ValueError(
                f"pooling must be 'auto', 'first' or 'mean'; got {pooling!r}."
            )
        self.pooling = checkpoint_pooling(model_path) if pooling == "auto" else pooling

        auto_model = import_optional("transformers", "text").AutoModel
        self.encoder = auto_model.from_pretrained(
            str(model_path), local_files_only=True
        )
        if freeze_encoder:
            for p in self.encoder.parameters():
                p.requires_grad_(False)
        size = self.encoder.config.hidden_size
        self.n_views = len(nonverbal_dims or [])
        self.gate = (
            MultimodalAdaptationGate(
                size, nonverbal_dims, beta_shift=beta_shift, dropout=dropout
            )
            if nonverbal_dims
            else None
        )
        self.injection_layer = injection_layer
        self._pending_shift = None  # nonverbal inputs of the running forward pass
        if self.gate is not None and injection_layer > 0:
            layers = encoder_layers(self.encoder)
            # the head averages every token: the last layer's output may be shifted
            last = len(layers) if self.pooling == "mean" else len(layers) - 1
            if injection_layer > last:
                raise ValueError(
                    f"injection_layer={injection_layer}, but the encoder has "
                    f"{len(layers)} layers: inject on the embeddings (0) or after "
                    f"layer 1 .. {last}"
                    + (
                        ""
                        if self.pooling == "mean"
                        else "; after the last layer the shifted words never reach "
                        "the first token the head reads (pooling='mean' reads them)"
                    )
                    + "."
                )
            layers[injection_layer - 1].register_forward_hook(self._shift_hidden)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(size, n_outputs))

    def _shift_hidden(self, module, args, output):
        """Forward hook on the chosen layer: shift its output by the gate."""
        if self._pending_shift is None:
            return None
        hidden = output[0] if isinstance(output, tuple) else output
        shifted = self.gate(hidden, *self._pending_shift)
        return (shifted, *output[1:]) if isinstance(output, tuple) else shifted

    def forward(self, input_ids, attention_mask, **nonverbal):
        # a batch is cut to its longest text (right padding): padding costs nothing
        length = max(int(attention_mask.sum(dim=1).max()), 1)
        input_ids, attention_mask = input_ids[:, :length], attention_mask[:, :length]
        nonverbal = {
            k: v if k == "mask" else v[:, :length] for k, v in nonverbal.items()
        }
        if self.gate is None:
            out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            return self.head(self._pool(out.last_hidden_state, attention_mask))
        xs = [nonverbal[f"x{v}"] for v in range(self.n_views)]
        present = nonverbal["mask"]
        ms = [nonverbal[f"m{v}"] * present[:, v : v + 1] for v in range(self.n_views)]
        if self.injection_layer == 0:
            embeds = self.gate(self.encoder.get_input_embeddings()(input_ids), xs, ms)
            out = self.encoder(inputs_embeds=embeds, attention_mask=attention_mask)
        else:
            self._pending_shift = (xs, ms)
            try:
                out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            finally:
                self._pending_shift = None
        return self.head(self._pool(out.last_hidden_state, attention_mask))

    def _pool(self, hidden, attention_mask):
        """The sentence vector the head reads (see ``pooling``)."""
        if self.pooling == "first":
            return hidden[:, 0]
        weights = attention_mask.to(hidden.dtype).unsqueeze(-1)
        return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def encoder_layers(model):
    """The ``ModuleList`` of a Hugging Face encoder's transformer layers.

    Parameters
    ----------
    model : torch.nn.Module
        A ``transformers`` encoder (BERT-, RoBERTa-, DistilBERT-like, ...).

    Returns
    -------
    layers : torch.nn.ModuleList

    Examples
    --------
    >>> from transformers import BertConfig, BertModel
    >>> from skmer.nn._mag import encoder_layers
    >>> model = BertModel(BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=2,
    ...                              num_attention_heads=2, intermediate_size=16))
    >>> len(encoder_layers(model))
    2
    """
    for path in (
        "encoder.layer",
        "encoder.layers",
        "transformer.layer",
        "layers",
        "layer",
    ):
        obj = model
        for part in path.split("."):
            obj = getattr(obj, part, None)
        if isinstance(obj, nn.ModuleList):
            return obj
    raise ValueError(
        f"Cannot find the transformer layers of {type(model).__name__} (looked for "
        "encoder.layer, encoder.layers, transformer.layer, layers); use "
        "injection_layer=0 to shift the token embeddings instead."
    )
