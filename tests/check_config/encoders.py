"""Common-check settings of the modality encoders (issue 7).

The encoders take raw items (texts, waveforms, images, ...), not 2-D arrays:
their tags say so, scikit-learn's checks skip them, and skmer's own encoder
check suite runs in tests/encoders/test_*.py. Only encoders whose constructor
needs an argument are listed here.
"""

import numpy as np

from skmer.encoders import (
    SentenceTransformerEncoder,
    TokenEmbeddingEncoder,
    TorchFeatureExtractor,
    WordEmbeddingEncoder,
)


def _pooling_module():
    import torch

    return torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())


INSTANCES = {
    "WordEmbeddingEncoder": [WordEmbeddingEncoder({"happy": np.ones(2)})],
    "SentenceTransformerEncoder": [SentenceTransformerEncoder("local/model/dir")],
    "TokenEmbeddingEncoder": [TokenEmbeddingEncoder("local/model/dir")],
    "TorchFeatureExtractor": [
        TorchFeatureExtractor(_pooling_module(), input_size=(8, 8))
    ],
}
