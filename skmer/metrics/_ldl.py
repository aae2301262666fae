"""Label distribution learning (LDL) metrics: the six measures of Geng (2016).

Each compares true and predicted label distributions row by row and returns the
mean over samples. Distances (Chebyshev, Clark, Canberra, Kullback-Leibler):
lower is better; similarities (cosine, intersection): higher is better.

Geng, X. (2016). Label distribution learning. IEEE Transactions on Knowledge and
Data Engineering, 28(7), 1734-1748.
"""

import numpy as np
from sklearn.metrics import make_scorer

from skmer.utils._sklearn_compat import validate_params

_EPS = 1e-12


def check_distributions(y_true, y_pred):
    """Validate a pair of label-distribution matrices.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)
        Non-negative rows; each is normalised to sum to 1.

    Returns
    -------
    y_true, y_pred : ndarray of shape (n_samples, n_labels)

    Examples
    --------
    >>> from skmer.metrics import check_distributions
    >>> check_distributions([[1, 1]], [[0.2, 0.8]])[0].tolist()
    [[0.5, 0.5]]
    """
    out = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        y = np.asarray(y, dtype=float)
        if y.ndim != 2:
            raise ValueError(
                f"{name} must be a 2-D array of label distributions (n_samples, "
                f"n_labels); got shape {y.shape}."
            )
        if y.shape[0] == 0:
            raise ValueError(f"{name} is empty; a metric needs at least one sample.")
        if not np.all(np.isfinite(y)) or np.any(y < 0):
            raise ValueError(f"{name} must hold finite, non-negative values.")
        total = y.sum(axis=1, keepdims=True)
        empty = np.flatnonzero(total[:, 0] <= 0)
        if empty.size:
            raise ValueError(f"Rows {empty[:10].tolist()} of {name} sum to 0.")
        out.append(y / total)
    if out[0].shape != out[1].shape:
        raise ValueError(
            f"y_true has shape {out[0].shape} and y_pred {out[1].shape}; they must match."
        )
    return tuple(out)


_PARAMS = {"y_true": ["array-like"], "y_pred": ["array-like"]}


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def chebyshev_distance(y_true, y_pred):
    """Mean Chebyshev distance ``max_j |d_j - p_j|`` between distributions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)

    Returns
    -------
    distance : float
        0 for identical distributions.

    Examples
    --------
    >>> from skmer.metrics import chebyshev_distance
    >>> chebyshev_distance([[0.5, 0.5]], [[0.2, 0.8]])
    0.3
    """
    d, p = check_distributions(y_true, y_pred)
    return float(np.abs(d - p).max(axis=1).mean())


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def clark_distance(y_true, y_pred):
    """Mean Clark distance ``sqrt(sum_j (d_j - p_j)**2 / (d_j + p_j)**2)``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)

    Returns
    -------
    distance : float

    Examples
    --------
    >>> from skmer.metrics import clark_distance
    >>> round(clark_distance([[0.5, 0.5]], [[0.25, 0.75]]), 4)
    0.3887
    """
    d, p = check_distributions(y_true, y_pred)
    s = d + p
    r = np.divide((d - p) ** 2, s**2, out=np.zeros_like(s), where=s > 0)
    return float(np.sqrt(r.sum(axis=1)).mean())


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def canberra_distance(y_true, y_pred):
    """Mean Canberra distance ``sum_j |d_j - p_j| / (d_j + p_j)``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)

    Returns
    -------
    distance : float

    Examples
    --------
    >>> from skmer.metrics import canberra_distance
    >>> round(canberra_distance([[0.5, 0.5]], [[0.25, 0.75]]), 4)
    0.5333
    """
    d, p = check_distributions(y_true, y_pred)
    s = d + p
    r = np.divide(np.abs(d - p), s, out=np.zeros_like(s), where=s > 0)
    return float(r.sum(axis=1).mean())


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def kl_divergence(y_true, y_pred):
    """Mean Kullback-Leibler divergence ``sum_j d_j log(d_j / p_j)``.

    Predicted zeros are floored at 1e-12 so the value stays finite.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)

    Returns
    -------
    divergence : float

    Examples
    --------
    >>> from skmer.metrics import kl_divergence
    >>> round(kl_divergence([[0.5, 0.5]], [[0.25, 0.75]]), 4)
    0.1438
    """
    d, p = check_distributions(y_true, y_pred)
    terms = np.where(
        d > 0, d * (np.log(np.maximum(d, _EPS)) - np.log(np.maximum(p, _EPS))), 0.0
    )
    return float(terms.sum(axis=1).mean())


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def cosine_similarity_score(y_true, y_pred):
    """Mean cosine similarity between true and predicted distributions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)

    Returns
    -------
    similarity : float
        1 for identical distributions.

    Examples
    --------
    >>> from skmer.metrics import cosine_similarity_score
    >>> round(cosine_similarity_score([[0.5, 0.5]], [[0.25, 0.75]]), 4)
    0.8944
    """
    d, p = check_distributions(y_true, y_pred)
    num = (d * p).sum(axis=1)
    return float((num / (np.linalg.norm(d, axis=1) * np.linalg.norm(p, axis=1))).mean())


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def intersection_similarity(y_true, y_pred):
    """Mean intersection ``sum_j min(d_j, p_j)`` of true and predicted distributions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples, n_labels)

    Returns
    -------
    similarity : float
        1 for identical distributions, 0 for disjoint ones.

    Examples
    --------
    >>> from skmer.metrics import intersection_similarity
    >>> intersection_similarity([[0.5, 0.5]], [[0.25, 0.75]])
    0.75
    """
    d, p = check_distributions(y_true, y_pred)
    return float(np.minimum(d, p).sum(axis=1).mean())


# Scorers of LDL estimators, whose ``predict`` returns distributions.
LDL_SCORERS = {
    "neg_chebyshev": make_scorer(chebyshev_distance, greater_is_better=False),
    "neg_clark": make_scorer(clark_distance, greater_is_better=False),
    "neg_canberra": make_scorer(canberra_distance, greater_is_better=False),
    "neg_kl_divergence": make_scorer(kl_divergence, greater_is_better=False),
    "cosine": make_scorer(cosine_similarity_score),
    "intersection": make_scorer(intersection_similarity),
}
