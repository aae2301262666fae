"""Composition of modality encoders over a raw multimodal DataFrame."""

from skmer.compose._modality_encoder import ModalityEncoder

__all__ = ["ModalityEncoder"]
