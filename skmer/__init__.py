"""skmer: scikit-learn-compatible multi-modal emotion recognition.

A multi-modal emotion recognition (MER) system is an ordinary scikit-learn
``Pipeline``: modality encoders (:mod:`skmer.encoders`, composed by
:class:`skmer.compose.ModalityEncoder`) turn a raw DataFrame with one column per
modality into named feature blocks, and fusion meta-estimators
(:mod:`skmer.fusion`) learn from those blocks, handling missing modalities
natively.

Subpackages are imported on first access (``skmer.fusion``), so that
``import skmer`` stays light and never imports torch.
"""

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = [
    "adaptation",
    "base",
    "compose",
    "datasets",
    "emotions",
    "encoders",
    "fusion",
    "inspection",
    "metrics",
    "nn",
    "sequence",
    "utils",
]

__all__ = [*_SUBPACKAGES, "__version__"]


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"skmer.{name}")
    raise AttributeError(f"module 'skmer' has no attribute {name!r}")


def __dir__():
    return __all__
