"""Early fusion: concatenate the modality blocks and fit one estimator."""

import numpy as np
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state

from skmer.fusion._base import (
    BaseFusion,
    DelegatingClassifierMixin,
    RoutedFitMixin,
    block_importances,
    check_fusion_sample_weight,
    fit_routed,
    normalize_weights,
    request_sample_weight,
)
from skmer.utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _fit_context,
    _set_random_states,
    check_is_fitted,
)


class _BaseEarlyFusion(RoutedFitMixin, MetaEstimatorMixin, BaseFusion):
    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "missing": [StrOptions({"impute", "indicator", "error"})],
        "imputer": [HasMethods(["fit", "transform"]), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        modalities=None,
        remainder="error",
        missing="impute",
        imputer=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.modalities = modalities
        self.remainder = remainder
        self.missing = missing
        self.imputer = imputer
        self.random_state = random_state

    def _fused(self, X, present):
        """The layout's blocks side by side, missing blocks filled."""
        if self.missing == "error" and not present.all():
            rows, mods = np.nonzero(~present)
            name = list(self.modalities_)[mods[0]]
            raise ValueError(
                f"Modality {name!r} is missing in rows {rows[:10].tolist()}, and "
                "missing='error'. Use missing='impute' or 'indicator' to fuse rows with "
                "missing modalities."
            )
        Z = self.imputer_.transform(X[:, self._fused_columns()])
        if self.missing == "indicator":
            Z = np.hstack([Z, (~present).astype(float)])
        return Z

    def _fused_columns(self):
        # only the layout's columns are fused (remainder="drop" leaves some out)
        return np.concatenate(list(self.modalities_.values()))

    def _template(self):
        est = self._default_estimator() if self.estimator is None else self.estimator
        return request_sample_weight(est)

    def _fit_routes(self):
        return {"estimator": (self._template(), "fit")}

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Impute missing blocks, concatenate, and fit the estimator.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights, passed to the estimator (for a pipeline,
            to every step that takes it); under metadata routing, when it
            requests them.
        **fit_params : dict
            Only under ``sklearn.set_config(enable_metadata_routing=True)``:
            metadata the estimator requests (e.g. ``groups`` for an estimator
            that selects its hyper-parameters by grouped cross-validation).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y, present = self._validate_fusion_data(X, y, reset=True, multi_output=True)
        sample_weight = check_fusion_sample_weight(sample_weight, X)
        routed = self._route_fit(sample_weight, fit_params)
        sizes = np.cumsum([0] + [cols.size for cols in self.modalities_.values()])
        fused_layout = {
            name: np.arange(start, stop)
            for name, start, stop in zip(self.modalities_, sizes[:-1], sizes[1:])
        }
        imputer = SimpleImputer() if self.imputer is None else self.imputer
        self.imputer_ = clone(imputer).fit(X[:, self._fused_columns()])
        Z = self._fused(X, present)
        self.estimator_ = self._template()
        _set_random_states(self.estimator_, check_random_state(self.random_state))
        fit_routed(self.estimator_, Z, y, routed.estimator.fit)
        w = block_importances(self.estimator_, fused_layout, Z.shape[1])
        self.modality_weights_ = w or normalize_weights(
            {name: 1.0 for name in self.modalities_}
        )
        return self

    def _transform_input(self, X):
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        return self._fused(X, present)

    def predict(self, X):
        """Predict with the estimator on the fused features.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        Z = self._transform_input(X)
        return self.estimator_.predict(Z)


class EarlyFusionClassifier(
    DelegatingClassifierMixin, ClassifierMixin, _BaseEarlyFusion
):
    """Early (feature-level) fusion classifier.

    Concatenates the modality blocks and fits one ``estimator``. Missing blocks
    are imputed (training means by default), optionally with one missing-indicator
    column per modality, or rejected.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    estimator : estimator, default=None
        The classifier fitted on the fused features. None uses
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))``.
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality
        (with a ``SingleModalityWarning``).
    remainder : {"error", "drop", "passthrough"}, default="error"
        Columns of X that an explicit ``modalities`` leaves out raise a
        ``ValueError`` listing them (``"error"``), are ignored (``"drop"``), or are
        fused as one more modality named ``"remainder"`` (``"passthrough"``).
    missing : {"impute", "indicator", "error"}, default="impute"
        What a missing block becomes: imputed values, imputed values plus one
        0/1 indicator column per modality, or a ``ValueError``.
    imputer : transformer, default=None
        Fills missing blocks; None uses ``SimpleImputer(strategy="mean")``.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator's ``random_state`` parameters.

    Attributes
    ----------
    estimator_ : estimator
        The fitted classifier.
    imputer_ : transformer
        The fitted imputer.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    modalities_ : dict of str to ndarray
        Resolved layout (column indices of each modality).
    modality_weights_ : dict of str to float
        Share of the estimator's absolute coefficients / feature importances per
        modality (uniform when it exposes neither); sums to 1.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    LateFusionClassifier : one model per modality, combined per row.
    HybridFusionClassifier : early and late fusion combined.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import EarlyFusionClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=200, missing_rate=0.2, random_state=0)
    >>> clf = EarlyFusionClassifier(missing="indicator").fit(X, y)
    >>> clf.score(X, y) > 0.8
    True
    """

    def _default_estimator(self):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


class EarlyFusionRegressor(RegressorMixin, _BaseEarlyFusion):
    """Early (feature-level) fusion regressor.

    Concatenates the modality blocks and fits one ``estimator``; missing blocks
    are imputed, imputed with indicators, or rejected. Multi-output targets
    (e.g. valence, arousal, dominance) work when the estimator supports them.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    estimator : estimator, default=None
        The regressor fitted on the fused features. None uses
        ``make_pipeline(StandardScaler(), RidgeCV())``.
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality
        (with a ``SingleModalityWarning``).
    remainder : {"error", "drop", "passthrough"}, default="error"
        Columns of X that an explicit ``modalities`` leaves out raise a
        ``ValueError`` listing them (``"error"``), are ignored (``"drop"``), or are
        fused as one more modality named ``"remainder"`` (``"passthrough"``).
    missing : {"impute", "indicator", "error"}, default="impute"
        What a missing block becomes: imputed values, imputed values plus one
        0/1 indicator column per modality, or a ``ValueError``.
    imputer : transformer, default=None
        Fills missing blocks; None uses ``SimpleImputer(strategy="mean")``.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator's ``random_state`` parameters.

    Attributes
    ----------
    estimator_ : estimator
        The fitted regressor.
    imputer_ : transformer
        The fitted imputer.
    modalities_ : dict of str to ndarray
        Resolved layout.
    modality_weights_ : dict of str to float
        Share of the estimator's absolute coefficients per modality; sums to 1.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    LateFusionRegressor : one model per modality, combined per row.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import EarlyFusionRegressor
    >>> X, y = make_multimodal_regression(n_samples=200, random_state=0)
    >>> EarlyFusionRegressor().fit(X, y).score(X, y) > 0.5
    True
    """

    def _default_estimator(self):
        return make_pipeline(StandardScaler(), RidgeCV())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
