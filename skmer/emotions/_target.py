"""Target transformers between emotion models: learn in one, report in the other.

:class:`DimensionalEmotionClassifier` learns categorical labels through a
regressor of their VA(D) prototypes and reports categories (with the VAD point
available); :class:`CategoricalEmotionRegressor` learns VA(D) annotations through
a classifier of their nearest categories and reports expected VAD points (with
the category available).
"""

import numbers

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
)
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from skmer.emotions._mapping import EmotionMapping
from skmer.emotions._models import (
    CategoricalEmotionModel,
    DimensionalEmotionSpace,
    get_emotion_space,
)
from skmer.emotions._validation import check_labels, check_passthrough_X, require_y
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _set_random_states,
    check_is_fitted,
)

_MODEL_NAMES = StrOptions(
    {"binary_sentiment", "ternary_sentiment", "ekman", "mikels", "plutchik", "parrott"}
)
_COMMON = {
    "model": [_MODEL_NAMES, CategoricalEmotionModel],
    "space": [StrOptions({"va", "vad"}), DimensionalEmotionSpace],
    "coordinates": [dict, None],
    "temperature": [Interval(numbers.Real, 0, None, closed="neither")],
    "random_state": ["random_state"],
}


def _inner_tags(tags, inner):
    inner_tags = inner.__sklearn_tags__()
    tags.input_tags.allow_nan = inner_tags.input_tags.allow_nan
    tags.input_tags.sparse = inner_tags.input_tags.sparse
    return tags


class DimensionalEmotionClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classify emotion categories by regressing their VA(D) prototypes.

    ``fit`` maps each category label to its prototype point (CES -> DES) and
    fits ``regressor`` on the points; ``predict`` regresses a point and returns
    the category of the nearest prototype among the training classes (DES ->
    CES), ``predict_proba`` the softmax confidences, and
    :meth:`predict_dimensions` the point itself. Categories that are close in
    affect space share statistical strength, and the same model serves a
    categorical and a dimensional report.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    regressor : regressor, default=None
        Multi-output regressor of the points, e.g. a fusion regressor. None uses
        ``RidgeCV()``.
    model : str or CategoricalEmotionModel, default="ekman"
        Scheme of the labels (see :func:`get_emotion_model`).
    space : {"va", "vad"} or DimensionalEmotionSpace, default="vad"
        The space regressed.
    coordinates : dict, default=None
        ``{label: point}`` overriding the scheme's cited prototypes.
    temperature : float, default=0.1
        Softness of ``predict_proba`` (see :class:`EmotionMapping`).
    random_state : int, RandomState instance or None, default=None
        Seeds the regressor's ``random_state`` parameters.

    Attributes
    ----------
    regressor_ : regressor
        The fitted regressor.
    classes_ : ndarray of shape (n_classes,)
        Training labels.
    mapping_ : EmotionMapping
        Mapping restricted to the training labels.
    n_features_in_ : int
        Number of input features.

    See Also
    --------
    CategoricalEmotionRegressor : the converse.
    EmotionMapping : the CES <-> DES mapping used.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import DimensionalEmotionClassifier
    >>> rng = np.random.RandomState(0)
    >>> y = np.array(["anger", "happiness", "sadness"] * 30)
    >>> X = rng.normal(size=(90, 3)) + 2 * (y[:, None] == ["anger", "happiness", "sadness"])
    >>> clf = DimensionalEmotionClassifier(space="va").fit(X, y)
    >>> clf.score(X, y) > 0.7
    True
    >>> clf.predict_dimensions(X[:1]).shape
    (1, 2)
    """

    _parameter_constraints: dict = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        **_COMMON,
    }

    def __init__(
        self,
        regressor=None,
        *,
        model="ekman",
        space="vad",
        coordinates=None,
        temperature=0.1,
        random_state=None,
    ):
        self.regressor = regressor
        self.model = model
        self.space = space
        self.coordinates = coordinates
        self.temperature = temperature
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Map labels to prototype points and fit the regressor on them.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features (passed to the regressor as given).
        y : array-like of shape (n_samples,)
            Category labels of ``model`` (or keys of ``coordinates``).
        **fit_params : dict
            Passed to the regressor's ``fit``.

        Returns
        -------
        self : object
        """
        check_passthrough_X(self, X, reset=True)
        require_y(self, y)
        y = column_or_1d(y, warn=True)
        check_labels(y)
        check_classification_targets(y)
        full = EmotionMapping(
            self.model,
            space=self.space,
            coordinates=self.coordinates,
            temperature=self.temperature,
        )
        self.classes_ = np.unique(y)
        points = full.to_dimensions(self.classes_)
        self.mapping_ = EmotionMapping(
            full.model,
            space=full.space,
            temperature=self.temperature,
            coordinates=dict(zip(self.classes_.tolist(), points)),
        )
        self.mapping_._check_distinct()
        target = points[np.searchsorted(self.classes_, y)]
        reg = RidgeCV() if self.regressor is None else self.regressor
        self.regressor_ = clone(reg)
        _set_random_states(self.regressor_, check_random_state(self.random_state))
        self.regressor_.fit(X, target, **fit_params)
        return self

    def predict_dimensions(self, X):
        """The regressed VA(D) point of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        points : ndarray of shape (n_samples, n_dims)
        """
        check_is_fitted(self)
        check_passthrough_X(self, X, reset=False)
        points = np.asarray(self.regressor_.predict(X), dtype=float)
        return points.reshape(points.shape[0], -1)

    def predict_proba(self, X):
        """Softmax confidences of the training classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        points = self.predict_dimensions(X)
        return self.mapping_.predict_proba(points)

    def predict(self, X):
        """Category of the prototype nearest to the regressed point.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        best = self.predict_proba(X).argmax(axis=1)
        return self.classes_[best]

    def __sklearn_tags__(self):
        reg = RidgeCV() if self.regressor is None else self.regressor
        return _inner_tags(super().__sklearn_tags__(), reg)


class CategoricalEmotionRegressor(RegressorMixin, MetaEstimatorMixin, BaseEstimator):
    """Regress VA(D) annotations through a classifier of emotion categories.

    ``fit`` maps each annotated point to the category of its nearest prototype
    (DES -> CES) and fits ``classifier`` on those labels; ``predict`` returns
    the expected point ``sum_c p(c | x) * prototype_c`` and
    :meth:`predict_category` the predicted category. Useful when only a
    categorical model fits the data well, but VA(D) must be reported.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    classifier : classifier, default=None
        Probabilistic classifier of the categories. None uses
        ``LogisticRegression(max_iter=1000)``.
    model : str or CategoricalEmotionModel, default="ekman"
        The scheme whose categories are learned.
    space : {"va", "vad"} or DimensionalEmotionSpace, default="vad"
        The space of ``y``.
    coordinates : dict, default=None
        ``{label: point}`` overriding the scheme's cited prototypes.
    temperature : float, default=0.1
        Unused by the fit (nearest prototypes are hard); kept for the mapping.
    random_state : int, RandomState instance or None, default=None
        Seeds the classifier's ``random_state`` parameters.

    Attributes
    ----------
    classifier_ : classifier or None
        The fitted classifier (None when the training points all map to one
        category, which is then always predicted).
    classes_ : ndarray of shape (n_classes,)
        Categories seen in training.
    prototypes_ : ndarray of shape (n_classes, n_dims)
        Their points.
    n_features_in_ : int
        Number of input features.

    See Also
    --------
    DimensionalEmotionClassifier : the converse.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import CategoricalEmotionRegressor, category_to_dimensions
    >>> rng = np.random.RandomState(0)
    >>> labels = np.array(["anger", "happiness", "sadness"] * 30)
    >>> X = rng.normal(size=(90, 3)) + 2 * (labels[:, None] == ["anger", "happiness", "sadness"])
    >>> Y = category_to_dimensions(labels, space="va") + rng.normal(scale=0.05, size=(90, 2))
    >>> reg = CategoricalEmotionRegressor(space="va").fit(X, Y)
    >>> reg.predict_category(X[:3]).tolist()
    ['anger', 'happiness', 'sadness']
    """

    _parameter_constraints: dict = {
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        **_COMMON,
    }

    def __init__(
        self,
        classifier=None,
        *,
        model="ekman",
        space="vad",
        coordinates=None,
        temperature=0.1,
        random_state=None,
    ):
        self.classifier = classifier
        self.model = model
        self.space = space
        self.coordinates = coordinates
        self.temperature = temperature
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Map points to their nearest categories and fit the classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features (passed to the classifier as given).
        y : array-like of shape (n_samples, n_dims)
            Annotated points (1-D for a one-dimensional space).
        **fit_params : dict
            Passed to the classifier's ``fit``.

        Returns
        -------
        self : object
        """
        check_passthrough_X(self, X, reset=True)
        require_y(self, y)
        mapping = EmotionMapping(
            self.model,
            space=self.space,
            coordinates=self.coordinates,
            temperature=self.temperature,
        )
        y = np.asarray(y, dtype=float)
        if mapping.space.n_dims == 1 and y.ndim == 2:
            y = column_or_1d(y, warn=True)
        y = mapping.space.check(y, "y")
        labels, _ = mapping.to_categories(y)
        self.classes_ = np.unique(labels)
        self.prototypes_ = mapping.to_dimensions(self.classes_)
        self._one_d = mapping.space.n_dims == 1
        if self.classes_.size == 1:
            self.classifier_ = None
            return self
        clf = (
            LogisticRegression(max_iter=1000)
            if self.classifier is None
            else self.classifier
        )
        self.classifier_ = clone(clf)
        _set_random_states(self.classifier_, check_random_state(self.random_state))
        self.classifier_.fit(X, labels, **fit_params)
        return self

    def _proba(self, X):
        check_is_fitted(self)
        check_passthrough_X(self, X, reset=False)
        if self.classifier_ is None:
            from skmer.utils._sklearn_compat import _num_samples

            return np.ones((_num_samples(X), 1))
        proba = self.classifier_.predict_proba(X)
        order = np.searchsorted(self.classes_, self.classifier_.classes_)
        out = np.zeros((proba.shape[0], self.classes_.size))
        out[:, order] = proba
        return out

    def predict(self, X):
        """Expected VA(D) point under the predicted category probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        points : ndarray of shape (n_samples, n_dims) or (n_samples,)
            1-D for a one-dimensional space.
        """
        points = self._proba(X) @ self.prototypes_
        return points[:, 0] if self._one_d else points

    def predict_category(self, X):
        """The most probable category of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.classes_[self._proba(X).argmax(axis=1)]

    def __sklearn_tags__(self):
        clf = LogisticRegression() if self.classifier is None else self.classifier
        tags = _inner_tags(super().__sklearn_tags__(), clf)
        try:
            n_dims = get_emotion_space(self.space).n_dims
        except ValueError:  # an invalid space is reported by fit
            n_dims = 3
        tags.target_tags.multi_output = n_dims > 1
        tags.target_tags.single_output = n_dims == 1
        return tags
