"""The seed's recurrent MER systems over raw sequence DataFrames.

MV-LSTM, MFN and MARN read word-aligned ``(T, d)`` sequence cells, one column per
modality (variable ``T``; right-padded with a step mask; ``None`` marks a missing
modality). bc-LSTM reads utterance-level feature vectors and a group column
naming the video (or dialogue) of each row, and runs over the utterances of a
group. All of them hold a skorch net built in ``fit`` through
:class:`~skmer.fusion._neural_base.BaseNeuralFusion` (seeding, early stopping,
``device``, progress, losses, modality weights); torch is imported only when
they are fitted.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array

from skmer.fusion._base import normalize_weights
from skmer.fusion._neural_base import (
    BaseNeuralFusion,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
)
from skmer.utils._missing import is_missing
from skmer.utils._sklearn_compat import Interval, check_is_fitted


class RawSequences:
    """Parsed raw multimodal cells of one call (internal container).

    Attributes
    ----------
    cells : dict of str to list
        Per modality, one float array (or None when missing) per row.
    present : ndarray of bool, shape (n_samples, n_modalities)
    groups : ndarray of int or None
        Group code of each row (contextual models only).
    """

    def __init__(self, cells, present, groups=None):
        self.cells = cells
        self.present = present
        self.groups = groups

    def __len__(self):
        return self.present.shape[0]


def _as_frame(X, who):
    if isinstance(X, dict):
        X = pd.DataFrame(X)
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"{who} takes the raw multimodal DataFrame (one column per modality, "
            f"cells of pre-extracted features, None where missing); got "
            f"{type(X).__name__}."
        )
    return X


def _parse_cell(cell, name, row, item_ndim, skip_zero_steps):
    """One present cell as a float array of ``item_ndim`` dimensions, or None."""
    what = "a (T, d) sequence" if item_ndim == 2 else "a 1-D feature vector"
    try:
        arr = np.asarray(cell, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"Modality {name!r}, row {row!r}: cell of type {type(cell).__name__} is "
            f"not numeric; expected {what}."
        ) from exc
    if item_ndim == 2 and arr.ndim == 1:
        arr = arr[:, None]
    if item_ndim == 1 and arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != item_ndim:
        raise ValueError(
            f"Modality {name!r}, row {row!r}: cell has shape {arr.shape}; expected {what}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(
            f"Modality {name!r}, row {row!r}: cell contains NaN or infinity; mark a "
            "missing modality with None."
        )
    if item_ndim == 2 and skip_zero_steps:
        arr = arr[np.any(arr != 0, axis=1)]
    if arr.shape[0] == 0:
        return None  # nothing left: missing
    return arr


class _RawInputMixin:
    """Parsing, standardisation and padding of raw multimodal cells.

    Subclasses set ``_item_ndim`` (2: sequences, 1: vectors) and implement
    ``_module_inputs_raw``.
    """

    _item_ndim = 2

    def _modality_columns(self, X):
        if self.modalities is None:
            skip = {getattr(self, "group_column", None)}
            return [c for c in X.columns if c not in skip]
        missing = [c for c in self.modalities if c not in X.columns]
        if missing:
            raise ValueError(
                f"modalities names columns {missing} that are not in X; X has columns "
                f"{list(X.columns)}."
            )
        if not self.modalities:
            raise ValueError("modalities is empty: name at least one column of X.")
        return list(self.modalities)

    def _validate_fusion_data(self, X, y="no_validation", *, reset, **check_params):
        """Parse the raw DataFrame into :class:`RawSequences`; return ``X, y, present``."""
        X = _as_frame(X, type(self).__name__)
        if reset:
            columns = self._modality_columns(X)
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
            self.n_features_in_ = X.shape[1]
        else:
            check_is_fitted(self, "modalities_")
            columns = list(self.modalities_)
            absent = [c for c in columns if c not in X.columns]
            if absent:
                raise ValueError(
                    f"X lacks the modality columns {absent} seen in fit; X has "
                    f"columns {list(X.columns)}."
                )
        if X.shape[0] == 0:
            raise ValueError(f"X has 0 samples; {type(self).__name__} needs at least 1.")
        skip = getattr(self, "skip_zero_steps", False)
        cells, dims = {}, {}
        for name in columns:
            col = []
            for row, cell in zip(X.index, X[name].tolist()):
                col.append(
                    None if is_missing(cell)
                    else _parse_cell(cell, name, row, self._item_ndim, skip)
                )
            cells[name] = col
            seen = {a.shape[-1] for a in col if a is not None}
            expected = None if reset else len(self.modalities_[name])
            if expected is not None:
                seen.discard(expected)
                if seen:
                    raise ValueError(
                        f"Modality {name!r} has cells with {sorted(seen)} features per "
                        f"step; the estimator was fitted on {expected}."
                    )
            elif len(seen) > 1:
                raise ValueError(
                    f"Modality {name!r} has cells with different feature dimensions "
                    f"{sorted(seen)}."
                )
            dims[name] = seen.pop() if seen else expected
        present = np.array(
            [[cells[m][i] is not None for m in columns] for i in range(X.shape[0])],
            dtype=bool,
        ).reshape(X.shape[0], len(columns))
        if reset:
            never = [m for m, seen in zip(columns, present.any(axis=0)) if not seen]
            if never:
                raise ValueError(
                    f"Modality {never[0]!r} is missing in every training row; drop it "
                    "from `modalities` or provide rows where it is present."
                )
            self.modalities_ = {m: np.arange(dims[m]) for m in columns}
        if not (isinstance(y, str) and y == "no_validation"):
            if check_params.get("y_numeric"):
                # regression targets: numeric and finite (NaN would train a NaN net)
                y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
            else:
                y = np.asarray(y)
            if y.shape[0] != X.shape[0]:
                raise ValueError(
                    f"X has {X.shape[0]} rows but y has {y.shape[0]} entries."
                )
        data = RawSequences(cells, present, self._group_codes(X))
        return data, y, present

    def _group_codes(self, X):
        return None

    def _fit_scaling(self, X):
        """Per-modality mean and scale over the present steps (or vectors)."""
        self.feature_mean_, self.feature_scale_ = {}, {}
        for name, cells in X.cells.items():
            frames = np.concatenate(
                [a.reshape(-1, a.shape[-1]) for a in cells if a is not None]
            )
            std = frames.std(axis=0)
            self.feature_mean_[name] = frames.mean(axis=0)
            self.feature_scale_[name] = np.where(std > 1e-12, std, 1.0)

    def _inputs(self, X, present, *, fit=False):
        if fit:
            self._fit_scaling(X)
        scaled = {
            name: [
                None if a is None else (a - self.feature_mean_[name]) / self.feature_scale_[name]
                for a in cells
            ]
            for name, cells in X.cells.items()
        }
        return self._module_inputs_raw(scaled, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.allow_nan = True
        tags.non_deterministic = getattr(self, "device", "cpu") != "cpu"
        return tags


def pad_sequences(cells, dim, length):
    """Right-pad a list of ``(T_i, d)`` arrays (or None) into ``(n, length, d)`` and a mask.

    Parameters
    ----------
    cells : list of ndarray or None
    dim : int
        Features per step.
    length : int
        Padded length (at least every ``T_i``).

    Returns
    -------
    x : ndarray of float32, shape (n, length, dim)
    mask : ndarray of float32, shape (n, length)
        1 on real steps.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.fusion._seed_recurrent import pad_sequences
    >>> x, m = pad_sequences([np.ones((2, 1)), None], 1, 3)
    >>> m
    array([[1., 1., 0.],
           [0., 0., 0.]], dtype=float32)
    """
    x = np.zeros((len(cells), length, dim), dtype=np.float32)
    mask = np.zeros((len(cells), length), dtype=np.float32)
    for i, a in enumerate(cells):
        if a is not None:
            x[i, : len(a)] = a
            mask[i, : len(a)] = 1.0
    return x, mask


_COMMON_DOC = """
    max_epochs : int, default=50
        Training epochs (upper bound with early stopping).
    batch_size : int, default=32
        Minibatch size.
    lr : float, default=1e-3
        Learning rate.
    optimizer : {"adam", "adamw", "sgd", "rmsprop"}, default="adam"
        The torch optimizer.
    weight_decay : float, default=0.0
        L2 penalty of the optimizer.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training rows and stop when the
        validation loss stops improving for ``patience`` epochs (best weights
        restored).
    validation_fraction : float, default=0.1
        Held-out share for early stopping.
    patience : int, default=5
        Epochs without improvement before stopping.
    device : str, default="cpu"
        torch device, e.g. ``"cuda"``.
    verbose : int, default=0
        skorch's per-epoch progress table when > 0.
    random_state : int, RandomState instance or None, default=None
        Seeds torch, numpy and the validation split: equal seeds give equal
        predictions (on CPU).
    warm_start : bool, default=False
        Continue training the previous ``net_`` on a new ``fit`` (same columns
        and targets). Only ``max_epochs``, ``lr``, ``batch_size`` and
        ``verbose`` may change in between; changing another parameter raises a
        ValueError.
    modality_dropout : float, default=0.0
        Probability of hiding a present modality of a sample while training.
    metric_loss : {"triplet", "npair"} or None, default=None
        Auxiliary metric loss (see :class:`skmer.nn.FusionLoss`); these networks
        return no embedding, so it has no effect unless they do.
    metric_weight : float, default=0.1
        Weight of the auxiliary loss."""

_COMMON_ATTRS = """
    net_ : skorch.NeuralNet
        The trained network.
    modalities_ : dict of str to ndarray
        The modality columns used, each with the indices ``0 .. d-1`` of its
        per-step features (``len`` is the feature dimension).
    modality_weights_ : dict of str to float
        Mean absolute change of the output when a modality is hidden, over the
        training rows where it is present; sums to 1.
    feature_mean_, feature_scale_ : dict of str to ndarray
        Per-modality standardisation of the features (over present steps).
    n_epochs_ : int
        Epochs trained.
    n_parameters_ : int
        Trainable parameters of the network.
    n_features_in_ : int
        Columns of X seen in fit.
    feature_names_in_ : ndarray of str
        Those columns' names."""

_PORTABLE_NET_DOC = """The trained network. The fitted estimator saves with pickle or
        ``skops.io``: the net is stored as plain arrays (module and optimiser
        state, training history) and rebuilt on load."""


class _SequenceNet(_RawInputMixin, BaseNeuralFusion):
    """Base of MV-LSTM, MFN and MARN over word-aligned ``(T, d)`` sequences."""

    _parameter_constraints: dict = {
        **BaseNeuralFusion._parameter_constraints,
        "modalities": [list, None],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "skip_zero_steps": ["boolean"],
    }
    _network = None  # name of the torch module in skmer.nn

    _options = ("hidden_size", "dropout")  # constructor arguments of the network

    def _network_options(self):
        return {name: getattr(self, name) for name in self._options}

    def _module_inputs_raw(self, scaled, X):
        length = max(
            [len(a) for cells in scaled.values() for a in cells if a is not None] + [1]
        )
        inputs = {}
        for v, (name, cells) in enumerate(scaled.items()):
            inputs[f"x{v}"], inputs[f"m{v}"] = pad_sequences(
                cells, len(self.modalities_[name]), length
            )
        inputs["mask"] = X.present.astype(np.float32)
        return inputs

    def _build_module(self):
        import skmer.nn as snn

        return snn.ModalityDictAdapter(
            getattr(snn, self._network),
            [len(c) for c in self.modalities_.values()],
            self.n_outputs_,
            self._network_options(),
            modality_dropout=self.modality_dropout,
        )


def _store(self, local):
    for name, value in local.items():
        if name not in ("self", "__class__"):
            setattr(self, name, value)


class MultiViewLSTMClassifier(NeuralClassifierMixin, _SequenceNet):
    """Multi-View LSTM (MV-LSTM) classifier over word-aligned modality sequences.

    Each modality column holds ``(T, d)`` sequences (``T`` may vary; ``None``
    marks a missing modality). Each view has an LSTM memory split into a
    view-specific and a cross-view region whose gates read every view's hidden
    state (:class:`skmer.nn.MultiViewLSTM`).

    Parameters
    ----------
    modalities : list of str, default=None
        The modality columns of X; None uses every column.
    hidden_size : int, default=32
        Memory per view.
    cross_fraction : float, default=0.5
        Share of each view's memory in the cross-view region.
    dropout : float, default=0.0
        Dropout of the output head.
    skip_zero_steps : bool, default=False
        Drop all-zero steps (padding of released corpora); a cell left empty is
        missing.
    loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
        Training loss (see :class:`skmer.nn.FusionLoss`).
    class_weight : "balanced", dict or None, default=None
        Class weights of the loss.
    class_polarity : dict or array-like, default=None
        Polarity of each class for ``loss="polarity"``.
    polarity_weight : float, default=1.0
        Weight of the polarity term.
    {common}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {attrs}

    See Also
    --------
    MemoryFusionNetworkClassifier, MultiAttentionRecurrentNetworkClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import MultiViewLSTMClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> clf = MultiViewLSTMClassifier(hidden_size=4, max_epochs=2, random_state=0)
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_SequenceNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
        "cross_fraction": [Interval(Real, 0, 1, closed="neither")],
    }
    _network = "MultiViewLSTM"
    _options = ("hidden_size", "dropout", "cross_fraction")

    def __init__(
        self, *, modalities=None, hidden_size=32, cross_fraction=0.5, dropout=0.0,
        skip_zero_steps=False, loss="cross_entropy", class_weight=None,
        class_polarity=None, polarity_weight=1.0, max_epochs=50, batch_size=32,
        lr=1e-3, optimizer="adam", weight_decay=0.0, early_stopping=False,
        validation_fraction=0.1, patience=5, device="cpu", verbose=0,
        random_state=None, warm_start=False, modality_dropout=0.0, metric_loss=None,
        metric_weight=0.1,
    ):
        _store(self, locals())


class MultiViewLSTMRegressor(NeuralRegressorMixin, _SequenceNet):
    """Multi-View LSTM (MV-LSTM) regressor over word-aligned modality sequences.

    See :class:`MultiViewLSTMClassifier` for the model; targets are
    standardised for training and may have several outputs.

    Parameters
    ----------
    modalities : list of str, default=None
        The modality columns of X; None uses every column.
    hidden_size : int, default=32
        Memory per view.
    cross_fraction : float, default=0.5
        Share of each view's memory in the cross-view region.
    dropout : float, default=0.0
        Dropout of the output head.
    skip_zero_steps : bool, default=False
        Drop all-zero steps; a cell left empty is missing.
    loss : {"mse", "l1", "huber", "polarity"}, default="mse"
        Training loss.
    polarity_weight : float, default=1.0
        Weight of the polarity term of ``loss="polarity"``.
    {common}

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray
        Target standardisation.
    {attrs}

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import MultiViewLSTMRegressor
    >>> X, y = make_multimodal_regression(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> reg = MultiViewLSTMRegressor(hidden_size=4, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = MultiViewLSTMClassifier._parameter_constraints | {
        **NeuralRegressorMixin._parameter_constraints,
    }
    _network = "MultiViewLSTM"
    _options = ("hidden_size", "dropout", "cross_fraction")

    def __init__(
        self, *, modalities=None, hidden_size=32, cross_fraction=0.5, dropout=0.0,
        skip_zero_steps=False, loss="mse", polarity_weight=1.0, max_epochs=50,
        batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0,
        early_stopping=False, validation_fraction=0.1, patience=5, device="cpu",
        verbose=0, random_state=None, warm_start=False, modality_dropout=0.0,
        metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


class MemoryFusionNetworkClassifier(NeuralClassifierMixin, _SequenceNet):
    """Memory Fusion Network (MFN) classifier over word-aligned modality sequences.

    A system of LSTMs (one per modality column of ``(T, d)`` sequences), a
    Delta-memory Attention Network over the memories of consecutive steps and a
    Multi-view Gated Memory (:class:`skmer.nn.MemoryFusionNetwork`). ``None``
    cells mark a missing modality.

    Parameters
    ----------
    modalities : list of str, default=None
        The modality columns of X; None uses every column.
    hidden_size : int, default=32
        LSTM size per modality.
    memory_size : int, default=None
        Size of the multi-view gated memory; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, gate and output networks.
    skip_zero_steps : bool, default=False
        Drop all-zero steps; a cell left empty is missing.
    loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
        Training loss.
    class_weight : "balanced", dict or None, default=None
        Class weights of the loss.
    class_polarity : dict or array-like, default=None
        Polarity of each class for ``loss="polarity"``.
    polarity_weight : float, default=1.0
        Weight of the polarity term.
    {common}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {attrs}

    See Also
    --------
    MultiAttentionRecurrentNetworkClassifier, MultiViewLSTMClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import MemoryFusionNetworkClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> clf = MemoryFusionNetworkClassifier(hidden_size=4, max_epochs=2, random_state=0)
    >>> clf.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **_SequenceNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
        "memory_size": [Interval(Integral, 1, None, closed="left"), None],
    }
    _network = "MemoryFusionNetwork"
    _options = ("hidden_size", "dropout", "memory_size")

    def __init__(
        self, *, modalities=None, hidden_size=32, memory_size=None, dropout=0.0,
        skip_zero_steps=False, loss="cross_entropy", class_weight=None,
        class_polarity=None, polarity_weight=1.0, max_epochs=50, batch_size=32,
        lr=1e-3, optimizer="adam", weight_decay=0.0, early_stopping=False,
        validation_fraction=0.1, patience=5, device="cpu", verbose=0,
        random_state=None, warm_start=False, modality_dropout=0.0, metric_loss=None,
        metric_weight=0.1,
    ):
        _store(self, locals())


class MemoryFusionNetworkRegressor(NeuralRegressorMixin, _SequenceNet):
    """Memory Fusion Network (MFN) regressor over word-aligned modality sequences.

    See :class:`MemoryFusionNetworkClassifier` for the model.

    Parameters
    ----------
    modalities : list of str, default=None
        The modality columns of X; None uses every column.
    hidden_size : int, default=32
        LSTM size per modality.
    memory_size : int, default=None
        Size of the multi-view gated memory; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, gate and output networks.
    skip_zero_steps : bool, default=False
        Drop all-zero steps; a cell left empty is missing.
    loss : {"mse", "l1", "huber", "polarity"}, default="mse"
        Training loss.
    polarity_weight : float, default=1.0
        Weight of the polarity term of ``loss="polarity"``.
    {common}

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray
        Target standardisation.
    {attrs}

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import MemoryFusionNetworkRegressor
    >>> X, y = make_multimodal_regression(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> reg = MemoryFusionNetworkRegressor(hidden_size=4, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = MemoryFusionNetworkClassifier._parameter_constraints | {
        **NeuralRegressorMixin._parameter_constraints,
    }
    _network = "MemoryFusionNetwork"
    _options = ("hidden_size", "dropout", "memory_size")

    def __init__(
        self, *, modalities=None, hidden_size=32, memory_size=None, dropout=0.0,
        skip_zero_steps=False, loss="mse", polarity_weight=1.0, max_epochs=50,
        batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0,
        early_stopping=False, validation_fraction=0.1, patience=5, device="cpu",
        verbose=0, random_state=None, warm_start=False, modality_dropout=0.0,
        metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


class MultiAttentionRecurrentNetworkClassifier(NeuralClassifierMixin, _SequenceNet):
    """Multi-attention Recurrent Network (MARN) classifier over aligned sequences.

    One Long-Short Term Hybrid Memory per modality column of ``(T, d)``
    sequences and a Multi-attention Block that produces the hybrid cross-modal
    code read by every LSTHM at the next step
    (:class:`skmer.nn.MultiAttentionRecurrentNetwork`).

    Parameters
    ----------
    modalities : list of str, default=None
        The modality columns of X; None uses every column.
    hidden_size : int, default=32
        LSTHM size per modality.
    n_attentions : int, default=4
        Attentions of the multi-attention block.
    code_size : int, default=None
        Size of the hybrid code; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, reduction and output networks.
    skip_zero_steps : bool, default=False
        Drop all-zero steps; a cell left empty is missing.
    loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
        Training loss.
    class_weight : "balanced", dict or None, default=None
        Class weights of the loss.
    class_polarity : dict or array-like, default=None
        Polarity of each class for ``loss="polarity"``.
    polarity_weight : float, default=1.0
        Weight of the polarity term.
    {common}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {attrs}

    See Also
    --------
    MemoryFusionNetworkClassifier, MultiViewLSTMClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import MultiAttentionRecurrentNetworkClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> clf = MultiAttentionRecurrentNetworkClassifier(
    ...     hidden_size=4, max_epochs=2, random_state=0)
    >>> clf.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_SequenceNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
        "n_attentions": [Interval(Integral, 1, None, closed="left")],
        "code_size": [Interval(Integral, 1, None, closed="left"), None],
    }
    _network = "MultiAttentionRecurrentNetwork"
    _options = ("hidden_size", "dropout", "n_attentions", "code_size")

    def __init__(
        self, *, modalities=None, hidden_size=32, n_attentions=4, code_size=None,
        dropout=0.0, skip_zero_steps=False, loss="cross_entropy", class_weight=None,
        class_polarity=None, polarity_weight=1.0, max_epochs=50, batch_size=32,
        lr=1e-3, optimizer="adam", weight_decay=0.0, early_stopping=False,
        validation_fraction=0.1, patience=5, device="cpu", verbose=0,
        random_state=None, warm_start=False, modality_dropout=0.0, metric_loss=None,
        metric_weight=0.1,
    ):
        _store(self, locals())


class MultiAttentionRecurrentNetworkRegressor(NeuralRegressorMixin, _SequenceNet):
    """Multi-attention Recurrent Network (MARN) regressor over aligned sequences.

    See :class:`MultiAttentionRecurrentNetworkClassifier` for the model.

    Parameters
    ----------
    modalities : list of str, default=None
        The modality columns of X; None uses every column.
    hidden_size : int, default=32
        LSTHM size per modality.
    n_attentions : int, default=4
        Attentions of the multi-attention block.
    code_size : int, default=None
        Size of the hybrid code; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, reduction and output networks.
    skip_zero_steps : bool, default=False
        Drop all-zero steps; a cell left empty is missing.
    loss : {"mse", "l1", "huber", "polarity"}, default="mse"
        Training loss.
    polarity_weight : float, default=1.0
        Weight of the polarity term of ``loss="polarity"``.
    {common}

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray
        Target standardisation.
    {attrs}

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import MultiAttentionRecurrentNetworkRegressor
    >>> X, y = make_multimodal_regression(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> reg = MultiAttentionRecurrentNetworkRegressor(
    ...     hidden_size=4, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = (
        MultiAttentionRecurrentNetworkClassifier._parameter_constraints
        | {**NeuralRegressorMixin._parameter_constraints}
    )
    _network = "MultiAttentionRecurrentNetwork"
    _options = ("hidden_size", "dropout", "n_attentions", "code_size")

    def __init__(
        self, *, modalities=None, hidden_size=32, n_attentions=4, code_size=None,
        dropout=0.0, skip_zero_steps=False, loss="mse", polarity_weight=1.0,
        max_epochs=50, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0,
        early_stopping=False, validation_fraction=0.1, patience=5, device="cpu",
        verbose=0, random_state=None, warm_start=False, modality_dropout=0.0,
        metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


class _ContextNet(_RawInputMixin, BaseNeuralFusion):
    """Base of bc-LSTM: utterance vectors grouped into videos by a column."""

    _item_ndim = 1
    _parameter_constraints: dict = {
        **BaseNeuralFusion._parameter_constraints,
        "modalities": [list, None],
        "group_column": [str, None],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "projection_size": [Interval(Integral, 1, None, closed="left"), None],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    def _group_codes(self, X):
        if self.group_column is None:
            return np.arange(X.shape[0])
        if self.group_column not in X.columns:
            raise ValueError(
                f"group_column={self.group_column!r} is not a column of X; X has "
                f"columns {list(X.columns)}."
            )
        groups = X[self.group_column]
        if groups.isna().any():
            raise ValueError(
                f"group_column {self.group_column!r} has missing values in rows "
                f"{list(X.index[groups.isna().to_numpy()][:10])}."
            )
        return pd.factorize(groups, sort=False)[0]

    def _layout(self, groups):
        """Position ``(group, index within group)`` of each row, in row order."""
        order = np.argsort(groups, kind="stable")
        counts = np.bincount(groups)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        pos = np.empty(len(groups), dtype=int)
        pos[order] = np.arange(len(groups)) - np.repeat(starts, counts)
        return groups, pos, int(counts.max())

    def _module_inputs_raw(self, scaled, X):
        g, pos, length = self._layout(X.groups)
        n_groups = int(g.max()) + 1
        inputs = {}
        for v, (name, cells) in enumerate(scaled.items()):
            x = np.zeros((n_groups, length, len(self.modalities_[name])), dtype=np.float32)
            for i, a in enumerate(cells):
                if a is not None:
                    x[g[i], pos[i]] = a
            inputs[f"x{v}"] = x
        mask = np.zeros((n_groups, length, len(scaled)), dtype=np.float32)
        mask[g, pos] = X.present
        utt = np.zeros((n_groups, length), dtype=np.float32)
        utt[g, pos] = 1.0
        inputs["mask"], inputs["utterance_mask"] = mask, utt
        return inputs

    def _make_net(self, module, seed, stratify):
        from skmer.nn import PaddedLoss

        net = super()._make_net(module, seed, False)
        net.criterion = PaddedLoss
        return net

    def _build_module(self):
        import skmer.nn as snn

        return snn.ModalityDictAdapter(
            snn.ContextualLSTM,
            [len(c) for c in self.modalities_.values()],
            self.n_outputs_,
            {
                "hidden_size": self.hidden_size,
                "projection_size": self.projection_size,
                "dropout": self.dropout,
            },
            modality_dropout=self.modality_dropout,
        )

    def _ungroup(self, out, X):
        g, pos, _ = self._layout(X.groups)
        return out[g, pos]

    def _raw_output(self, X):
        check_is_fitted(self, "net_")
        data, _, present = self._validate_fusion_data(X, reset=False)
        return self._ungroup(self._forward(self._inputs(data, present))[0], data)

    def _modality_contributions(self, inputs, present):
        g, pos = np.nonzero(inputs["utterance_mask"])
        out = self._forward(inputs)[0]
        contrib = {}
        for j, name in enumerate(self.modalities_):
            dropped = dict(inputs)
            dropped["mask"] = inputs["mask"].copy()
            dropped["mask"][..., j] = 0.0
            rows = inputs["mask"][g, pos, j] > 0
            change = np.abs(self._forward(dropped)[0] - out)[g, pos][rows]
            contrib[name] = change.sum(axis=1).mean() if rows.any() else 0.0
        return normalize_weights(contrib)


class _GroupedTarget:
    """Reshape the mixin's per-row training target into padded groups (goes first)."""

    def _prepare_fit(self, X, y, present, **kwargs):
        target = super()._prepare_fit(X, y, present, **kwargs)
        g, pos, length = self._layout(X.groups)
        fill = -100 if np.issubdtype(target.dtype, np.integer) else np.nan
        grouped = np.full((int(g.max()) + 1, length, *target.shape[1:]), fill, target.dtype)
        grouped[g, pos] = target
        return grouped


_CONTEXT_PARAMS = """
    modalities : list of str, default=None
        The modality columns of X (cells: 1-D utterance feature vectors, None
        where missing); None uses every column except ``group_column``.
    group_column : str or None, default=None
        Column of X naming the video (or dialogue) of each utterance; the
        utterances of a group, in row order, form one sequence. None makes every
        row its own group (no context).
    hidden_size : int, default=32
        LSTM size per direction.
    projection_size : int, default=None
        Size of each modality's dense projection; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout on the projections and before the output layer."""


class ContextualLSTMClassifier(_GroupedTarget, NeuralClassifierMixin, _ContextNet):
    """Bidirectional contextual LSTM (bc-LSTM) classifier over utterances of a video.

    Each row of X is one utterance with utterance-level feature vectors per
    modality; ``group_column`` names its video. The utterances of a video are
    read by a bidirectional LSTM (:class:`skmer.nn.ContextualLSTM`), so each
    prediction uses the neighbouring utterances. Predictions on new data use the
    context of the rows of the same group passed together; use
    :class:`~sklearn.model_selection.GroupKFold` with the same groups to keep
    videos whole. Training samples for the minibatches (and for early stopping)
    are whole groups.

    Parameters
    ----------{context}
    loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
        Training loss.
    class_weight : "balanced", dict or None, default=None
        Class weights of the loss.
    class_polarity : dict or array-like, default=None
        Polarity of each class for ``loss="polarity"``.
    polarity_weight : float, default=1.0
        Weight of the polarity term.
    {common}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {attrs}

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.fusion import ContextualLSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame({"text": list(rng.normal(size=(40, 3))),
    ...                   "video": np.repeat(np.arange(8), 5)})
    >>> y = rng.randint(0, 2, 40)
    >>> clf = ContextualLSTMClassifier(group_column="video", hidden_size=8,
    ...                                max_epochs=3, random_state=0)
    >>> clf.fit(X, y).predict(X).shape
    (40,)
    """

    _parameter_constraints: dict = {
        **_ContextNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
    }

    def __init__(
        self, *, modalities=None, group_column=None, hidden_size=32,
        projection_size=None, dropout=0.0, loss="cross_entropy", class_weight=None,
        class_polarity=None, polarity_weight=1.0, max_epochs=50, batch_size=32,
        lr=1e-3, optimizer="adam", weight_decay=0.0, early_stopping=False,
        validation_fraction=0.1, patience=5, device="cpu", verbose=0,
        random_state=None, warm_start=False, modality_dropout=0.0, metric_loss=None,
        metric_weight=0.1,
    ):
        _store(self, locals())


class ContextualLSTMRegressor(_GroupedTarget, NeuralRegressorMixin, _ContextNet):
    """Bidirectional contextual LSTM (bc-LSTM) regressor over utterances of a video.

    See :class:`ContextualLSTMClassifier`; targets are standardised for
    training and may have several outputs.

    Parameters
    ----------{context}
    loss : {"mse", "l1", "huber", "polarity"}, default="mse"
        Training loss.
    polarity_weight : float, default=1.0
        Weight of the polarity term of ``loss="polarity"``.
    {common}

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray
        Target standardisation.
    {attrs}

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.fusion import ContextualLSTMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame({"audio": list(rng.normal(size=(40, 3))),
    ...                   "video": np.repeat(np.arange(8), 5)})
    >>> reg = ContextualLSTMRegressor(group_column="video", hidden_size=8,
    ...                               max_epochs=3, random_state=0)
    >>> reg.fit(X, rng.normal(size=40)).predict(X).shape
    (40,)
    """

    _parameter_constraints: dict = {
        **_ContextNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
    }

    def __init__(
        self, *, modalities=None, group_column=None, hidden_size=32,
        projection_size=None, dropout=0.0, loss="mse", polarity_weight=1.0,
        max_epochs=50, batch_size=32, lr=1e-3, optimizer="adam", weight_decay=0.0,
        early_stopping=False, validation_fraction=0.1, patience=5, device="cpu",
        verbose=0, random_state=None, warm_start=False, modality_dropout=0.0,
        metric_loss=None, metric_weight=0.1,
    ):
        _store(self, locals())


for _cls in (
    MultiViewLSTMClassifier, MultiViewLSTMRegressor, MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor, MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor, ContextualLSTMClassifier,
    ContextualLSTMRegressor,
):
    _cls.__doc__ = (
        _cls.__doc__.replace("{context}", _CONTEXT_PARAMS)
        .replace("{common}", _COMMON_DOC.strip("\n")[4:])
        .replace("{attrs}", _COMMON_ATTRS.strip("\n")[4:].replace(
            "The trained network.", _PORTABLE_NET_DOC, 1))
    )
del _cls
