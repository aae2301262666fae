"""
======================================================
From raw recordings to a multimodal emotion classifier
======================================================

A complete multi-modal emotion recognition (MER) pipeline on *raw* data: one
column per modality holding each participant's text, speech waveform, EEG
trial, ECG recording and walking skeleton, with some recordings missing.
One encoder per modality (:mod:`skmer.encoders`) turns the raw items into a
feature block, :class:`~skmer.compose.ModalityEncoder` assembles the blocks,
and a fusion estimator learns from them -- all inside one scikit-learn
``Pipeline`` evaluated by cross-validation.

The recordings are synthetic, generated so that *arousal* (calm = 0, excited
= 1) shows in each modality the way the literature describes it: arousing
words, higher and louder voice, more beta and less alpha EEG power, faster
heart rate, faster gait.
"""

# %%
# Simulate raw recordings of five modalities
# ------------------------------------------
import neurokit2 as nk
import numpy as np
import pandas as pd

rng = np.random.RandomState(0)
n = 60
y = np.arange(n) % 2  # 0 = calm, 1 = excited

CALM = ["calm", "relaxed", "quiet", "peaceful", "tired", "bored", "content"]
EXCITED = ["excited", "thrilled", "angry", "panic", "furious", "amazed", "scared"]
FILLER = ["the", "day", "was", "and", "I", "felt", "really", "at", "work", "today"]


def text(label):
    # one word of the true arousal level, one random emotion word, filler
    words = list(rng.choice(FILLER, 6)) + [rng.choice(EXCITED if label else CALM)]
    words += [rng.choice(CALM + EXCITED)]
    rng.shuffle(words)
    return " ".join(words)


def speech(label, sr=8000):
    seconds = rng.uniform(0.3, 0.6)
    t = np.arange(int(seconds * sr)) / sr
    f0 = rng.normal(175 if label else 150, 30)
    vibrato = 1 + 0.02 * np.sin(2 * np.pi * 5 * t)
    phase = 2 * np.pi * np.cumsum(f0 * vibrato) / sr
    wave = sum(np.sin(k * phase) / k for k in range(1, 5))
    return rng.uniform(0.1, 0.4) * wave + 0.02 * rng.normal(size=t.size)


def eeg(label, sfreq=128):
    t = np.arange(int(rng.uniform(3, 5) * sfreq)) / sfreq
    alpha, beta = (0.8, 0.7) if label else (1.0, 0.5)
    trial = rng.normal(size=(4, t.size))
    for ch in range(4):
        trial[ch] += alpha * np.sin(2 * np.pi * rng.uniform(9, 12) * t + rng.rand() * 6)
        trial[ch] += beta * np.sin(2 * np.pi * rng.uniform(18, 25) * t + rng.rand() * 6)
    return trial


def ecg(label):
    rate = rng.normal(72 if label else 66, 6)
    return nk.ecg_simulate(
        duration=8,
        sampling_rate=100,
        heart_rate=rate,
        method="simple",
        random_state=rng.randint(1000),
    )


def gait(label, fps=15):
    pose = np.array(
        [
            [0, 1.7, 0],
            [0, 1.0, 0],
            [-0.2, 0, 0],
            [0.2, 0, 0],
            [-0.3, 1.3, 0],
            [0.3, 1.3, 0],
        ],
        dtype=float,
    )
    speed = rng.normal(1.2 if label else 1.0, 0.25)
    T = rng.randint(20, 40)
    t = np.arange(T)[:, None, None] / fps
    swing = 0.15 * np.sin(2 * np.pi * speed * t) * np.array([0, 0, 1])
    return (
        pose
        + speed * t * np.array([0, 0, 1.0])
        + swing * rng.choice([-1, 1], (1, 6, 1))
    )


X = pd.DataFrame(
    {
        "text": [text(c) for c in y],
        "speech": [speech(c) for c in y],
        "eeg": [eeg(c) for c in y],
        "ecg": [ecg(c) for c in y],
        "gait": [gait(c) for c in y],
    }
)
# about 15% of the recordings of each modality are missing
for column in X:
    X.loc[rng.rand(n) < 0.15, column] = None
print(X.loc[1, "text"])
print({m: getattr(X.loc[1, m], "shape", None) for m in X})  # one row's raw items
print("missing recordings per modality:", X.isna().sum().to_dict())

# %%
# One encoder per modality, then fusion
# -------------------------------------
# Every encoder fits on the present items only and returns NaN rows for the
# missing ones; late fusion lets a missing modality abstain. Since
# ``ModalityEncoder`` masks the missing rows itself, an encoder can be any
# scikit-learn pipeline, e.g. an skmer encoder followed by a ``StandardScaler``.
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skmer.compose import ModalityEncoder
from skmer.encoders import (
    AudioEncoder,
    EEGBandEncoder,
    LexiconEncoder,
    PhysioEncoder,
    SkeletonEncoder,
)
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier

encoders = ModalityEncoder(
    {
        "text": LexiconEncoder(dimensions=["valence", "arousal", "dominance"]),
        "speech": make_pipeline(
            AudioEncoder(
                sr=8000, n_mfcc=6, deltas=False, frame_length=512, hop_length=256
            ),
            StandardScaler(),
        ),
        "eeg": make_pipeline(
            EEGBandEncoder(
                sfreq=128, ch_names=["F3", "F4", "O1", "O2"], features=["de"]
            ),
            StandardScaler(),
        ),
        "ecg": make_pipeline(PhysioEncoder("ecg", sampling_rate=100), StandardScaler()),
        "gait": make_pipeline(
            SkeletonEncoder(fps=15, covariance=False), StandardScaler()
        ),
    }
)
mer = Pipeline(
    [
        ("encode", encoders),
        ("fuse", LateFusionClassifier(method="weighted", random_state=0)),
    ]
)

cv = StratifiedKFold(3, shuffle=True, random_state=0)
late = cross_val_score(mer, X, y, cv=cv)
early = cross_val_score(mer.set_params(fuse=EarlyFusionClassifier()), X, y, cv=cv)
print(f"late fusion accuracy:  {late.mean():.2f} +/- {late.std():.2f}")
print(f"early fusion accuracy: {early.mean():.2f} +/- {early.std():.2f}")

# %%
# The encoded blocks and how much each modality counted
# -----------------------------------------------------
mer.set_params(fuse=LateFusionClassifier(method="weighted", random_state=0)).fit(X, y)
Z = mer.named_steps["encode"].transform(X)
print(
    {
        name: s.stop - s.start
        for name, s in mer.named_steps["encode"].modalities_.items()
    }
)
print(Z.filter(like="text__").head(3).round(2).to_string())

import matplotlib.pyplot as plt

weights = mer.named_steps["fuse"].modality_weights_
fig, ax = plt.subplots()
ax.bar(list(weights), list(weights.values()))
ax.set_ylabel("modality weight")
ax.set_title("Late fusion: weight of each raw modality")
plt.show()
