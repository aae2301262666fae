"""Input checks shared by the estimators of skmer.emotions."""

import numpy as np
import pandas as pd
from scipy import sparse

from skmer.utils._sklearn_compat import validate_data

# values above this overflow float64 once squared (variances, scaling, distances)
_LARGEST = np.sqrt(np.finfo(np.float64).max)


def require_y(estimator, y):
    """Raise sklearn's standard error when a supervised ``fit`` gets ``y=None``."""
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None."
        )


def check_labels(y):
    """Reject missing labels (NaN or None) in 1-D category labels, naming the rows."""
    missing = np.flatnonzero(pd.isna(np.asarray(y, dtype=object)))
    if missing.size:
        raise ValueError(
            f"y holds missing labels (NaN or None) in rows {missing[:10].tolist()}; "
            "drop those rows or label them."
        )


def check_passthrough_X(estimator, X, *, reset):
    """Check X's shape and feature count for a meta-estimator that passes X on as given.

    Column names, NaN (missing modality blocks) and sparse matrices are left to
    the inner estimator, which receives the original X. Dense values so large
    that their squares overflow float64 are reported here, naming the column,
    instead of surfacing as NaN deep inside the inner estimator.
    """
    Xv = validate_data(
        estimator,
        X,
        reset=reset,
        accept_sparse=True,
        ensure_all_finite=False,
        dtype=None,
    )
    if sparse.issparse(Xv):
        return
    values = np.asarray(Xv)
    if values.dtype.kind != "f" or not values.size:
        return
    with np.errstate(invalid="ignore"):
        too_large = np.isfinite(values) & (np.abs(values) > _LARGEST)
    if too_large.any():
        row, col = np.argwhere(too_large)[0]
        names = getattr(X, "columns", None)
        name = repr(names[col]) if names is not None else col
        raise ValueError(
            f"X column {name} holds {values[row, col]:.3g} in row {row}, beyond "
            f"{_LARGEST:.3g}: such values overflow float64 when squared (scaling, "
            "variances, distances); rescale X."
        )
