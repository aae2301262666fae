"""Input checks shared by the estimators of skmer.emotions."""

from skmer.utils._sklearn_compat import validate_data


def require_y(estimator, y):
    """Raise sklearn's standard error when a supervised ``fit`` gets ``y=None``."""
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None."
        )


def check_passthrough_X(estimator, X, *, reset):
    """Check X's shape and feature count for a meta-estimator that passes X on as given.

    Column names, NaN (missing modality blocks) and sparse matrices are left to
    the inner estimator, which receives the original X.
    """
    validate_data(
        estimator, X, reset=reset, accept_sparse=True, ensure_all_finite=False, dtype=None
    )
