"""Utilities: missing-cell detection, estimator discovery, check suites."""

from skmer.utils._missing import is_missing, missing_mask, raw_frame
from skmer.utils._optional import import_optional

__all__ = ["import_optional", "is_missing", "missing_mask", "raw_frame"]
