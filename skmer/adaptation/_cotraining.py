"""Label scarcity: co-training across modalities and self-training of fusion models.

Unlabelled rows carry the label ``-1`` (scikit-learn's semi-supervised
convention, as in :class:`sklearn.semi_supervised.SelfTrainingClassifier`).
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch, check_random_state, column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from skmer.adaptation._domain import take_rows
from skmer.fusion._base import BaseFusion, normalize_weights
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    _fit_context,
    _set_random_states,
    check_is_fitted,
)

UNLABELED = -1


def _unlabelled_mask(y):
    if y.dtype.kind in "iuf":
        return y == UNLABELED
    return np.array([isinstance(v, Real) and v == UNLABELED for v in y], dtype=bool)


def _labels(y):
    if y is None:
        raise ValueError("requires y to be passed, but the target y is None.")
    y = column_or_1d(y, warn=True)
    labelled = ~_unlabelled_mask(y)
    if not labelled.any():
        raise ValueError("y has no labelled row: every value is -1 (unlabelled).")
    check_classification_targets(y[labelled])
    classes = np.unique(y[labelled])
    if classes.size < 2:
        raise ValueError(
            f"The labelled rows of y hold one class ({classes[0]!r}); at least two "
            "classes are needed."
        )
    return y, labelled, classes


def _select(proba, candidates, threshold, k_best):
    """Rows of ``candidates`` to pseudo-label: (rows, class indices, confidence)."""
    conf = proba.max(axis=1)
    label = proba.argmax(axis=1)
    keep = conf >= threshold
    if k_best is not None:
        chosen = np.zeros_like(keep)
        for k in np.unique(label[keep]):
            idx = np.flatnonzero(keep & (label == k))
            chosen[idx[np.argsort(-conf[idx], kind="stable")[:k_best]]] = True
        keep = chosen
    return candidates[keep], label[keep], conf[keep]


class _SelfLabelling(MetaEstimatorMixin, ClassifierMixin, BaseFusion):
    """Shared loop: fit on labelled rows, pseudo-label confident rows, repeat."""

    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "k_best": [Interval(Integral, 1, None, closed="left"), None],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit on the labelled rows, then grow the labels with confident predictions.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,)
            Labels, ``-1`` for unlabelled rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X_orig = X
        X, _, present = self._validate_fusion_data(X, reset=True)
        X_in = X if getattr(self, "feature_names_in_", None) is None else X_orig
        y, labelled, classes = _labels(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y has {y.shape[0]} rows but X has {X.shape[0]}.")
        self.classes_ = classes
        self._rng = check_random_state(self.random_state)
        codes = np.full(y.shape[0], -1)
        codes[labelled] = np.searchsorted(classes, y[labelled])
        self.labeled_iter_ = np.where(labelled, 0, -1)
        self.n_iter_ = 1
        self._fit_learners(X_in, X, present, codes)
        while self.n_iter_ <= self.max_iter:
            unl = np.flatnonzero(codes < 0)
            if unl.size == 0:
                break
            rows, labels = self._propose(X_in, X, present, unl)
            if rows.size == 0:
                break
            codes[rows] = labels
            self.labeled_iter_[rows] = self.n_iter_
            self.n_iter_ += 1
            self._fit_learners(X_in, X, present, codes)
        # a dtype that also holds -1 (unsigned labels widen to a signed type)
        numeric = classes.dtype.kind in "iuf"
        self.transduction_ = np.asarray(
            classes[np.maximum(codes, 0)],
            dtype=np.result_type(classes.dtype, np.int8) if numeric else object,
        )
        self.transduction_[codes < 0] = UNLABELED
        return self

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class CoTrainingClassifier(_SelfLabelling):
    """Co-training across modalities: each modality labels confident rows for the others.

    One classifier per modality is fitted on the labelled rows where that
    modality is present. At each round, every modality's classifier predicts
    the unlabelled rows where its modality is present, and the rows it is
    confident about (probability >= ``threshold``, at most ``k_best`` per class
    and modality) join the shared labelled set with its predicted label, so
    the *other* modalities learn from them at the next refit (Blum & Mitchell's
    co-training; when two modalities claim a row, the more confident one
    wins). Prediction averages the probabilities of the modalities present in a
    row; a row with none gets the labelled class prior.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    estimator : classifier or dict, default=None
        Per-modality classifier with ``predict_proba`` (a template cloned for
        each modality, or ``{modality: estimator}``); None uses
        ``make_pipeline(StandardScaler(), LogisticRegression())``.
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    threshold : float, default=0.75
        Minimum predicted probability for a row to be pseudo-labelled.
    k_best : int or None, default=5
        At most this many rows per class and modality per round (the most
        confident); None keeps every row above ``threshold``.
    max_iter : int, default=10
        Maximum number of rounds (0 = supervised per-modality learners only).
    random_state : int, RandomState instance or None, default=None
        Seeds the per-modality classifiers.

    Attributes
    ----------
    estimators_ : list of estimators
        The final per-modality classifiers.
    named_estimators_ : Bunch
        The same, by modality name.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies of the final labelled set.
    transduction_ : ndarray of shape (n_samples,)
        Labels used for the final fit (-1 for rows never labelled).
    labeled_iter_ : ndarray of shape (n_samples,)
        Round in which each row was labelled (0 = originally, -1 = never).
    n_iter_ : int
        Number of times the learners were fitted (1 + the rounds that
        labelled rows).
    modality_weights_ : dict of str to float
        Share of the pseudo-labels each modality contributed (uniform when no
        row was pseudo-labelled).
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    SelfTrainingFusionClassifier : self-training of one fusion estimator.
    sklearn.semi_supervised.SelfTrainingClassifier : the single-view algorithm.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import CoTrainingClassifier
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(
    ...     n_samples=300, modalities={"text": 10, "audio": 10},
    ...     informativeness=1.0, class_sep=0.5, random_state=0)
    >>> y_semi = np.where(np.arange(300) % 10 == 0, y, -1)   # 10 % labelled
    >>> clf = CoTrainingClassifier(max_iter=5, random_state=0).fit(X, y_semi)
    >>> clf.n_iter_, int((clf.labeled_iter_ > 0).sum())
    (6, 99)
    >>> bool(clf.score(X, y) > 0.85)
    True
    """

    def __init__(
        self,
        estimator=None,
        *,
        modalities=None,
        threshold=0.75,
        k_best=5,
        max_iter=10,
        random_state=None,
    ):
        self.estimator = estimator
        self.modalities = modalities
        self.threshold = threshold
        self.k_best = k_best
        self.max_iter = max_iter
        self.random_state = random_state

    _parameter_constraints: dict = {
        **_SelfLabelling._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), dict, None],
    }

    def _fit_learners(self, X_in, X, present, codes):
        if not hasattr(self, "_seeds"):
            self._seeds = self._rng.randint(
                np.iinfo(np.int32).max, size=len(self.modalities_)
            )
            self._pseudo_counts = dict.fromkeys(self.modalities_, 0)
        self.estimators_ = []
        for j, (name, cols) in enumerate(self.modalities_.items()):
            rows = np.flatnonzero(present[:, j] & (codes >= 0))
            est = clone(
                self._modality_estimator(
                    name,
                    make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
                )
            )
            _set_random_states(est, int(self._seeds[j]))
            if rows.size == 0 or np.unique(codes[rows]).size < 2:
                est = None  # this modality cannot be trained yet: it abstains
            else:
                est.fit(X[np.ix_(rows, cols)], codes[rows])
            self.estimators_.append(est)
        self.named_estimators_ = Bunch(**dict(zip(self.modalities_, self.estimators_)))
        lab = codes[codes >= 0]
        self.class_prior_ = np.bincount(lab, minlength=self.classes_.size) / lab.size
        total = sum(self._pseudo_counts.values())
        self.modality_weights_ = normalize_weights(
            self._pseudo_counts if total else dict.fromkeys(self.modalities_, 1.0)
        )

    def _modality_proba(self, j, est, X):
        out = np.zeros((X.shape[0], self.classes_.size))
        out[:, est.classes_] = est.predict_proba(X)
        return out

    def _propose(self, X_in, X, present, unl):
        best_conf = np.full(X.shape[0], -np.inf)
        best_label = np.full(X.shape[0], -1)
        source = np.full(X.shape[0], -1)
        for j, (est, cols) in enumerate(
            zip(self.estimators_, self.modalities_.values())
        ):
            cand = unl[present[unl, j]]
            if est is None or cand.size == 0:
                continue
            proba = self._modality_proba(j, est, X[np.ix_(cand, cols)])
            rows, labels, conf = _select(proba, cand, self.threshold, self.k_best)
            better = conf > best_conf[rows]
            best_conf[rows[better]] = conf[better]
            best_label[rows[better]] = labels[better]
            source[rows[better]] = j
        rows = np.flatnonzero(best_label >= 0)
        names = list(self.modalities_)
        if not hasattr(self, "_pseudo_counts"):
            self._pseudo_counts = dict.fromkeys(names, 0)
        for j in source[rows]:
            self._pseudo_counts[names[j]] += 1
        return rows, best_label[rows]

    def fit(self, X, y):
        """Co-train the per-modality classifiers on labelled and unlabelled rows.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,)
            Labels, ``-1`` for unlabelled rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        for attr in ("_seeds", "_pseudo_counts"):
            if hasattr(self, attr):
                delattr(self, attr)
        return super().fit(X, y)

    def predict_proba(self, X):
        """Average probability of the modalities present in each row.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        total = np.zeros((X.shape[0], self.classes_.size))
        count = np.zeros(X.shape[0])
        for j, (est, cols) in enumerate(
            zip(self.estimators_, self.modalities_.values())
        ):
            rows = np.flatnonzero(present[:, j])
            if est is None or rows.size == 0:
                continue
            total[rows] += self._modality_proba(j, est, X[np.ix_(rows, cols)])
            count[rows] += 1
        proba = np.tile(self.class_prior_, (X.shape[0], 1))
        has = count > 0
        proba[has] = total[has] / count[has, None]
        return proba


class SelfTrainingFusionClassifier(_SelfLabelling):
    """Self-training of any fusion classifier, keeping the modality layout.

    Like :class:`sklearn.semi_supervised.SelfTrainingClassifier`, but X is
    passed to ``estimator`` as given (a DataFrame keeps its
    ``"<modality>__<feature>"`` columns, so the fusion estimator still sees its
    modalities; scikit-learn's version converts X to an array). At each round
    the estimator is refitted on the labelled rows and the unlabelled rows it
    predicts with probability >= ``threshold`` (at most ``k_best`` per class)
    join the labelled set.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    estimator : classifier, default=None
        Any classifier with ``predict_proba``, typically a fusion estimator;
        None uses :class:`~skmer.fusion.LateFusionClassifier`.
    modalities : dict, default=None
        Layout used to validate X (missing blocks); the estimator resolves its
        own.
    threshold : float, default=0.75
        Minimum predicted probability for a row to be pseudo-labelled.
    k_best : int or None, default=10
        At most this many rows per class per round (the most confident; keeping
        the pseudo-labels class-balanced matters); None keeps all above
        ``threshold``.
    max_iter : int, default=10
        Maximum number of rounds.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator.

    Attributes
    ----------
    estimator_ : estimator
        The final fitted classifier.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    transduction_ : ndarray of shape (n_samples,)
        Labels used for the final fit (-1 for rows never labelled).
    labeled_iter_ : ndarray of shape (n_samples,)
        Round in which each row was labelled (0 = originally, -1 = never).
    n_iter_ : int
        Number of times the learners were fitted (1 + the rounds that
        labelled rows).
    modality_weights_ : dict of str to float
        The estimator's modality weights (uniform if it has none).
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    CoTrainingClassifier : modalities label rows for each other.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import SelfTrainingFusionClassifier
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(
    ...     n_samples=300, class_sep=0.5, missing_rate=0.2, random_state=0)
    >>> y_semi = np.where(np.arange(300) % 10 == 0, y, -1)   # 10 % labelled
    >>> from skmer.fusion import LateFusionClassifier
    >>> labelled = y_semi != -1
    >>> sup = LateFusionClassifier().fit(X[labelled], y[labelled])
    >>> clf = SelfTrainingFusionClassifier(max_iter=5, random_state=0).fit(X, y_semi)
    >>> round(sup.score(X, y), 2), round(clf.score(X, y), 2)
    (0.76, 0.9)
    """

    def __init__(
        self,
        estimator=None,
        *,
        modalities=None,
        threshold=0.75,
        k_best=10,
        max_iter=10,
        random_state=None,
    ):
        self.estimator = estimator
        self.modalities = modalities
        self.threshold = threshold
        self.k_best = k_best
        self.max_iter = max_iter
        self.random_state = random_state

    def _fit_learners(self, X_in, X, present, codes):
        if self.estimator is None:
            from skmer.fusion import LateFusionClassifier

            est = LateFusionClassifier()
        else:
            est = self.estimator
        est = clone(est)
        if (
            "modalities" in est.get_params(deep=False)
            and est.get_params(deep=False)["modalities"] is None
            and self.modalities is not None
        ):
            est.set_params(modalities=self.modalities)
        if not hasattr(self, "_seed"):
            self._seed = self._rng.randint(np.iinfo(np.int32).max)
        _set_random_states(est, self._seed)
        rows = np.flatnonzero(codes >= 0)
        self.estimator_ = est.fit(take_rows(X_in, rows), self.classes_[codes[rows]])
        self.modality_weights_ = getattr(
            self.estimator_,
            "modality_weights_",
            normalize_weights(dict.fromkeys(self.modalities_, 1.0)),
        )

    def _propose(self, X_in, X, present, unl):
        proba = self._proba(take_rows(X_in, unl))
        return _select(proba, unl, self.threshold, self.k_best)[:2]

    def _proba(self, X):
        out = np.zeros((X.shape[0], self.classes_.size))
        cols = np.searchsorted(self.classes_, self.estimator_.classes_)
        out[:, cols] = self.estimator_.predict_proba(X)
        return out

    def fit(self, X, y):
        """Self-train the estimator on labelled and unlabelled rows.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,)
            Labels, ``-1`` for unlabelled rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if hasattr(self, "_seed"):
            del self._seed
        return super().fit(X, y)

    def predict_proba(self, X):
        """Class probabilities of the final estimator.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        X_valid, _, _ = self._validate_fusion_data(X, reset=False)
        return self._proba(X if hasattr(X, "columns") else X_valid)
