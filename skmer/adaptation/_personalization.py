"""Perception subjectivity: adapt a population model to each subject or group."""

from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, logsumexp
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
)
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state, column_or_1d, get_tags
from sklearn.utils.multiclass import check_classification_targets

from skmer.emotions._validation import check_passthrough_X
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    _check_sample_weight,
    _fit_context,
    _num_samples,
    _set_random_states,
    check_is_fitted,
)


def _split_groups(X, groups, group_column):
    """``(X without the group column, groups)``."""
    if group_column is None:
        return X, None if groups is None else np.asarray(groups)
    if groups is not None:
        raise ValueError(
            "Give the groups either as `groups` or in `group_column`, not both."
        )
    if hasattr(X, "columns"):
        if group_column not in X.columns:
            raise ValueError(f"group_column={group_column!r} is not a column of X.")
        return X.drop(columns=[group_column]), X[group_column].to_numpy()
    X = np.asarray(X)
    if (
        not isinstance(group_column, Integral)
        or not -X.shape[1] <= group_column < X.shape[1]
    ):
        raise ValueError(
            f"group_column={group_column!r} must be a column index of X (an ndarray "
            f"with {X.shape[1]} columns)."
        )
    keep = np.delete(np.arange(X.shape[1]), group_column)
    return X[:, keep], X[:, group_column]


class _BasePersonalized(MetaEstimatorMixin, BaseEstimator):
    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "shrinkage": [Interval(Real, 0, None, closed="left")],
        "cv": ["cv_object", None],
        "group_column": [str, Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        shrinkage=1.0,
        cv=5,
        group_column=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.shrinkage = shrinkage
        self.cv = cv
        self.group_column = group_column
        self.random_state = random_state

    def _groups_of(self, X, groups, n):
        X, g = _split_groups(X, groups, self.group_column)
        if g is not None and g.shape[0] != n:
            raise ValueError(f"groups has {g.shape[0]} values; X has {n} rows.")
        return X, g

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, groups=None, sample_weight=None):
        """Fit the population model, then one correction per group.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Features (e.g. encoded multimodal features).
        y : array-like of shape (n_samples,)
            Targets.
        groups : array-like of shape (n_samples,), default=None
            Subject or group of each row (routed metadata; or use
            ``group_column``). None: no per-group correction.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the population estimator.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None.")
        n = _num_samples(X)
        X, g = self._groups_of(X, groups, n)
        check_passthrough_X(self, X, reset=True)
        y = self._encode(y)
        rng = check_random_state(self.random_state)
        est = clone(
            self._default_estimator() if self.estimator is None else self.estimator
        )
        _set_random_states(est, rng)
        fit_params = {}
        if sample_weight is not None:
            fit_params["sample_weight"] = _check_sample_weight(
                sample_weight, np.empty((n, 0)), ensure_non_negative=True
            )
        self.estimator_ = est.fit(X, y, **fit_params)
        self.n_features_in_ = getattr(self.estimator_, "n_features_in_", None)
        self.corrections_ = {}
        if g is not None:
            if self.cv is None:
                scores = self._population_scores(X)
            else:
                cv = self._cv(rng)
                scores = cross_val_predict(
                    clone(est), X, y, cv=cv, method=self._method, params=fit_params
                )
                scores = self._as_scores(scores)
            self._fit_corrections(scores, y, g)
        return self

    def adapt(self, X, y, groups):
        """Fit (or refit) the corrections of the given groups from a few labelled rows.

        The population model is kept; use this to personalise it to new
        subjects from their calibration samples.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Labelled rows of the subjects to adapt to.
        y : array-like of shape (n_samples,)
            Their targets.
        groups : array-like of shape (n_samples,) or None
            Their subjects (None when ``group_column`` holds them).

        Returns
        -------
        self : object
            The estimator, with new or updated per-group corrections.
        """
        check_is_fitted(self)
        X, g = self._groups_of(X, groups, _num_samples(X))
        if g is None:
            raise ValueError(
                "adapt needs the groups of the rows (`groups` or `group_column`)."
            )
        y = self._encode(y, refit=False)
        self._fit_corrections(self._population_scores(X), y, g)
        return self

    def _cv(self, rng):
        if isinstance(self.cv, Integral):
            seed = rng.randint(np.iinfo(np.int32).max)
            split = StratifiedKFold if self._is_clf else KFold
            return split(self.cv, shuffle=True, random_state=seed)
        return self.cv

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        est = self._default_estimator() if self.estimator is None else self.estimator
        inner = get_tags(est).input_tags
        tags.input_tags.sparse = inner.sparse
        tags.input_tags.allow_nan = inner.allow_nan
        return tags

    def _fit_corrections(self, scores, y, g):
        for group in np.unique(g):
            rows = g == group
            self.corrections_[group] = self._correction(scores[rows], y[rows])

    def _corrected(self, X, groups):
        check_is_fitted(self)
        X, g = self._groups_of(X, groups, _num_samples(X))
        scores = self._population_scores(X)
        if g is not None:
            for group in np.unique(g):
                if group in self.corrections_:
                    rows = g == group
                    scores[rows] = scores[rows] + self.corrections_[group]
        return scores


class PersonalizedClassifier(ClassifierMixin, _BasePersonalized):
    """Adapt a population classifier to each subject from a few labelled samples.

    Emotion perception is subjective: a subject (annotator, speaker, patient)
    may show or report one emotion more often than the population does, which
    no population model can know from the features. This meta-estimator fits
    ``estimator`` on everyone, then, per subject or group given by ``groups``,
    a bias vector added to the population's log-probabilities (a per-subject
    recalibration of the class prior), fitted on that subject's labelled rows
    by penalised cross-entropy (``shrinkage`` pulls it to 0, so a subject with
    few samples stays close to the population). Rows of an unknown subject get
    the population prediction. ``adapt`` adds subjects later from their
    calibration samples without refitting the population model.

    ``groups`` is routed metadata (``set_fit_request(groups=True)``, and the
    same for ``predict``); inside ``GridSearchCV`` or ``cross_validate``, where
    scorers do not route metadata to ``predict``, put the subject in a column of
    X and name it with ``group_column``.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    estimator : classifier, default=None
        The population model, with ``predict_proba`` (e.g. a fusion
        classifier); None uses ``LogisticRegression``.
    shrinkage : float, default=1.0
        L2 penalty on each subject's bias (in units of samples).
    cv : int, cross-validation generator or None, default=5
        Folds for the out-of-fold population probabilities the corrections are
        fitted on (None: in-sample probabilities).
    group_column : str, int or None, default=None
        Column of X holding the subject; it is removed before the estimator
        sees X.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator and the folds.

    Attributes
    ----------
    estimator_ : estimator
        The fitted population classifier.
    corrections_ : dict
        ``{group: bias vector over classes_}`` added to the log-probabilities.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int or None
        Number of features of the population model.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import PersonalizedClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(400, 3))
    >>> subject = np.repeat(np.arange(4), 100)
    >>> bias = np.array([-2.0, 2.0, -2.0, 2.0])[subject]      # each subject's own bias
    >>> y = (X[:, 0] + bias + rng.normal(size=400) > 0).astype(int)
    >>> clf = PersonalizedClassifier(random_state=0).fit(X, y, groups=subject)
    >>> float(clf.score(X, y)) < float(np.mean(clf.predict(X, groups=subject) == y))
    True
    """

    _parameter_constraints: dict = {
        **_BasePersonalized._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
    }

    _is_clf = True
    _method = "predict_proba"

    def _default_estimator(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)

    def _encode(self, y, refit=True):
        y = column_or_1d(y, warn=True)
        if refit:
            check_classification_targets(y)
            self._le = LabelEncoder().fit(y)
            self.classes_ = self._le.classes_
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(f"y holds labels {unknown.tolist()} not seen in fit.")
        return self._le.transform(y)

    def _as_scores(self, proba):
        return np.log(np.clip(proba, 1e-12, None))

    def _population_scores(self, X):
        proba = np.zeros((_num_samples(X), self.classes_.size))
        proba[:, self.estimator_.classes_] = self.estimator_.predict_proba(X)
        return self._as_scores(proba)

    def _correction(self, scores, y):
        k = scores.shape[1]
        onehot = np.eye(k)[y]
        lam = self.shrinkage

        def loss(b):
            z = scores + b
            lp = z - logsumexp(z, axis=1, keepdims=True)
            grad = (np.exp(lp) - onehot).sum(axis=0) + 2 * lam * b
            return -(onehot * lp).sum() + lam * b @ b, grad

        res = minimize(loss, np.zeros(k), jac=True, method="L-BFGS-B")
        return res.x - res.x.mean()

    def predict_proba(self, X, groups=None):
        """Class probabilities, corrected for each row's subject when known.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Features (with the subject column when ``group_column`` is set).
        groups : array-like of shape (n_samples,), default=None
            Subject of each row; None gives the population probabilities.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return np.exp(log_softmax(self._corrected(X, groups), axis=1))

    def predict(self, X, groups=None):
        """Predict classes, corrected for each row's subject when known.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Features (with the subject column when ``group_column`` is set).
        groups : array-like of shape (n_samples,), default=None
            Subject of each row; None gives the population predictions.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self._corrected(X, groups)
        return self.classes_[scores.argmax(axis=1)]


class PersonalizedRegressor(RegressorMixin, _BasePersonalized):
    """Adapt a population regressor to each subject from a few labelled samples.

    Fits ``estimator`` on everyone, then per subject (``groups``) an offset
    added to the population prediction: the mean out-of-fold residual of that
    subject's rows, shrunk towards 0 as ``sum(residuals) / (n + shrinkage)``
    (a subject who rates everything as more aroused gets a positive offset).
    Multi-output targets get one offset per output.

    ``groups`` is routed metadata; inside ``GridSearchCV`` name the column of X
    holding the subject with ``group_column``.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    estimator : regressor, default=None
        The population model; None uses ``RidgeCV``.
    shrinkage : float, default=1.0
        Pseudo-count of zero residuals added to each subject.
    cv : int, cross-validation generator or None, default=5
        Folds for the out-of-fold residuals (None: in-sample).
    group_column : str, int or None, default=None
        Column of X holding the subject; removed before the estimator sees X.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator and the folds.

    Attributes
    ----------
    estimator_ : estimator
        The fitted population regressor.
    corrections_ : dict
        ``{group: offset}`` added to the population prediction.
    n_features_in_ : int or None
        Number of features of the population model.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import PersonalizedRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 2))
    >>> subject = np.repeat(np.arange(4), 50)
    >>> y = X[:, 0] + np.array([-1.0, 0.0, 1.0, 2.0])[subject]
    >>> reg = PersonalizedRegressor(random_state=0).fit(X, y, groups=subject)
    >>> np.round([reg.corrections_[s] for s in range(4)], 1) + 0.0
    array([-1.5, -0.5,  0.5,  1.5])
    """

    _is_clf = False
    _method = "predict"

    def _default_estimator(self):
        from sklearn.linear_model import RidgeCV

        return RidgeCV()

    def _encode(self, y, refit=True):
        y = np.asarray(y)
        if np.iscomplexobj(y):
            raise ValueError("Complex data not supported: y has complex values.")
        y = y.astype(float)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _as_scores(self, pred):
        return np.asarray(pred, dtype=float)

    def _population_scores(self, X):
        return self._as_scores(self.estimator_.predict(X))

    def _correction(self, scores, y):
        resid = y - scores
        return resid.sum(axis=0) / (resid.shape[0] + self.shrinkage)

    def predict(self, X, groups=None):
        """Predict, adding each known subject's offset.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Features (with the subject column when ``group_column`` is set).
        groups : array-like of shape (n_samples,), default=None
            Subject of each row; None gives the population predictions.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        return self._corrected(X, groups)
