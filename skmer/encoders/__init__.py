"""Modality encoders: one modality's raw items to a 2-D float feature block."""

from skmer.encoders._audio import AudioEncoder, OpenSmileEncoder, log_mel_spectrogram
from skmer.encoders._eeg import EEGBandEncoder
from skmer.encoders._eye import GazeEncoder
from skmer.encoders._face import FaceEncoder
from skmer.encoders._image import ImageEncoder, TorchFeatureExtractor
from skmer.encoders._learned import (
    ConvSequenceEncoder,
    RecurrentSequenceEncoder,
    SpectrogramCNNEncoder,
)
from skmer.encoders._physio import PhysioEncoder
from skmer.encoders._skeleton import SkeletonEncoder
from skmer.encoders._text import (
    LexiconEncoder,
    SentenceTransformerEncoder,
    TfidfLSAEncoder,
    TokenEmbeddingEncoder,
    WordEmbeddingEncoder,
)
from skmer.encoders._vector import SequencePooling, VectorEncoder
from skmer.encoders._video import VideoEncoder

__all__ = [
    "AudioEncoder",
    "ConvSequenceEncoder",
    "EEGBandEncoder",
    "FaceEncoder",
    "GazeEncoder",
    "ImageEncoder",
    "LexiconEncoder",
    "OpenSmileEncoder",
    "PhysioEncoder",
    "RecurrentSequenceEncoder",
    "SentenceTransformerEncoder",
    "SequencePooling",
    "SkeletonEncoder",
    "SpectrogramCNNEncoder",
    "TfidfLSAEncoder",
    "TokenEmbeddingEncoder",
    "TorchFeatureExtractor",
    "VectorEncoder",
    "VideoEncoder",
    "WordEmbeddingEncoder",
    "log_mel_spectrogram",
]
