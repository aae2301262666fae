"""Synthetic multimodal emotion data and loaders for public MER corpora."""

from skmer.datasets._synthetic import (
    make_multimodal_classification,
    make_multimodal_regression,
    simulate_missing,
)

__all__ = [
    "make_multimodal_classification",
    "make_multimodal_regression",
    "simulate_missing",
]
