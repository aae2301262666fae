"""Shared base of skmer's neural fusion estimators: a skorch net built in ``fit``.

How a subclass plugs in
-----------------------
A neural fusion estimator subclasses :class:`BaseNeuralFusion` together with
:class:`NeuralClassifierMixin` (classification: label encoding, class weights,
``predict``/``predict_proba``) or :class:`NeuralRegressorMixin` (regression:
target standardisation, multi-output ``predict``), mixin first::

    class MyFusionClassifier(NeuralClassifierMixin, BaseNeuralFusion):
        _parameter_constraints = {**BaseNeuralFusion._parameter_constraints,
                                  **NeuralClassifierMixin._parameter_constraints,
                                  "hidden_size": [Interval(Integral, 1, None, closed="left")]}

        def __init__(self, *, modalities=None, hidden_size=32, max_epochs=50, ...):
            ...  # store every argument, nothing else

        def _build_module(self, **module_params):
            from skmer.nn import MyModule          # torch is imported only here
            return MyModule(self.input_dims_, self.n_outputs_,
                            **{"hidden_size": self.hidden_size, **module_params})

``__init__`` stores the subclass's own arguments and every name of
``BaseNeuralFusion._common_params`` plus the mixin's ones
(``class_weight``/``class_polarity``/``polarity_weight`` for classifiers,
``polarity_weight`` for regressors). The skorch core itself
(:class:`skmer.utils._neural.NeuralNetMixin`) does the seeding, device check,
initialisation from classes and prefixed parameters, the fit loop, the
divergence check and the portable pickle state.

``fit(X, y, sample_weight=None, *, groups=None)`` then does, in order:

1. ``_validate_fusion_data`` (layout ``modalities_``, presence mask);
2. the mixin encodes y (``classes_`` or ``target_mean_``/``target_scale_``);
3. per-column standardisation on the rows where each modality is present
   (``feature_mean_``, ``feature_scale_``);
4. ``_module_inputs(X, present)`` turns the standardised X into the dict of
   arrays fed as ``module(**inputs)``: by default ``{"x0": block of modality 0,
   "x1": ..., "mask": presence (n, n_modalities) float32}``, absent blocks set
   to 0 (override it for other input shapes, e.g. sequences);
5. ``_training_metadata(X, sample_weight, groups)`` maps the per-row weights
   and groups to the training samples (identity by default; override it when
   a training sample is not a row);
6. the core trains ``net_`` with ``_build_module(**module_params)`` (called
   with ``input_dims_`` ``{modality: n_columns}``, ``n_outputs_`` and
   ``modality_names_`` set) and the criterion of ``_default_criterion()``
   (:class:`skmer.nn.FusionLoss` with ``_criterion_kwargs()``).

``modality_weights_`` is computed on first access from
``_modality_contributions(inputs, present)`` over the training inputs (by
default the mean per-row weights the module returns, else the effect of
removing each modality), so ``fit`` runs no pass after its last epoch.

The module's ``forward(**inputs)`` returns the output tensor (logits of shape
(n, n_classes), or regression outputs (n, n_outputs)) or a tuple
``(output, embedding, weights)``: ``embedding`` is the fused representation
(n, d) used by the auxiliary metric losses, ``weights`` per-row modality
weights (n, n_modalities), e.g. attention, used for ``modality_weights_``.
Modules apply ``modality_dropout`` themselves when training (see
:func:`skmer.nn.drop_modalities`).

torch and skorch are imported inside methods only, so importing
:mod:`skmer.fusion` does not import torch.
"""

from numbers import Integral, Real

import numpy as np
from scipy.special import log_softmax, softmax
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from skmer.fusion._base import BaseFusion, normalize_weights
from skmer.utils._neural import (
    NET_DOCS,
    NET_PARAMETER_CONSTRAINTS,
    NeuralNetMixin,
    check_fit_metadata,
)
from skmer.utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
)

# elements (rows x widest layer) per float64 forward pass at prediction time:
# 2**22 float64 values = 32 MiB per activation, so a wide TFN fused tensor is
# evaluated a few rows at a time and small nets 4096 rows at a time
_PREDICT_ELEMENTS = 2**22
_PREDICT_MAX_ROWS = 4096

CLASSIFIER_LOSSES = {"cross_entropy", "kl", "polarity"}
REGRESSOR_LOSSES = {"mse", "l1", "huber", "polarity"}


def _same_param(a, b):
    """Whether two parameter values are equal (dicts and arrays included)."""
    if a is b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_param(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(map(_same_param, a, b))
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(a, b))
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _chunk_rows(module):
    """Rows per prediction pass: bounded by the widest linear layer."""
    widths = [
        max(m.in_features, m.out_features)
        for m in module.modules()
        if hasattr(m, "in_features") and isinstance(m.in_features, int)
    ]
    return int(
        np.clip(_PREDICT_ELEMENTS // max(widths, default=1), 1, _PREDICT_MAX_ROWS)
    )


def is_classifier_net(estimator):
    return isinstance(estimator, ClassifierMixin)


class BaseNeuralFusion(NeuralNetMixin, BaseFusion):
    """Base class of the neural fusion estimators (holds a skorch net ``net_``).

    See the module docstring of ``skmer.fusion._neural_base`` for how a
    subclass plugs in. Not meant to be instantiated.
    """

    _common_params = (
        "max_epochs",
        "batch_size",
        "lr",
        "optimizer",
        "criterion",
        "callbacks",
        "module_params",
        "optimizer_params",
        "criterion_params",
        "weight_decay",
        "early_stopping",
        "validation_fraction",
        "patience",
        "device",
        "verbose",
        "random_state",
        "warm_start",
        "modality_dropout",
        "loss",
        "metric_loss",
        "metric_weight",
    )

    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        **NET_PARAMETER_CONSTRAINTS,
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "warm_start": ["boolean"],
        "modality_dropout": [Interval(Real, 0, 1, closed="left")],
        "metric_loss": [StrOptions({"triplet", "npair"}), None],
        "metric_weight": [Interval(Real, 0, None, closed="left")],
    }

    # evaluate the trained net in float64 on CPU (see ``_forward``)
    _predict_float64 = True

    # -- hooks -------------------------------------------------------------
    def _module_inputs(self, X, present):
        """Dict of float32 arrays fed as ``module(**inputs)``.

        ``X`` is standardised with absent blocks set to 0; ``present`` is the
        (n, n_modalities) bool presence mask.
        """
        inputs = {
            f"x{j}": np.ascontiguousarray(X[:, cols], dtype=np.float32)
            for j, cols in enumerate(self.modalities_.values())
        }
        inputs["mask"] = present.astype(np.float32)
        return inputs

    def _training_metadata(self, X, sample_weight, groups):
        """Per-training-sample weights and groups from the per-row ones."""
        return sample_weight, groups

    def _module_kwargs(self):
        """Keyword arguments every fusion module of this family takes."""
        return {"modality_dropout": self.modality_dropout}

    # -- data ----------------------------------------------------------------
    def _standardize(self, X, present, *, fit):
        if fit:
            self.feature_mean_ = np.zeros(X.shape[1])
            self.feature_scale_ = np.ones(X.shape[1])
            for j, cols in enumerate(self.modalities_.values()):
                rows = X[present[:, j]][:, cols]
                self.feature_mean_[cols] = rows.mean(axis=0)
                std = rows.std(axis=0)
                self.feature_scale_[cols] = np.where(std > 1e-12, std, 1.0)
        X = (X - self.feature_mean_) / self.feature_scale_
        return np.nan_to_num(X, nan=0.0, copy=False)

    def _inputs(self, X, present, *, fit=False):
        return self._module_inputs(self._standardize(X, present, fit=fit), present)

    # -- the net ---------------------------------------------------------------
    def _criterion_kwargs(self):
        return {
            "loss": self.loss,
            "metric_loss": self.metric_loss,
            "metric_weight": self.metric_weight,
        }

    def _default_criterion(self):
        from skmer.nn import FusionLoss

        return FusionLoss, self._criterion_kwargs()

    def _optimizer_params(self):
        return {"weight_decay": self.weight_decay, **self._params_for("optimizer")}

    def _net_callbacks(self):
        if not self.early_stopping:
            return []
        from skorch.callbacks import EarlyStopping

        stop = EarlyStopping(
            monitor="valid_loss", patience=self.patience, load_best=True
        )
        return [("early_stopping", stop)]

    # -- warm start ------------------------------------------------------------
    def _warm(self):
        return self.warm_start and hasattr(self, "net_")

    # what a warm start applies to the trained net; other parameters shape the
    # module, loss, optimiser or split, so changing them needs a fresh fit
    _warm_params = (
        "max_epochs",
        "lr",
        "batch_size",
        "verbose",
        "warm_start",
        "random_state",
        "callbacks",
    )

    def _frozen_params(self):
        return {
            k: v
            for k, v in self.get_params(deep=False).items()
            if k not in self._warm_params
        }

    def _check_warm_params(self):
        """A ValueError naming the parameters changed since the fit a warm
        start would continue (they would be silently ignored)."""
        before = getattr(self, "_frozen_params_", None)
        if before is None:
            return
        now = self._frozen_params()
        changed = sorted(k for k in now if not _same_param(now[k], before.get(k)))
        if changed:
            raise ValueError(
                f"warm_start=True continues the previous net, which cannot take the "
                f"new values of {changed} (only {list(self._warm_params[:4])} may "
                "change); set warm_start=False to refit from scratch."
            )

    def _validate_warm(self, X, y):
        """Validate X and y against the fit a warm start continues."""
        self._check_warm_params()
        message = (
            "warm_start=True needs the same columns, modalities and targets as the "
            "previous fit{}; set warm_start=False to refit from scratch."
        )
        try:
            X, y, present = self._validate_fusion_data(
                X, y, reset=False, **self._y_check_params
            )
        except ValueError as exc:
            raise ValueError(message.format(f" ({exc})")) from exc
        if not self._same_targets(y):
            raise ValueError(message.format(""))
        return X, y, present

    # -- fit -------------------------------------------------------------------
    def _fit(self, X, y, fit_params, sample_weight=None, groups=None):
        warm = self._warm()
        if warm:
            X, y, present = self._validate_warm(X, y)
        else:
            # a refit that fails must not leave the previous net next to the
            # new classes_ / layout
            self.__dict__.pop("net_", None)
            X, y, present = self._validate_fusion_data(
                X, y, reset=True, **self._y_check_params
            )
        sample_weight, groups = check_fit_metadata(len(y), sample_weight, groups)
        target = self._prepare_fit(X, y, present, **fit_params)
        self.modality_names_ = list(self.modalities_)
        self.input_dims_ = {m: len(c) for m, c in self.modalities_.items()}
        inputs = self._inputs(X, present, fit=not warm)
        sample_weight, groups = self._training_metadata(X, sample_weight, groups)
        for name, values in (("sample_weight", sample_weight), ("groups", groups)):
            if values is not None and len(values) != len(target):
                raise ValueError(
                    f"{type(self).__name__} trains on {len(target)} samples built from "
                    f"the {len(y)} rows (e.g. whole groups), so it cannot use a "
                    f"per-row {name}; fit without it."
                )
        if warm:
            self.net_.set_params(
                max_epochs=self.max_epochs,
                lr=self.lr,
                batch_size=self.batch_size,
                verbose=int(self.verbose),
            )
        self._train_net(
            inputs,
            target,
            sample_weight=sample_weight,
            groups=groups,
            stratify=is_classifier_net(self) and target.ndim == 1,
            validation_fraction=self.validation_fraction
            if self.early_stopping
            else None,
            initialize=not warm,
        )
        if not warm:
            self._frozen_params_ = self._frozen_params()
        self.n_epochs_ = len(self.net_.history)
        self.n_parameters_ = int(
            sum(p.numel() for p in self.net_.module_.parameters() if p.requires_grad)
        )
        # modality_weights_ is computed from these on first access
        self.__dict__.pop("_modality_weights", None)
        self._weights_data = (inputs, present)
        return self

    # -- modality weights ------------------------------------------------------
    @property
    def modality_weights_(self):
        """How much each modality counted (dict summing to 1), computed on first
        access over the training rows (see ``_modality_contributions``)."""
        weights = self.__dict__.get("_modality_weights")
        if weights is None:
            data = self.__dict__.get("_weights_data")
            if data is None and "net_" in self.__dict__:
                raise AttributeError(
                    f"This {type(self).__name__} is fitted, but the training inputs "
                    "modality_weights_ is computed from were dropped (e.g. it was "
                    "saved before modality_weights_ was first read, and this is the "
                    "loaded copy); read modality_weights_ before saving, or refit."
                )
            if data is None:
                raise AttributeError(
                    f"{type(self).__name__} has no modality_weights_ before fit."
                )
            weights = self._modality_contributions(*data)
            self._modality_weights = weights
            del self._weights_data
        return weights

    @modality_weights_.setter
    def modality_weights_(self, value):
        self.__dict__.pop("_weights_data", None)
        self._modality_weights = value

    def __getstate__(self):
        """The state with ``modality_weights_`` computed (the training inputs
        it is computed from are not stored) and ``net_`` as plain data."""
        if "_weights_data" in self.__dict__:
            self.modality_weights_  # noqa: B018 -- computes and drops the inputs
        return super().__getstate__()

    # -- inference -------------------------------------------------------------
    def _forward(self, inputs, *, embedding=False):
        """Module outputs ``(output, embedding, weights)`` as numpy (None if absent).

        On CPU the trained float32 weights are evaluated in float64 (floating
        inputs too; integer inputs such as token ids are kept), so that a row's
        prediction does not depend on which other rows are predicted with it;
        rows go through in chunks bounded by the widest layer (a TFN's fused
        tensor), so memory stays near that of a training batch. The fused
        embedding (as wide as that layer) is kept only when ``embedding``.
        Subclasses set ``_predict_float64 = False`` to predict through skorch in
        the training precision instead (e.g. for large pretrained modules).
        """
        import torch
        from torch.func import functional_call

        module = self.net_.module_
        keep = (0, 1, 2) if embedding else (0, 2)

        def numpy_outputs(o):  # the kept outputs of a batch, as float64 arrays
            o = (o,) if isinstance(o, torch.Tensor) else o
            return [
                o[i].detach().cpu().numpy().astype(np.float64)
                if i in keep and i < len(o)
                else None
                for i in range(3)
            ]

        if not self._predict_float64 or torch.device(self.net_.device).type != "cpu":
            chunks = [numpy_outputs(self.net_.forward(inputs, training=False))]
        else:
            module.eval()
            state = {
                k: (v.detach().double() if v.is_floating_point() else v)
                for k, v in {
                    **dict(module.named_parameters()),
                    **dict(module.named_buffers()),
                }.items()
            }
            n = len(next(iter(inputs.values())))
            step = _chunk_rows(module)
            chunks = []
            with torch.no_grad():
                for start in range(0, n, step):
                    batch = {}
                    for k, v in inputs.items():
                        t = torch.as_tensor(v[start : start + step])
                        batch[k] = t.double() if t.is_floating_point() else t
                    o = functional_call(module, state, args=(), kwargs=batch)
                    chunks.append(numpy_outputs(o))
        return tuple(
            None if parts[0] is None else np.concatenate(parts)
            for parts in zip(*chunks)
        )

    def _raw_output(self, X):
        check_is_fitted(self, "net_")
        X, _, present = self._validate_fusion_data(X, reset=False)
        return self._forward(self._inputs(X, present))[0]

    def _modality_contributions(self, inputs, present):
        """How much each modality counted; dict summing to one.

        The average of the per-row weights the module returns (e.g. attention)
        when it returns any; otherwise the mean absolute change of the output
        when a modality is removed (its mask set to 0) in the rows where it is
        present, i.e. its average factor contribution.
        """
        out, _, weights = self._forward(inputs)
        names = self.modality_names_
        if weights is not None and weights.shape[1] == len(names):
            return normalize_weights(dict(zip(names, weights.mean(axis=0))))
        contrib = {}
        for j, name in enumerate(names):
            dropped = dict(inputs)
            dropped["mask"] = inputs["mask"].copy()
            dropped["mask"][:, j] = 0.0
            rows = present[:, j]
            change = np.abs(self._forward(dropped)[0] - out)[rows]
            contrib[name] = change.sum(axis=1).mean() if rows.any() else 0.0
        return normalize_weights(contrib)


class NeuralClassifierMixin(ClassifierMixin):
    """Classification side of :class:`BaseNeuralFusion` (mixin first)."""

    _parameter_constraints: dict = {
        "loss": [StrOptions(CLASSIFIER_LOSSES)],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "class_polarity": [dict, "array-like", None],
        "polarity_weight": [Interval(Real, 0, None, closed="left")],
    }

    _y_check_params = {}

    def _same_targets(self, y):
        return np.array_equal(np.unique(np.asarray(y)), self.classes_)

    def _class_weights(self, yi):
        if self.class_weight is None:
            return None
        if isinstance(self.class_weight, dict):
            unknown = set(self.class_weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(
                    f"class_weight names classes not in y: {sorted(unknown, key=str)}."
                )
        return compute_class_weight(
            self.class_weight, classes=self.classes_, y=self.classes_[yi]
        )

    def _polarities(self):
        """Polarity (-1, 0, +1) of each class in ``classes_``."""
        cp = self.class_polarity
        if cp is None:
            if not np.issubdtype(self.classes_.dtype, np.number):
                raise ValueError(
                    "loss='polarity' needs class_polarity ({class: -1, 0 or +1}) "
                    f"for non-numeric classes {self.classes_.tolist()[:5]}."
                )
            return np.sign(self.classes_.astype(float))
        if isinstance(cp, dict):
            missing = [c for c in self.classes_.tolist() if c not in cp]
            if missing:
                raise ValueError(
                    f"class_polarity gives no polarity for classes {missing}."
                )
            pol = np.array([cp[c] for c in self.classes_.tolist()], dtype=float)
        else:
            pol = np.asarray(cp, dtype=float)
            if pol.shape != self.classes_.shape:
                raise ValueError(
                    f"class_polarity has {pol.size} values for {self.classes_.size} classes."
                )
        if not np.isin(pol, (-1, 0, 1)).all():
            raise ValueError(
                f"class_polarity values must be -1, 0 or +1; got {pol.tolist()}."
            )
        return np.sign(pol)

    def _prepare_fit(self, X, y, present, label_distribution=None):
        check_classification_targets(y)
        if type_of_target(y) not in ("binary", "multiclass"):
            raise ValueError(
                f"{type(self).__name__} supports binary and multiclass targets; got "
                f"{type_of_target(y)!r}."
            )
        enc = LabelEncoder().fit(y)
        self.classes_ = enc.classes_
        if self.classes_.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes; got 1 "
                f"class ({self.classes_[0]!r})."
            )
        yi = enc.transform(y).astype(np.int64)
        self.n_outputs_ = self.classes_.size
        self._class_weights_ = self._class_weights(yi)
        if label_distribution is not None:
            dist = np.asarray(label_distribution, dtype=np.float32)
            if dist.shape != (len(yi), self.classes_.size):
                raise ValueError(
                    f"label_distribution must have shape (n_samples, n_classes) = "
                    f"({len(yi)}, {self.classes_.size}); got {dist.shape}."
                )
            if (dist < 0).any() or not np.allclose(dist.sum(axis=1), 1, atol=1e-4):
                raise ValueError(
                    "label_distribution rows must be non-negative and sum to 1."
                )
            if self.loss != "kl":
                raise ValueError(
                    "label_distribution is used by loss='kl' only; got "
                    f"loss={self.loss!r}."
                )
            # the criterion trains towards the distributions (KL divergence)
            return dist
        return yi

    def _criterion_kwargs(self):
        import torch

        kwargs = super()._criterion_kwargs()
        cw = self._class_weights_
        kwargs["class_weight"] = (
            None if cw is None else torch.as_tensor(cw, dtype=torch.float32)
        )
        kwargs["polarity"] = (
            torch.as_tensor(self._polarities(), dtype=torch.float32)
            if self.loss == "polarity"
            else None
        )
        kwargs["polarity_weight"] = self.polarity_weight
        kwargs["task"] = "classification"
        return kwargs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, groups=None, label_distribution=None):
        """Train the network on encoded multimodal features.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features; a row's all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss (the batch loss is the weighted
            mean; with ``class_weight`` the two multiply).
        groups : array-like of shape (n_samples,), default=None
            Group (e.g. speaker) of each sample: with ``early_stopping`` the
            validation samples are whole groups unseen in training
            (speaker-independent). Under metadata routing, request it with
            ``set_fit_request(groups=True)``.
        label_distribution : array-like of shape (n_samples, n_classes), default=None
            Target label distributions (e.g. annotator vote shares, columns in
            the order of ``classes_``) for ``loss="kl"``; None uses one-hot
            targets, with which the KL loss equals the cross-entropy.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        fp = (
            {}
            if label_distribution is None
            else {"label_distribution": label_distribution}
        )
        return self._fit(X, y, fp, sample_weight, groups)

    def decision_function(self, X):
        """Decision scores: the logits of the network.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        logits : ndarray of shape (n_samples, n_classes) or (n_samples,)
            For two classes, the logit of the second class minus that of the
            first (scikit-learn's binary convention).
        """
        z = self._logits(X)
        return z[:, 1] - z[:, 0] if z.shape[1] == 2 else z

    def _logits(self, X):
        return self._raw_output(X)

    def predict_proba(self, X):
        """Class probabilities (softmax of the logits).

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return softmax(self._logits(X), axis=1)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        return log_softmax(self._logits(X), axis=1)

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        logits = self._logits(X)
        return self.classes_[np.argmax(logits, axis=1)]


class NeuralRegressorMixin(RegressorMixin):
    """Regression side of :class:`BaseNeuralFusion` (mixin first).

    Targets are standardised for training (``target_mean_``,
    ``target_scale_``) and mapped back in ``predict``.
    """

    _parameter_constraints: dict = {
        "loss": [StrOptions(REGRESSOR_LOSSES)],
        "polarity_weight": [Interval(Real, 0, None, closed="left")],
    }

    _y_check_params = {"multi_output": True, "y_numeric": True}

    def _same_targets(self, y):
        return np.asarray(y).reshape(len(y), -1).shape[1] == self.n_outputs_

    def _prepare_fit(self, X, y, present):
        y = np.asarray(y, dtype=np.float64)
        self._y_1d = y.ndim == 1
        y2 = y.reshape(len(y), -1)
        self.n_outputs_ = y2.shape[1]
        if not self._warm():
            self.target_mean_ = y2.mean(axis=0)
            std = y2.std(axis=0)
            self.target_scale_ = np.where(std > 1e-12, std, 1.0)
        return ((y2 - self.target_mean_) / self.target_scale_).astype(np.float32)

    def _criterion_kwargs(self):
        import torch

        kwargs = super()._criterion_kwargs()
        kwargs["task"] = "regression"
        kwargs["polarity_weight"] = self.polarity_weight
        kwargs["target_offset"] = torch.as_tensor(
            self.target_mean_, dtype=torch.float32
        )
        kwargs["target_scale"] = torch.as_tensor(
            self.target_scale_, dtype=torch.float32
        )
        return kwargs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, groups=None):
        """Train the network on encoded multimodal features.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features; a row's all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Continuous targets (e.g. valence, arousal, dominance).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss (the batch loss is the weighted
            mean).
        groups : array-like of shape (n_samples,), default=None
            Group (e.g. speaker) of each sample: with ``early_stopping`` the
            validation samples are whole groups unseen in training
            (speaker-independent). Under metadata routing, request it with
            ``set_fit_request(groups=True)``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, {}, sample_weight, groups)

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        out = self._raw_output(X).astype(np.float64)
        out = out * self.target_scale_ + self.target_mean_
        return out.ravel() if self._y_1d else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


# -- shared docstring fragments (``fill_doc(**NEURAL_DOCS)``) -------------------
def _net_params_doc(hidden, head, embedding_note):
    return f"""\
hidden_sizes : tuple of int, default={hidden}
    Layers of every modality's subnetwork (an MLP over its encoded
    features); the last size is the modality embedding size{embedding_note}
head_hidden_sizes : tuple of int, default={head}
    Hidden layers of the output head; ``()`` for a linear head.
dropout : float, default=0.1
    Dropout in the subnetworks and the head.
modality_dropout : float in [0, 1), default=0.0
    While training, each present modality of a row is hidden with this
    probability (a row keeps at least one), so the net learns to cope with
    missing modalities."""


NEURAL_DOCS = {
    **NET_DOCS,
    "layout_params": """\
modalities : dict, default=None
    Layout ``{name: slice | column indices | column names}``. None infers it
    from ``"<modality>__<feature>"`` column names; otherwise X is one modality
    (with a ``SingleModalityWarning``).
remainder : {"error", "drop", "passthrough"}, default="error"
    Columns of X that an explicit ``modalities`` leaves out raise a
    ``ValueError`` listing them (``"error"``), are ignored (``"drop"``), or are
    fused as one more modality named ``"remainder"`` (``"passthrough"``).""",
    "net_params": _net_params_doc("(32,)", "(64,)", "."),
    "tensor_net_params": _net_params_doc(
        "(16,)",
        "(32,)",
        " ``d_m``. TFN's\n    fused size is ``prod(d_m + 1)``: keep it small for TFN.",
    ),
    "train_params": """\
max_epochs : int, default=50
    Number of training epochs (the most, with early stopping).
batch_size : int, default=64
    Mini-batch size.
lr : float, default=1e-3
    Learning rate.""",
    "criterion_doc": """\
weight_decay : float, default=0.0
    L2 penalty of the optimiser (``optimizer__weight_decay`` overrides it).
criterion : torch.nn.Module class or None, default=None
    None trains with :class:`skmer.nn.FusionLoss` set by ``loss``,
    ``metric_loss`` and the class weights; a class (e.g.
    ``torch.nn.CrossEntropyLoss``) is built with ``criterion_params`` and
    called on the module's main output and the encoded targets.""",
    "fit_options": """\
early_stopping : bool, default=False
    Hold out ``validation_fraction`` of the training rows (whole ``groups``
    when ``fit`` gets them, else stratified for classifiers) and stop when
    the validation loss has not improved for ``patience`` epochs, restoring
    the best weights.
validation_fraction : float, default=0.1
    Held-out fraction for early stopping.
patience : int, default=5
    Epochs without improvement before stopping.
device : str, default="cpu"
    Torch device, e.g. ``"cuda"``.
verbose : int or bool, default=0
    Print skorch's per-epoch progress table when true.
warm_start : bool, default=False
    Continue training the previous net for ``max_epochs`` more epochs on
    the next ``fit`` (same columns and targets) instead of starting anew.
    Only ``max_epochs``, ``lr``, ``batch_size``, ``verbose`` and
    ``callbacks`` may change in between; changing another parameter raises
    a ValueError.
random_state : int, RandomState instance or None, default=None
    Seeds torch (weights, batch order, dropout, modality dropout) in a
    forked generator, and the validation split; two fits with the same int
    give identical predictions on CPU.""",
    "clf_loss_params": """\
loss : {"cross_entropy", "kl", "polarity"}, default="cross_entropy"
    Main loss: cross-entropy (with ``class_weight``); KL divergence to the
    target label distributions passed as ``fit(X, y,
    label_distribution=...)`` (equal to the cross-entropy without them);
    or the polarity-consistent cross-entropy, which adds
    ``-polarity_weight * log(1 - q)`` with ``q`` the probability given to
    classes of the opposite polarity to the true one.
metric_loss : {"triplet", "npair"} or None, default=None
    Auxiliary metric loss on the fused embedding (batch-all triplet or
    N-pair), weighted by ``metric_weight``.
metric_weight : float, default=0.1
    Weight of the metric loss.
class_weight : "balanced", dict or None, default=None
    Class weights of the loss, for imbalanced emotions.
class_polarity : dict or array-like of shape (n_classes,), default=None
    Polarity (-1, 0, +1) of each class for ``loss="polarity"``; None uses
    the sign of numeric class labels.
polarity_weight : float, default=1.0
    Weight of the cross-polarity penalty.""",
    "reg_loss_params": """\
loss : {"mse", "l1", "huber", "polarity"}, default="mse"
    Main loss on the standardised targets; ``"polarity"`` adds
    ``polarity_weight * mean(relu(-y_pred * y))`` in the original units,
    penalising predictions of the wrong sign (e.g. sentiment).
metric_loss : {"triplet", "npair"} or None, default=None
    Auxiliary metric loss on the fused embedding, the sign of the first
    target as label.
metric_weight : float, default=0.1
    Weight of the metric loss.
polarity_weight : float, default=1.0
    Weight of the wrong-sign penalty.""",
    "fitted_attrs": """\
net_ : skorch.NeuralNet
    The trained net; ``net_.module_`` is the torch module, and
    ``net_.save_params(f_params=...)`` / ``load_params`` store and restore
    its state dict. The fitted estimator saves with pickle or
    ``skops.io``: the net is stored as plain arrays (module and optimiser
    state, training history) and rebuilt on load, with identical
    predictions, and a ``warm_start`` fit continues as without saving.
n_parameters_ : int
    Number of trainable parameters of the module.
n_epochs_ : int
    Number of epochs trained.
feature_mean_, feature_scale_ : ndarray of shape (n_features,)
    Per-column standardisation learned on the rows where the modality is
    present.
input_dims_ : dict of str to int
    Number of columns of each modality.
modalities_ : dict of str to ndarray
    Resolved layout.
n_features_in_ : int
    Number of input columns.
feature_names_in_ : ndarray of str
    Column names, when X had them.""",
}
