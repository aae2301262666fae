"""Composition over a raw multimodal DataFrame: modality encoders, and a
fallback over models of different modalities."""

# ModalityEncoder first: skmer.fusion, which the fallback's routing comes
# from, builds its baselines on it
from skmer.compose._modality_encoder import ModalityEncoder  # isort: skip
from skmer.compose._fallback import FallbackClassifier, FallbackRegressor  # isort: skip

__all__ = ["FallbackClassifier", "FallbackRegressor", "ModalityEncoder"]
