"""Cross-corpus adaptation on real data: ICT-MMMO <-> YouTube (audio + video).

Both corpora are released with the same features (COVAREP audio, FACET video,
20 word-aligned steps), so a model trained on one can be applied to the other.
Binary sentiment: MMMO ``y > 3``; YouTube positive vs negative (neutral videos
dropped). Each sequence is pooled (mean and std over the non-padding steps); a
modality whose steps are all zero is missing (all-NaN block).

For each direction the source corpus (train + valid) is labelled and the
target corpus (train + valid) unlabelled; the score is the unweighted accuracy
(UA, balanced accuracy) on the target. Averages over 5 seeds of the fusion
estimator (the data are fixed). Speed: fit time relative to direct transfer,
measured in the same process.

Run: python benchmarks/bench_adaptation.py
"""

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from skmer.adaptation import (
    DANNClassifier,
    DomainAdaptationClassifier,
    cross_corpus_score,
)
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _pool(steps):
    valid = np.abs(steps).sum(axis=2) > 0
    out = np.full((steps.shape[0], 2 * steps.shape[2]), np.nan)
    for i, (s, v) in enumerate(zip(steps, valid)):
        if v.any():
            out[i] = np.r_[s[v].mean(axis=0), s[v].std(axis=0)]
    return out


def load(corpus):
    parts = [np.load(DATA / corpus / f"{split}.npz") for split in ("train", "valid")]
    audio = np.vstack([_pool(p["audio"]) for p in parts])
    video = np.vstack([_pool(p["video"]) for p in parts])
    if corpus == "mmmo":
        y = np.concatenate([p["y"] for p in parts]) > 3
        keep = np.ones(len(y), dtype=bool)
    else:
        onehot = np.vstack([p["y"] for p in parts])
        cls = onehot.argmax(axis=1)
        keep = cls != 1  # drop neutral
        y = cls == 2
    cols = [f"audio__{i}" for i in range(audio.shape[1])] + [
        f"video__{i}" for i in range(video.shape[1])
    ]
    X = pd.DataFrame(np.hstack([audio, video])[keep], columns=cols)
    # constant columns carry nothing and break whitening
    X = X.loc[:, X.std() > 1e-8]
    return X, y[keep].astype(int)


def main():
    warnings.filterwarnings("ignore")
    corpora = {name: load(name) for name in ("mmmo", "youtube")}
    common = corpora["mmmo"][0].columns.intersection(corpora["youtube"][0].columns)
    for name, (X, y) in corpora.items():
        miss = X.filter(like="video__").isna().all(axis=1).mean()
        print(
            f"{name}: {len(y)} rows, positive rate {y.mean():.2f}, video missing {miss:.2f}"
        )
    models = {
        "direct transfer (late)": lambda s: DomainAdaptationClassifier(
            LateFusionClassifier(), adapter="none", random_state=s
        ),
        "CORAL per modality (late)": lambda s: DomainAdaptationClassifier(
            LateFusionClassifier(), adapter="coral", random_state=s
        ),
        "CORAL fused (late)": lambda s: DomainAdaptationClassifier(
            LateFusionClassifier(), adapter="coral", level="fused", random_state=s
        ),
        "KMM re-weighting (late)": lambda s: DomainAdaptationClassifier(
            LateFusionClassifier(), adapter="kmm", random_state=s
        ),
        "direct transfer (early)": lambda s: DomainAdaptationClassifier(
            EarlyFusionClassifier(), adapter="none", random_state=s
        ),
        "CORAL per modality (early)": lambda s: DomainAdaptationClassifier(
            EarlyFusionClassifier(), adapter="coral", random_state=s
        ),
        "DANN (no adversary)": lambda s: DANNClassifier(
            domain_weight=0.0, max_epochs=40, random_state=s
        ),
        "DANN": lambda s: DANNClassifier(max_epochs=40, random_state=s),
    }
    rows = []
    # warm-up (imports of skada/torch, first-call overheads) outside the timings
    XA, yA = corpora["mmmo"]
    for make in models.values():
        cross_corpus_score(make(0), XA[common], yA, XA[common], yA)
    for src, tgt in (("mmmo", "youtube"), ("youtube", "mmmo")):
        XA, yA = corpora[src]
        XB, yB = corpora[tgt]
        XA, XB = XA[common], XB[common]
        base_time = None
        for label, make in models.items():
            scores, times = [], []
            for seed in range(5):
                t = time.perf_counter()
                scores.append(cross_corpus_score(make(seed), XA, yA, XB, yB).score)
                times.append(time.perf_counter() - t)
            if base_time is None:
                base_time = np.mean(times)
            rows.append(
                (
                    f"{src} -> {tgt}",
                    label,
                    np.mean(scores),
                    np.std(scores),
                    np.mean(times) / base_time,
                )
            )
    print()
    print(
        "| direction | method | UA on target (mean ± sd, 5 seeds) | fit time / direct |"
    )
    print("|---|---|---|---|")
    for d, label, m, s, r in rows:
        print(f"| {d} | {label} | {m:.3f} ± {s:.3f} | {r:.1f} |")


if __name__ == "__main__":
    main()
