"""Modality encoders: one modality's raw items to a 2-D float feature block."""

from skmer.encoders._vector import SequencePooling, VectorEncoder

__all__ = ["SequencePooling", "VectorEncoder"]
