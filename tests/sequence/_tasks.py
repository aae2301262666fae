"""Small raw-sequence tasks shared by the sequence-model tests."""

import numpy as np
import pandas as pd


def temporal_task(n, seed, missing_video=0.0):
    """Label = direction of a ramp in the audio stream (rising or falling).

    Mean and standard deviation over time are the same for both classes, so a
    pooled (mean, std) model is at chance; only the order of the steps tells.
    """
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    audio, video = [], []
    for label in y:
        T = rng.randint(6, 11)
        ramp = np.linspace(-1, 1, T)[:: 1 if label else -1]
        audio.append(np.c_[ramp + 0.2 * rng.randn(T), rng.randn(T)])
        video.append(None if rng.rand() < missing_video else rng.randn(T, 3))
    return pd.DataFrame({"audio": audio, "video": video}), y


def context_task(n_videos, seed, length=6):
    """An utterance's label is the sign of its neighbours' summed first features.

    Utterance ids are ``"v<video>_<position>"``; rows come in a shuffled order,
    so only ``order_column="utt_id"`` (or the natural order of the ids) gives
    the right neighbours.
    """
    rng = np.random.RandomState(seed)
    rows, y = [], []
    for v in range(n_videos):
        feats = rng.randn(length, 3)
        for i in range(length):
            around = (feats[i - 1, 0] if i else 0.0) + (
                feats[i + 1, 0] if i + 1 < length else 0.0
            )
            rows.append(
                {
                    "text": feats[i],
                    "audio": rng.randn(2),
                    "video_id": f"v{v}",
                    "utt_id": f"v{v}_{i + 1}",
                }
            )
            y.append(int(around > 0))
    perm = rng.permutation(len(rows))
    X = pd.DataFrame([rows[i] for i in perm])
    return X, np.array(y)[perm]
