"""Emotion detection: planted emotional segments are found and localised."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import GroupKFold, cross_val_score

from skmer.datasets import make_multimodal_classification
from skmer.emotions import EmotionSegmentDetector
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier
from skmer.metrics import (
    event_detection_scores,
    labels_to_events,
    localization_accuracy,
)


def _sequences(n_seq=12, length=20, seed=0, flip=0.0):
    """Sequences of neutral segments, each with one planted emotional run."""
    rng = np.random.RandomState(seed)
    X, y, groups, truth = [], [], [], []
    emotions = ["joy", "anger", "sadness"]
    centres = {"none": 0.0, "joy": 2.5, "anger": -2.5, "sadness": 5.0}
    for s in range(n_seq):
        lab = np.array(["none"] * length, dtype=object)
        start = rng.randint(2, length - 8)
        end = start + rng.randint(4, 7)
        emo = emotions[s % 3]
        lab[start:end] = emo
        truth.append((s, start, end, emo))
        feats = np.array([centres[v] for v in lab])[:, None] + rng.normal(
            size=(length, 4)
        )
        if flip:
            spikes = rng.rand(length) < flip
            feats[spikes & (lab == "none")] += 2.5  # isolated one-segment false alarms
        X.append(feats)
        y.append(lab)
        groups.append(np.full(length, s))
    return np.vstack(X), np.concatenate(y), np.concatenate(groups), truth


def test_detector_finds_planted_segments():
    X, y, groups, truth = _sequences()
    Xte, yte, gte, tte = _sequences(seed=1)
    det = EmotionSegmentDetector(background="none").fit(X, y)
    events = det.detect(Xte, gte)
    assert list(events.columns) == ["sequence", "start", "end", "label", "score"]
    scores = event_detection_scores(tte, events, iou_threshold=0.5)
    assert scores["recall"] == 1.0 and scores["precision"] > 0.8
    loc = det.locate(Xte, gte)
    assert len(loc) == 12
    assert localization_accuracy(tte, loc) == 1.0
    assert det.score(Xte, yte) > 0.9


def test_smoothing_and_min_length_remove_false_alarms():
    X, y, groups, truth = _sequences(seed=0)
    Xte, _, gte, tte = _sequences(seed=2, flip=0.25)
    raw = EmotionSegmentDetector(background="none").fit(X, y).detect(Xte, gte)
    clean = EmotionSegmentDetector(background="none", smoothing=3, min_length=2).fit(
        X, y
    )
    clean_events = clean.detect(Xte, gte)
    raw_p = event_detection_scores(tte, raw)["precision"]
    clean_s = event_detection_scores(tte, clean_events)
    assert clean_s["precision"] > raw_p
    assert clean_s["recall"] == 1.0
    high = (
        EmotionSegmentDetector(background="none", threshold=1.0)
        .fit(X, y)
        .detect(Xte, gte)
    )
    assert len(high) <= len(raw)


def test_detector_over_fused_modalities_with_group_cv():
    Xm, yc = make_multimodal_classification(
        n_samples=120, n_classes=2, class_sep=1.5, missing_rate=0.1, random_state=0
    )
    y = np.where(yc == 1, "joy", "none")
    groups = np.repeat(np.arange(6), 20)
    for fusion in (EarlyFusionClassifier(), LateFusionClassifier()):
        det = EmotionSegmentDetector(fusion, background="none")
        cv = cross_val_score(det, Xm, y, groups=groups, cv=GroupKFold(3))
        assert cv.mean() > 0.7
        events = det.fit(Xm, y).detect(Xm, groups)
        true_events = labels_to_events(y, groups, background="none")
        assert (
            event_detection_scores(true_events, events, iou_threshold=0.3)["f1"] > 0.5
        )


def test_detector_errors():
    X, y, groups, _ = _sequences(n_seq=3)
    det = EmotionSegmentDetector(background="none").fit(X, y)
    with pytest.raises(ValueError, match="groups has 3 entries for 60 segments"):
        det.detect(X, groups[:3])
    only_bg = EmotionSegmentDetector(background="none").fit(
        X[:4], ["none", "none", "x", "x"]
    )
    assert only_bg.classes_.tolist() == ["none", "x"]
    bg = EmotionSegmentDetector(DummyClassifier(), background="x").fit(
        X[:2], ["x", "x"]
    )
    with pytest.raises(ValueError, match="Only the background label"):
        bg.locate(X[:2])
    # regression: a background missing from y (a typo) was silently ignored
    with pytest.raises(ValueError, match=r"background='neutral' is not a label of y"):
        EmotionSegmentDetector(background="neutral").fit(X, y)


def test_detection_metrics_hand_computed():
    ev = labels_to_events(
        ["n", "a", "a", "n", "b", "b"], [0, 0, 0, 1, 1, 1], background="n"
    )
    assert ev[["sequence", "start", "end", "label"]].values.tolist() == [
        [0, 1, 3, "a"],
        [1, 1, 3, "b"],
    ]
    true = pd.DataFrame(
        [(0, 0, 10, "a"), (0, 20, 30, "b"), (1, 5, 10, "a")],
        columns=["sequence", "start", "end", "label"],
    )
    pred = [(0, 0, 8, "a"), (0, 20, 30, "a"), (1, 0, 4, "a")]
    s = event_detection_scores(true, pred)
    assert (s["n_matched"], s["precision"], s["recall"]) == (1, 1 / 3, 1 / 3)
    assert s["mean_iou"] == pytest.approx(0.8)
    loose = event_detection_scores(true, pred, match_label=False)
    assert loose["n_matched"] == 2
    assert localization_accuracy(true, [(0, 25, "b"), (1, 7, "b")]) == 0.5
    assert (
        localization_accuracy(true, [(0, 25, "b"), (1, 7, "b")], match_label=False)
        == 1.0
    )
    with pytest.raises(ValueError, match="end <= start"):
        event_detection_scores([(0, 3, 3, "a")], [])
    with pytest.raises(ValueError, match=r"iou_threshold must be in \(0, 1\]"):
        event_detection_scores(true, pred, iou_threshold=0)


def test_localization_rejects_several_locations_per_sequence():
    # regression: the last of several rows of one sequence silently won
    true = [(0, 2, 4, "joy")]
    with pytest.raises(ValueError, match=r"several rows for the sequences \[0\]"):
        localization_accuracy(true, [(0, 3, "joy"), (0, 0, "joy")])
    assert localization_accuracy(true, [(0, 3, "joy"), (1, 0, "joy")]) == 1.0
    with pytest.raises(ValueError, match=r"locations lacks the columns \['segment'\]"):
        localization_accuracy(true, pd.DataFrame({"sequence": [0], "label": ["joy"]}))
