"""Utilities: missing-cell detection, estimator discovery, check suites."""

from skmer.utils._missing import is_missing, missing_mask

__all__ = ["is_missing", "missing_mask"]
