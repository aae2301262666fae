"""Classification metrics of MER practice (sentiment accuracies A2/A5/A7, UA/WA)."""

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score
from sklearn.utils.validation import check_consistent_length, column_or_1d

from skmer.utils._sklearn_compat import validate_params


def _scores(y_true, y_pred):
    try:
        y_true = np.asarray(y_true, dtype=float)
        y_pred = np.asarray(y_pred, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            "y_true and y_pred must be numeric sentiment scores (e.g. in [-3, 3]), not "
            "class labels; use weighted_accuracy or unweighted_accuracy for labels."
        ) from None
    y_true, y_pred = column_or_1d(y_true), column_or_1d(y_pred)
    check_consistent_length(y_true, y_pred)
    if y_true.size == 0:
        raise ValueError("y_true is empty; a metric needs at least one sample.")
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError("y_true and y_pred must be finite sentiment scores.")
    return y_true, y_pred


def _binary(y_true, y_pred, exclude_zero):
    y_true, y_pred = _scores(y_true, y_pred)
    if exclude_zero:
        keep = y_true != 0
        if not keep.any():
            raise ValueError(
                "Every y_true is 0: nothing is left with exclude_zero=True."
            )
        y_true, y_pred = y_true[keep], y_pred[keep]
        return y_true > 0, y_pred > 0
    return y_true >= 0, y_pred >= 0


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "exclude_zero": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def acc2_score(y_true, y_pred, *, exclude_zero=False):
    """Binary sentiment accuracy (A2) of continuous sentiment scores.

    With ``exclude_zero=False`` (negative vs non-negative) a score is positive
    when ``>= 0``; with ``exclude_zero=True`` (negative vs positive) the samples
    whose true score is 0 are left out and positive means ``> 0``. Both variants
    are reported in the MOSI/MOSEI literature.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True sentiment scores (e.g. in [-3, 3]).
    y_pred : array-like of shape (n_samples,)
        Predicted scores.
    exclude_zero : bool, default=False
        Leave out samples with a true score of exactly 0.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from skmer.metrics import acc2_score
    >>> acc2_score([-2.0, 0.0, 1.5, 3.0], [-1.0, -0.2, 0.4, 2.0])
    0.75
    >>> acc2_score([-2.0, 0.0, 1.5, 3.0], [-1.0, -0.2, 0.4, 2.0], exclude_zero=True)
    1.0
    """
    return float(accuracy_score(*_binary(y_true, y_pred, exclude_zero)))


def _bins(y, n_classes):
    half = {5: 2, 7: 3}[n_classes]
    return np.round(np.clip(y, -half, half)).astype(int)


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def acc7_score(y_true, y_pred):
    """Seven-class sentiment accuracy (A7) of scores in [-3, 3].

    Both scores are clipped to [-3, 3] and rounded to the nearest integer.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True sentiment scores.
    y_pred : array-like of shape (n_samples,)
        Predicted scores.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from skmer.metrics import acc7_score
    >>> acc7_score([-3.0, 0.4, 2.6], [-2.6, -0.4, 1.4])
    0.6666666666666666
    """
    y_true, y_pred = _scores(y_true, y_pred)
    return float(accuracy_score(_bins(y_true, 7), _bins(y_pred, 7)))


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def acc5_score(y_true, y_pred):
    """Five-class sentiment accuracy (A5): scores clipped to [-2, 2] and rounded.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True sentiment scores.
    y_pred : array-like of shape (n_samples,)
        Predicted scores.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from skmer.metrics import acc5_score
    >>> acc5_score([-3.0, 0.4, 2.6], [-2.2, 0.0, 1.4])
    0.6666666666666666
    """
    y_true, y_pred = _scores(y_true, y_pred)
    return float(accuracy_score(_bins(y_true, 5), _bins(y_pred, 5)))


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "exclude_zero": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def binary_f1_score(y_true, y_pred, *, exclude_zero=False):
    """Weighted F1 of the binary sentiment of continuous scores.

    The scores are binarised as in :func:`acc2_score`; the F1 of the two
    classes is averaged weighted by support, as in the MOSI literature.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True sentiment scores.
    y_pred : array-like of shape (n_samples,)
        Predicted scores.
    exclude_zero : bool, default=False
        Leave out samples with a true score of exactly 0.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from skmer.metrics import binary_f1_score
    >>> round(binary_f1_score([-2.0, -1.0, 1.5, 3.0], [-1.0, 0.5, 0.4, 2.0]), 3)
    0.733
    """
    t, p = _binary(y_true, y_pred, exclude_zero)
    return float(f1_score(t, p, average="weighted"))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def unweighted_accuracy(y_true, y_pred, *, sample_weight=None):
    """Unweighted accuracy (UA): the mean of per-class recalls.

    The emotion-recognition name of balanced accuracy, robust to imbalanced
    emotion classes (IEMOCAP, MELD).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from skmer.metrics import unweighted_accuracy
    >>> unweighted_accuracy(["joy"] * 3 + ["anger"], ["joy"] * 4)
    0.5
    """
    return float(balanced_accuracy_score(y_true, y_pred, sample_weight=sample_weight))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def weighted_accuracy(y_true, y_pred, *, sample_weight=None):
    """Weighted accuracy (WA): overall accuracy, classes weighted by frequency.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from skmer.metrics import weighted_accuracy
    >>> weighted_accuracy(["joy"] * 3 + ["anger"], ["joy"] * 4)
    0.75
    """
    return float(accuracy_score(y_true, y_pred, sample_weight=sample_weight))
