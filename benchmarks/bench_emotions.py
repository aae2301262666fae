"""skmer.emotions: LDL learners, annotation aggregation, emotion detection on CMU-MOSI.

Three tables:

1. Label distribution learning on synthetic data from two families (a
   maximum-entropy/softmax-linear one and a non-linear one), 5-fold CV: the six
   LDL measures of Geng (2016) and the fit time as a ratio to the baseline (the
   training-mean distribution, ``ClassifierLDL(DummyClassifier("prior"))``).
2. Annotation aggregation on simulated rater pools (one reliable rater among
   noisy ones, 20 % missing ratings): accuracy of majority vote vs Dawid-Skene
   against the true labels, and the agreement measures.
3. Emotion detection on CMU-MOSI (bc-LSTM utterance features): the utterances
   of a video are its segments, labelled positive (score >= 1), negative
   (score <= -1) or none; 5-fold GroupKFold by video; segment UA, event
   precision/recall/F1 at IoU 0.5, and localisation accuracy (is the located
   utterance inside a true event of its label).

    python benchmarks/bench_emotions.py [--data ../shared/data/mosi/train.npz]
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold

from skmer.emotions import (
    ClassifierLDL,
    EmotionSegmentDetector,
    MaxEntropyLDL,
    dawid_skene,
    fleiss_kappa,
    krippendorff_alpha,
    majority_vote,
)
from skmer.fusion import EarlyFusionClassifier
from skmer.metrics import (
    canberra_distance,
    chebyshev_distance,
    clark_distance,
    cosine_similarity_score,
    event_detection_scores,
    intersection_similarity,
    kl_divergence,
    labels_to_events,
    localization_accuracy,
    unweighted_accuracy,
)

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "mosi" / "train.npz"
MEASURES = {
    "Cheb↓": chebyshev_distance,
    "Clark↓": clark_distance,
    "Canb↓": canberra_distance,
    "KL↓": kl_divergence,
    "Cos↑": cosine_similarity_score,
    "Inter↑": intersection_similarity,
}


def ldl_data(family, n=600, d=8, k=6, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    if family == "maxent":
        logits = X @ rng.normal(size=(d, k))
    else:  # distributions that depend on |x| and products of features
        logits = np.abs(X[:, :k]) * 2 - (X[:, :k] * X[:, 1 : k + 1])
    D = np.exp(logits + 0.3 * rng.normal(size=(n, k)))
    return X, D / D.sum(axis=1, keepdims=True)


def ldl_table():
    learners = {
        "mean distribution (baseline)": ClassifierLDL(
            DummyClassifier(strategy="prior")
        ),
        "MaxEntropyLDL": MaxEntropyLDL(),
        "ClassifierLDL(LogisticRegression)": ClassifierLDL(
            LogisticRegression(max_iter=1000)
        ),
        "ClassifierLDL(RandomForest)": ClassifierLDL(
            RandomForestClassifier(n_estimators=100, min_samples_leaf=5, random_state=0)
        ),
    }
    rows = []
    for family in ("maxent", "nonlinear"):
        X, D = ldl_data(family)
        base_time = None
        for name, est in learners.items():
            scores, fit_time = {m: [] for m in MEASURES}, 0.0
            for tr, te in KFold(5, shuffle=True, random_state=0).split(X):
                t0 = time.perf_counter()
                est.fit(X[tr], D[tr])
                fit_time += time.perf_counter() - t0
                P = est.predict(X[te])
                for m, f in MEASURES.items():
                    scores[m].append(f(D[te], P))
            base_time = fit_time if base_time is None else base_time
            rows.append(
                {
                    "data": family,
                    "learner": name,
                    **{m: np.mean(v) for m, v in scores.items()},
                    "fit time / baseline": fit_time / base_time,
                }
            )
    return pd.DataFrame(rows)


def rater_pool(n_items, accuracies, n_classes, missing, rng):
    truth = rng.randint(0, n_classes, n_items)
    ratings = np.empty((n_items, len(accuracies)), dtype=object)
    for r, acc in enumerate(accuracies):
        wrong = rng.rand(n_items) > acc
        other = (truth + rng.randint(1, n_classes, n_items)) % n_classes
        ratings[:, r] = np.where(wrong, other, truth)
    ratings[rng.rand(*ratings.shape) < missing] = None
    return truth, ratings


def aggregation_table():
    pools = {
        "1 reliable (0.95) + 4 noisy (0.45)": [0.95, 0.45, 0.45, 0.45, 0.45],
        "5 equal raters (0.7)": [0.7] * 5,
        "2 reliable (0.9) + 3 noisy (0.4)": [0.9, 0.9, 0.4, 0.4, 0.4],
    }
    rows = []
    for name, acc in pools.items():
        res = {"rater pool (accuracy)": name}
        mv, ds, alpha, t_mv, t_ds = [], [], [], 0.0, 0.0
        for seed in range(5):
            rng = np.random.RandomState(seed)
            truth, ratings = rater_pool(1000, acc, 4, 0.2, rng)
            t0 = time.perf_counter()
            mv.append(np.mean(majority_vote(ratings, random_state=seed) == truth))
            t_mv += time.perf_counter() - t0
            t0 = time.perf_counter()
            ds.append(np.mean(dawid_skene(ratings).labels == truth))
            t_ds += time.perf_counter() - t0
            alpha.append(krippendorff_alpha(ratings))
        complete = rater_pool(1000, acc, 4, 0.0, np.random.RandomState(0))[1]
        res.update(
            {
                "Fleiss kappa (no missing)": fleiss_kappa(complete),
                "majority vote acc": np.mean(mv),
                "Dawid-Skene acc": np.mean(ds),
                "Krippendorff alpha": np.mean(alpha),
                "DS time / MV time": t_ds / t_mv,
            }
        )
        rows.append(res)
    return pd.DataFrame(rows)


def load_mosi(path):
    with np.load(path, allow_pickle=False) as d:
        order = (
            pd.DataFrame(
                {
                    "video": d["video_id"],
                    "pos": [int(u.rsplit("_", 1)[1]) for u in d["utterance_id"]],
                }
            )
            .sort_values(["video", "pos"], kind="stable")
            .index.to_numpy()
        )
        X = pd.concat(
            [
                pd.DataFrame(
                    d[m][order].astype(float),
                    columns=[f"{m}__{i}" for i in range(d[m].shape[1])],
                )
                for m in ("text", "audio", "video")
            ],
            axis=1,
        )
        score = d["score"][order].astype(float)
        groups = d["video_id"][order]
    labels = np.where(score >= 1, "positive", np.where(score <= -1, "negative", "none"))
    return X, labels, groups


def detection_table(path):
    X, y, groups = load_mosi(path)
    detectors = {
        "stratified chance (baseline)": EmotionSegmentDetector(
            DummyClassifier(strategy="stratified", random_state=0), background="none"
        ),
        "early fusion": EmotionSegmentDetector(
            EarlyFusionClassifier(), background="none"
        ),
        "early fusion, smoothing=3": EmotionSegmentDetector(
            EarlyFusionClassifier(), background="none", smoothing=3
        ),
        "early fusion, smoothing=3, min_length=2": EmotionSegmentDetector(
            EarlyFusionClassifier(), background="none", smoothing=3, min_length=2
        ),
    }
    rows = []
    base_time = None
    for name, det in detectors.items():
        pred = np.empty(len(y), dtype=object)
        events, locs, t = [], [], 0.0
        for tr, te in GroupKFold(5).split(X, y, groups):
            t0 = time.perf_counter()
            det.fit(X.iloc[tr], y[tr])
            pred[te] = det.predict(X.iloc[te])
            events.append(det.detect(X.iloc[te], groups[te]))
            locs.append(det.locate(X.iloc[te], groups[te]))
            t += time.perf_counter() - t0
        base_time = t if base_time is None else base_time
        truth = labels_to_events(y, groups, background="none")
        ev = event_detection_scores(truth, pd.concat(events), iou_threshold=0.5)
        rows.append(
            {
                "detector": name,
                "segment UA": unweighted_accuracy(y, pred.astype(str)),
                "event P": ev["precision"],
                "event R": ev["recall"],
                "event F1": ev["f1"],
                "localisation acc": localization_accuracy(truth, pd.concat(locs)),
                "time / baseline": t / base_time,
            }
        )
    return (
        pd.DataFrame(rows),
        len(y),
        len(np.unique(groups)),
        pd.Series(y).value_counts(),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT))
    args = parser.parse_args()
    print("### Label distribution learning (synthetic, n=600, 6 labels, 5-fold CV)\n")
    print(ldl_table().to_markdown(index=False, floatfmt=".3f"))
    print(
        "\n### Annotation aggregation (1000 items, 4 classes, 5 raters, 20 % missing;"
        " mean of 5 seeds)\n"
    )
    print(aggregation_table().to_markdown(index=False, floatfmt=".3f"))
    if Path(args.data).exists():
        table, n, n_videos, counts = detection_table(args.data)
        print(
            f"\n### Emotion detection on CMU-MOSI train ({n} utterances, {n_videos} videos;"
            f" labels {counts.to_dict()}; 5-fold GroupKFold by video)\n"
        )
        print(table.to_markdown(index=False, floatfmt=".3f"))
    else:
        print(f"\n(CMU-MOSI not found at {args.data}; detection table skipped)")


if __name__ == "__main__":
    main()
