"""Pretrained-language-model MER systems: fine-tuning (FT) and MAG, from a local model.

Both read a raw DataFrame with a text column (one string per row) and, for
MAG, nonverbal columns of word-aligned ``(T, d)`` sequences (``T`` words of the
text; a ``(1, d)`` cell is an utterance-level vector given to every word). The
transformer (encoder and tokenizer) is loaded from a local directory with
``local_files_only=True``: nothing is downloaded. Hugging Face ``transformers``
is an optional dependency (``pip install "skmer[text]"``).

Batches are cut to their own longest text, and training batches are drawn
from buckets of similar lengths (:class:`LengthBuckets`), so a few long texts
do not make every batch long. A fitted model stores its tokenizer and
pretrained encoder by reference to ``model_path`` (reloaded on unpickling) and
its trained weights as plain arrays, so it saves with pickle and ``skops.io``.
"""

import os
from numbers import Integral, Real

import numpy as np

from skmer.fusion._base import normalize_weights
from skmer.fusion._neural_base import (
    BaseNeuralFusion,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
)
from skmer.sequence import _docs
from skmer.sequence._base import RawInputMixin
from skmer.sequence._recurrent import _without_layout
from skmer.utils._docstring import fill_doc
from skmer.utils._missing import as_raw_frame, is_missing
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval, StrOptions, check_is_fitted

# rows per bucket of similar lengths, in batches
_BUCKET_BATCHES = 50


class LengthBuckets:
    """Training data whose shuffled mini-batches hold texts of similar lengths.

    Wraps the core's ``TensorData``: rows are permuted, cut into buckets of
    ``_BUCKET_BATCHES`` batches, sorted by text length inside each bucket and
    cut into batches, whose order is permuted again (torch's generator, seeded
    by the estimator). With the module cutting each batch to its longest text,
    a few long texts make only their own batches long.

    Parameters
    ----------
    data : skmer.utils._skorch_net.TensorData
        Inputs with an ``attention_mask`` (right-padded tokens).

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.utils._skorch_net import TensorData
    >>> from skmer.sequence._transformer import LengthBuckets
    >>> mask = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0], [1, 0, 0]])
    >>> data = LengthBuckets(TensorData({"attention_mask": mask}, np.zeros(4)))
    >>> sorted(sorted(b[0]["attention_mask"].sum(1).tolist()) for b in data.batches(2, True))
    [[1, 1], [2, 3]]
    """

    def __init__(self, data):
        self.data = data
        self.lengths = data.inputs["attention_mask"].sum(dim=1)

    def __len__(self):
        return len(self.data)

    @property
    def target(self):
        return self.data.target

    def batches(self, batch_size, shuffle):
        """Yield ``(inputs, target, sample_weight)`` mini-batches."""
        import torch

        if not shuffle:
            yield from self.data.batches(batch_size, shuffle)
            return
        device = self.lengths.device
        order = torch.randperm(len(self), device=device)
        pool, batches = batch_size * _BUCKET_BATCHES, []
        for start in range(0, len(self), pool):
            bucket = order[start : start + pool]
            bucket = bucket[torch.argsort(self.lengths[bucket], stable=True)]
            batches += list(bucket.split(batch_size))
        weight = self.data.sample_weight
        for j in torch.randperm(len(batches)).tolist():
            index = batches[j]
            yield (
                {k: v[index] for k, v in self.data.inputs.items()},
                self.data.target[index],
                None if weight is None else weight[index],
            )


class _TransformerNet(RawInputMixin, BaseNeuralFusion):
    """Shared parsing, tokenisation, word alignment and batching of FT and MAG."""

    _parameter_constraints: dict = {
        **_without_layout(BaseNeuralFusion._parameter_constraints),
        "model_path": [str, os.PathLike],
        "text_column": [str],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "freeze_encoder": ["boolean"],
        "pooling": [StrOptions({"auto", "first", "mean"})],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }
    _multimodal = False
    # float32 through skorch, batch by batch (see ``_raw_output``)
    _predict_float64 = False

    # -- input -----------------------------------------------------------------
    def _input_columns(self, X):
        if not self._multimodal:
            return []
        if self.columns is None:
            # the text column is read separately; every other column is nonverbal
            return super()._input_columns(X.drop(columns=self.text_column))
        if self.text_column in self.columns:
            raise ValueError(
                f"columns names text_column {self.text_column!r}; columns are the "
                "nonverbal inputs, the text is read from text_column."
            )
        return super()._input_columns(X)

    def _validate_fusion_data(self, X, y="no_validation", *, reset, **check_params):
        X = as_raw_frame(X, type(self).__name__)
        if self.text_column not in X.columns:
            raise ValueError(
                f"text_column={self.text_column!r} is not a column of X; X has "
                f"columns {list(X.columns)}."
            )
        texts = []
        for row, cell in zip(X.index, X[self.text_column].tolist()):
            if is_missing(cell) or not isinstance(cell, str):
                raise ValueError(
                    f"Text column {self.text_column!r}, row {row!r}: expected a string; "
                    f"got {cell!r}. FT and MAG need the text of every row."
                )
            texts.append(cell)
        if reset:
            self.tokenizer_ = self._load_tokenizer()
        data, y, present = super()._validate_fusion_data(
            X, y, reset=reset, **check_params
        )
        data.texts = texts
        data.row_labels = list(X.index)
        return data, y, present

    def _load_tokenizer(self):
        transformers = import_optional("transformers", "text")
        tokenizer = transformers.AutoTokenizer.from_pretrained(
            str(self.model_path), local_files_only=True
        )
        if self._multimodal and not tokenizer.is_fast:
            raise ValueError(
                f"MAG aligns words to tokens and needs a fast tokenizer; the one in "
                f"{self.model_path!r} is not (save a *TokenizerFast there)."
            )
        return tokenizer

    def _module_inputs_raw(self, scaled, X):
        enc = self.tokenizer_(
            X.texts,
            padding=True,
            padding_side="right",
            truncation=True,
            max_length=self.max_length,
            return_tensors="np",
        )
        inputs = {
            "input_ids": enc["input_ids"].astype(np.int64),
            "attention_mask": enc["attention_mask"].astype(np.int64),
        }
        if not self._multimodal:
            return inputs
        n, length = inputs["input_ids"].shape
        pre = self.tokenizer_.backend_tokenizer.pre_tokenizer
        word_ids = [enc.word_ids(i) for i in range(n)]
        n_words = [
            len(pre.pre_tokenize_str(t)) if pre is not None else len(t.split())
            for t in X.texts
        ]
        for v, (name, cells) in enumerate(scaled.items()):
            x = np.zeros((n, length, len(self.modalities_[name])), dtype=np.float32)
            m = np.zeros((n, length), dtype=np.float32)
            for i, a in enumerate(cells):
                if a is None:
                    continue
                if len(a) not in (1, n_words[i]):
                    raise ValueError(
                        f"Column {name!r}, row {X.row_labels[i]!r}: {len(a)} steps for "
                        f"a text of {n_words[i]} words; give one step per word (aligned) "
                        "or a single step for the whole utterance."
                    )
                for j, w in enumerate(word_ids[i]):
                    if w is not None:
                        x[i, j] = a[0 if len(a) == 1 else w]
                        m[i, j] = 1.0
            inputs[f"x{v}"], inputs[f"m{v}"] = x, m
        inputs["mask"] = X.present.astype(np.float32)
        return inputs

    # -- network ------------------------------------------------------------------
    def _build_module(self, **module_params):
        from skmer.nn import PretrainedTextNetwork

        options = {
            "freeze_encoder": self.freeze_encoder,
            "dropout": self.dropout,
            "pooling": self.pooling,
        }
        if self._multimodal:
            options.update(
                nonverbal_dims=[len(c) for c in self.modalities_.values()],
                beta_shift=self.beta_shift,
                injection_layer=self.injection_layer,
            )
        return PretrainedTextNetwork(
            self.model_path, self.n_outputs_, **{**options, **module_params}
        )

    def _training_data(self, data):
        return LengthBuckets(data)  # training batches of similar lengths

    def _forward_by_length(self, inputs):
        """Module output with rows sorted by length (short padded batches)."""
        order = np.argsort(inputs["attention_mask"].sum(axis=1), kind="stable")
        out_sorted = self._forward({k: v[order] for k, v in inputs.items()})[0]
        out = np.empty_like(out_sorted)
        out[order] = out_sorted
        return out

    def _raw_output(self, X):
        check_is_fitted(self, "net_")
        data, _, present = self._validate_fusion_data(X, reset=False)
        return self._forward_by_length(self._inputs(data, present))

    def _modality_contributions(self, inputs, present):
        """The text alone needs no forward pass; MAG's ablation runs on access."""
        if not self._multimodal:
            return {self.text_column: 1.0}
        out = self._forward_by_length(inputs)
        ids = inputs["input_ids"]
        special = np.isin(ids, self.tokenizer_.all_special_ids)
        filler = self.tokenizer_.unk_token_id
        filler = self.tokenizer_.pad_token_id if filler is None else filler
        hidden = dict(inputs, input_ids=np.where(special, ids, filler))
        contrib = {
            self.text_column: np.abs(self._forward_by_length(hidden) - out)
            .sum(axis=1)
            .mean()
        }
        for j, name in enumerate(self.modalities_):
            dropped = dict(inputs, mask=inputs["mask"].copy())
            dropped["mask"][:, j] = 0.0
            rows = present[:, j]
            change = np.abs(self._forward_by_length(dropped) - out)[rows]
            contrib[name] = change.sum(axis=1).mean() if rows.any() else 0.0
        return normalize_weights(contrib)

    # -- persistence ------------------------------------------------------------------
    def __getstate__(self):
        """The state without the tokenizer (reloaded from ``model_path``) and
        without computing ``modality_weights_`` (forward passes over the training
        rows): a copy saved before accessing them has none."""
        pending = self.__dict__.pop("_weights_data", None)
        try:
            state = dict(super().__getstate__())
        finally:
            if pending is not None:
                self._weights_data = pending
        state.pop("tokenizer_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "net_" in self.__dict__:
            self.tokenizer_ = self._load_tokenizer()


_TEXT = """\
model_path : str or path-like
    Local directory of a Hugging Face model and its tokenizer (as written by
    ``save_pretrained``); loaded with ``local_files_only=True``. A saved
    estimator refers to it: it must still be there when the estimator is
    loaded again.
text_column : str, default="text"
    Column of X holding each row's text.
max_length : int, default=64
    Tokens per text (longer texts are truncated). Each batch is padded to its
    own longest text only.
freeze_encoder : bool, default=False
    Keep the transformer's weights fixed and train only the head (and the
    gate); False fine-tunes it.
pooling : {"auto", "first", "mean"}, default="auto"
    What the head reads: the first token's representation (``"first"``,
    BERT's [CLS]), the mean over the text's tokens (``"mean"``), or the pooling
    the checkpoint was trained with (``"auto"``: ``"mean"`` for a
    sentence-transformers checkpoint whose pooling averages the tokens, such
    as all-MiniLM-L6-v2, ``"first"`` for any other model). Fine-tuning
    all-MiniLM-L6-v2 on MOSI with its own mean pooling gave the first token's
    binary accuracy on unseen speakers (mean of 3 seeds) with a lower MAE and
    a higher correlation (``benchmarks/README.md``)."""

_MAG = """\
columns : list of str, default=None
    Nonverbal columns: cells of word-aligned ``(T, d)`` sequences (one step
    per word of the text, words as split by the tokenizer's pre-tokenizer),
    ``(1, d)`` utterance-level vectors, or None where missing. None uses every
    column except ``text_column``.
beta_shift : float, default=1.0
    Bound of the displacement's norm relative to the word vector's.
injection_layer : int, default=0
    Where the gate shifts the word representations: 0 on the token
    embeddings, ``k`` on the output of the encoder's ``k``-th layer (Rahman et
    al. inject after a chosen layer; ``1 <= k <`` number of layers, or up to
    the last layer with ``pooling="mean"``)."""

_DROPOUT = """\
dropout : float, default=0.1
    Dropout before the head (and in the gate)."""

_TEXT_FITTED = """\
tokenizer_ : transformers.PreTrainedTokenizerBase
    The tokenizer loaded from ``model_path`` (not saved with the estimator:
    reloaded from ``model_path`` when it is unpickled).
net_ : skorch.NeuralNet
    The trained network. pickle and ``skops.io`` store its weights as plain
    arrays and rebuild it from the pretrained model at ``model_path``.
modalities_ : dict of str to ndarray
    The nonverbal columns used (MAG), each with the indices of its per-step
    features; empty for FT.
feature_mean_, feature_scale_ : dict of str to ndarray
    Per-column standardisation of the nonverbal features.
n_epochs_ : int
    Epochs trained.
n_parameters_ : int
    Trainable parameters of the network.
n_features_in_ : int
    Columns of X seen in fit.
feature_names_in_ : ndarray of str
    Those columns' names."""

_FT_WEIGHTS = """\
modality_weights_ : dict of str to float
    ``{text_column: 1.0}``: FT reads the text only."""

_MAG_WEIGHTS_ATTR = """\
modality_weights_ : dict of str to float
    Mean absolute change of the output when the words (all non-special
    tokens) or a nonverbal column are hidden, over the training rows; sums to
    1. Computed on first access (one forward pass over the training rows per
    input, plus one), not by ``fit``; access it before saving the estimator,
    a saved copy does not hold the training rows it needs."""

_TINY_MODEL = """\
>>> import tempfile
>>> from transformers import BertConfig, BertModel, BertTokenizerFast
>>> path = tempfile.mkdtemp()
>>> words = ["good", "great", "bad", "awful", "movie", "the"]
>>> with open(f"{path}/vocab.txt", "w") as f:
...     _ = f.write("\\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words))
>>> BertTokenizerFast(f"{path}/vocab.txt").save_pretrained(path)  # doctest: +ELLIPSIS
(...)
>>> BertModel(BertConfig(vocab_size=11, hidden_size=8, num_hidden_layers=2,
...     num_attention_heads=2, intermediate_size=16)).save_pretrained(path)"""

_FILL = dict(
    text=_TEXT,
    mag=_MAG,
    dropout=_DROPOUT,
    clf_loss=_docs.CLF_LOSS,
    reg_loss=_docs.REG_LOSS,
    train=_docs.train(
        max_epochs=3, batch_size=16, lr="2e-5", optimizer="adamw", patience=2
    ),
    classes=_docs.CLASSES,
    target=_docs.TARGET,
    fitted=_TEXT_FITTED,
    ft_weights=_FT_WEIGHTS,
    mag_weights_attr=_MAG_WEIGHTS_ATTR,
    tiny_model=_TINY_MODEL,
)


@fill_doc(**_FILL)
class FineTunedTransformerClassifier(NeuralClassifierMixin, _TransformerNet):
    """FT: fine-tune a local pretrained language model with a classification head.

    The text of each row is tokenised and encoded by a transformer loaded from
    ``model_path`` (offline), and a linear head on the first token's
    representation, or on the mean of the tokens' (``pooling``), is trained
    together with the encoder (or alone, with ``freeze_encoder=True``).

    Parameters
    ----------
    %(text)s
    %(dropout)s
    %(clf_loss)s
    %(train)s

    Attributes
    ----------
    %(classes)s
    %(fitted)s
    %(ft_weights)s

    See Also
    --------
    MultimodalAdaptationGateClassifier : the same model with nonverbal shifts.

    Examples
    --------
    %(tiny_model)s
    >>> import pandas as pd
    >>> from skmer.sequence import FineTunedTransformerClassifier
    >>> X = pd.DataFrame({"text": ["good movie", "bad movie", "great", "awful"] * 5})
    >>> y = [1, 0, 1, 0] * 5
    >>> ft = FineTunedTransformerClassifier(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> ft.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
    }

    def __init__(
        self,
        model_path,
        *,
        text_column="text",
        max_length=64,
        freeze_encoder=False,
        pooling="auto",
        dropout=0.1,
        loss="cross_entropy",
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=3,
        batch_size=16,
        lr=2e-5,
        optimizer="adamw",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=2,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.model_path = model_path
        self.text_column = text_column
        self.max_length = max_length
        self.freeze_encoder = freeze_encoder
        self.pooling = pooling
        self.dropout = dropout
        self.loss = loss
        self.class_weight = class_weight
        self.class_polarity = class_polarity
        self.polarity_weight = polarity_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.device = device
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start
        self.modality_dropout = modality_dropout
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight


@fill_doc(**_FILL)
class FineTunedTransformerRegressor(NeuralRegressorMixin, _TransformerNet):
    """FT: fine-tune a local pretrained language model with a regression head.

    See :class:`FineTunedTransformerClassifier`; targets are standardised for
    training and may have several outputs.

    Parameters
    ----------
    %(text)s
    %(dropout)s
    %(reg_loss)s
    %(train)s

    Attributes
    ----------
    %(target)s
    %(fitted)s
    %(ft_weights)s

    Examples
    --------
    %(tiny_model)s
    >>> import pandas as pd
    >>> from skmer.sequence import FineTunedTransformerRegressor
    >>> X = pd.DataFrame({"text": ["good movie", "bad movie", "great", "awful"] * 5})
    >>> ft = FineTunedTransformerRegressor(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> ft.fit(X, [2.0, -2.0, 3.0, -3.0] * 5).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
    }

    def __init__(
        self,
        model_path,
        *,
        text_column="text",
        max_length=64,
        freeze_encoder=False,
        pooling="auto",
        dropout=0.1,
        loss="mse",
        polarity_weight=1.0,
        max_epochs=3,
        batch_size=16,
        lr=2e-5,
        optimizer="adamw",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=2,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.model_path = model_path
        self.text_column = text_column
        self.max_length = max_length
        self.freeze_encoder = freeze_encoder
        self.pooling = pooling
        self.dropout = dropout
        self.loss = loss
        self.polarity_weight = polarity_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.device = device
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start
        self.modality_dropout = modality_dropout
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight


_MAG_CONSTRAINTS = {
    "columns": [list, None],
    "beta_shift": [Interval(Real, 0, None, closed="neither")],
    "injection_layer": [Interval(Integral, 0, None, closed="left")],
}


@fill_doc(**_FILL)
class MultimodalAdaptationGateClassifier(NeuralClassifierMixin, _TransformerNet):
    """MAG: a local language model whose word vectors are shifted by nonverbal cues.

    The Multimodal Adaptation Gate (Rahman et al., ACL 2020): each token's
    representation (embedding, or output of layer ``injection_layer``) is
    displaced by a gated combination of the word-aligned acoustic and visual
    features of its word (:class:`skmer.nn.MultimodalAdaptationGate`) inside
    the transformer loaded from ``model_path`` (offline); a head on the first
    token (or the tokens' mean, ``pooling``) classifies. A missing nonverbal
    cell gives no displacement.

    Parameters
    ----------
    %(text)s
    %(mag)s
    %(dropout)s
    %(clf_loss)s
    %(train)s

    Attributes
    ----------
    %(classes)s
    %(fitted)s
    %(mag_weights_attr)s

    See Also
    --------
    FineTunedTransformerClassifier : the text-only model.

    Examples
    --------
    %(tiny_model)s
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import MultimodalAdaptationGateClassifier
    >>> X = pd.DataFrame({"text": ["the movie"] * 20,
    ...                   "audio": [np.full((2, 1), s) for s in [1.0, -1.0] * 10]})
    >>> y = [1, 0] * 10
    >>> mag = MultimodalAdaptationGateClassifier(path, injection_layer=1, max_epochs=2,
    ...                                          lr=1e-3, random_state=0)
    >>> mag.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
        **_MAG_CONSTRAINTS,
    }
    _multimodal = True

    def __init__(
        self,
        model_path,
        *,
        text_column="text",
        columns=None,
        max_length=64,
        freeze_encoder=False,
        pooling="auto",
        beta_shift=1.0,
        injection_layer=0,
        dropout=0.1,
        loss="cross_entropy",
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=3,
        batch_size=16,
        lr=2e-5,
        optimizer="adamw",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=2,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.model_path = model_path
        self.text_column = text_column
        self.columns = columns
        self.max_length = max_length
        self.freeze_encoder = freeze_encoder
        self.pooling = pooling
        self.beta_shift = beta_shift
        self.injection_layer = injection_layer
        self.dropout = dropout
        self.loss = loss
        self.class_weight = class_weight
        self.class_polarity = class_polarity
        self.polarity_weight = polarity_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.device = device
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start
        self.modality_dropout = modality_dropout
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight


@fill_doc(**_FILL)
class MultimodalAdaptationGateRegressor(NeuralRegressorMixin, _TransformerNet):
    """MAG regressor: a local language model shifted by word-aligned nonverbal cues.

    See :class:`MultimodalAdaptationGateClassifier`; targets are standardised
    for training and may have several outputs.

    Parameters
    ----------
    %(text)s
    %(mag)s
    %(dropout)s
    %(reg_loss)s
    %(train)s

    Attributes
    ----------
    %(target)s
    %(fitted)s
    %(mag_weights_attr)s

    Examples
    --------
    %(tiny_model)s
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import MultimodalAdaptationGateRegressor
    >>> X = pd.DataFrame({"text": ["the movie"] * 20,
    ...                   "audio": [np.full((1, 2), s) for s in [1.0, -1.0] * 10]})
    >>> mag = MultimodalAdaptationGateRegressor(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> mag.fit(X, [1.0, -1.0] * 10).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
        **_MAG_CONSTRAINTS,
    }
    _multimodal = True

    def __init__(
        self,
        model_path,
        *,
        text_column="text",
        columns=None,
        max_length=64,
        freeze_encoder=False,
        pooling="auto",
        beta_shift=1.0,
        injection_layer=0,
        dropout=0.1,
        loss="mse",
        polarity_weight=1.0,
        max_epochs=3,
        batch_size=16,
        lr=2e-5,
        optimizer="adamw",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=2,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.model_path = model_path
        self.text_column = text_column
        self.columns = columns
        self.max_length = max_length
        self.freeze_encoder = freeze_encoder
        self.pooling = pooling
        self.beta_shift = beta_shift
        self.injection_layer = injection_layer
        self.dropout = dropout
        self.loss = loss
        self.polarity_weight = polarity_weight
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.device = device
        self.verbose = verbose
        self.random_state = random_state
        self.warm_start = warm_start
        self.modality_dropout = modality_dropout
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight
