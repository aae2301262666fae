"""Hybrid fusion: an early-fused model and the unimodal models, fused late."""

import numpy as np
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmer.fusion._base import normalize_weights
from skmer.fusion._decision import (
    Member,
    _DecisionFusionClassifier,
    _DecisionFusionRegressor,
)
from skmer.fusion._early import EarlyFusionClassifier, EarlyFusionRegressor
from skmer.utils._sklearn_compat import HasMethods

EARLY = "early"


class _HybridMembers:
    """Members of hybrid fusion: each modality, plus the early-fused model."""

    _parameter_constraints: dict = {
        "early_estimator": [HasMethods(["fit", "predict"]), None],
    }

    def _member_route(self, name):
        return EARLY if name == EARLY else super()._member_route(name)

    def _early_member(self, modalities):
        return self._early_class(
            self.early_estimator,
            modalities=modalities,
            remainder="drop",
            missing="indicator",
        )

    def _member_layout(self):
        if EARLY in self.modalities_:
            raise ValueError(
                f"A modality is named {EARLY!r}, the name of hybrid fusion's "
                "early-fused member; rename that modality."
            )
        return {**self.modalities_, EARLY: np.arange(self.n_features_in_)}

    def _members(self):
        *unimodal, early = super()._members()
        member = self._early_member(dict(self.modalities_))
        return [*unimodal, Member(EARLY, member, early.columns, EARLY)]

    def _fit_routes(self):
        return {**super()._fit_routes(), EARLY: (self._early_member(None), "fit")}

    def _member_presence(self, present):
        return np.column_stack([present, present.any(axis=1)])

    def _modality_weights_from(self, member_w):
        member_w = normalize_weights(member_w)
        # (a DummyClassifier when the training rows hold one class)
        early_w = getattr(
            self.named_estimators_[EARLY],
            "modality_weights_",
            normalize_weights(dict.fromkeys(self.modalities_, 1.0)),
        )
        return normalize_weights(
            {
                name: member_w[name] + member_w[EARLY] * early_w[name]
                for name in self.modalities_
            }
        )


class HybridFusionClassifier(_HybridMembers, _DecisionFusionClassifier):
    """Hybrid fusion classifier: early-fused and unimodal models voting together.

    An :class:`EarlyFusionClassifier` (missing blocks imputed, with indicators)
    and one classifier per modality are combined at decision level with the same
    rules as :class:`LateFusionClassifier`. Unimodal members abstain where their
    modality is missing; the early member is present wherever any modality is.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    estimator : estimator or dict, default=None
        The unimodal classifier (template or ``{modality: estimator}``, a named
        composition reached by ``"estimator__<modality>__<param>"``); None uses
        ``make_pipeline(StandardScaler(), LogisticRegression())``.
    early_estimator : estimator, default=None
        The classifier of the early-fused member; None uses
        :class:`EarlyFusionClassifier`'s default.
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality
        (with a ``SingleModalityWarning``).
    remainder : {"error", "drop", "passthrough"}, default="error"
        Columns of X that an explicit ``modalities`` leaves out raise a
        ``ValueError`` listing them (``"error"``), are ignored (``"drop"``), or are
        fused as one more modality named ``"remainder"`` (``"passthrough"``).
    method : {"soft", "hard", "weighted", "variance", "stacking"}, default="soft"
        Combination rule, as in :class:`LateFusionClassifier`; the members are
        the modalities plus ``"early"``.
    weights : dict or array-like of shape (n_modalities + 1,), default=None
        Static member weights (modalities in order, then ``"early"``).
    final_estimator : estimator, default=None
        Meta-learner of ``"stacking"``; None uses ``LogisticRegression``.
    cv : int, cross-validation generator or iterable, default=5
        Folds for out-of-fold outputs (``"weighted"``, ``"stacking"``,
        ``fallback="prior"``); grouped when ``fit`` gets ``groups``.
    fallback : {"prior"} or None, default=None
        ``"prior"`` draws each row's output towards the training prior as far as
        its most reliable present member is unreliable (see
        :class:`LateFusionClassifier`).
    n_jobs : int, default=None
        Number of members fitted in parallel (joblib).
    random_state : int, RandomState instance or None, default=None
        Seeds the sub-estimators and the folds.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members: one per modality, then the early-fused model.
    named_estimators_ : Bunch
        The same, by member name (``"early"`` for the early-fused model).
    final_estimator_ : estimator
        The fitted meta-learner (``"stacking"`` only).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        Training class frequencies, the prediction for rows with no modality.
    weights_ : dict of str to float
        Normalised static member weights.
    member_reliability_ : dict of str to float
        Out-of-fold skill of each member (``fallback="prior"`` only).
    modality_weights_ : dict of str to float
        Member weights with the early member's share split by its own
        ``modality_weights_``; sums to 1.
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    EarlyFusionClassifier, LateFusionClassifier

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import HybridFusionClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=300, missing_rate=0.3, random_state=0)
    >>> clf = HybridFusionClassifier(random_state=0).fit(X, y)
    >>> list(clf.named_estimators_)
    ['text', 'audio', 'video', 'early']
    >>> clf.score(X, y) > 0.8
    True
    """

    _parameter_constraints: dict = {
        **_DecisionFusionClassifier._parameter_constraints,
        **_HybridMembers._parameter_constraints,
    }
    _early_class = EarlyFusionClassifier

    def __init__(
        self,
        estimator=None,
        *,
        early_estimator=None,
        modalities=None,
        remainder="error",
        method="soft",
        weights=None,
        final_estimator=None,
        cv=5,
        fallback=None,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.early_estimator = early_estimator
        self.modalities = modalities
        self.remainder = remainder
        self.method = method
        self.weights = weights
        self.final_estimator = final_estimator
        self.cv = cv
        self.fallback = fallback
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _default_estimator(self):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


class HybridFusionRegressor(_HybridMembers, _DecisionFusionRegressor):
    """Hybrid fusion regressor: early-fused and unimodal models combined.

    An :class:`EarlyFusionRegressor` (missing blocks imputed, with indicators)
    and one regressor per modality are combined with the rules of
    :class:`LateFusionRegressor`.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    estimator : estimator or dict, default=None
        The unimodal regressor; None uses
        ``make_pipeline(StandardScaler(), RidgeCV())``.
    early_estimator : estimator, default=None
        The regressor of the early-fused member; None uses
        :class:`EarlyFusionRegressor`'s default.
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality
        (with a ``SingleModalityWarning``).
    remainder : {"error", "drop", "passthrough"}, default="error"
        Columns of X that an explicit ``modalities`` leaves out raise a
        ``ValueError`` listing them (``"error"``), are ignored (``"drop"``), or are
        fused as one more modality named ``"remainder"`` (``"passthrough"``).
    method : {"average", "median", "weighted", "variance", "stacking"}, default="average"
        Combination rule, as in :class:`LateFusionRegressor`.
    weights : dict or array-like of shape (n_modalities + 1,), default=None
        Static member weights (modalities in order, then ``"early"``).
    final_estimator : estimator, default=None
        Meta-learner of ``"stacking"``; None uses ``RidgeCV``.
    cv : int, cross-validation generator or iterable, default=5
        Folds for out-of-fold predictions; grouped when ``fit`` gets ``groups``.
    fallback : {"prior"} or None, default=None
        ``"prior"`` draws each row's output towards the training target mean as
        far as its most reliable present member is unreliable (see
        :class:`LateFusionRegressor`).
    n_jobs : int, default=None
        Number of members fitted in parallel (joblib).
    random_state : int, RandomState instance or None, default=None
        Seeds the sub-estimators and the folds.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members: one per modality, then the early-fused model.
    named_estimators_ : Bunch
        The same, by member name.
    final_estimator_ : estimator
        The fitted meta-learner (``"stacking"`` only).
    target_mean_ : float or ndarray of shape (n_outputs,)
        Training target mean, the prediction for rows with no modality.
    weights_ : dict of str to float
        Normalised static member weights.
    member_reliability_ : dict of str to float
        Out-of-fold skill of each member (``fallback="prior"`` only).
    modality_weights_ : dict of str to float
        How much each modality counted; sums to 1.
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    EarlyFusionRegressor, LateFusionRegressor

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import HybridFusionRegressor
    >>> X, y = make_multimodal_regression(n_samples=200, random_state=0)
    >>> HybridFusionRegressor().fit(X, y).score(X, y) > 0.5
    True
    """

    _parameter_constraints: dict = {
        **_DecisionFusionRegressor._parameter_constraints,
        **_HybridMembers._parameter_constraints,
    }
    _early_class = EarlyFusionRegressor

    def __init__(
        self,
        estimator=None,
        *,
        early_estimator=None,
        modalities=None,
        remainder="error",
        method="average",
        weights=None,
        final_estimator=None,
        cv=5,
        fallback=None,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.early_estimator = early_estimator
        self.modalities = modalities
        self.remainder = remainder
        self.method = method
        self.weights = weights
        self.final_estimator = final_estimator
        self.cv = cv
        self.fallback = fallback
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _default_estimator(self):
        return make_pipeline(StandardScaler(), RidgeCV())
