"""The one place where skmer imports scikit-learn's private API.

Every other module imports these names from here, so that a change in
scikit-learn's internals is fixed in one file.
"""

from sklearn.base import _fit_context
from sklearn.ensemble._base import _set_random_states
from sklearn.utils._indexing import _safe_indexing

try:  # scikit-learn >= 1.7
    from sklearn.utils._repr_html.estimator import _VisualBlock
except ImportError:  # scikit-learn 1.6
    from sklearn.utils._estimator_html_repr import _VisualBlock
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    MissingValues,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils._tags import Tags
from sklearn.utils.metaestimators import _BaseComposition, available_if
from sklearn.utils.validation import (
    _check_sample_weight,
    _num_samples,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "MissingValues",
    "Options",
    "RealNotInt",
    "StrOptions",
    "Tags",
    "_VisualBlock",
    "_BaseComposition",
    "_check_sample_weight",
    "_fit_context",
    "_num_samples",
    "_safe_indexing",
    "_set_random_states",
    "available_if",
    "check_is_fitted",
    "validate_data",
    "validate_params",
]
