"""Tensor fusion estimators: full outer product (TFN) or low-rank factors (LMF)."""

import math
from numbers import Integral, Real

from skmer.fusion._neural_base import (
    NEURAL_DOCS,
    BaseNeuralFusion,
    NeuralClassifierMixin,
    NeuralRegressorMixin,
    is_classifier_net,
)
from skmer.utils._docstring import fill_doc
from skmer.utils._sklearn_compat import Interval

#: Largest fused size ``prod(d_m + 1)`` of a full TFN: 2**22 float32 values are
#: 16 MiB per row, so a batch of 64 rows already holds 1 GiB of fused tensor
#: (and the head's first layer as many weights per unit).
MAX_TENSOR_SIZE = 2**22


def check_sizes(value, name):
    """A tuple of positive layer sizes, or a ValueError naming the parameter."""
    sizes = tuple(value)
    if not all(isinstance(s, Integral) and s >= 1 for s in sizes):
        raise ValueError(f"{name} must be a tuple of positive ints; got {value!r}.")
    return tuple(int(s) for s in sizes)


class _MultimodalNet(BaseNeuralFusion):
    """Builds :class:`skmer.nn.MultimodalFusionNet` from the estimator's params."""

    _parameter_constraints: dict = {
        **BaseNeuralFusion._parameter_constraints,
        "hidden_sizes": [tuple, list],
        "head_hidden_sizes": [tuple, list],
        "fusion_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    def _fusion_kind(self):
        raise NotImplementedError

    def _build_module(self, **module_params):
        from skmer.nn import MultimodalFusionNet

        kwargs = {
            "fusion": self._fusion_kind(),
            "task": "classification" if is_classifier_net(self) else "regression",
            "hidden_sizes": check_sizes(self.hidden_sizes, "hidden_sizes"),
            "fusion_size": self.fusion_size,
            "rank": getattr(self, "rank", None) or 1,
            "head_hidden_sizes": check_sizes(
                self.head_hidden_sizes, "head_hidden_sizes"
            ),
            "dropout": self.dropout,
            **self._module_kwargs(),
        }
        try:
            return MultimodalFusionNet(
                list(self.input_dims_.values()),
                self.n_outputs_,
                **{**kwargs, **module_params},
            )
        except TypeError as exc:
            raise ValueError(
                f"module_params {sorted(module_params)} are not all arguments of "
                f"skmer.nn.MultimodalFusionNet: {exc}"
            ) from exc


class _TensorFusion(_MultimodalNet):
    _parameter_constraints: dict = {
        **_MultimodalNet._parameter_constraints,
        "rank": [Interval(Integral, 1, None, closed="left"), None],
    }

    # the catalog's entries (skmer._catalog): "tensor" (full TFN, the name the
    # CLI, README and benchmarks use) and "tensor-lmf" (rank-4 LMF)
    _catalog_variants = {"": {}, "lmf": {"rank": 4}}

    def _fusion_kind(self):
        return "tensor" if self.rank is None else "low_rank"

    def _build_module(self, **module_params):
        if self.rank is None:
            self._check_tensor_size(module_params)
        return super()._build_module(**module_params)

    def _check_tensor_size(self, module_params):
        """A ValueError, before any allocation, when the full outer product of
        the modality embeddings is too large to build."""
        hidden = check_sizes(
            module_params.get("hidden_sizes", self.hidden_sizes), "hidden_sizes"
        )
        dims = [hidden[-1] if hidden else d for d in self.input_dims_.values()]
        size = math.prod(d + 1 for d in dims)
        if size > MAX_TENSOR_SIZE:
            raise ValueError(
                f"{type(self).__name__} with rank=None builds the full tensor "
                f"product of {len(dims)} modalities, prod(d_m + 1) = {size:.3g} "
                f"fused values per row (embedding sizes {dims}), beyond the limit of "
                f"{MAX_TENSOR_SIZE} ({MAX_TENSOR_SIZE * 4 // 2**20} MiB per row). "
                "Use low-rank fusion (e.g. rank=4), which never builds the "
                "product, or fewer modalities or smaller hidden_sizes."
            )


@fill_doc(**NEURAL_DOCS)
class TensorFusionClassifier(NeuralClassifierMixin, _TensorFusion):
    """Tensor fusion network classifier: TFN (``rank=None``) or low-rank LMF.

    Each modality's encoded block goes through its own MLP to an embedding
    ``h_m``; with a constant 1 appended, ``z_m = [1, h_m]``, the fused
    representation holds every unimodal, bimodal and trimodal interaction term:

    - ``rank=None``: the full outer product ``z_1 ⊗ ... ⊗ z_M`` (TFN, Zadeh
      et al. 2017), of size ``prod(d_m + 1)``, then the head;
    - ``rank=r``: low-rank multimodal fusion (LMF, Liu et al. 2018), the same
      multilinear map computed with ``r`` modality-specific factors,
      ``sum_i lambda_i prod_m z_m W_m^(i)``, of size ``fusion_size``, at a
      fraction of the parameters and time.

    **Missing modalities**: an absent block enters as a zero embedding with the
    constant 1 kept, so only the interaction terms with that modality vanish;
    ``modality_dropout`` trains the net for it. Built on skorch: the trained
    net is ``net_``.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    %(layout_params)s
    rank : int or None, default=None
        None for the full tensor fusion (TFN); an int for LMF of that rank.
        A TFN whose fused size ``prod(d_m + 1)`` exceeds ``2**22`` (e.g. many
        modalities) is a ValueError suggesting ``rank``.
    fusion_size : int, default=64
        Size of the LMF fused representation (unused by TFN).
    %(tensor_net_params)s
    %(clf_loss_params)s
    %(train_params)s
    %(net_optimizer)s
    %(criterion_doc)s
    %(net_callbacks)s
    %(fit_options)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    modality_weights_ : dict of str to float
        Average factor contribution of each modality: the mean absolute change
        of the logits when the modality is removed from the rows where it is
        present (sums to 1).
    %(fitted_attrs)s

    See Also
    --------
    AttentionFusionClassifier : input-dependent modality weights.
    LateFusionClassifier : additive, decision-level fusion.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import TensorFusionClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=200, missing_rate=0.2, random_state=0)
    >>> clf = TensorFusionClassifier(rank=4, lr=0.01, max_epochs=20, random_state=0)
    >>> clf = clf.fit(X, y)
    >>> clf.score(X, y) > 0.8
    True
    >>> sorted(clf.modality_weights_)
    ['audio', 'text', 'video']
    """

    _parameter_constraints: dict = {
        **_TensorFusion._parameter_constraints,
        **NeuralClassifierMixin._parameter_constraints,
    }

    def __init__(
        self,
        *,
        modalities=None,
        remainder="error",
        rank=None,
        fusion_size=64,
        hidden_sizes=(16,),
        head_hidden_sizes=(32,),
        dropout=0.1,
        modality_dropout=0.0,
        loss="cross_entropy",
        metric_loss=None,
        metric_weight=0.1,
        class_weight=None,
        class_polarity=None,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=64,
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
        warm_start=False,
        random_state=None,
    ):
        self.modalities = modalities
        self.remainder = remainder
        self.rank = rank
        self.fusion_size = fusion_size
        self.hidden_sizes = hidden_sizes
        self.head_hidden_sizes = head_hidden_sizes
        self.dropout = dropout
        self.modality_dropout = modality_dropout
        self.loss = loss
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight
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
        self.warm_start = warm_start
        self.random_state = random_state


@fill_doc(**NEURAL_DOCS)
class TensorFusionRegressor(NeuralRegressorMixin, _TensorFusion):
    """Tensor fusion network regressor: TFN (``rank=None``) or low-rank LMF.

    The regression counterpart of :class:`TensorFusionClassifier` (same
    subnetworks and tensor / low-rank fusion, a regression head), with
    multi-output targets such as valence, arousal and dominance. Targets are
    standardised for training (``target_mean_``, ``target_scale_``).

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    %(layout_params)s
    rank : int or None, default=None
        None for the full tensor fusion (TFN); an int for LMF of that rank.
        A TFN whose fused size ``prod(d_m + 1)`` exceeds ``2**22`` (e.g. many
        modalities) is a ValueError suggesting ``rank``.
    fusion_size : int, default=64
        Size of the LMF fused representation (unused by TFN).
    %(tensor_net_params)s
    %(reg_loss_params)s
    %(train_params)s
    %(net_optimizer)s
    %(criterion_doc)s
    %(net_callbacks)s
    %(fit_options)s

    Attributes
    ----------
    target_mean_, target_scale_ : ndarray of shape (n_outputs,)
        Target standardisation.
    n_outputs_ : int
        Number of targets.
    modality_weights_ : dict of str to float
        Average factor contribution of each modality: the mean absolute change
        of the outputs when the modality is removed from the rows where it is
        present (sums to 1).
    %(fitted_attrs)s

    See Also
    --------
    TensorFusionClassifier : the classifier.
    AttentionFusionRegressor : input-dependent modality weights.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import TensorFusionRegressor
    >>> X, y = make_multimodal_regression(n_samples=200, n_targets=3, random_state=0)
    >>> reg = TensorFusionRegressor(rank=4, max_epochs=30, random_state=0).fit(X, y)
    >>> reg.predict(X).shape, reg.score(X, y) > 0.5
    ((200, 3), True)
    """

    _parameter_constraints: dict = {
        **_TensorFusion._parameter_constraints,
        **NeuralRegressorMixin._parameter_constraints,
    }

    def __init__(
        self,
        *,
        modalities=None,
        remainder="error",
        rank=None,
        fusion_size=64,
        hidden_sizes=(16,),
        head_hidden_sizes=(32,),
        dropout=0.1,
        modality_dropout=0.0,
        loss="mse",
        metric_loss=None,
        metric_weight=0.1,
        polarity_weight=1.0,
        max_epochs=50,
        batch_size=64,
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
        warm_start=False,
        random_state=None,
    ):
        self.modalities = modalities
        self.remainder = remainder
        self.rank = rank
        self.fusion_size = fusion_size
        self.hidden_sizes = hidden_sizes
        self.head_hidden_sizes = head_hidden_sizes
        self.dropout = dropout
        self.modality_dropout = modality_dropout
        self.loss = loss
        self.metric_loss = metric_loss
        self.metric_weight = metric_weight
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
        self.warm_start = warm_start
        self.random_state = random_state
