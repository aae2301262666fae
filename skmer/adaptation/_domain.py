"""Shared handling of ``sample_domain``: skada's convention for source and target rows.

Every estimator of :mod:`skmer.adaptation` takes the domain of each training row
as ``sample_domain`` metadata, the way skada does: an integer per row, positive
for a (labelled) source domain, negative for an (unlabelled) target domain;
several positive values are several source corpora. With scikit-learn's metadata
routing enabled (``sklearn.set_config(enable_metadata_routing=True)``), an
estimator inside a ``Pipeline`` or ``GridSearchCV`` receives it after
``est.set_fit_request(sample_domain=True)``.
"""

import numpy as np

from skmer.utils._sklearn_compat import _safe_indexing


def check_sample_domain(sample_domain, n_samples):
    """Validate ``sample_domain``; None means every row is a source row.

    Parameters
    ----------
    sample_domain : array-like of shape (n_samples,) of int or None
        Positive values mark source domains, negative values target domains.
    n_samples : int
        Number of rows of X.

    Returns
    -------
    sample_domain : ndarray of shape (n_samples,) of int
        The domains (all 1 when None was given).

    Examples
    --------
    >>> from skmer.adaptation import check_sample_domain
    >>> check_sample_domain([1, 1, -1], 3)
    array([ 1,  1, -1])
    """
    if sample_domain is None:
        return np.ones(n_samples, dtype=int)
    sd = np.asarray(sample_domain)
    if sd.ndim != 1 or sd.shape[0] != n_samples:
        raise ValueError(
            f"sample_domain must have one value per row of X ({n_samples}); got "
            f"shape {sd.shape}."
        )
    if sd.size and not (
        np.issubdtype(sd.dtype, np.integer)
        or (np.issubdtype(sd.dtype, np.floating) and np.all(sd == np.round(sd)))
    ):
        raise ValueError(
            f"sample_domain must hold integers (positive = source, negative = "
            f"target); got dtype {sd.dtype}."
        )
    sd = sd.astype(int)
    if np.any(sd == 0):
        raise ValueError(
            "sample_domain must not be 0: positive values mark source domains and "
            f"negative values target domains (rows {np.flatnonzero(sd == 0)[:10].tolist()})."
        )
    return sd


def source_rows(y, sample_domain, *, what="y"):
    """Indices of the source rows, with a check that they exist."""
    rows = np.flatnonzero(sample_domain > 0)
    if rows.size == 0:
        raise ValueError(
            "sample_domain marks no source row (positive value); the labelled "
            f"{what} of at least one source domain is needed to fit."
        )
    return rows


def take_rows(X, rows):
    """Rows of an array or DataFrame (keeps column names)."""
    return _safe_indexing(X, rows)
