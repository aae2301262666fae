"""Correlation alignment (CORAL) in the span of the rows: cost O(n² d), not O(d³).

CORAL (Sun, Feng & Saenko, 2016) whitens the centred source rows with the
inverse square root of the source covariance and colours them with the square
root of the target covariance. With d features and n rows, both covariances
are ``(1 - a) S + a mu I`` (Ledoit-Wolf shrinkage of the empirical covariance
``S``, of rank at most n): a low-rank part spanned by the rows' right singular
vectors plus a scaled identity. Their matrix powers keep that form, so they
are applied to rows without ever forming a d x d matrix.

As skada's ``CORALAdapter`` does, the covariances are estimated on
standardised features (each feature divided by its standard deviation); here
the alignment runs in that correlation space and the result is rescaled to the
target's feature scales. A direction without variance (a constant feature or a
constant modality) is left at zero instead of being divided by zero.
"""

import numpy as np
from sklearn.base import BaseEstimator

# eigenvalues at or below this fraction of the largest one are treated as zero
_RTOL = 1e-10


def _ledoit_wolf_shrinkage(Z):
    """Ledoit-Wolf shrinkage of centred Z, from its row norms and Gram matrix.

    The same value as :func:`sklearn.covariance.ledoit_wolf_shrinkage`, computed
    in O(n² d) through ``||Z^T Z||_F = ||Z Z^T||_F``.
    """
    n, d = Z.shape
    if d == 1:
        return 0.0
    row_sq = np.einsum("ij,ij->i", Z, Z)
    trace = row_sq.sum() / n
    mu = trace / d
    gram = Z @ Z.T
    delta_ = np.sum(gram**2) / n**2
    beta = (np.sum(row_sq**2) / n - delta_) / (d * n)
    delta = (delta_ - 2.0 * mu * trace + d * mu**2) / d
    beta = min(beta, delta)
    return 0.0 if beta <= 0 else beta / delta


class _SpectralCovariance:
    """A shrunk covariance as ``V diag(eig) V^T + floor (I - V V^T)``."""

    def __init__(self, Z):
        n, d = Z.shape
        shrinkage = _ledoit_wolf_shrinkage(Z)
        _, s, vt = np.linalg.svd(Z, full_matrices=False)
        sample_eig = s**2 / n
        mu = sample_eig.sum() / d
        self.floor = shrinkage * mu
        self.eig = (1.0 - shrinkage) * sample_eig + self.floor
        self.vt = vt
        self.tol = _RTOL * max(self.eig.max(initial=0.0), self.floor)

    def _power(self, values, exponent):
        out = np.zeros_like(values)
        ok = values > self.tol
        out[ok] = values[ok] ** exponent
        return out

    def apply(self, Z, exponent):
        """``Z @ C**exponent`` (zero on directions without variance)."""
        floor = self._power(np.array([self.floor]), exponent)[0]
        coef = self._power(self.eig, exponent) - floor
        return floor * Z + ((Z @ self.vt.T) * coef) @ self.vt


def _standardize(X):
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


class CORALAdapter(BaseEstimator):
    """CORAL with Ledoit-Wolf shrunk covariances, for any number of features.

    Follows skada's adapter interface (``fit(X, sample_domain=)``,
    ``transform(X, sample_domain=, allow_source=)``): positive domains are
    source rows, negative ones target rows. Source rows are whitened with the
    source covariance and coloured with the target covariance; target rows
    are centred.
    """

    def fit(self, X, y=None, sample_domain=None):
        X = np.asarray(X, dtype=float)
        sd = np.asarray(sample_domain)
        self.mean_source_, self.scale_source_ = _standardize(X[sd > 0])
        self.mean_target_, self.scale_target_ = _standardize(X[sd < 0])
        self.cov_source_ = _SpectralCovariance(
            (X[sd > 0] - self.mean_source_) / self.scale_source_
        )
        self.cov_target_ = _SpectralCovariance(
            (X[sd < 0] - self.mean_target_) / self.scale_target_
        )
        return self

    def transform(self, X, y=None, *, sample_domain=None, allow_source=False):
        X = np.asarray(X, dtype=float)
        sd = np.asarray(sample_domain)
        out = X - self.mean_target_
        src = sd > 0
        if src.any():
            Z = (X[src] - self.mean_source_) / self.scale_source_
            Z = self.cov_target_.apply(self.cov_source_.apply(Z, -0.5), 0.5)
            out[src] = Z * self.scale_target_
        return out
