"""Pretrained-language-model MER systems: fine-tuning (FT) and MAG, from a local model.

Both read a raw DataFrame with a text column (one string per row) and, for
MAG, nonverbal columns of word-aligned ``(T, d)`` sequences (``T`` words of the
text; a ``(1, d)`` cell is an utterance-level vector given to every word). The
transformer (encoder and tokenizer) is loaded from a local directory with
``local_files_only=True``: nothing is downloaded. Hugging Face ``transformers``
is an optional dependency (``pip install "skmer[text]"``).
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
from skmer.fusion._seed_recurrent import (
    _COMMON_ATTRS,
    _COMMON_DOC,
    _as_frame,
    _RawInputMixin,
    _store,
)
from skmer.utils._missing import is_missing
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval


class _TransformerNet(_RawInputMixin, BaseNeuralFusion):
    """Shared parsing, tokenisation and word alignment of FT and MAG."""

    _parameter_constraints: dict = {
        **BaseNeuralFusion._parameter_constraints,
        "model_path": [str, os.PathLike],
        "text_column": [str],
        "modalities": [list, None],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "freeze_encoder": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }
    _multimodal = False
    skip_zero_steps = False
    # rebuilding the module needs the pretrained checkpoint at ``model_path``:
    # pickle keeps the whole net instead of its plain state
    _portable_net = False

    def _modality_columns(self, X):
        if not self._multimodal:
            return []
        if self.modalities is None:
            return [c for c in X.columns if c != self.text_column]
        return super()._modality_columns(X)

    def _validate_fusion_data(self, X, y="no_validation", *, reset, **check_params):
        X = _as_frame(X, type(self).__name__)
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
            self.tokenizer_ = import_optional("transformers", "text").AutoTokenizer.from_pretrained(
                str(self.model_path), local_files_only=True
            )
            if self._multimodal and not self.tokenizer_.is_fast:
                raise ValueError(
                    f"MAG aligns words to tokens and needs a fast tokenizer; the one in "
                    f"{self.model_path!r} is not (save a *TokenizerFast there)."
                )
        data, y, present = super()._validate_fusion_data(
            X, y, reset=reset, **check_params
        )
        data.texts = texts
        data.row_labels = list(X.index)
        return data, y, present

    def _module_inputs_raw(self, scaled, X):
        enc = self.tokenizer_(
            X.texts, padding=True, truncation=True, max_length=self.max_length,
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
                        f"Modality {name!r}, row {X.row_labels[i]!r}: {len(a)} steps for "
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

    def _build_module(self):
        from skmer.nn import PretrainedTextNetwork

        dims = [len(c) for c in self.modalities_.values()] if self._multimodal else None
        extra = {"beta_shift": self.beta_shift} if self._multimodal else {}
        return PretrainedTextNetwork(
            self.model_path, self.n_outputs_, nonverbal_dims=dims,
            freeze_encoder=self.freeze_encoder, dropout=self.dropout, **extra,
        )

    def _modality_contributions(self, inputs, present):
        """Output change when the words (all non-special tokens) or a modality are hidden."""
        out = self._forward(inputs)[0]
        ids = inputs["input_ids"]
        special = np.isin(ids, self.tokenizer_.all_special_ids)
        filler = self.tokenizer_.unk_token_id
        filler = self.tokenizer_.pad_token_id if filler is None else filler
        hidden = dict(inputs, input_ids=np.where(special, ids, filler))
        contrib = {
            self.text_column: np.abs(self._forward(hidden)[0] - out).sum(axis=1).mean()
        }
        for j, name in enumerate(self.modalities_):
            dropped = dict(inputs, mask=inputs["mask"].copy())
            dropped["mask"][:, j] = 0.0
            rows = present[:, j]
            change = np.abs(self._forward(dropped)[0] - out)[rows]
            contrib[name] = change.sum(axis=1).mean() if rows.any() else 0.0
        return normalize_weights(contrib)


_TEXT_PARAMS = """model_path : str or path-like
        Local directory of a Hugging Face model and its tokenizer (as written
        by ``save_pretrained``); loaded with ``local_files_only=True``.
    text_column : str, default="text"
        Column of X holding each row's text.
    max_length : int, default=64
        Tokens per text (longer texts are truncated).
    freeze_encoder : bool, default=False
        Keep the transformer's weights fixed and train only the head (and the
        gate); False fine-tunes it.
    dropout : float, default=0.1
        Dropout before the head (and in the gate)."""

_MAG_PARAMS = """modalities : list of str, default=None
        Nonverbal columns: cells of word-aligned ``(T, d)`` sequences (one step
        per word of the text, words as split by the tokenizer's pre-tokenizer),
        ``(1, d)`` utterance-level vectors, or None where missing. None uses every
        column except ``text_column``.
    beta_shift : float, default=1.0
        Bound of the displacement's norm relative to the word vector's."""

_CLS_PARAMS = """loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
        Training loss.
    class_weight : "balanced", dict or None, default=None
        Class weights of the loss.
    class_polarity : dict or array-like, default=None
        Polarity of each class for ``loss="polarity"``.
    polarity_weight : float, default=1.0
        Weight of the polarity term."""

_REG_PARAMS = """loss : {"mse", "l1", "huber", "polarity"}, default="mse"
        Training loss.
    polarity_weight : float, default=1.0
        Weight of the polarity term of ``loss="polarity"``."""

_TEXT_ATTRS = """tokenizer_ : transformers.PreTrainedTokenizerBase
        The tokenizer loaded from ``model_path``. With it and the pretrained
        module, FT and MAG save with pickle (whole net and tokenizer), not
        ``skops.io``."""


def _tiny_model_doc():
    return """    >>> import tempfile
    >>> from transformers import BertConfig, BertModel, BertTokenizerFast
    >>> path = tempfile.mkdtemp()
    >>> words = ["good", "great", "bad", "awful", "movie", "the"]
    >>> with open(f"{path}/vocab.txt", "w") as f:
    ...     _ = f.write("\\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words))
    >>> BertTokenizerFast(f"{path}/vocab.txt").save_pretrained(path)  # doctest: +ELLIPSIS
    (...)
    >>> BertModel(BertConfig(vocab_size=11, hidden_size=8, num_hidden_layers=1,
    ...     num_attention_heads=2, intermediate_size=16)).save_pretrained(path)"""


class FineTunedTransformerClassifier(NeuralClassifierMixin, _TransformerNet):
    """FT: fine-tune a local pretrained language model with a classification head.

    The seed's "FT" system: the text of each row is tokenised and encoded by a
    transformer loaded from ``model_path`` (offline), and a linear head on the
    first token's representation is trained together with the encoder (or
    alone, with ``freeze_encoder=True``).

    Parameters
    ----------
    {text}
    {cls}
    {common}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {text_attrs}
    {attrs}

    See Also
    --------
    MultimodalAdaptationGateClassifier : the same model with nonverbal shifts.

    Examples
    --------
{tiny}
    >>> import pandas as pd
    >>> from skmer.fusion import FineTunedTransformerClassifier
    >>> X = pd.DataFrame({{"text": ["good movie", "bad movie", "great", "awful"] * 5}})
    >>> y = [1, 0, 1, 0] * 5
    >>> ft = FineTunedTransformerClassifier(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> ft.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
    }
    modalities = None

    def __init__(
        self, model_path, *, text_column="text", max_length=64, freeze_encoder=False,
        dropout=0.1, loss="cross_entropy", class_weight=None, class_polarity=None,
        polarity_weight=1.0, max_epochs=3, batch_size=16, lr=2e-5, optimizer="adamw",
        weight_decay=0.0, early_stopping=False, validation_fraction=0.1, patience=2,
        device="cpu", verbose=0, random_state=None, warm_start=False,
        modality_dropout=0.0, metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


class FineTunedTransformerRegressor(NeuralRegressorMixin, _TransformerNet):
    """FT: fine-tune a local pretrained language model with a regression head.

    See :class:`FineTunedTransformerClassifier`; targets are standardised for
    training and may have several outputs.

    Parameters
    ----------
    {text}
    {reg}
    {common}

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray
        Target standardisation.
    {text_attrs}
    {attrs}

    Examples
    --------
{tiny}
    >>> import pandas as pd
    >>> from skmer.fusion import FineTunedTransformerRegressor
    >>> X = pd.DataFrame({{"text": ["good movie", "bad movie", "great", "awful"] * 5}})
    >>> ft = FineTunedTransformerRegressor(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> ft.fit(X, [2.0, -2.0, 3.0, -3.0] * 5).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
    }
    modalities = None

    def __init__(
        self, model_path, *, text_column="text", max_length=64, freeze_encoder=False,
        dropout=0.1, loss="mse", polarity_weight=1.0, max_epochs=3, batch_size=16,
        lr=2e-5, optimizer="adamw", weight_decay=0.0, early_stopping=False,
        validation_fraction=0.1, patience=2, device="cpu", verbose=0,
        random_state=None, warm_start=False, modality_dropout=0.0, metric_loss=None,
        metric_weight=0.1,
    ):
        _store(self, locals())


class MultimodalAdaptationGateClassifier(NeuralClassifierMixin, _TransformerNet):
    """MAG: a local language model whose word vectors are shifted by nonverbal cues.

    The Multimodal Adaptation Gate (Rahman et al., ACL 2020): each token's
    embedding is displaced by a gated combination of the word-aligned acoustic
    and visual features of its word (:class:`skmer.nn.MultimodalAdaptationGate`)
    before the transformer loaded from ``model_path`` (offline) encodes the
    text; a head on the first token classifies. A missing nonverbal cell gives
    no displacement.

    Parameters
    ----------
    {text}
    {mag}
    {cls}
    {common}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {text_attrs}
    {attrs}

    See Also
    --------
    FineTunedTransformerClassifier : the text-only model.

    Examples
    --------
{tiny}
    >>> import numpy as np, pandas as pd
    >>> from skmer.fusion import MultimodalAdaptationGateClassifier
    >>> X = pd.DataFrame({{"text": ["the movie"] * 20,
    ...                   "audio": [np.full((2, 1), s) for s in [1.0, -1.0] * 10]}})
    >>> y = [1, 0] * 10
    >>> mag = MultimodalAdaptationGateClassifier(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> mag.fit(X, y).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
        "beta_shift": [Interval(Real, 0, None, closed="neither")],
    }
    _multimodal = True

    def __init__(
        self, model_path, *, text_column="text", modalities=None, max_length=64,
        freeze_encoder=False, beta_shift=1.0, dropout=0.1, loss="cross_entropy",
        class_weight=None, class_polarity=None, polarity_weight=1.0, max_epochs=3,
        batch_size=16, lr=2e-5, optimizer="adamw", weight_decay=0.0,
        early_stopping=False, validation_fraction=0.1, patience=2, device="cpu",
        verbose=0, random_state=None, warm_start=False, modality_dropout=0.0,
        metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


class MultimodalAdaptationGateRegressor(NeuralRegressorMixin, _TransformerNet):
    """MAG regressor: a local language model shifted by word-aligned nonverbal cues.

    See :class:`MultimodalAdaptationGateClassifier`; targets are standardised
    for training and may have several outputs.

    Parameters
    ----------
    {text}
    {mag}
    {reg}
    {common}

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray
        Target standardisation.
    {text_attrs}
    {attrs}

    Examples
    --------
{tiny}
    >>> import numpy as np, pandas as pd
    >>> from skmer.fusion import MultimodalAdaptationGateRegressor
    >>> X = pd.DataFrame({{"text": ["the movie"] * 20,
    ...                   "audio": [np.full((1, 2), s) for s in [1.0, -1.0] * 10]}})
    >>> mag = MultimodalAdaptationGateRegressor(path, max_epochs=2, lr=1e-3, random_state=0)
    >>> mag.fit(X, [1.0, -1.0] * 10).predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_TransformerNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
        "beta_shift": [Interval(Real, 0, None, closed="neither")],
    }
    _multimodal = True

    def __init__(
        self, model_path, *, text_column="text", modalities=None, max_length=64,
        freeze_encoder=False, beta_shift=1.0, dropout=0.1, loss="mse",
        polarity_weight=1.0, max_epochs=3, batch_size=16, lr=2e-5, optimizer="adamw",
        weight_decay=0.0, early_stopping=False, validation_fraction=0.1, patience=2,
        device="cpu", verbose=0, random_state=None, warm_start=False,
        modality_dropout=0.0, metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


def _ind(text):
    return text.replace("\n", "\n    ")


for _cls in (
    FineTunedTransformerClassifier, FineTunedTransformerRegressor,
    MultimodalAdaptationGateClassifier, MultimodalAdaptationGateRegressor,
):
    _cls.__doc__ = _cls.__doc__.format(
        text=_TEXT_PARAMS, mag=_MAG_PARAMS, cls=_CLS_PARAMS, reg=_REG_PARAMS,
        common=_COMMON_DOC.strip("\n")[4:], attrs=_COMMON_ATTRS.strip("\n")[4:],
        text_attrs=_TEXT_ATTRS, tiny=_tiny_model_doc(),
    )
del _cls
