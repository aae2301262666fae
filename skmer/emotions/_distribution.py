"""Emotion-distribution prediction in valence-arousal space with Gaussian mixtures.

Several raters place one stimulus at different points of the VA(D) plane; the
target is the distribution of those points, not their mean. The estimator here
predicts, for every sample, a Gaussian mixture over the space and is scored by
the log-likelihood of held-out annotations under it.
"""

import numbers

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.mixture import GaussianMixture
from sklearn.utils import Bunch, check_random_state

from skmer.emotions._ldl import MaxEntropyLDL
from skmer.emotions._validation import require_y
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _set_random_states,
    check_is_fitted,
    validate_data,
)


class EmotionDistributionRegressor(MetaEstimatorMixin, BaseEstimator):
    """Predict a per-sample Gaussian mixture over the VA(D) space.

    ``fit`` pools every annotation of every sample and fits a Gaussian mixture
    of ``n_components`` components to them (the shared "emotion regions" of the
    space); each sample's target is the mean responsibility of its own
    annotations, a distribution over the components, learned from X by an LDL
    learner (``ldl``). A sample's predicted density is
    ``sum_k w_k(x) N(mu_k, Sigma_k)`` with its own weights ``w(x)``;
    ``predict`` returns the mixture mean and ``score`` the mean log-likelihood
    of held-out annotations.

    Read more in the :ref:`User Guide <emotions>`.

    Parameters
    ----------
    n_components : int, default=4
        Number of mixture components (at most the number of annotations pooled
        in ``fit``; fewer annotations give one component each, see
        ``mixture_.n_components``).
    n_dims : int, default=None
        Dimension of the space when each row of ``y`` holds several annotations
        (``y`` of shape ``(n_samples, n_annotations * n_dims)``: consecutive
        groups of ``n_dims`` values, all-NaN groups for missing annotations).
        None: each row of ``y`` is one annotation of ``y.shape[1]`` dimensions
        (a 1-D ``y`` is a one-dimensional space).
    ldl : estimator, default=None
        Label distribution learner of the component weights (see
        :class:`MaxEntropyLDL`, :class:`ClassifierLDL`). None uses
        ``MaxEntropyLDL()``.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Covariance of the components (see
        :class:`~sklearn.mixture.GaussianMixture`).
    reg_covar : float, default=1e-3
        Added to the diagonal of the covariances.
    random_state : int, RandomState instance or None, default=None
        Seeds the mixture fit and the LDL learner.

    Attributes
    ----------
    mixture_ : GaussianMixture
        The components fitted on the pooled annotations.
    ldl_ : estimator
        The fitted learner of the per-sample weights.
    n_dims_ : int
        Dimension of the space.
    n_features_in_ : int
        Number of input features.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    MaxEntropyLDL : the default learner of the component weights.

    References
    ----------
    Zhao, S., Yao, H., Gao, Y., Ji, R. & Ding, G. (2017). Continuous probability
    distribution prediction of image emotions via multitask shared sparse
    regression. IEEE Transactions on Multimedia, 19(3), 632-645.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import EmotionDistributionRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 2))
    >>> centre = np.where(X[:, :1] > 0, [0.6, 0.5], [-0.6, -0.4])
    >>> y = np.hstack([centre + 0.1 * rng.normal(size=(200, 2)) for _ in range(3)])
    >>> est = EmotionDistributionRegressor(n_components=2, n_dims=2, random_state=0)
    >>> est.fit(X, y).score(X, y) > 0.5
    True
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_dims": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "ldl": [HasMethods(["fit", "predict"]), None],
        "covariance_type": [StrOptions({"full", "tied", "diag", "spherical"})],
        "reg_covar": [Interval(numbers.Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_components=4,
        *,
        n_dims=None,
        ldl=None,
        covariance_type="full",
        reg_covar=1e-3,
        random_state=None,
    ):
        self.n_components = n_components
        self.n_dims = n_dims
        self.ldl = ldl
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar
        self.random_state = random_state

    def _annotations(self, y, n_samples, n_dims=None):
        """``y`` -> points (n_samples, n_annotations, n_dims) and a present mask."""
        require_y(self, y)
        y = np.asarray(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2:
            raise ValueError(f"y must be 1-D or 2-D; got shape {y.shape}.")
        if y.shape[0] != n_samples:
            raise ValueError(f"X has {n_samples} samples but y has {y.shape[0]}.")
        d = self.n_dims if n_dims is None else n_dims
        d = y.shape[1] if d is None else d
        if y.shape[1] % d:
            raise ValueError(
                f"y has {y.shape[1]} columns, not a multiple of n_dims={d} (groups of "
                "n_dims values per annotation)."
            )
        pts = y.reshape(n_samples, -1, d)
        nan = np.isnan(pts)
        present = ~nan.all(axis=2)
        if np.any(nan.any(axis=2) & present) or np.any(np.isinf(pts)):
            raise ValueError(
                "y has an annotation with some but not all values NaN, or an infinite "
                "value; a missing annotation is a group of n_dims NaN."
            )
        empty = np.flatnonzero(~present.any(axis=1))
        if empty.size:
            raise ValueError(f"Samples {empty[:10].tolist()} have no annotation in y.")
        return pts, present

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the mixture components and the learner of per-sample weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_annotations * n_dims)
            Annotations (see ``n_dims``).

        Returns
        -------
        self : object
        """
        X = validate_data(self, X, dtype=np.float64)
        pts, present = self._annotations(y, X.shape[0])
        self.n_dims_ = pts.shape[2]
        self._one_d = np.ndim(y) == 1
        rng = check_random_state(self.random_state)
        pooled = pts[present]
        n_comp = min(self.n_components, pooled.shape[0])
        self.mixture_ = GaussianMixture(
            n_components=n_comp,
            covariance_type=self.covariance_type,
            reg_covar=self.reg_covar,
            random_state=rng.randint(np.iinfo(np.int32).max),
        ).fit(pooled)
        resp = np.zeros(pts.shape[:2] + (n_comp,))
        resp[present] = self.mixture_.predict_proba(pooled)
        W = resp.sum(axis=1) / present.sum(axis=1, keepdims=True)
        ldl = MaxEntropyLDL() if self.ldl is None else self.ldl
        self.ldl_ = clone(ldl)
        _set_random_states(self.ldl_, rng)
        self.ldl_.fit(X, W)
        return self

    def predict_distribution(self, X):
        """The Gaussian mixture of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        mixture : Bunch
            ``weights`` (n_samples, n_components): the per-sample mixture
            weights; ``means`` (n_components, n_dims) and ``covariances``
            (n_components, n_dims, n_dims): the shared components.
        """
        check_is_fitted(self)
        # the columns must be those of fit, in the same order (the learner saw
        # an array, so it cannot tell a reordered or reduced X from the right one)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        W = np.clip(np.asarray(self.ldl_.predict(X), dtype=float), 0, None)
        W /= W.sum(axis=1, keepdims=True)
        return Bunch(
            weights=W, means=self.mixture_.means_, covariances=self._full_covariances()
        )

    def _full_covariances(self):
        gm, d = self.mixture_, self.n_dims_
        cov = gm.covariances_
        if gm.covariance_type == "full":
            return cov
        if gm.covariance_type == "tied":
            return np.repeat(cov[None], gm.n_components, axis=0)
        if gm.covariance_type == "diag":
            return np.stack([np.diag(c) for c in cov])
        return np.stack([np.eye(d) * c for c in cov])

    def predict(self, X):
        """The mean of each sample's predicted mixture.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        points : ndarray of shape (n_samples, n_dims) or (n_samples,)
        """
        m = self.predict_distribution(X)
        points = m.weights @ m.means
        return points[:, 0] if self._one_d else points

    def log_likelihood(self, X, y):
        """Mean log-density of each sample's annotations under its mixture.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like
            Annotations, in the layout of ``fit`` (missing ones as NaN).

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
        """
        m = self.predict_distribution(X)
        pts, present = self._annotations(y, m.weights.shape[0], self.n_dims_)
        from scipy.stats import multivariate_normal

        comp = np.stack(
            [
                multivariate_normal(mean=mu, cov=c, allow_singular=True).logpdf(pts)
                for mu, c in zip(m.means, m.covariances)
            ],
            axis=-1,
        ).reshape(pts.shape[:2] + (len(m.means),))
        with np.errstate(divide="ignore"):
            ll = logsumexp(comp + np.log(m.weights)[:, None, :], axis=2)
        ll = np.where(present, ll, 0.0)
        return ll.sum(axis=1) / present.sum(axis=1)

    def score(self, X, y):
        """Mean log-likelihood of the annotations ``y`` (greater is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like
            Held-out annotations, in the layout of ``fit``.

        Returns
        -------
        score : float
        """
        return float(self.log_likelihood(X, y).mean())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        return tags
