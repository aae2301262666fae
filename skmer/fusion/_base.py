"""Shared mechanism of every fusion estimator: modality layout and missing blocks.

Encoded multimodal features are one 2-D float matrix whose columns are grouped
into modality blocks. The layout comes from the ``modalities`` parameter
(``{name: slice | column indices | column names}``) or, when it is None, from
column names ``"<modality>__<feature>"`` of a DataFrame; without either the whole
matrix is one modality. A row whose block is all NaN misses that modality; a NaN
inside an otherwise present block is an error naming the modality.
"""

import numbers
from collections.abc import Iterable, Mapping

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator
from sklearn.utils.validation import has_fit_parameter

from skmer.base import SEP
from skmer.utils._sklearn_compat import validate_data

SINGLE_MODALITY = "X"


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
        elif spec and all(
            isinstance(c, bool | np.bool_) for c in spec
        ):
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
    return hasattr(X, "columns") and modalities is None and not all(
        SEP in str(c) for c in X.columns
    )


def resolve_modalities(modalities, feature_names, n_features):
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
        return layout
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
    return normalize_weights({name: per_col[cols].sum() for name, cols in layout.items()})


def _weighted_steps(estimator):
    if hasattr(estimator, "steps"):
        return [
            name
            for name, step in estimator.steps
            if step not in (None, "passthrough") and has_fit_parameter(step, "sample_weight")
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
    return estimator.fit(X, y, **{f"{name}__sample_weight": sample_weight for name in steps})


def _estimator_has(attr):
    """``available_if`` check: the fitted ``estimator_`` (or, before fit, the
    ``estimator`` parameter or the class's ``_default_estimator()``) has ``attr``."""

    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, attr)
        est = self._default_estimator() if self.estimator is None else self.estimator
        return hasattr(est, attr)

    return check


class BaseFusion(BaseEstimator):
    """Base class of skmer's fusion estimators over encoded modality blocks.

    Resolves the layout (``modalities_``), validates X (NaN allowed only as whole
    missing blocks) and gives per-row presence masks. Subclasses set
    ``modality_weights_``.
    """

    _parameter_constraints: dict = {"modalities": [dict, None]}

    def _validate_fusion_data(self, X, y="no_validation", *, reset, **check_params):
        """Validate X (and y); return ``X, y, present``.

        On ``reset`` the layout is resolved into ``modalities_`` and a modality
        missing in every row is an error.
        """
        check_params.setdefault("ensure_all_finite", "allow-nan")
        if isinstance(y, str) and y == "no_validation":
            X = validate_data(self, X, reset=reset, dtype=np.float64, **check_params)
        else:
            X, y = validate_data(
                self, X, y, reset=reset, dtype=np.float64, **check_params
            )
        if reset:
            self.modalities_ = resolve_modalities(
                self.modalities,
                getattr(self, "feature_names_in_", None),
                self.n_features_in_,
            )
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
