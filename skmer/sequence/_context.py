"""Contextual utterance model: bidirectional contextual LSTM (bc-LSTM).

Each row of X is one utterance with utterance-level feature vectors per input
column; ``group_column`` names its video (or dialogue) and the utterances of a
group are read, in the order of ``order_column`` (or the natural order of the
row labels, never the order of the rows), by a bidirectional LSTM.
"""

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
from skmer.utils._sklearn_compat import Interval, check_is_fitted


class _ContextNet(RawInputMixin, BaseNeuralFusion):
    """Base of bc-LSTM: utterance vectors grouped into videos by a column."""

    _item_ndim = 1
    _contextual = True
    _parameter_constraints: dict = {
        **_without_layout(BaseNeuralFusion._parameter_constraints),
        "columns": [list, None],
        "group_column": [str, None],
        "order_column": [str, None],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "projection_size": [Interval(Integral, 1, None, closed="left"), None],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    @staticmethod
    def _shape(X):
        return int(X.groups.max()) + 1, int(X.positions.max()) + 1

    def _module_inputs_raw(self, scaled, X):
        g, pos = X.groups, X.positions
        n_groups, length = self._shape(X)
        inputs = {}
        for v, (name, cells) in enumerate(scaled.items()):
            x = np.zeros(
                (n_groups, length, len(self.modalities_[name])), dtype=np.float32
            )
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

    def _default_criterion(self):
        from skmer.nn import PaddedLoss

        return PaddedLoss, self._criterion_kwargs()

    def _training_metadata(self, X, sample_weight, groups):
        """Per-utterance weights and one group per video (the training samples)."""
        n_groups, length = self._shape(X)
        if sample_weight is not None:
            weights = np.zeros((n_groups, length))
            weights[X.groups, X.positions] = sample_weight
            sample_weight = weights
        if groups is not None:
            per_video = np.empty(n_groups, dtype=object)
            per_video[X.groups] = list(groups)
            groups = per_video
        return sample_weight, groups

    def _build_module(self, **module_params):
        import skmer.nn as snn

        options = {
            "hidden_size": self.hidden_size,
            "projection_size": self.projection_size,
            "dropout": self.dropout,
        }
        return snn.ModalityDictAdapter(
            snn.ContextualLSTM,
            [len(c) for c in self.modalities_.values()],
            self.n_outputs_,
            {**options, **module_params},
            modality_dropout=self.modality_dropout,
        )

    def _raw_output(self, X):
        check_is_fitted(self, "net_")
        data, _, present = self._validate_fusion_data(X, reset=False)
        out = self._forward(self._inputs(data, present))[0]
        return out[data.groups, data.positions]

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
    """Place the mixin's per-row training target in padded groups (goes first)."""

    def _prepare_fit(self, X, y, present, **kwargs):
        target = super()._prepare_fit(X, y, present, **kwargs)
        n_groups, length = self._shape(X)
        fill = -100 if np.issubdtype(target.dtype, np.integer) else np.nan
        grouped = np.full((n_groups, length, *target.shape[1:]), fill, target.dtype)
        grouped[X.groups, X.positions] = target
        return grouped


_CONTEXT = """\
columns : list of str, default=None
    The input columns of X (cells: 1-D utterance feature vectors, None where
    missing); None uses every column except ``group_column`` and
    ``order_column``, and a column of scalars or strings (an id) is then an
    error asking to name ``columns``.
group_column : str or None, default=None
    Column of X naming the video (or dialogue) of each utterance; the
    utterances of a group form one sequence. None makes every row its own
    group (no context).
order_column : str or None, default=None
    Column of X giving the position of each utterance in its group (numbers,
    or ids sorted naturally: ``"v_5"`` before ``"v_12"``). None orders the
    utterances of a group by the natural order of the row labels
    (``X.index``). The order of the rows never matters.
hidden_size : int, default=32
    LSTM size per direction.
projection_size : int, default=None
    Size of each modality's dense projection; None uses ``hidden_size``.
dropout : float, default=0.0
    Dropout on the projections and before the output layer."""

_FILL = dict(
    context=_CONTEXT,
    clf_loss=_docs.CLF_LOSS,
    reg_loss=_docs.REG_LOSS,
    train=_docs.train(),
    classes=_docs.CLASSES,
    target=_docs.TARGET,
    fitted=_docs.FITTED,
)


@fill_doc(**_FILL)
class ContextualLSTMClassifier(_GroupedTarget, NeuralClassifierMixin, _ContextNet):
    """Bidirectional contextual LSTM (bc-LSTM) classifier over utterances of a video.

    Each row of X is one utterance with utterance-level feature vectors per
    input column; ``group_column`` names its video and ``order_column`` (or the
    row labels) its place in the video. The utterances of a video are read by a
    bidirectional LSTM (:class:`skmer.nn.ContextualLSTM`), so each prediction
    uses the neighbouring utterances. Predictions on new data use the context
    of the rows of the same group passed together; use
    :class:`~sklearn.model_selection.GroupKFold` with the same groups to keep
    videos whole. Training samples for the minibatches (and for early stopping)
    are whole groups.

    Parameters
    ----------
    %(context)s
    %(clf_loss)s
    %(train)s

    Attributes
    ----------
    %(classes)s
    %(fitted)s

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import ContextualLSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame({"text": list(rng.normal(size=(40, 3))),
    ...                   "video": np.repeat(np.arange(8), 5),
    ...                   "utterance": np.tile(np.arange(5), 8)})
    >>> y = rng.randint(0, 2, 40)
    >>> clf = ContextualLSTMClassifier(group_column="video", order_column="utterance",
    ...                                hidden_size=8, max_epochs=3, random_state=0)
    >>> clf.fit(X, y).predict(X).shape
    (40,)
    """

    _parameter_constraints: dict = {
        **_ContextNet._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
    }

    def __init__(
        self,
        *,
        columns=None,
        group_column=None,
        order_column=None,
        hidden_size=32,
        projection_size=None,
        dropout=0.0,
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
        self.group_column = group_column
        self.order_column = order_column
        self.hidden_size = hidden_size
        self.projection_size = projection_size
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
class ContextualLSTMRegressor(_GroupedTarget, NeuralRegressorMixin, _ContextNet):
    """Bidirectional contextual LSTM (bc-LSTM) regressor over utterances of a video.

    See :class:`ContextualLSTMClassifier`; targets are standardised for
    training and may have several outputs.

    Parameters
    ----------
    %(context)s
    %(reg_loss)s
    %(train)s

    Attributes
    ----------
    %(target)s
    %(fitted)s

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import ContextualLSTMRegressor
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
        self,
        *,
        columns=None,
        group_column=None,
        order_column=None,
        hidden_size=32,
        projection_size=None,
        dropout=0.0,
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
        self.group_column = group_column
        self.order_column = order_column
        self.hidden_size = hidden_size
        self.projection_size = projection_size
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
