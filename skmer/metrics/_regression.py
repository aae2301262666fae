"""Regression metrics of MER practice: concordance and Pearson correlation."""

import numpy as np
from sklearn.utils.validation import check_consistent_length

from skmer.utils._sklearn_compat import StrOptions, validate_params


def _paired(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    check_consistent_length(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has shape {y_true.shape} and y_pred {y_pred.shape}; they must match."
        )
    if y_true.shape[0] < 2:
        raise ValueError("A correlation needs at least two samples.")
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError("y_true and y_pred must be finite.")
    return y_true.reshape(y_true.shape[0], -1), y_pred.reshape(y_pred.shape[0], -1)


def _output(values, multioutput):
    return values if multioutput == "raw_values" else float(np.mean(values))


_PARAMS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "multioutput": [StrOptions({"raw_values", "uniform_average"})],
}


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def concordance_correlation_coefficient(
    y_true, y_pred, *, multioutput="uniform_average"
):
    """Lin's concordance correlation coefficient (CCC).

    ``2 cov(t, p) / (var(t) + var(p) + (mean(t) - mean(p))**2)`` with population
    (biased) moments: 1 for perfect agreement, penalising both low correlation
    and shifts or rescaling. The standard metric of continuous valence/arousal
    prediction (AVEC, RECOLA, SEWA).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Predicted values.
    multioutput : {"raw_values", "uniform_average"}, default="uniform_average"
        Return one value per output, or their mean.

    Returns
    -------
    ccc : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from skmer.metrics import concordance_correlation_coefficient
    >>> concordance_correlation_coefficient([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    >>> concordance_correlation_coefficient([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    0.571428...
    """
    t, p = _paired(y_true, y_pred)
    mt, mp = t.mean(axis=0), p.mean(axis=0)
    cov = ((t - mt) * (p - mp)).mean(axis=0)
    denom = t.var(axis=0) + p.var(axis=0) + (mt - mp) ** 2
    ccc = np.divide(2 * cov, denom, out=np.ones_like(cov), where=denom > 0)
    return _output(ccc, multioutput)


@validate_params(_PARAMS, prefer_skip_nested_validation=True)
def pearson_correlation(y_true, y_pred, *, multioutput="uniform_average"):
    """Pearson correlation between true and predicted values ("Corr").

    A constant prediction (or target) has no defined correlation and scores 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True values.
    y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Predicted values.
    multioutput : {"raw_values", "uniform_average"}, default="uniform_average"
        Return one value per output, or their mean.

    Returns
    -------
    r : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from skmer.metrics import pearson_correlation
    >>> pearson_correlation([1.0, 2.0, 3.0], [2.0, 4.0, 6.5])
    0.99794...
    """
    t, p = _paired(y_true, y_pred)
    tc, pc = t - t.mean(axis=0), p - p.mean(axis=0)
    denom = np.sqrt((tc**2).sum(axis=0) * (pc**2).sum(axis=0))
    r = np.divide(
        (tc * pc).sum(axis=0), denom, out=np.zeros(t.shape[1]), where=denom > 0
    )
    return _output(r, multioutput)
