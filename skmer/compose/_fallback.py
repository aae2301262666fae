"""Fallback over models of different modalities: each row goes to the first
model that has one of its modalities, the training prior when none has."""

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import Bunch, column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from skmer.compose._named import NamedCompositionMixin
from skmer.fusion._base import (
    RoutedFitMixin,
    check_fusion_sample_weight,
    fit_routed,
    index_params,
    request_sample_weight,
)
from skmer.utils._missing import as_raw_frame, missing_mask
from skmer.utils._sklearn_compat import _fit_context, available_if, check_is_fitted

PRIOR = "prior"


class _BaseFallback(RoutedFitMixin, NamedCompositionMixin):
    """Shared routing, fitting and parameters of the fallback estimators."""

    _parameter_constraints: dict = {"estimators": [list]}

    def __init__(self, estimators):
        self.estimators = estimators

    # NamedCompositionMixin gets/sets nested params through (name, estimator)
    @property
    def _named(self):
        return [(name, est) for name, est, _ in self._steps()]

    @_named.setter
    def _named(self, value):
        new = dict(value)
        self.estimators = [(name, new[name], cols) for name, _, cols in self._steps()]

    def _steps(self):
        """``estimators`` as ``(name, estimator, [columns])`` triples, checked."""
        if not self.estimators:
            raise ValueError(
                "estimators is empty: give at least one (name, estimator, columns)."
            )
        steps = []
        for entry in self.estimators:
            if not isinstance(entry, tuple | list) or len(entry) != 3:
                raise ValueError(
                    "estimators entries must be (name, estimator, columns) tuples; "
                    f"got {entry!r}."
                )
            name, est, cols = entry
            cols = [cols] if isinstance(cols, str) else list(cols)
            if not isinstance(name, str):
                raise TypeError(f"Step names must be strings; got {name!r}.")
            if not cols or not all(isinstance(c, str) for c in cols):
                raise ValueError(
                    f"Step {name!r}: columns must be a column name or a non-empty "
                    f"list of column names; got {entry[2]!r}."
                )
            if not hasattr(est, "fit") or not hasattr(est, "predict"):
                raise TypeError(
                    f"Step {name!r}: the estimator must implement fit and predict; "
                    f"got {type(est).__name__}."
                )
            steps.append((name, est, cols))
        names = [name for name, _, _ in steps]
        if PRIOR in names:
            raise ValueError(
                f"A step is named {PRIOR!r}, the name route() gives rows that "
                "no step takes; rename it."
            )
        self._validate_names(names)
        return steps

    def _fit_routes(self):
        return {
            name: (request_sample_weight(est), "fit") for name, est, _ in self._steps()
        }

    def _frame(self, X, steps):
        X = as_raw_frame(X, type(self).__name__)
        for name, _, cols in steps:
            absent = [c for c in cols if c not in X.columns]
            if absent:
                raise ValueError(
                    f"Step {name!r} reads columns {absent} that X does not have; X "
                    f"has columns {list(X.columns)}."
                )
        return X

    @staticmethod
    def _has_any(X, cols):
        """Rows of X where at least one of ``cols`` is present."""
        present = np.zeros(len(X), dtype=bool)
        for c in cols:
            present |= ~missing_mask(X[c])
        return present

    def _route_index(self, X, steps):
        """Per row, the index of the first step with a present column (-1: none)."""
        route = np.full(len(X), -1)
        for k, (_, _, cols) in reversed(list(enumerate(steps))):
            route[self._has_any(X, cols)] = k
        return route

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit each step on the training rows that have one of its columns.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            The raw multimodal frame (one column per modality, None where
            missing); every step gets all its columns.
        y : array-like of shape (n_samples,)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights: passed to every step (for a pipeline, to
            each of its steps that takes them) and used for the prior.
        **fit_params : dict
            Only under ``sklearn.set_config(enable_metadata_routing=True)``:
            metadata the steps request (e.g. ``groups`` for a step that selects
            its hyper-parameters by grouped cross-validation).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        steps = self._steps()
        X = self._frame(X, steps)
        if len(X) == 0:
            raise ValueError(f"X has 0 rows; {type(self).__name__} needs rows to fit.")
        y = self._check_y(y, len(X))
        sample_weight = check_fusion_sample_weight(sample_weight, X)
        routed = self._route_fit(sample_weight, fit_params)
        self.estimators_, self.n_training_rows_ = [], {}
        for name, est, cols in steps:
            rows = np.flatnonzero(self._has_any(X, cols))
            if rows.size == 0:
                raise ValueError(
                    f"Step {name!r}: no training row has any of its columns {cols}."
                )
            fitted = request_sample_weight(est)
            params = index_params(routed[name].fit, rows, len(X))
            fit_routed(fitted, X.iloc[rows], y[rows], params)
            self.estimators_.append((name, fitted, cols))
            self.n_training_rows_[name] = int(rows.size)
        self.named_estimators_ = Bunch(**{n: e for n, e, _ in self.estimators_})
        self._fit_prior(y, sample_weight)
        self.n_features_in_ = X.shape[1]
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        return self

    def route(self, X):
        """The step that predicts each row (``"prior"`` where none has a column).

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            The raw multimodal frame.

        Returns
        -------
        route : ndarray of str of shape (n_samples,)
        """
        _, route = self._routed_rows(X)
        names = np.array([n for n, _, _ in self.estimators_] + [PRIOR], dtype=object)
        return names[route]

    def _routed_rows(self, X):
        """X checked, and each row's step index (-1: the prior)."""
        check_is_fitted(self)
        X = self._frame(X, self.estimators_)
        return X, self._route_index(X, self.estimators_)

    def predict(self, X):
        """Predict each row with its step, or the prior where no step applies.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            The raw multimodal frame.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        X, route = self._routed_rows(X)
        out = np.empty(len(X), dtype=self._prior_prediction().dtype)
        for k in np.unique(route):
            rows = np.flatnonzero(route == k)
            out[rows] = (
                self._prior_prediction()
                if k < 0
                else self.estimators_[k][1].predict(X.iloc[rows])
            )
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags


def _all_steps_have_proba(self):
    steps = self.estimators_ if hasattr(self, "estimators_") else self._steps()
    return all(hasattr(est, "predict_proba") for _, est, _ in steps)


class FallbackClassifier(ClassifierMixin, _BaseFallback):
    """Predict each row with the first model that has one of its modalities.

    A model of the strong modality is usually the best on the rows that have
    it and useless on the rows that lack it. This meta-estimator keeps an
    ordered list of models, each reading some columns of the raw multimodal
    DataFrame: a row is predicted by the first model for which at least one of
    its columns is present, and by the training class prior when none is (so
    no row is predicted by a model that sees nothing of it). Each model is
    fitted on every training row that has one of its columns, not only on the
    rows it will predict. Typical use: a fine-tuned text model, then an
    audio/video fusion for the rows without a transcript.

    Read more in the :ref:`User Guide <fallback>`.

    Parameters
    ----------
    estimators : list of (str, estimator, str or list of str)
        ``(name, estimator, columns)`` steps, tried in order. ``estimator``
        gets the whole raw frame (all columns; select inside it, e.g. with a
        :class:`ModalityEncoder` or a sequence model's ``columns``) and must
        handle rows where some of ``columns`` are missing. ``columns`` name
        the modality columns that make the step applicable. Grids reach a
        step's parameters as ``"<name>__<param>"``.

    Attributes
    ----------
    estimators_ : list of (str, estimator, list of str)
        The fitted steps.
    named_estimators_ : Bunch
        The fitted estimators by step name.
    n_training_rows_ : dict of str to int
        Training rows each step was fitted on.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        (Weighted) class frequencies of the training rows: the prediction for
        a row without any step's column.
    n_features_in_ : int
        Columns of X seen in fit.
    feature_names_in_ : ndarray of str
        Their names.

    See Also
    --------
    skmer.fusion.LateFusionClassifier : combines every present modality's
        model per row (``fallback="prior"`` draws unreliable rows towards the
        prior).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skmer.compose import FallbackClassifier, ModalityEncoder
    >>> from skmer.encoders import VectorEncoder
    >>> from skmer.fusion import EarlyFusionClassifier
    >>> rng = np.random.RandomState(0)
    >>> y = np.array([0, 1] * 10)
    >>> X = pd.DataFrame({
    ...     "text": [np.array([2.0 * k - 1.0]) + 0.1 * rng.randn(1) for k in y],
    ...     "audio": [rng.randn(2) for _ in y],
    ... })
    >>> X.loc[[0, 1], "text"] = None
    >>> def model(column):
    ...     return make_pipeline(
    ...         ModalityEncoder({column: VectorEncoder()}),
    ...         EarlyFusionClassifier(LogisticRegression()),
    ...     )
    >>> clf = FallbackClassifier([
    ...     ("text", model("text"), "text"),
    ...     ("audio", model("audio"), "audio"),
    ... ]).fit(X, y)
    >>> clf.route(X.iloc[:4]).tolist()
    ['audio', 'audio', 'text', 'text']
    >>> clf.n_training_rows_
    {'text': 18, 'audio': 20}
    """

    def _check_y(self, y, n_samples):
        y = column_or_1d(y, warn=True)
        if len(y) != n_samples:
            raise ValueError(f"y has {len(y)} rows; X has {n_samples}.")
        check_classification_targets(y)
        self.classes_ = LabelEncoder().fit(y).classes_
        return y

    def _fit_prior(self, y, sample_weight):
        weights = np.ones(len(y)) if sample_weight is None else sample_weight
        totals = np.array([weights[y == c].sum() for c in self.classes_])
        self.class_prior_ = totals / totals.sum()

    def _prior_prediction(self):
        return self.classes_[[np.argmax(self.class_prior_)]]

    @available_if(_all_steps_have_proba)
    def predict_proba(self, X):
        """Class probabilities of each row's step, or the class prior.

        A step fitted without some class gives it probability 0.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            The raw multimodal frame.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        X, route = self._routed_rows(X)
        proba = np.zeros((len(X), len(self.classes_)))
        for k in np.unique(route):
            rows = np.flatnonzero(route == k)
            if k < 0:
                proba[rows] = self.class_prior_
                continue
            est = self.estimators_[k][1]
            cols = np.searchsorted(self.classes_, est.classes_)
            proba[np.ix_(rows, cols)] = est.predict_proba(X.iloc[rows])
        return proba


class FallbackRegressor(RegressorMixin, _BaseFallback):
    """Predict each row with the first model that has one of its modalities.

    The regression counterpart of :class:`FallbackClassifier`: a row is
    predicted by the first step for which at least one of its columns is
    present, and by the (weighted) training mean of ``y`` when none is. Each
    step is fitted on every training row that has one of its columns.

    Read more in the :ref:`User Guide <fallback>`.

    Parameters
    ----------
    estimators : list of (str, estimator, str or list of str)
        ``(name, estimator, columns)`` steps, tried in order. ``estimator``
        gets the whole raw frame and must handle rows where some of
        ``columns`` are missing; ``columns`` name the modality columns that
        make the step applicable.

    Attributes
    ----------
    estimators_ : list of (str, estimator, list of str)
        The fitted steps.
    named_estimators_ : Bunch
        The fitted estimators by step name.
    n_training_rows_ : dict of str to int
        Training rows each step was fitted on.
    prior_ : float
        (Weighted) mean of the training targets: the prediction for a row
        without any step's column.
    n_features_in_ : int
        Columns of X seen in fit.
    feature_names_in_ : ndarray of str
        Their names.

    See Also
    --------
    FallbackClassifier : the classification counterpart.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from skmer.compose import FallbackRegressor, ModalityEncoder
    >>> from skmer.encoders import VectorEncoder
    >>> from skmer.fusion import EarlyFusionRegressor
    >>> rng = np.random.RandomState(0)
    >>> score = rng.uniform(-3, 3, 20)
    >>> X = pd.DataFrame({"text": [np.array([s]) for s in score]})
    >>> X.loc[[0, 1], "text"] = None
    >>> reg = FallbackRegressor([
    ...     ("text", make_pipeline(ModalityEncoder({"text": VectorEncoder()}),
    ...                            EarlyFusionRegressor(Ridge(alpha=1e-6))), "text"),
    ... ]).fit(X, score)
    >>> bool(np.isclose(reg.predict(X.iloc[[5]])[0], score[5]))
    True
    >>> bool(reg.predict(X.iloc[[0]])[0] == score.mean())
    True
    """

    def _check_y(self, y, n_samples):
        y = column_or_1d(y, warn=True).astype(float)
        if len(y) != n_samples:
            raise ValueError(f"y has {len(y)} rows; X has {n_samples}.")
        bad = np.flatnonzero(~np.isfinite(y))
        if bad.size:
            raise ValueError(f"y holds non-finite values in rows {bad[:10].tolist()}.")
        return y

    def _fit_prior(self, y, sample_weight):
        self.prior_ = float(np.average(y, weights=sample_weight))

    def _prior_prediction(self):
        return np.array([self.prior_])
