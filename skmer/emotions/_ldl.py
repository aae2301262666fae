"""Label distribution learning (LDL): predict a distribution over emotions per sample.

The target of each sample is a distribution over the labels (the share of
raters who chose each emotion; see :func:`skmer.emotions.label_distribution`).
``y`` is an ``(n_samples, n_labels)`` matrix of non-negative rows (normalised
to sum to 1), or a 1-D array of single labels, read as one-hot distributions.
``predict`` returns distributions; ``predict_label`` the most likely label.
"""

import numbers

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length

from skmer.emotions._validation import require_y
from skmer.fusion._base import accepts_sample_weight, fit_weighted
from skmer.metrics._ldl import check_distributions
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    _fit_context,
    _set_random_states,
    check_is_fitted,
    validate_data,
)


def check_label_distributions(y):
    """Validate LDL targets: distributions, or single labels as one-hot rows.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Single labels (also as one column), or non-negative rows of two or more
        labels (each normalised to sum to 1). A DataFrame's column names become
        the labels.

    Returns
    -------
    D : ndarray of shape (n_samples, n_labels)
        Rows summing to 1.
    classes : ndarray of shape (n_labels,)
        The labels of the columns (``0..n_labels-1`` for a plain matrix).

    Examples
    --------
    >>> from skmer.emotions import check_label_distributions
    >>> D, classes = check_label_distributions(["joy", "fear", "joy"])
    >>> classes.tolist(), D.tolist()
    (['fear', 'joy'], [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    """
    columns = getattr(y, "columns", None)
    arr = np.asarray(y)
    if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1):
        labels = arr.ravel()
        if labels.dtype.kind == "f" and not np.all(np.isfinite(labels)):
            raise ValueError("y holds NaN or infinite labels.")
        try:
            classes, codes = np.unique(labels, return_inverse=True)
        except TypeError:
            raise ValueError(
                "y's labels cannot be sorted: they mix types or hold None (a missing "
                "label); give every sample a label of one type."
            ) from None
        return np.eye(len(classes))[codes], classes
    if arr.ndim != 2:
        raise ValueError(
            f"y must be labels (n_samples,) or distributions (n_samples, n_labels); "
            f"got shape {arr.shape}."
        )
    try:
        D = arr.astype(float)
    except (TypeError, ValueError):
        raise ValueError("A 2-D y must hold numeric label distributions.") from None
    if not np.all(np.isfinite(D)) or np.any(D < 0):
        raise ValueError("Label distributions in y must be finite and non-negative.")
    total = D.sum(axis=1, keepdims=True)
    empty = np.flatnonzero(total[:, 0] <= 0)
    if empty.size:
        raise ValueError(
            f"Rows {empty[:10].tolist()} of y sum to 0: a label distribution needs "
            "positive mass."
        )
    classes = np.asarray(columns) if columns is not None else np.arange(D.shape[1])
    return D / total, classes


class _BaseLDL(BaseEstimator):
    def _fit_targets(self, y, n_samples):
        require_y(self, y)
        D, self.classes_ = check_label_distributions(y)
        if D.shape[0] != n_samples:
            raise ValueError(
                f"X has {n_samples} samples but y has {D.shape[0]}; they must match."
            )
        return D

    def predict_label(self, X):
        """The most likely label of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.classes_[self.predict(X).argmax(axis=1)]

    def score(self, X, y, sample_weight=None):
        """Mean intersection similarity between predicted and true distributions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            True distributions, or single labels (then the score is the mean
            predicted probability of the true label).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the per-sample similarities.

        Returns
        -------
        score : float
            In ``[0, 1]``; 1 for exact distributions.
        """
        P = self.predict(X)
        columns = getattr(y, "columns", None)
        arr = np.asarray(y)
        if arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1):
            # one-hot rows; a label unseen in fit has predicted probability 0
            check_consistent_length(arr, P)
            index = {c: j for j, c in enumerate(self.classes_.tolist())}
            D = np.zeros_like(P)
            for i, lab in enumerate(arr.ravel().tolist()):
                if lab in index:
                    D[i, index[lab]] = 1.0
        else:
            D, classes = check_label_distributions(y)
            if columns is not None:
                D = D[:, self._column_order(classes)]
            D, P = check_distributions(D, P)
        per = np.minimum(D, P).sum(axis=1)
        return float(np.average(per, weights=sample_weight))

    def _column_order(self, classes):
        """Positions in ``classes`` (a DataFrame's columns) of ``classes_``."""
        index = {c: j for j, c in enumerate(classes.tolist())}
        if len(index) != len(classes) or set(index) != set(self.classes_.tolist()):
            raise ValueError(
                f"The columns of y {classes.tolist()[:10]} are not the labels seen in "
                f"fit {self.classes_.tolist()[:10]}."
            )
        return [index[c] for c in self.classes_.tolist()]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        return tags


class MaxEntropyLDL(_BaseLDL):
    """Maximum-entropy label distribution learning, fitted by quasi-Newton KL descent.

    The model is ``p(label j | x) = softmax(W x + b)_j`` (the maximum-entropy
    form), fitted by minimising the mean Kullback-Leibler divergence from the
    target distributions plus an L2 penalty with L-BFGS and the analytic
    gradient: the SA-BFGS algorithm of Geng (2016), with the limited-memory
    BFGS of SciPy in place of full BFGS.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    alpha : float, default=1e-3
        L2 penalty on the weights (not the intercepts).
    fit_intercept : bool, default=True
        Whether to learn the per-label biases ``b``.
    max_iter : int, default=500
        Maximum number of L-BFGS iterations.
    tol : float, default=1e-7
        Gradient tolerance of L-BFGS.

    Attributes
    ----------
    coef_ : ndarray of shape (n_labels, n_features)
        Weights ``W``.
    intercept_ : ndarray of shape (n_labels,)
        Biases ``b``.
    classes_ : ndarray of shape (n_labels,)
        Labels of the distribution columns.
    n_iter_ : int
        Iterations run.
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    ClassifierLDL : any probabilistic classifier as an LDL learner.
    skmer.metrics.kl_divergence : the loss minimised here.

    References
    ----------
    Geng, X. (2016). Label distribution learning. IEEE TKDE, 28(7), 1734-1748.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import MaxEntropyLDL
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3))
    >>> D = np.exp(X @ rng.normal(size=(3, 4)))
    >>> D /= D.sum(axis=1, keepdims=True)
    >>> ldl = MaxEntropyLDL(alpha=1e-6).fit(X, D)
    >>> bool(np.abs(ldl.predict(X) - D).max() < 0.02)
    True
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(self, alpha=1e-3, *, fit_intercept=True, max_iter=500, tol=1e-7):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the weights by minimising the KL divergence to ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples, n_labels) or (n_samples,)
            Label distributions, or single labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample's divergence.

        Returns
        -------
        self : object
        """
        X = validate_data(self, X, dtype=np.float64)
        D = self._fit_targets(y, X.shape[0])
        n, d = X.shape
        k = D.shape[1]
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
        if w.shape != (n,) or np.any(w < 0) or not w.sum() > 0:
            raise ValueError(
                "sample_weight must be non-negative, one weight per sample, and not all zero."
            )
        w = w / max(w.sum(), np.finfo(float).tiny)
        Xb = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        penalty = np.ones(Xb.shape[1])
        if self.fit_intercept:
            penalty[-1] = 0.0

        def loss_grad(theta):
            T = theta.reshape(k, Xb.shape[1])
            logp = log_softmax(Xb @ T.T, axis=1)
            loss = (
                -(w[:, None] * D * logp).sum()
                + 0.5 * self.alpha * (penalty * T**2).sum()
            )
            G = ((np.exp(logp) - D) * w[:, None]).T @ Xb + self.alpha * penalty * T
            return loss, G.ravel()

        res = minimize(
            loss_grad,
            np.zeros(k * Xb.shape[1]),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol},
        )
        T = res.x.reshape(k, Xb.shape[1])
        self.coef_ = T[:, :d]
        self.intercept_ = T[:, d] if self.fit_intercept else np.zeros(k)
        self.n_iter_ = int(res.nit)
        return self

    def predict(self, X):
        """Predicted label distributions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        D : ndarray of shape (n_samples, n_labels)
            Rows sum to 1; columns follow ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return softmax(X @ self.coef_.T + self.intercept_, axis=1)


class ClassifierLDL(MetaEstimatorMixin, _BaseLDL):
    """Turn a probabilistic classifier into a label distribution learner.

    Problem transformation (Geng 2016, "PT"): each training sample is repeated
    once per label with that label as target and the label's share of the
    distribution as sample weight; a classifier fitted on the weighted copies
    estimates the distribution with ``predict_proba``. Labels absent from the
    weighted copies get probability 0.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    estimator : classifier, default=None
        Has ``predict_proba`` and takes ``sample_weight`` in ``fit`` (for a
        pipeline, its final step). None uses
        ``LogisticRegression(max_iter=1000)``, whose log-loss on the weighted
        copies equals the KL divergence up to a constant.
    min_weight : float, default=0.0
        Copies whose label share is at most this are dropped.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator's ``random_state`` parameters.

    Attributes
    ----------
    estimator_ : classifier
        The fitted classifier.
    classes_ : ndarray of shape (n_labels,)
        Labels of the distribution columns.
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    MaxEntropyLDL : direct KL minimisation of a maximum-entropy model.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skmer.emotions import ClassifierLDL
    >>> X = np.repeat(np.eye(2), 20, axis=0)
    >>> D = np.repeat([[0.7, 0.3, 0.0], [0.1, 0.2, 0.7]], 20, axis=0)
    >>> ldl = ClassifierLDL(RandomForestClassifier(random_state=0)).fit(X, D)
    >>> ldl.predict([[1.0, 0.0]]).round(2)
    array([[0.7, 0.3, 0. ]])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "min_weight": [Interval(numbers.Real, 0, 1, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator=None, *, min_weight=0.0, random_state=None):
        self.estimator = estimator
        self.min_weight = min_weight
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the classifier on label-weighted copies of the samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples, n_labels) or (n_samples,)
            Label distributions, or single labels.

        Returns
        -------
        self : object
        """
        X = validate_data(self, X, dtype=np.float64)
        D = self._fit_targets(y, X.shape[0])
        est = (
            LogisticRegression(max_iter=1000)
            if self.estimator is None
            else self.estimator
        )
        if not accepts_sample_weight(est):
            raise ValueError(
                f"estimator {type(est).__name__} does not take sample_weight in fit, "
                "which ClassifierLDL needs to weight each label copy by its share."
            )
        rows, labels = np.nonzero(D > self.min_weight)
        self.estimator_ = clone(est)
        _set_random_states(self.estimator_, check_random_state(self.random_state))
        fit_weighted(self.estimator_, X[rows], labels, D[rows, labels])
        return self

    def predict(self, X):
        """Predicted label distributions (the classifier's probabilities).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        D : ndarray of shape (n_samples, n_labels)
            Rows sum to 1; columns follow ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        proba = self.estimator_.predict_proba(X)
        out = np.zeros((X.shape[0], len(self.classes_)))
        out[:, np.asarray(self.estimator_.classes_, dtype=int)] = proba
        return out
