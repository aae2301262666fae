"""Emotion detection: which segments of a sequence carry which emotion.

The rows of X are segments (frames, windows, utterances, sentences) of longer
sequences (videos, dialogues, documents), in order within each sequence; the
``groups`` array names each row's sequence. A segment classifier labels every
segment, including a "background" (no emotion) label; detection smooths its
probabilities along each sequence and merges runs into events.
"""

import numbers

import numpy as np
import pandas as pd
from scipy.ndimage import uniform_filter1d
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from skmer.emotions._validation import check_labels, check_passthrough_X, require_y
from skmer.metrics._detection import labels_to_events
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    _fit_context,
    _num_samples,
    _set_random_states,
    check_is_fitted,
)


class EmotionSegmentDetector(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Detect and localise emotional segments within sequences or documents.

    A segment-level classifier (any probabilistic classifier, e.g. a fusion
    classifier over the segments' encoded modalities) is fitted on labelled
    segments; ``predict``/``predict_proba`` label single segments, and
    :meth:`detect` returns the emotion *events* of each sequence: per-segment
    probabilities are averaged over a window of ``smoothing`` neighbouring
    segments, a segment is emotional when its best label is not
    ``background`` and reaches ``threshold``, and consecutive segments with the
    same label form one event (events shorter than ``min_length`` are
    dropped). :meth:`locate` answers "which segment carries the emotion" with
    one segment per sequence.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    estimator : classifier, default=None
        Segment classifier with ``predict_proba``. None uses
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))``.
    background : object, default=None
        The "no emotion" label (e.g. ``"neutral"``); None: every segment
        carries an emotion.
    smoothing : int, default=1
        Width (in segments) of the moving average of probabilities along a
        sequence; 1 = no smoothing.
    threshold : float, default=0.0
        Minimum smoothed probability of an emotional segment's label.
    min_length : int, default=1
        Minimum number of segments of a detected event.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator's ``random_state`` parameters.

    Attributes
    ----------
    estimator_ : classifier
        The fitted segment classifier.
    classes_ : ndarray of shape (n_classes,)
        Segment labels.
    n_features_in_ : int
        Number of input features.

    See Also
    --------
    skmer.metrics.event_detection_scores : event-level precision/recall/F1.
    skmer.metrics.localization_accuracy : accuracy of :meth:`locate`.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import EmotionSegmentDetector
    >>> rng = np.random.RandomState(0)
    >>> y = np.array(["none"] * 10 + ["joy"] * 4 + ["none"] * 6)
    >>> X = rng.normal(size=(20, 3)) + 3 * (y == "joy")[:, None]
    >>> det = EmotionSegmentDetector(background="none").fit(X, y)
    >>> det.detect(X)[["start", "end", "label"]].values.tolist()
    [[10, 14, 'joy']]
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "background": "no_validation",
        "smoothing": [Interval(numbers.Integral, 1, None, closed="left")],
        "threshold": [Interval(numbers.Real, 0, 1, closed="both")],
        "min_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        background=None,
        smoothing=1,
        threshold=0.0,
        min_length=1,
        random_state=None,
    ):
        self.estimator = estimator
        self.background = background
        self.smoothing = smoothing
        self.threshold = threshold
        self.min_length = min_length
        self.random_state = random_state

    def _default(self):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the segment classifier.

        Parameters
        ----------
        X : array-like of shape (n_segments, n_features)
            Segment features (passed to the estimator as given).
        y : array-like of shape (n_segments,)
            Segment labels, ``background`` for segments without emotion.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
        """
        check_passthrough_X(self, X, reset=True)
        require_y(self, y)
        y = column_or_1d(y, warn=True)
        check_labels(y)
        check_classification_targets(y)
        est = self._default() if self.estimator is None else self.estimator
        self.estimator_ = clone(est)
        _set_random_states(self.estimator_, check_random_state(self.random_state))
        seen = np.unique(y).tolist()
        if self.background is not None and self.background not in seen:
            raise ValueError(
                f"background={self.background!r} is not a label of y {seen[:10]}; "
                "without it every segment would count as an emotion."
            )
        self.estimator_.fit(X, y, **fit_params)
        self.classes_ = self.estimator_.classes_
        return self

    def _check(self, X):
        check_is_fitted(self)
        check_passthrough_X(self, X, reset=False)

    def predict_proba(self, X):
        """Per-segment label probabilities (unsmoothed).

        Parameters
        ----------
        X : array-like of shape (n_segments, n_features)

        Returns
        -------
        proba : ndarray of shape (n_segments, n_classes)
        """
        self._check(X)
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        """Per-segment labels (unsmoothed).

        Parameters
        ----------
        X : array-like of shape (n_segments, n_features)

        Returns
        -------
        labels : ndarray of shape (n_segments,)
        """
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def _groups(self, X, groups):
        n = _num_samples(X)
        if groups is None:
            return np.zeros(n, dtype=int)
        groups = np.asarray(groups).ravel()
        if groups.size != n:
            raise ValueError(f"groups has {groups.size} entries for {n} segments in X.")
        return groups

    def smoothed_proba(self, X, groups=None):
        """Probabilities averaged over ``smoothing`` neighbours within each sequence.

        Parameters
        ----------
        X : array-like of shape (n_segments, n_features)
        groups : array-like of shape (n_segments,), default=None
            Sequence id of each segment (segments in order within a sequence);
            None: all rows form one sequence.

        Returns
        -------
        proba : ndarray of shape (n_segments, n_classes)
        """
        proba = self.predict_proba(X)
        groups = self._groups(X, groups)
        if self.smoothing > 1:
            for g in pd.unique(groups):
                idx = np.flatnonzero(groups == g)
                proba[idx] = uniform_filter1d(
                    proba[idx], self.smoothing, axis=0, mode="nearest"
                )
        return proba

    def detect(self, X, groups=None):
        """Emotion events of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_segments, n_features)
        groups : array-like of shape (n_segments,), default=None
            Sequence id of each segment; None: one sequence.

        Returns
        -------
        events : DataFrame
            Columns ``sequence``, ``start``, ``end`` (exclusive, in segments of
            that sequence), ``label`` and ``score`` (mean smoothed probability).
        """
        groups = self._groups(X, groups)
        proba = self.smoothed_proba(X, groups)
        best = proba.argmax(axis=1)
        labels = self.classes_[best].astype(object)
        score = proba[np.arange(len(best)), best]
        off = score < self.threshold
        if self.background is not None:
            off |= labels == self.background
        sentinel = object()
        labels[off] = sentinel
        events = labels_to_events(labels, groups, background=sentinel, scores=score)
        keep = (events["end"] - events["start"]) >= self.min_length
        return events[keep].reset_index(drop=True)

    def locate(self, X, groups=None):
        """The most emotional segment of each sequence, with its label.

        The segment whose best non-background smoothed probability is highest.

        Parameters
        ----------
        X : array-like of shape (n_segments, n_features)
        groups : array-like of shape (n_segments,), default=None
            Sequence id of each segment; None: one sequence.

        Returns
        -------
        locations : DataFrame
            Columns ``sequence``, ``segment`` (position within the sequence),
            ``label`` and ``score``.
        """
        groups = self._groups(X, groups)
        proba = self.smoothed_proba(X, groups)
        emo = np.ones(len(self.classes_), dtype=bool)
        if self.background is not None:
            emo &= self.classes_ != self.background
        if not emo.any():
            raise ValueError(
                "Only the background label was seen in fit; nothing to locate."
            )
        cols = np.flatnonzero(emo)
        rows = []
        for g in pd.unique(groups):
            idx = np.flatnonzero(groups == g)
            sub = proba[np.ix_(idx, cols)]
            pos, c = np.unravel_index(sub.argmax(), sub.shape)
            rows.append((g, int(pos), self.classes_[cols[c]], float(sub[pos, c])))
        return pd.DataFrame(rows, columns=["sequence", "segment", "label", "score"])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = (
            self._default() if self.estimator is None else self.estimator
        ).__sklearn_tags__()
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.sparse = inner.input_tags.sparse
        return tags
