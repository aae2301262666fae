"""Shared mechanism of every fusion estimator: modality layout and missing blocks.

Encoded multimodal features are one 2-D float matrix whose columns are grouped
into modality blocks. The layout comes from the ``modalities`` parameter
(``{name: slice | column indices | column names}``) or, when it is None, from
column names ``"<modality>__<feature>"`` of a DataFrame; without either the whole
matrix is one modality. A row whose block is all NaN misses that modality; a NaN
inside an otherwise present block is an error naming the modality.

Besides the layout, this module holds the mechanisms every fusion estimator may
reuse:

* per-modality members as a named composition (``BaseFusion`` with
  ``_per_modality_params``): ``set_params(estimator__text__C=...)``;
* metadata routing of ``fit`` (:class:`RoutedFitMixin`, :func:`inner_cv`,
  :func:`fit_routed`): ``groups`` to every inner splitter, ``sample_weight`` to
  the members that take it;
* delegation of ``classes_``/``predict_proba``/``decision_function`` to a fitted
  ``estimator_`` (:class:`DelegatingClassifierMixin`).
"""

import numbers
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    check_cv,
)
from sklearn.utils import Bunch, metadata_routing
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.validation import has_fit_parameter

from skmer.base import SEP
from skmer.utils._sklearn_compat import (
    StrOptions,
    _check_sample_weight,
    _safe_indexing,
    available_if,
    check_is_fitted,
    validate_data,
)

SINGLE_MODALITY = "X"
#: Name of the modality that ``remainder="passthrough"`` makes of the columns a
#: layout leaves out.
REMAINDER = "remainder"


class SingleModalityWarning(UserWarning):
    """A fusion estimator was given X without any modality layout.

    X (a plain array without ``modalities``, or a DataFrame whose columns are not
    named ``"<modality>__<feature>"``) is then fused as one modality ``"X"``;
    pass ``modalities={"X": slice(None)}`` to say so explicitly.
    """


def _columns_of(name, spec, feature_names, n_features):
    """Integer column indices of one modality's ``spec``."""
    if isinstance(spec, slice):
        cols = np.arange(n_features)[spec]
    else:
        if isinstance(spec, str | numbers.Integral) or not isinstance(spec, Iterable):
            spec = [spec]
        spec = list(spec)
        if spec and all(isinstance(c, str) for c in spec):
            if feature_names is None:
                raise ValueError(
                    f"modalities[{name!r}] names columns {spec[:3]}..., but X has no "
                    "column names; pass a DataFrame or give integer indices."
                )
            lookup = {f: i for i, f in enumerate(feature_names)}
            unknown = [c for c in spec if c not in lookup]
            if unknown:
                raise ValueError(
                    f"modalities[{name!r}] names columns not in X: {unknown[:5]}."
                )
            cols = np.array([lookup[c] for c in spec], dtype=int)
        elif spec and all(isinstance(c, bool | np.bool_) for c in spec):
            if len(spec) != n_features:
                raise ValueError(
                    f"modalities[{name!r}] is a boolean mask of length {len(spec)}; "
                    f"X has {n_features} columns."
                )
            cols = np.flatnonzero(spec)
        elif all(isinstance(c, numbers.Integral) for c in spec):
            cols = np.asarray(spec, dtype=int)
            bad = cols[(cols < -n_features) | (cols >= n_features)]
            if bad.size:
                raise ValueError(
                    f"modalities[{name!r}] has column indices {bad[:5].tolist()} out "
                    f"of range for X with {n_features} columns."
                )
            cols = cols % n_features
        else:
            raise TypeError(
                f"modalities[{name!r}] must be a slice or a list of integer indices, "
                f"column names or booleans; got {spec!r}."
            )
    if cols.size == 0:
        raise ValueError(f"modalities[{name!r}] selects no column of X.")
    return cols


def _is_raw_frame(X, modalities):
    """Whether X is a raw multimodal DataFrame (one column per modality) rather
    than encoded features (``<modality>__<feature>`` columns or a layout)."""
    return (
        hasattr(X, "columns")
        and modalities is None
        and not all(SEP in str(c) for c in X.columns)
    )


def _apply_remainder(layout, n_features, feature_names, remainder):
    """Handle the columns a layout leaves out (see :func:`resolve_modalities`)."""
    used = np.zeros(n_features, dtype=bool)
    for cols in layout.values():
        used[cols] = True
    left = np.flatnonzero(~used)
    if left.size == 0 or remainder == "drop":
        return layout
    if remainder == "passthrough":
        if REMAINDER in layout:
            raise ValueError(
                f"remainder='passthrough' makes the left-out columns a modality named "
                f"{REMAINDER!r}, but the layout already has one; rename it."
            )
        return {**layout, REMAINDER: left}
    shown = left if feature_names is None else np.asarray(feature_names)[left]
    raise ValueError(
        f"modalities leaves {left.size} of the {n_features} columns of X out of every "
        f"modality: {shown[:10].tolist()}{' ...' if left.size > 10 else ''}. Add them "
        "to a modality, pass remainder='drop' to ignore them, or "
        f"remainder='passthrough' to fuse them as a modality {REMAINDER!r}."
    )


def resolve_modalities(modalities, feature_names, n_features, *, remainder="drop"):
    """Resolve the modality layout of encoded features.

    Parameters
    ----------
    modalities : dict or None
        ``{name: slice | list of int | list of str | boolean mask}``. None infers
        blocks from ``"<modality>__<feature>"`` column names, or, when the columns
        are not all prefixed, makes X a single modality named ``"X"``.
    feature_names : array-like of str or None
        Column names of X, when it had any.
    n_features : int
        Number of columns of X.
    remainder : {"drop", "error", "passthrough"}, default="drop"
        What becomes of the columns an explicit ``modalities`` leaves out: they
        are ignored, they raise a ``ValueError`` listing them, or they form one
        more modality named ``"remainder"``, as in
        :class:`~sklearn.compose.ColumnTransformer`. (Fusion estimators pass
        their own ``remainder``, ``"error"`` by default.)

    Returns
    -------
    layout : dict of str to ndarray of int
        The column indices of each modality, in order.

    Examples
    --------
    >>> from skmer.fusion import resolve_modalities
    >>> resolve_modalities(None, ["text__0", "text__1", "audio__0"], 3)
    {'text': array([0, 1]), 'audio': array([2])}
    >>> resolve_modalities({"a": slice(0, 2), "b": [2]}, None, 3)
    {'a': array([0, 1]), 'b': array([2])}
    >>> resolve_modalities({"a": [0]}, None, 3, remainder="passthrough")
    {'a': array([0]), 'remainder': array([1, 2])}
    """
    if modalities is not None:
        if not isinstance(modalities, Mapping) or not modalities:
            raise ValueError(
                "modalities must be a non-empty dict {name: columns}; got "
                f"{modalities!r}."
            )
        layout = {}
        for name, spec in modalities.items():
            if not isinstance(name, str) or not name:
                raise TypeError(
                    f"modality names must be non-empty strings; got {name!r}."
                )
            layout[name] = _columns_of(name, spec, feature_names, n_features)
        return _apply_remainder(layout, n_features, feature_names, remainder)
    if feature_names is None or not all(SEP in str(f) for f in feature_names):
        if feature_names is not None:
            prefixed = [f for f in feature_names if SEP in str(f)]
            if prefixed:
                plain = [f for f in feature_names if SEP not in str(f)]
                raise ValueError(
                    "X mixes modality-prefixed columns ('<modality>__<feature>', e.g. "
                    f"{prefixed[0]!r}) with unprefixed ones ({plain[:3]}); name every "
                    "column '<modality>__<feature>' or pass `modalities`."
                )
        return {SINGLE_MODALITY: np.arange(n_features)}
    groups = {}
    for i, f in enumerate(feature_names):
        groups.setdefault(str(f).split(SEP, 1)[0], []).append(i)
    return {name: np.asarray(cols) for name, cols in groups.items()}


def modality_presence(X, layout):
    """Which modality is present in which row.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Encoded features.
    layout : dict of str to ndarray of int
        The resolved layout (see :func:`resolve_modalities`).

    Returns
    -------
    present : ndarray of bool, shape (n_samples, n_modalities)
        True where the row's block holds values; False where it is all NaN.

    Raises
    ------
    ValueError
        When a present block holds a NaN: that is a data error, not a missing
        modality. The message names the modality and the first offending rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.fusion import modality_presence
    >>> X = np.array([[1.0, 2.0, 3.0], [np.nan, np.nan, 4.0]])
    >>> modality_presence(X, {"a": np.array([0, 1]), "b": np.array([2])})
    array([[ True,  True],
           [False,  True]])
    """
    present = np.empty((X.shape[0], len(layout)), dtype=bool)
    for j, (name, cols) in enumerate(layout.items()):
        nan = np.isnan(X[:, cols])
        all_nan = nan.all(axis=1)
        partial = nan.any(axis=1) & ~all_nan
        if partial.any():
            rows = np.flatnonzero(partial)
            raise ValueError(
                f"Modality {name!r} has NaN inside a present block in rows "
                f"{rows[:10].tolist()}{' ...' if rows.size > 10 else ''}. An all-NaN "
                "block marks a missing modality; a partial NaN is a data error. Put "
                "a SimpleImputer in that modality's encoder."
            )
        present[:, j] = ~all_nan
    return present


def normalize_weights(weights):
    """Scale non-negative modality weights to sum to one.

    Parameters
    ----------
    weights : dict of str to float

    Returns
    -------
    weights : dict of str to float
        The same keys, summing to 1 (uniform when they all are 0).

    Examples
    --------
    >>> from skmer.fusion import normalize_weights
    >>> normalize_weights({"a": 1.0, "b": 3.0})
    {'a': 0.25, 'b': 0.75}
    """
    values = np.clip(np.asarray(list(weights.values()), dtype=float), 0, None)
    total = values.sum()
    if not np.isfinite(total) or total <= 0:
        values = np.ones_like(values)
        total = values.size
    return {k: float(v / total) for k, v in zip(weights, values)}


def block_importances(estimator, layout, n_features):
    """Per-modality share of a fitted estimator's feature weights, or None.

    Uses ``coef_`` (absolute values) or ``feature_importances_`` of the estimator,
    or of the last step of a pipeline, when it has one weight per input column.

    Parameters
    ----------
    estimator : fitted estimator
    layout : dict of str to ndarray of int
    n_features : int
        Number of columns the estimator was fitted on.

    Returns
    -------
    weights : dict of str to float or None
        Normalised per-modality weights; None when the estimator exposes no
        per-column weights.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from skmer.fusion import block_importances
    >>> X = np.random.RandomState(0).normal(size=(20, 3))
    >>> est = LinearRegression().fit(X, 3 * X[:, 2])
    >>> w = block_importances(est, {"a": np.array([0, 1]), "b": np.array([2])}, 3)
    >>> round(w["b"], 3)
    1.0
    """
    final = estimator[-1] if hasattr(estimator, "steps") else estimator
    raw = getattr(final, "coef_", None)
    if raw is None:
        raw = getattr(final, "feature_importances_", None)
    if raw is None:
        return None
    raw = np.abs(np.asarray(raw, dtype=float))
    raw = raw.reshape(-1, raw.shape[-1]) if raw.ndim > 1 else raw[None, :]
    if raw.shape[-1] != n_features:
        return None
    per_col = raw.sum(axis=0)
    return normalize_weights(
        {name: per_col[cols].sum() for name, cols in layout.items()}
    )


def _weighted_steps(estimator):
    if hasattr(estimator, "steps"):
        return [
            name
            for name, step in estimator.steps
            if step not in (None, "passthrough")
            and has_fit_parameter(step, "sample_weight")
        ]
    return None


def accepts_sample_weight(estimator):
    """Whether :func:`fit_weighted` can pass sample weights to ``estimator``.

    Parameters
    ----------
    estimator : estimator
        An estimator or a :class:`~sklearn.pipeline.Pipeline`.

    Returns
    -------
    accepts : bool
        True when its ``fit`` (for a pipeline: its final step's) takes
        ``sample_weight``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from skmer.fusion import accepts_sample_weight
    >>> accepts_sample_weight(make_pipeline(StandardScaler(), LogisticRegression()))
    True
    >>> accepts_sample_weight(KNeighborsClassifier())
    False
    """
    steps = _weighted_steps(estimator)
    if steps is None:
        return has_fit_parameter(estimator, "sample_weight")
    return bool(steps) and steps[-1] == estimator.steps[-1][0]


def fit_weighted(estimator, X, y, sample_weight=None):
    """Fit an estimator, passing sample weights to it or to its pipeline steps.

    For a :class:`~sklearn.pipeline.Pipeline`, the weights go to every step
    whose ``fit`` takes ``sample_weight`` (e.g. ``StandardScaler`` and the final
    classifier), so that weighting a row equals repeating it. With
    scikit-learn's metadata routing enabled, those steps get
    ``set_fit_request(sample_weight=True)`` and the pipeline routes the weights.

    Parameters
    ----------
    estimator : estimator
        Unfitted estimator or pipeline (a clone: its steps' fit requests may be
        set).
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    estimator : estimator
        The fitted estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import Ridge
    >>> from skmer.fusion import fit_weighted
    >>> X, y = np.arange(8.0).reshape(4, 2), np.arange(4.0)
    >>> est = fit_weighted(make_pipeline(StandardScaler(), Ridge()), X, y, np.ones(4))
    >>> est.predict(X).shape
    (4,)
    """
    if sample_weight is None:
        return estimator.fit(X, y)
    steps = _weighted_steps(estimator)
    if steps is None:
        return estimator.fit(X, y, sample_weight=sample_weight)
    if get_config()["enable_metadata_routing"]:
        # a routing pipeline rejects "<step>__sample_weight": request it instead
        for name in steps:
            estimator.named_steps[name].set_fit_request(sample_weight=True)
        return estimator.fit(X, y, sample_weight=sample_weight)
    return estimator.fit(
        X, y, **{f"{name}__sample_weight": sample_weight for name in steps}
    )


def check_fusion_sample_weight(sample_weight, X):
    """Validated ``sample_weight``: finite, non-negative, not all zero.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or None
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,) or None

    Raises
    ------
    ValueError
        Naming ``sample_weight`` when it holds NaN, infinity or negative values,
        sums to 0, or has the wrong length.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.fusion._base import check_fusion_sample_weight
    >>> check_fusion_sample_weight([1, 2], np.zeros((2, 3)))
    array([1., 2.])
    """
    if sample_weight is None:
        return None
    sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
    if not sample_weight.any():  # scikit-learn < 1.7 lets all-zero weights through
        raise ValueError(
            "Sample weights must contain at least one non-zero value: "
            "sample_weight sums to 0."
        )
    return sample_weight


# -- metadata routing --------------------------------------------------------------
def _routing_enabled():
    return get_config()["enable_metadata_routing"]


def request_sample_weight(estimator):
    """A clone of ``estimator`` that requests ``sample_weight`` wherever it takes
    it and has not been told otherwise.

    Under metadata routing, a fusion estimator's members get ``sample_weight``
    as they do without routing: every step whose ``fit`` takes it and whose
    request is unset requests it. A step set to
    ``set_fit_request(sample_weight=False)`` keeps refusing it. Without routing
    this is a plain clone.

    Parameters
    ----------
    estimator : estimator or Pipeline
        Unfitted; not modified.

    Returns
    -------
    estimator : estimator
        A clone, with the fit requests set.

    Examples
    --------
    >>> import sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmer.fusion._base import request_sample_weight
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     est = request_sample_weight(LogisticRegression())
    ...     print(est.get_metadata_routing().fit.requests["sample_weight"])
    True
    """
    estimator = clone(estimator)
    if not _routing_enabled():
        return estimator
    steps = estimator.steps if hasattr(estimator, "steps") else [(None, estimator)]
    for _, step in steps:
        if (
            step not in (None, "passthrough")
            and has_fit_parameter(step, "sample_weight")
            and hasattr(step, "set_fit_request")
            and step._get_metadata_request().fit.requests.get("sample_weight") is None
        ):
            step.set_fit_request(sample_weight=True)
    return estimator


def index_params(params, rows, n_samples):
    """Restrict routed metadata to ``rows``: every value with one entry per
    sample is indexed, anything else is kept as it is.

    Parameters
    ----------
    params : dict
    rows : ndarray of int
    n_samples : int

    Returns
    -------
    params : dict

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.fusion._base import index_params
    >>> index_params({"sample_weight": np.arange(4.0), "tol": 1}, np.array([1, 3]), 4)
    {'sample_weight': array([1., 3.]), 'tol': 1}
    """
    return {
        k: _safe_indexing(v, rows)
        if hasattr(v, "__len__") and not isinstance(v, str) and len(v) == n_samples
        else v
        for k, v in params.items()
    }


def fit_routed(estimator, X, y, params):
    """Fit one sub-estimator with the metadata routed to it.

    Under metadata routing ``params`` are what :func:`process_routing` gave this
    child and go to ``fit`` as they are. Without routing they hold at most
    ``sample_weight``, handed on by :func:`fit_weighted` (to every pipeline step
    that takes it).

    Parameters
    ----------
    estimator : estimator
        Unfitted.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    params : dict
        The routed fit parameters, restricted to these rows
        (:func:`index_params`).

    Returns
    -------
    estimator : estimator
        The fitted estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skmer.fusion._base import fit_routed
    >>> X, y = np.arange(8.0).reshape(4, 2), np.arange(4.0)
    >>> fit_routed(Ridge(), X, y, {"sample_weight": np.ones(4)}).predict(X).shape
    (4,)
    """
    if _routing_enabled():
        return estimator.fit(X, y, **params)
    return fit_weighted(estimator, X, y, params.get("sample_weight"))


def inner_cv(cv, y, groups=None, *, classifier, random_state=None):
    """The splitter of a fusion estimator's inner (out-of-fold) cross-validation.

    An integer ``cv`` gives shuffled folds seeded from ``random_state``; when
    ``groups`` are given they are grouped (``StratifiedGroupKFold`` for a
    classifier, ``GroupKFold`` for a regressor, at most one fold per group), so
    no group (e.g. speaker) is on both sides of a split. Any other ``cv`` is
    resolved by :func:`~sklearn.model_selection.check_cv`; call its ``split``
    with the groups.

    Parameters
    ----------
    cv : int, cross-validation generator or iterable
    y : array-like of shape (n_samples,)
        The targets of the rows to split.
    groups : array-like of shape (n_samples,), default=None
        Group labels of the same rows.
    classifier : bool
        Stratify integer folds by class.
    random_state : int or None, default=None
        Seed of the shuffled integer folds.

    Returns
    -------
    cv : cross-validation generator

    Examples
    --------
    >>> from skmer.fusion._base import inner_cv
    >>> inner_cv(5, [0, 1] * 10, groups=[0, 0, 1, 1, 2] * 4, classifier=True)
    StratifiedGroupKFold(n_splits=3, random_state=None, shuffle=True)
    """
    if not isinstance(cv, numbers.Integral):
        return check_cv(cv, y, classifier=classifier)
    if groups is None:
        kind = StratifiedKFold if classifier else KFold
        return kind(cv, shuffle=True, random_state=random_state)
    n_groups = np.unique(np.asarray(groups)).size
    if n_groups < 2:
        raise ValueError(
            f"groups holds {n_groups} distinct group(s) in the rows of an inner "
            "cross-validation; grouped folds need at least 2. Give more groups or "
            "a cv splitter."
        )
    kind = StratifiedGroupKFold if classifier else GroupKFold
    return kind(min(cv, n_groups), shuffle=True, random_state=random_state)


class RoutedFitMixin:
    """Metadata routing of ``fit`` for fusion meta-estimators.

    A subclass lists the objects its ``fit`` hands metadata to in
    ``_fit_routes()``, ``{name: (object, callee)}`` with callee ``"fit"`` (a
    sub-estimator) or ``"split"`` (an inner splitter); its ``fit(X, y, *,
    sample_weight=None, **fit_params)`` calls ``self._route_fit(sample_weight,
    fit_params)`` and gets, per name, a ``Bunch`` with the ``fit`` (or
    ``split``) parameters of that object:

    * with ``sklearn.set_config(enable_metadata_routing=True)`` it is
      :func:`~sklearn.utils.metadata_routing.process_routing`: each object gets
      what it requested (``set_fit_request``; splitters such as ``GroupKFold``
      request ``groups``). Sub-estimators are listed as
      :func:`request_sample_weight` clones, so those whose ``sample_weight``
      request is unset take the weights, as without routing;
    * without routing, ``sample_weight`` goes to every ``"fit"`` object and
      ``groups`` to every ``"split"`` object; any other parameter is a
      ``TypeError``.

    The estimator's own ``score`` requests ``sample_weight`` as any consumer's
    does (``set_score_request``); its ``fit`` only routes.
    """

    # fit hands sample_weight on to its children; it does not consume it itself
    __metadata_request__fit = {"sample_weight": metadata_routing.UNUSED}

    def _fit_routes(self):
        """``{name: (object, "fit" | "split")}``: where fit's metadata goes."""
        raise NotImplementedError

    def get_metadata_routing(self):
        """Routing of ``fit``'s metadata to the sub-estimators and splitters.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter` with one
            child per sub-estimator (``fit`` -> ``fit``) and inner splitter
            (``fit`` -> ``split``).
        """
        router = MetadataRouter(owner=self).add_self_request(self)
        for name, (obj, callee) in self._fit_routes().items():
            router.add(
                **{name: obj},
                method_mapping=MethodMapping().add(caller="fit", callee=callee),
            )
        return router

    def _route_fit(self, sample_weight, fit_params):
        routes = self._fit_routes()
        if _routing_enabled():
            if sample_weight is not None:
                fit_params = {**fit_params, "sample_weight": sample_weight}
            return process_routing(self, "fit", **fit_params)
        splits = any(callee == "split" for _, callee in routes.values())
        unexpected = sorted(set(fit_params) - ({"groups"} if splits else set()))
        if unexpected:
            raise TypeError(
                f"{type(self).__name__}.fit got unexpected argument(s) {unexpected}; "
                f"it takes sample_weight{' and groups' if splits else ''}. Other "
                "metadata needs sklearn.set_config(enable_metadata_routing=True) and "
                "set_fit_request on the sub-estimators."
            )
        groups = fit_params.get("groups")
        routed = Bunch()
        for name, (_, callee) in routes.items():
            if callee == "split":
                routed[name] = Bunch(split={} if groups is None else {"groups": groups})
            else:
                routed[name] = Bunch(
                    fit={}
                    if sample_weight is None
                    else {"sample_weight": sample_weight}
                )
        return routed


def routing_splitter(cv, *, classifier):
    """The splitter a router declares for ``cv`` (see :func:`inner_cv`).

    An integer ``cv`` may become grouped folds, so it is declared as a
    ``GroupKFold`` (which requests ``groups``); a splitter is declared as
    itself.

    Parameters
    ----------
    cv : int, cross-validation generator or iterable
    classifier : bool

    Returns
    -------
    cv : cross-validation generator

    Examples
    --------
    >>> from skmer.fusion._base import routing_splitter
    >>> routing_splitter(3, classifier=True).get_n_splits()
    3
    """
    if isinstance(cv, numbers.Integral):
        return GroupKFold(cv)
    return check_cv(cv, classifier=classifier)


# -- delegation to a fitted estimator_ ---------------------------------------------
def _estimator_has(attr):
    """``available_if`` check: the fitted ``estimator_`` (or, before fit, the
    ``estimator`` parameter or the class's ``_default_estimator()``) has ``attr``."""

    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, attr)
        est = self._default_estimator() if self.estimator is None else self.estimator
        return hasattr(est, attr)

    return check


class DelegatingClassifierMixin:
    """``classes_``, ``predict_proba`` and ``decision_function`` of ``estimator_``.

    For fusion classifiers that fit one ``estimator`` on an input they build from
    X. ``predict_proba``/``decision_function`` exist only when the (fitted, or
    before fit the given or default) estimator has them
    (``available_if(_estimator_has(...))``). A subclass provides
    ``_transform_input(X)`` (X after validation, as ``estimator_`` takes it), or
    overrides ``_delegate(method, X)`` (e.g. to predict in batches).
    """

    @property
    def classes_(self):
        """Class labels of the fitted estimator."""
        return self.estimator_.classes_

    def _delegate(self, method, X):
        check_is_fitted(self)
        return getattr(self.estimator_, method)(self._transform_input(X))

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the fitted estimator.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._delegate("predict_proba", X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted estimator.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        return self._delegate("decision_function", X)


# -- raw input ---------------------------------------------------------------------
_RAW_ITEM = (str, bytes, list, tuple, np.ndarray)


# values above this overflow float64 once squared (scaling variances, distances)
_LARGEST = np.sqrt(np.finfo(np.float64).max)


def _check_magnitude(X, layout):
    """A ValueError naming the modality, row and column of the first value so
    large that the fused features overflow float64 once squared."""
    for name, cols in layout.items():
        with np.errstate(invalid="ignore"):
            too_large = np.abs(X[:, cols]) > _LARGEST
        if too_large.any():
            row, j = np.argwhere(too_large)[0]
            raise ValueError(
                f"Modality {name!r} holds {X[row, cols[j]]:.3g} in row {row} (column "
                f"{cols[j]}), beyond {_LARGEST:.3g}: such values overflow float64 "
                "when squared (scaling, variances) and would give non-finite "
                "predictions; rescale that modality's features."
            )


def _check_not_raw(X, estimator):
    """Raise a ValueError pointing to ModalityEncoder when X holds raw items."""
    if hasattr(X, "columns") and hasattr(X, "dtypes"):
        columns = [
            (c, X[c].tolist())
            for c, dt in zip(X.columns, X.dtypes)
            if str(dt) in ("object", "string", "str")
        ]
        rows = list(X.index)
    elif isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 2:
        columns = [(j, X[:, j].tolist()) for j in range(X.shape[1])]
        rows = list(range(X.shape[0]))
    else:
        return
    for column, cells in columns:
        for row, cell in zip(rows, cells):
            if isinstance(cell, _RAW_ITEM):
                raise ValueError(
                    f"X column {column!r} holds a raw item ({type(cell).__name__}) in "
                    f"row {row!r}: {type(estimator).__name__} takes encoded features "
                    "(one float column per feature). Encode the raw multimodal "
                    "DataFrame first: make_pipeline(ModalityEncoder({...}), "
                    f"{type(estimator).__name__}())."
                )


class BaseFusion(BaseEstimator):
    """Base class of skmer's fusion estimators over encoded modality blocks.

    Resolves the layout (``modalities_``), validates X (NaN allowed only as whole
    missing blocks) and gives per-row presence masks. Subclasses set
    ``modality_weights_``.

    Columns an explicit ``modalities`` leaves out follow the estimator's
    ``remainder`` parameter when it has one (``"error"`` otherwise; see
    :func:`resolve_modalities`). X without any layout is fused as one modality
    ``"X"`` with a :class:`SingleModalityWarning`; a raw multimodal DataFrame is
    a ``ValueError`` saying to put a ``ModalityEncoder`` first.

    Per-modality members: parameters named in ``_per_modality_params`` (e.g.
    ``("estimator",)``) may be a dict ``{modality: estimator}``; it is then a
    named composition like sklearn's ``_BaseComposition``:
    ``get_params(deep=True)`` lists ``estimator__<modality>`` and
    ``estimator__<modality>__<param>``, and ``set_params`` sets them, so a grid
    search reaches one modality's estimator.
    """

    _parameter_constraints: dict = {
        "modalities": [dict, None],
        "remainder": [StrOptions({"error", "drop", "passthrough"})],
    }
    _per_modality_params: tuple = ()

    # -- named composition of per-modality members ---------------------------------
    def get_params(self, deep=True):
        """Get the parameters, with those of per-modality members when deep.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of sub-estimators, including
            ``"<param>__<modality>"`` and ``"<param>__<modality>__<name>"`` for a
            per-modality dict such as ``estimator={"text": ...}``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        out = super().get_params(deep=deep)
        if not deep:
            return out
        for param in self._per_modality_params:
            members = out.get(param)
            if not isinstance(members, Mapping):
                continue
            for name, est in members.items():
                out[f"{param}__{name}"] = est
                if hasattr(est, "get_params") and not isinstance(est, type):
                    for key, value in est.get_params(deep=True).items():
                        out[f"{param}__{name}__{key}"] = value
        return out

    def set_params(self, **params):
        """Set the parameters, including those of per-modality members.

        Parameters
        ----------
        **params : dict
            Parameters; ``"<param>__<modality>"`` replaces one entry of a
            per-modality dict and ``"<param>__<modality>__<name>"`` sets a
            parameter of that entry.

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        member_keys = {
            k
            for k in params
            if k.partition("__")[0] in self._per_modality_params
            and k.partition("__")[1]
        }
        super().set_params(**{k: v for k, v in params.items() if k not in member_keys})
        pending = {}
        for key in member_keys:
            param, _, rest = key.partition("__")
            if isinstance(getattr(self, param), Mapping):
                pending.setdefault(param, {})[rest] = params[key]
            else:  # a single template: ordinary nested parameters
                super().set_params(**{key: params[key]})
        for param, sub in pending.items():
            self._set_member_params(param, sub)
        return self

    def _set_member_params(self, param, sub):
        members = dict(getattr(self, param))
        nested = {}
        for rest, value in sub.items():
            name, sep, key = rest.partition("__")
            if sep:
                nested.setdefault(name, {})[key] = value
            else:
                members[name] = value
        for name, kv in nested.items():
            if name not in members or not hasattr(members[name], "set_params"):
                raise ValueError(
                    f"Invalid parameter {param}__{name}__{next(iter(kv))}: "
                    f"{param} has no estimator for modality {name!r}; it has "
                    f"{list(members)}."
                )
            members[name].set_params(**kv)
        setattr(self, param, members)

    # -- data ----------------------------------------------------------------------
    def _validate_fusion_data(self, X, y="no_validation", *, reset, **check_params):
        """Validate X (and y); return ``X, y, present``.

        On ``reset`` the layout is resolved into ``modalities_`` and a modality
        missing in every row is an error.
        """
        _check_not_raw(X, self)
        check_params.setdefault("ensure_all_finite", "allow-nan")
        if isinstance(y, str) and y == "no_validation":
            X = validate_data(self, X, reset=reset, dtype=np.float64, **check_params)
        else:
            X, y = validate_data(
                self, X, y, reset=reset, dtype=np.float64, **check_params
            )
        if reset:
            self.modalities_ = self._resolve_layout()
        _check_magnitude(X, self.modalities_)
        present = modality_presence(X, self.modalities_)
        if reset:
            never = [
                name
                for name, seen in zip(self.modalities_, present.any(axis=0))
                if not seen
            ]
            if never:
                raise ValueError(
                    f"Modality {never[0]!r} is missing (all NaN) in every training "
                    "row; drop it from the layout or provide rows where it is present."
                )
        return X, y, present

    def _resolve_layout(self):
        names = getattr(self, "feature_names_in_", None)
        layout = resolve_modalities(
            self.modalities,
            names,
            self.n_features_in_,
            remainder=getattr(self, "remainder", "error"),
        )
        if self.modalities is None and list(layout) == [SINGLE_MODALITY]:
            warnings.warn(
                f"{type(self).__name__} got X without a modality layout ("
                f"{'a plain array' if names is None else 'columns not named <modality>__<feature>'}"
                f"); its {self.n_features_in_} columns are fused as one modality "
                f"{SINGLE_MODALITY!r}. Pass modalities={{name: columns}}, or the "
                "DataFrame of a ModalityEncoder; modalities={'X': slice(None)} says "
                "one modality is meant.",
                SingleModalityWarning,
                stacklevel=5,
            )
        return layout

    def _modality_estimator(self, name, default):
        """The ``estimator`` parameter for one modality: a shared template, or the
        entry of a ``{modality: estimator}`` dict (``default`` where it has none)."""
        est = self.estimator
        if isinstance(est, dict):
            unknown = set(est) - set(self.modalities_)
            if unknown:
                raise ValueError(
                    f"estimator has entries for unknown modalities {sorted(unknown)}; "
                    f"the layout has {list(self.modalities_)}."
                )
            est = est.get(name)
        return default if est is None else est

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
