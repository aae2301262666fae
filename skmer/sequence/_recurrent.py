"""Word-aligned recurrent MER systems: MV-LSTM, MFN and MARN.

They read word-aligned ``(T, d)`` sequence cells, one input column per
modality (variable ``T``; right-padded with a step mask; ``None`` marks a
missing modality), and hold a skorch net built in ``fit`` through
:class:`~skmer.fusion._neural_base.BaseNeuralFusion` (seeding, early stopping,
``device``, losses, modality weights); torch is imported only when they are
fitted.
"""

from numbers import Integral, Real

import numpy as np

from skmer.fusion._neural_base import (
    BaseNeuralFusion,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
)
from skmer.sequence import _docs
from skmer.sequence._base import RawInputMixin, pad_sequences
from skmer.utils._docstring import fill_doc
from skmer.utils._sklearn_compat import Interval


def _without_layout(constraints):
    """Neural constraints minus the fusion layout ``modalities`` (not a parameter here)."""
    return {k: v for k, v in constraints.items() if k != "modalities"}


class _SequenceNet(RawInputMixin, BaseNeuralFusion):
    """Base of MV-LSTM, MFN and MARN over word-aligned ``(T, d)`` sequences."""

    _parameter_constraints: dict = {
        **_without_layout(BaseNeuralFusion._parameter_constraints),
        "columns": [list, None],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "skip_zero_steps": ["boolean"],
    }
    _network = None  # name of the torch module in skmer.nn
    _options = ("hidden_size", "dropout")  # constructor arguments of the network

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

    def _build_module(self, **module_params):
        import skmer.nn as snn

        return snn.ModalityDictAdapter(
            getattr(snn, self._network),
            [len(c) for c in self.modalities_.values()],
            self.n_outputs_,
            {**{name: getattr(self, name) for name in self._options}, **module_params},
            modality_dropout=self.modality_dropout,
        )


_FILL = dict(
    columns=_docs.COLUMNS,
    skip_zero_steps=_docs.SKIP_ZERO_STEPS,
    clf_loss=_docs.CLF_LOSS,
    reg_loss=_docs.REG_LOSS,
    train=_docs.train(),
    classes=_docs.CLASSES,
    target=_docs.TARGET,
    fitted=_docs.FITTED,
)


@fill_doc(**_FILL)
class MultiViewLSTMClassifier(NeuralClassifierMixin, _SequenceNet):
    """Multi-View LSTM (MV-LSTM) classifier over word-aligned modality sequences.

    Each input column holds ``(T, d)`` sequences (``T`` may vary; ``None``
    marks a missing modality). Each view has an LSTM memory split into a
    view-specific and a cross-view region whose gates read every view's hidden
    state (:class:`skmer.nn.MultiViewLSTM`).

    Parameters
    ----------
    %(columns)s
    hidden_size : int, default=32
        Memory per view.
    cross_fraction : float, default=0.5
        Share of each view's memory in the cross-view region.
    dropout : float, default=0.0
        Dropout of the output head.
    %(skip_zero_steps)s
    %(clf_loss)s
    %(train)s

    Attributes
    ----------
    %(classes)s
    %(fitted)s

    See Also
    --------
    MemoryFusionNetworkClassifier, MultiAttentionRecurrentNetworkClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.sequence import MultiViewLSTMClassifier
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
        self,
        *,
        columns=None,
        hidden_size=32,
        cross_fraction=0.5,
        dropout=0.0,
        skip_zero_steps=False,
        loss="cross_entropy",
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.columns = columns
        self.hidden_size = hidden_size
        self.cross_fraction = cross_fraction
        self.dropout = dropout
        self.skip_zero_steps = skip_zero_steps
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
class MultiViewLSTMRegressor(NeuralRegressorMixin, _SequenceNet):
    """Multi-View LSTM (MV-LSTM) regressor over word-aligned modality sequences.

    See :class:`MultiViewLSTMClassifier` for the model; targets are
    standardised for training and may have several outputs.

    Parameters
    ----------
    %(columns)s
    hidden_size : int, default=32
        Memory per view.
    cross_fraction : float, default=0.5
        Share of each view's memory in the cross-view region.
    dropout : float, default=0.0
        Dropout of the output head.
    %(skip_zero_steps)s
    %(reg_loss)s
    %(train)s

    Attributes
    ----------
    %(target)s
    %(fitted)s

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.sequence import MultiViewLSTMRegressor
    >>> X, y = make_multimodal_regression(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> reg = MultiViewLSTMRegressor(hidden_size=4, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_SequenceNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
        "cross_fraction": [Interval(Real, 0, 1, closed="neither")],
    }
    _network = "MultiViewLSTM"
    _options = ("hidden_size", "dropout", "cross_fraction")

    def __init__(
        self,
        *,
        columns=None,
        hidden_size=32,
        cross_fraction=0.5,
        dropout=0.0,
        skip_zero_steps=False,
        loss="mse",
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.columns = columns
        self.hidden_size = hidden_size
        self.cross_fraction = cross_fraction
        self.dropout = dropout
        self.skip_zero_steps = skip_zero_steps
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


@fill_doc(**_FILL)
class MemoryFusionNetworkClassifier(NeuralClassifierMixin, _SequenceNet):
    """Memory Fusion Network (MFN) classifier over word-aligned modality sequences.

    A system of LSTMs (one per input column of ``(T, d)`` sequences), a
    Delta-memory Attention Network over the memories of consecutive steps and a
    Multi-view Gated Memory (:class:`skmer.nn.MemoryFusionNetwork`). ``None``
    cells mark a missing modality.

    Parameters
    ----------
    %(columns)s
    hidden_size : int, default=32
        LSTM size per modality.
    memory_size : int, default=None
        Size of the multi-view gated memory; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, gate and output networks.
    %(skip_zero_steps)s
    %(clf_loss)s
    %(train)s

    Attributes
    ----------
    %(classes)s
    %(fitted)s

    See Also
    --------
    MultiAttentionRecurrentNetworkClassifier, MultiViewLSTMClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.sequence import MemoryFusionNetworkClassifier
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
        self,
        *,
        columns=None,
        hidden_size=32,
        memory_size=None,
        dropout=0.0,
        skip_zero_steps=False,
        loss="cross_entropy",
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.columns = columns
        self.hidden_size = hidden_size
        self.memory_size = memory_size
        self.dropout = dropout
        self.skip_zero_steps = skip_zero_steps
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
class MemoryFusionNetworkRegressor(NeuralRegressorMixin, _SequenceNet):
    """Memory Fusion Network (MFN) regressor over word-aligned modality sequences.

    See :class:`MemoryFusionNetworkClassifier` for the model.

    Parameters
    ----------
    %(columns)s
    hidden_size : int, default=32
        LSTM size per modality.
    memory_size : int, default=None
        Size of the multi-view gated memory; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, gate and output networks.
    %(skip_zero_steps)s
    %(reg_loss)s
    %(train)s

    Attributes
    ----------
    %(target)s
    %(fitted)s

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.sequence import MemoryFusionNetworkRegressor
    >>> X, y = make_multimodal_regression(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> reg = MemoryFusionNetworkRegressor(hidden_size=4, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_SequenceNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
        "memory_size": [Interval(Integral, 1, None, closed="left"), None],
    }
    _network = "MemoryFusionNetwork"
    _options = ("hidden_size", "dropout", "memory_size")

    def __init__(
        self,
        *,
        columns=None,
        hidden_size=32,
        memory_size=None,
        dropout=0.0,
        skip_zero_steps=False,
        loss="mse",
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.columns = columns
        self.hidden_size = hidden_size
        self.memory_size = memory_size
        self.dropout = dropout
        self.skip_zero_steps = skip_zero_steps
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


@fill_doc(**_FILL)
class MultiAttentionRecurrentNetworkClassifier(NeuralClassifierMixin, _SequenceNet):
    """Multi-attention Recurrent Network (MARN) classifier over aligned sequences.

    One Long-Short Term Hybrid Memory per input column of ``(T, d)``
    sequences and a Multi-attention Block that produces the hybrid cross-modal
    code read by every LSTHM at the next step
    (:class:`skmer.nn.MultiAttentionRecurrentNetwork`).

    Parameters
    ----------
    %(columns)s
    hidden_size : int, default=32
        LSTHM size per modality.
    n_attentions : int, default=4
        Attentions of the multi-attention block.
    code_size : int, default=None
        Size of the hybrid code; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, reduction and output networks.
    %(skip_zero_steps)s
    %(clf_loss)s
    %(train)s

    Attributes
    ----------
    %(classes)s
    %(fitted)s

    See Also
    --------
    MemoryFusionNetworkClassifier, MultiViewLSTMClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.sequence import MultiAttentionRecurrentNetworkClassifier
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
        self,
        *,
        columns=None,
        hidden_size=32,
        n_attentions=4,
        code_size=None,
        dropout=0.0,
        skip_zero_steps=False,
        loss="cross_entropy",
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.columns = columns
        self.hidden_size = hidden_size
        self.n_attentions = n_attentions
        self.code_size = code_size
        self.dropout = dropout
        self.skip_zero_steps = skip_zero_steps
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
class MultiAttentionRecurrentNetworkRegressor(NeuralRegressorMixin, _SequenceNet):
    """Multi-attention Recurrent Network (MARN) regressor over aligned sequences.

    See :class:`MultiAttentionRecurrentNetworkClassifier` for the model.

    Parameters
    ----------
    %(columns)s
    hidden_size : int, default=32
        LSTHM size per modality.
    n_attentions : int, default=4
        Attentions of the multi-attention block.
    code_size : int, default=None
        Size of the hybrid code; None uses ``hidden_size``.
    dropout : float, default=0.0
        Dropout of the attention, reduction and output networks.
    %(skip_zero_steps)s
    %(reg_loss)s
    %(train)s

    Attributes
    ----------
    %(target)s
    %(fitted)s

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.sequence import MultiAttentionRecurrentNetworkRegressor
    >>> X, y = make_multimodal_regression(
    ...     n_samples=30, output="sequences", seq_length=(3, 6), random_state=0)
    >>> reg = MultiAttentionRecurrentNetworkRegressor(
    ...     hidden_size=4, max_epochs=2, random_state=0)
    >>> reg.fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_SequenceNet._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
        "n_attentions": [Interval(Integral, 1, None, closed="left")],
        "code_size": [Interval(Integral, 1, None, closed="left"), None],
    }
    _network = "MultiAttentionRecurrentNetwork"
    _options = ("hidden_size", "dropout", "n_attentions", "code_size")

    def __init__(
        self,
        *,
        columns=None,
        hidden_size=32,
        n_attentions=4,
        code_size=None,
        dropout=0.0,
        skip_zero_steps=False,
        loss="mse",
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        device="cpu",
        verbose=0,
        random_state=None,
        warm_start=False,
        modality_dropout=0.0,
        metric_loss=None,
        metric_weight=0.1,
    ):
        self.columns = columns
        self.hidden_size = hidden_size
        self.n_attentions = n_attentions
        self.code_size = code_size
        self.dropout = dropout
        self.skip_zero_steps = skip_zero_steps
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
