"""Affective retrieval: index items by affect, query by example or by emotion."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from sklearn.metrics import pairwise_distances
from sklearn.utils import check_random_state

from skmer.emotions._validation import check_passthrough_X, require_y
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _set_random_states,
    check_is_fitted,
    validate_data,
)


class AffectiveRetriever(TransformerMixin, MetaEstimatorMixin, BaseEstimator):
    """Index items by affective representation; rank them for a query.

    Without ``estimator`` the items are indexed by their features as given
    (fused embeddings, or emotion distributions computed elsewhere). With an
    ``estimator`` (a probabilistic classifier, an LDL learner such as
    :class:`MaxEntropyLDL`, a VA(D) regressor), it is fitted on ``(X, y)`` and
    the items are indexed by its predicted emotion distributions
    (``predict_proba``) or predictions (``predict``). :meth:`query` ranks the
    indexed items for query items (query by example); :meth:`query_emotion`
    ranks them for a target emotion: a label of ``emotion_classes_``, a
    distribution over them, or a point of the representation space.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    estimator : estimator, default=None
        Maps items to their affective representation; None uses X itself.
    metric : {"cosine", "euclidean", "manhattan"}, default="cosine"
        Dissimilarity of representations; items are ranked by increasing
        dissimilarity (the score is its negative, so higher is better).
    n_results : int, default=10
        Default number of results of a query.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator's ``random_state`` parameters.

    Attributes
    ----------
    estimator_ : estimator or None
        The fitted estimator.
    index_ : ndarray of shape (n_items, n_repr)
        Representation of the indexed items.
    emotion_classes_ : ndarray or None
        Labels of the representation's columns when they are emotions.
    n_features_in_ : int
        Number of input features.

    See Also
    --------
    skmer.metrics.precision_at_k, skmer.metrics.mean_average_precision,
    sklearn.metrics.ndcg_score : ranking metrics of :meth:`score_items`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmer.emotions import AffectiveRetriever
    >>> rng = np.random.RandomState(0)
    >>> y = np.array(["joy", "fear", "sadness"] * 20)
    >>> X = rng.normal(size=(60, 4)) + 3 * (y[:, None] == ["joy", "fear", "sadness", "x"])
    >>> ret = AffectiveRetriever(LogisticRegression()).fit(X, y)
    >>> idx, score = ret.query_emotion(["fear"], n_results=5)
    >>> sorted(set(y[idx[0]].tolist()))
    ['fear']
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"]), None],
        "metric": [StrOptions({"cosine", "euclidean", "manhattan"})],
        "n_results": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self, estimator=None, *, metric="cosine", n_results=10, random_state=None
    ):
        self.estimator = estimator
        self.metric = metric
        self.n_results = n_results
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Fit the estimator (if any) and index the items of X.

        Parameters
        ----------
        X : array-like of shape (n_items, n_features)
            The items to index.
        y : array-like, default=None
            Targets of the estimator (labels, distributions, VA(D) points);
            ignored without estimator.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
        """
        if self.estimator is None:
            X = validate_data(self, X, dtype=np.float64)
            self.estimator_ = None
            self.emotion_classes_ = None
        else:
            check_passthrough_X(self, X, reset=True)
            require_y(self, y)
            self.estimator_ = clone(self.estimator)
            _set_random_states(self.estimator_, check_random_state(self.random_state))
            self.estimator_.fit(X, y, **fit_params)
        self.index_ = self._represent(X)
        if self.estimator_ is not None:
            # the columns are emotions only when they are one per class (probabilities,
            # label distributions), not for a classifier's predicted labels
            classes = getattr(self.estimator_, "classes_", None)
            width_ok = classes is not None and len(classes) == self.index_.shape[1]
            self.emotion_classes_ = classes if width_ok else None
        return self

    def _represent(self, X):
        if self.estimator_ is None:
            return np.asarray(X, dtype=float)
        if hasattr(self.estimator_, "predict_proba"):
            R = self.estimator_.predict_proba(X)
        else:
            R = self.estimator_.predict(X)
        try:
            R = np.asarray(R, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"estimator {type(self.estimator_).__name__} has no predict_proba and its "
                "predict returns non-numeric values (labels?); the index needs numeric "
                "representations: class probabilities, label distributions or VA(D) points."
            ) from None
        return R.reshape(R.shape[0], -1)

    def transform(self, X):
        """The affective representation of items (what the index holds).

        Parameters
        ----------
        X : array-like of shape (n_items, n_features)

        Returns
        -------
        R : ndarray of shape (n_items, n_repr)
        """
        check_is_fitted(self)
        if self.estimator_ is None:
            X = validate_data(self, X, dtype=np.float64, reset=False)
        else:
            check_passthrough_X(self, X, reset=False)
        return self._represent(X)

    def get_feature_names_out(self, input_features=None):
        """Names of the representation columns that :meth:`transform` returns.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input feature names, checked against ``feature_names_in_``; they are
            the output names without ``estimator`` (the index then holds X).

        Returns
        -------
        feature_names_out : ndarray of str
            Without estimator, the input names (or ``x0, x1, ...``); with one,
            the emotions of ``emotion_classes_``, or ``affectiveretriever0, ...``
            for other representations (e.g. VA(D) points).
        """
        check_is_fitted(self)
        names = getattr(self, "feature_names_in_", None)
        if input_features is not None:
            given = np.asarray(input_features, dtype=object)
            if names is not None and not np.array_equal(given, names):
                raise ValueError("input_features is not equal to feature_names_in_")
            if given.shape != (self.n_features_in_,):
                raise ValueError(
                    "input_features should have length equal to number of features "
                    f"({self.n_features_in_}), got {len(given)}"
                )
            names = given
        if self.estimator_ is None:
            if names is None:
                names = [f"x{i}" for i in range(self.n_features_in_)]
            return np.asarray(names, dtype=object)
        if self.emotion_classes_ is not None:
            return np.asarray([str(c) for c in self.emotion_classes_], dtype=object)
        prefix = type(self).__name__.lower()
        return np.asarray(
            [f"{prefix}{i}" for i in range(self.index_.shape[1])], dtype=object
        )

    def _scores(self, R):
        if R.ndim != 2 or R.shape[1] != self.index_.shape[1]:
            raise ValueError(
                f"Queries must have {self.index_.shape[1]} representation values; got "
                f"shape {R.shape}."
            )
        return -pairwise_distances(R, self.index_, metric=self.metric)

    def score_items(self, X):
        """Score of every indexed item for every query item (higher = closer).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        scores : ndarray of shape (n_queries, n_items)
            ``-dissimilarity``; the ``y_score`` of the ranking metrics.
        """
        return self._scores(self.transform(X))

    def _top(self, scores, n_results):
        n = self.n_results if n_results is None else n_results
        if not (isinstance(n, numbers.Integral) and n >= 1):
            raise ValueError(f"n_results must be a positive integer; got {n!r}.")
        n = min(n, scores.shape[1])
        order = np.argsort(-scores, axis=1, kind="stable")[:, :n]
        return order, np.take_along_axis(scores, order, axis=1)

    def query(self, X, n_results=None):
        """Query by example: the indexed items closest to each query item.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
        n_results : int, default=None
            Number of results; None uses ``n_results`` of the constructor.

        Returns
        -------
        indices : ndarray of shape (n_queries, n_results)
            Row indices of the indexed items, best first.
        scores : ndarray of shape (n_queries, n_results)
        """
        return self._top(self.score_items(X), n_results)

    def query_emotion(self, target, n_results=None):
        """Query by emotion: the indexed items closest to a target emotion.

        Parameters
        ----------
        target : array-like
            Labels of ``emotion_classes_`` (shape (n_queries,)), each read as
            the one-hot distribution of that emotion, or representation rows
            (n_queries, n_repr): distributions over ``emotion_classes_`` or
            VA(D) points when the representation is one.
        n_results : int, default=None
            Number of results; None uses ``n_results`` of the constructor.

        Returns
        -------
        indices : ndarray of shape (n_queries, n_results)
        scores : ndarray of shape (n_queries, n_results)
        """
        check_is_fitted(self)
        arr = np.asarray(target)
        if arr.ndim == 1 and self.emotion_classes_ is not None:
            index = {
                c: j for j, c in enumerate(np.asarray(self.emotion_classes_).tolist())
            }
            unknown = sorted({str(t) for t in arr.tolist() if t not in index})
            if unknown:
                raise ValueError(
                    f"Target emotions {unknown[:5]} are not among emotion_classes_ "
                    f"{list(index)[:10]}."
                )
            R = np.zeros((arr.size, len(index)))
            R[np.arange(arr.size), [index[t] for t in arr.tolist()]] = 1.0
        else:
            if arr.ndim == 1:
                raise ValueError(
                    "Without emotion_classes_ (no probabilistic estimator), target must "
                    "be representation rows (n_queries, n_repr)."
                )
            R = arr.astype(float)
        return self._top(self._scores(R), n_results)
