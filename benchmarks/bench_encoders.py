"""Modality encoders: accuracy on real transcripts (CMU-MOSI) and encoding speed.

Usage::

    python benchmarks/bench_encoders.py [--skip-mosi] [--skip-speed] [--repeat 3]

1. CMU-MOSI train transcripts (real raw text, 1447 utterances, 62 videos),
   binary sentiment (A2, ``score >= 0``), 5-fold CV grouped by video, logistic
   regression on top of each text encoder; the released text-CNN utterance
   embedding of the bc-LSTM paper is the reference. Read from
   ``../shared/data/mosi/train.npz``; skipped when absent.
2. Encoding speed (items per second, one thread) of every hand-crafted
   encoder on synthetic items of typical size, with ratios against a
   baseline run in the same process: AudioEncoder against openSMILE's
   eGeMAPS (OpenSmileEncoder), EEGBandEncoder against MNE's
   ``psd_array_welch`` alone; the other encoders have no like-for-like
   baseline, so only their items/s are given.
"""

import argparse
import os
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", "1")

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mosi" / "train.npz"


def bench_mosi():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skmer.compose import ModalityEncoder
    from skmer.encoders import LexiconEncoder, TfidfLSAEncoder, VectorEncoder

    if not DATA.exists():
        print(f"MOSI not found at {DATA}; skipped")
        return
    d = np.load(DATA)
    texts = [t.lower() for t in d["transcript"].tolist()]
    y = (d["score"] >= 0).astype(int)
    groups = d["video_id"]
    cv = GroupKFold(5)
    clf = LogisticRegression(max_iter=2000, C=1.0)
    rows = {
        "TF-IDF + LSA(100)": (
            make_pipeline(TfidfLSAEncoder(100, random_state=0), clf),
            texts,
        ),
        "TF-IDF + LSA(300)": (
            make_pipeline(TfidfLSAEncoder(300, random_state=0), clf),
            texts,
        ),
        "LexiconEncoder (default, 82 words)": (
            make_pipeline(LexiconEncoder(), StandardScaler(), clf),
            texts,
        ),
        "released text-CNN embedding": (
            make_pipeline(VectorEncoder(), StandardScaler(), clf),
            list(d["text"]),
        ),
    }
    import pandas as pd

    both = pd.DataFrame({"lsa": texts, "lex": texts})
    rows["LSA(100) + lexicon via ModalityEncoder"] = (
        make_pipeline(
            ModalityEncoder(
                {"lsa": TfidfLSAEncoder(100, random_state=0), "lex": LexiconEncoder()}
            ),
            StandardScaler(),
            clf,
        ),
        both,
    )
    print(
        f"\nCMU-MOSI train, binary A2, GroupKFold(5) by video, n={len(y)}, "
        f"majority={max(y.mean(), 1 - y.mean()):.3f}"
    )
    print(f"{'text representation':42s} {'A2 mean':>8s} {'std':>6s} {'s':>6s}")
    for name, (model, X) in rows.items():
        t0 = time.perf_counter()
        s = cross_val_score(model, X, y, cv=cv, groups=groups)
        print(
            f"{name:42s} {s.mean():8.3f} {s.std():6.3f} {time.perf_counter() - t0:6.1f}"
        )


def _rate(encoder, items, repeat):
    encoder.fit(items[:2])
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        encoder.transform(items)
        best = min(best, time.perf_counter() - t0)
    return len(items) / best


def bench_speed(repeat):
    import neurokit2 as nk

    from skmer.encoders import (
        AudioEncoder,
        EEGBandEncoder,
        FaceEncoder,
        GazeEncoder,
        ImageEncoder,
        OpenSmileEncoder,
        PhysioEncoder,
        SkeletonEncoder,
        VideoEncoder,
    )

    rng = np.random.RandomState(0)
    audio = [rng.normal(size=16000) * 0.1 for _ in range(20)]
    eeg = [rng.normal(size=(32, 128 * 4)) for _ in range(20)]
    ecg = [
        nk.ecg_simulate(duration=10, sampling_rate=250, heart_rate=70, random_state=i)
        for i in range(10)
    ]
    images = [rng.uniform(size=(128, 128, 3)) for _ in range(10)]
    video = [rng.uniform(size=(16, 64, 64, 3)) for _ in range(4)]
    skel = [rng.normal(size=(100, 25, 3)).cumsum(0) for _ in range(20)]
    t = np.arange(0, 10, 0.01)
    gaze = [
        np.c_[t, rng.normal(size=(t.size, 2)).cumsum(0), 3 + 0 * t] for _ in range(20)
    ]
    face = [
        rng.normal(size=(100, 68, 2)) + np.linspace(0, 50, 68)[None, :, None]
        for _ in range(20)
    ]

    def mne_welch(items):
        from mne.time_frequency import psd_array_welch

        class Baseline:
            def fit(self, X):
                return self

            def transform(self, X):
                return [
                    psd_array_welch(x, 128, fmin=1, fmax=50, n_fft=256, verbose=False)
                    for x in X
                ]

        return Baseline()

    cases = [
        (
            "AudioEncoder (1 s @16 kHz)",
            AudioEncoder(),
            audio,
            ("OpenSmileEncoder eGeMAPS", OpenSmileEncoder(), audio),
        ),
        (
            "EEGBandEncoder (32 ch x 4 s @128 Hz)",
            EEGBandEncoder(sfreq=128),
            eeg,
            ("mne psd_array_welch only", mne_welch(eeg), eeg),
        ),
        (
            "PhysioEncoder ecg (10 s @250 Hz)",
            PhysioEncoder("ecg", sampling_rate=250),
            ecg,
            None,
        ),
        ("ImageEncoder (128x128 RGB)", ImageEncoder(), images, None),
        ("VideoEncoder (16 x 64x64 RGB)", VideoEncoder(), video, None),
        ("SkeletonEncoder (100 x 25 x 3)", SkeletonEncoder(), skel, None),
        ("GazeEncoder (10 s @100 Hz)", GazeEncoder(), gaze, None),
        ("FaceEncoder (100 x 68 landmarks)", FaceEncoder(), face, None),
    ]
    print(
        f"\nencoding speed, best of {repeat} (items/s; ratio = baseline time / "
        "skmer time)"
    )
    print(
        f"{'encoder':40s} {'items/s':>9s}  {'baseline':28s} {'items/s':>9s} {'ratio':>6s}"
    )
    for name, enc, items, base in cases:
        r = _rate(enc, items, repeat)
        if base is None:
            print(f"{name:40s} {r:9.1f}")
        else:
            bname, benc, bitems = base
            br = _rate(benc, bitems, repeat)
            print(f"{name:40s} {r:9.1f}  {bname:28s} {br:9.1f} {r / br:6.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-mosi", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    if not args.skip_mosi:
        bench_mosi()
    if not args.skip_speed:
        bench_speed(args.repeat)
