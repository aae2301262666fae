"""skops.io round trips of the fitted hand-crafted encoders."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skmer.encoders import (
    AudioEncoder,
    EEGBandEncoder,
    FaceEncoder,
    GazeEncoder,
    ImageEncoder,
    LexiconEncoder,
    PhysioEncoder,
    SkeletonEncoder,
    TfidfLSAEncoder,
    VideoEncoder,
    WordEmbeddingEncoder,
)
from tests.encoders import (
    test_audio,
    test_eeg,
    test_eye,
    test_face,
    test_image,
    test_physio,
    test_skeleton,
    test_text,
    test_video,
)

sio = pytest.importorskip("skops.io")

CASES = [
    (LexiconEncoder(), test_text.TEXTS),
    (TfidfLSAEncoder(3, random_state=0), test_text.TEXTS),
    (WordEmbeddingEncoder(test_text.VECTORS), test_text.TEXTS),
    (
        AudioEncoder(sr=8000, n_mfcc=4, frame_length=512, hop_length=128),
        test_audio.WAVES[:3],
    ),
    (EEGBandEncoder(sfreq=128, ch_names=["F3", "F4", "Oz"]), test_eeg.TRIALS),
    (PhysioEncoder("ecg", sampling_rate=100), test_physio.ECGS[:2]),
    (ImageEncoder(), test_image.IMAGES[:3]),
    (VideoEncoder(fps=10), test_video.CLIPS[:2]),
    (FaceEncoder(source="both"), test_face.BOTH),
    (GazeEncoder(), test_eye.TRACES),
    (SkeletonEncoder(), test_skeleton.SEQS),
]


@pytest.mark.parametrize("encoder, items", CASES, ids=lambda c: type(c).__name__)
def test_skops_round_trip(encoder, items):
    encoder.fit(items)
    dumped = sio.dumps(encoder)
    untrusted = sio.get_untrusted_types(data=dumped)
    assert all(t.startswith("skmer.encoders.") for t in untrusted), untrusted
    loaded = sio.loads(dumped, trusted=untrusted)
    assert_allclose(loaded.transform(items), encoder.transform(items))
    assert np.array_equal(
        loaded.get_feature_names_out(), encoder.get_feature_names_out()
    )
