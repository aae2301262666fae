"""Discovery of skmer's public estimators, for tests and documentation."""

import importlib
import inspect

from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    TransformerMixin,
)

__all__ = ["all_estimators"]

_PUBLIC_SUBPACKAGES = [
    "adaptation",
    "compose",
    "emotions",
    "encoders",
    "fusion",
    "inspection",
    "metrics",
    "sequence",
]

_TYPES = {
    "classifier": ClassifierMixin,
    "regressor": RegressorMixin,
    "transformer": TransformerMixin,
}


def all_estimators(type_filter=None):
    """List the public estimators of skmer.

    Collects the concrete :class:`~sklearn.base.BaseEstimator` subclasses named
    in the ``__all__`` of skmer's public subpackages. Base classes (named
    ``Base*``) are left out.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "transformer"} or None, default=None
        Keep only estimators of that kind.

    Returns
    -------
    estimators : list of (str, type)
        ``(name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from skmer.utils.discovery import all_estimators
    >>> names = [name for name, _ in all_estimators("classifier")]
    >>> "LateFusionClassifier" in names
    True
    """
    if type_filter is not None and type_filter not in _TYPES:
        raise ValueError(
            f"type_filter must be one of {sorted(_TYPES)} or None; got {type_filter!r}."
        )
    found = {}
    for sub in _PUBLIC_SUBPACKAGES:
        module = importlib.import_module(f"skmer.{sub}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not name.startswith("Base")
                and not inspect.isabstract(obj)
            ):
                if type_filter is None or issubclass(obj, _TYPES[type_filter]):
                    found[name] = obj
    return sorted(found.items())
