"""Late fusion on unseen speakers with text missing: base learners, grouped folds, fallback.

CMU-MOSI (bc-LSTM features): fit on ``train`` (text/audio/video blocks, binary
``score >= 0``), score A2 on ``valid`` (11 videos of unseen speakers) after
removing the text block from a seeded 30 % of the valid rows. Compares, for
``LateFusionClassifier`` with ``method`` soft / stacking:

* the base learner: the default (StandardScaler + LogisticRegression C=1),
  C=0.01, and ``LogisticRegressionCV`` choosing C per modality by
  speaker-grouped folds (it gets ``groups`` through metadata routing);
* ``fallback=None`` vs ``"prior"`` (rows drawn towards the training prior as far
  as their most reliable present member is unreliable, out of fold);
* every fit gets ``groups=video_id``, so the out-of-fold outputs behind
  stacking and the reliabilities use speaker-grouped folds.

The reference is the training prior (the majority class of train) on the same
rows. Note: the released text and video embeddings were learned on the train
labels, so out-of-fold reliabilities inside train are leaky for them (video
looks reliable in train and is at chance on unseen speakers).

Run: python benchmarks/bench_late_fallback.py [--data ../shared/data] [--missing 0.3]
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmer.fusion import LateFusionClassifier

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MODALITIES = ("text", "audio", "video")


def load(folder, split):
    z = np.load(Path(folder) / "mosi" / f"{split}.npz")
    blocks = [z[m].astype(float) for m in MODALITIES]
    columns = [
        f"{m}__{i}" for m, b in zip(MODALITIES, blocks) for i in range(b.shape[1])
    ]
    X = pd.DataFrame(np.hstack(blocks), columns=columns)
    return X, (z["score"] >= 0).astype(int), z["video_id"]


def base_learners():
    lrcv = LogisticRegressionCV(
        Cs=np.logspace(-4, 2, 7),
        cv=GroupKFold(3),
        scoring="accuracy",
        l1_ratios=(0.0,),
        use_legacy_attributes=False,
        max_iter=1000,
    )
    return {
        "LR C=1 (default)": None,
        "LR C=0.01": make_pipeline(StandardScaler(), LogisticRegression(C=0.01)),
        "LRCV grouped": make_pipeline(StandardScaler(), lrcv),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--missing", type=float, default=0.3)
    args = parser.parse_args(argv)
    Xtr, ytr, gtr = load(args.data, "train")
    Xva, yva, _ = load(args.data, "valid")
    drop = np.random.RandomState(0).rand(len(yva)) < args.missing
    Xva.loc[drop, [c for c in Xva.columns if c.startswith("text__")]] = np.nan
    majority = np.bincount(ytr).argmax()
    print(f"valid rows {len(yva)}, text removed in {drop.sum()}")
    print(f"{'model':38s} {'A2 all':>7s} {'no-text':>8s} {'text':>6s} {'fit s':>6s}")
    print(
        f"{'training prior':38s} {np.mean(yva == majority):7.3f} "
        f"{np.mean(yva[drop] == majority):8.3f} {np.mean(yva[~drop] == majority):6.3f}"
    )
    for bname, base in base_learners().items():
        for method in ("soft", "stacking"):
            for fallback in (None, "prior"):
                start = time.perf_counter()
                with (
                    sklearn.config_context(enable_metadata_routing=True),
                    warnings.catch_warnings(),
                ):
                    warnings.simplefilter("ignore", FutureWarning)
                    clf = LateFusionClassifier(
                        base, method=method, fallback=fallback, random_state=0
                    ).fit(Xtr, ytr, groups=gtr)
                seconds = time.perf_counter() - start
                pred = clf.predict(Xva)
                name = f"{bname} {method} fallback={fallback}"
                print(
                    f"{name:38s} {np.mean(pred == yva):7.3f} "
                    f"{np.mean(pred[drop] == yva[drop]):8.3f} "
                    f"{np.mean(pred[~drop] == yva[~drop]):6.3f} {seconds:6.1f}"
                )
                if fallback:
                    rel = {k: round(v, 2) for k, v in clf.member_reliability_.items()}
                    print(f"{'':38s} out-of-fold reliability {rel}")


if __name__ == "__main__":
    main()
