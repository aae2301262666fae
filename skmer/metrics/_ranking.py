"""Ranking metrics of affective retrieval: precision@k and mean average precision.

Both take a relevance matrix ``y_true`` (n_queries, n_items) -- binary, or
graded with relevant meaning > 0 -- and a score matrix ``y_score`` of the same
shape (higher = ranked first), as :func:`sklearn.metrics.ndcg_score` does, which
is the nDCG of the same data.
"""

import numbers

import numpy as np
from sklearn.metrics import average_precision_score


def _pair(y_true, y_score):
    t = np.asarray(y_true, dtype=float)
    s = np.asarray(y_score, dtype=float)
    if t.ndim == 1:
        t, s = t[None], s[None]
    if t.ndim != 2 or t.shape != s.shape:
        raise ValueError(
            "y_true and y_score must be 2-D (n_queries, n_items) of equal shape; got "
            f"{np.shape(y_true)} and {np.shape(y_score)}."
        )
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(s))):
        raise ValueError("y_true and y_score must be finite.")
    return t > 0, s


def relevance_from_labels(query_labels, item_labels):
    """Binary relevance matrix: an item is relevant to a query with its label.

    Parameters
    ----------
    query_labels : array-like of shape (n_queries,)
    item_labels : array-like of shape (n_items,)

    Returns
    -------
    relevance : ndarray of shape (n_queries, n_items)

    Examples
    --------
    >>> from skmer.metrics import relevance_from_labels
    >>> relevance_from_labels(["joy"], ["joy", "fear", "joy"]).astype(int).tolist()
    [[1, 0, 1]]
    """
    q = np.asarray(query_labels, dtype=object).ravel()
    i = np.asarray(item_labels, dtype=object).ravel()
    return q[:, None] == i[None, :]


def precision_at_k(y_true, y_score, *, k=10):
    """Mean over queries of the share of relevant items among the top ``k``.

    Ties in ``y_score`` are broken by item order (stable sort).

    Parameters
    ----------
    y_true : array-like of shape (n_queries, n_items)
        Relevance (relevant: > 0).
    y_score : array-like of shape (n_queries, n_items)
        Retrieval scores, higher first.
    k : int, default=10
        Cut-off, at most ``n_items`` (a larger ``k`` raises a ``ValueError``).

    Returns
    -------
    precision : float

    Examples
    --------
    >>> from skmer.metrics import precision_at_k
    >>> precision_at_k([[1, 0, 1, 0]], [[0.9, 0.8, 0.1, 0.3]], k=2)
    0.5
    """
    if not (isinstance(k, numbers.Integral) and k >= 1):
        raise ValueError(f"k must be a positive integer; got {k!r}.")
    rel, s = _pair(y_true, y_score)
    if k > s.shape[1]:
        raise ValueError(f"k={k} exceeds the number of items ({s.shape[1]}).")
    top = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return float(np.take_along_axis(rel, top, axis=1).mean())


def mean_average_precision(y_true, y_score):
    """Mean over queries of the average precision of their ranking (mAP).

    Queries without a relevant item are left out (their AP is undefined).

    Parameters
    ----------
    y_true : array-like of shape (n_queries, n_items)
        Relevance (relevant: > 0).
    y_score : array-like of shape (n_queries, n_items)
        Retrieval scores, higher first.

    Returns
    -------
    map : float

    Examples
    --------
    >>> from skmer.metrics import mean_average_precision
    >>> round(mean_average_precision([[1, 0, 1, 0]], [[0.9, 0.8, 0.1, 0.3]]), 4)
    0.75
    """
    rel, s = _pair(y_true, y_score)
    has = rel.any(axis=1)
    if not has.any():
        raise ValueError("No query has a relevant item; mAP is undefined.")
    return float(
        np.mean([average_precision_score(r, q) for r, q in zip(rel[has], s[has])])
    )
