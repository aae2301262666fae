import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from skmer.compose import ModalityEncoder
from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.encoders import VectorEncoder
from skmer.fusion import (
    EarlyFusionClassifier,
    LateFusionClassifier,
    LateFusionRegressor,
)
from skmer.inspection import (
    MissingModalityDisplay,
    ModalityWeightsDisplay,
    ValenceArousalDisplay,
    missing_modality_curve,
    permutation_importance_by_modality,
)


@pytest.fixture(scope="module")
def data():
    return make_multimodal_classification(
        n_samples=300,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        random_state=0,
    )


def test_curve_drops_only_for_the_informative_modality(data):
    X, y = data
    res = missing_modality_curve(
        LateFusionClassifier(method="weighted", random_state=0),
        X,
        y,
        rates=[0, 1],
        cv=3,
        random_state=0,
    )
    assert res.modalities == ["text", "audio", "video"]
    assert res.scores.shape == (3, 2, 3)
    text, audio = res.mean[0], res.mean[1]
    assert text[0] - text[1] > 0.15
    assert abs(audio[0] - audio[1]) < 0.05
    assert np.allclose(res.mean[:, 0], res.mean[0, 0])


def test_curve_on_raw_dataframe_pipeline():
    # the raw cells of the dropped modality are removed before the encoder: only
    # removing the informative one costs accuracy
    X, y = make_multimodal_classification(
        n_samples=300,
        output="vectors",
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        random_state=0,
    )
    pipe = Pipeline(
        [
            ("encode", ModalityEncoder({m: VectorEncoder() for m in X.columns})),
            ("fuse", LateFusionClassifier()),
        ]
    )
    res = missing_modality_curve(
        pipe,
        X,
        y,
        rates=[0, 1],
        which=["text", "audio"],
        scoring="ua",
        cv=3,
        random_state=0,
    )
    assert res.mean.shape == (2, 2)
    text, audio = res.mean
    assert text[0] - text[1] > 0.15
    assert abs(audio[0] - audio[1]) < 0.05
    assert text[0] == pytest.approx(audio[0])  # rate 0 changes nothing


def test_curve_errors(data):
    X, y = data
    with pytest.raises(ValueError, match=r"which names unknown modalities \['gait'\]"):
        missing_modality_curve(LateFusionClassifier(), X, y, which=["gait"])
    with pytest.raises(ValueError, match="rates must be a non-empty list of values in"):
        missing_modality_curve(LateFusionClassifier(), X, y, rates=[1.5])


def test_permutation_importance_by_modality(data):
    X, y = data
    clf = EarlyFusionClassifier().fit(X, y)
    res = permutation_importance_by_modality(clf, X, y, n_repeats=3, random_state=0)
    assert res.importances.shape == (3, 3)
    assert res.importances_mean[0] > 0.1
    assert abs(res.importances_mean[1]) < 0.05
    arr = permutation_importance_by_modality(
        clf, X, y, n_repeats=2, random_state=0, scoring="accuracy"
    )
    assert arr.baseline_score == pytest.approx(clf.score(X, y))


def test_displays(data):
    X, y = data
    clf = LateFusionClassifier(method="weighted", random_state=0).fit(X, y)
    disp = ModalityWeightsDisplay.from_estimator(clf)
    heights = [b.get_height() for b in disp.bars_]
    assert heights == pytest.approx(list(clf.modality_weights_.values()))
    with pytest.raises(TypeError, match="has no modality_weights_"):
        from sklearn.linear_model import LogisticRegression

        ModalityWeightsDisplay.from_estimator(LogisticRegression().fit(X.fillna(0), y))
    curve = missing_modality_curve(LateFusionClassifier(), X, y, rates=[0, 1], cv=2)
    d = MissingModalityDisplay.from_curve(curve, estimator_name="late")
    assert [line.get_label() for line in d.lines_] == [
        "without text",
        "without audio",
        "without video",
    ]
    assert "late" in d.ax_.get_title()


def test_valence_arousal_display():
    Xr, yr = make_multimodal_regression(n_samples=50, n_targets=2, random_state=0)
    pred = LateFusionRegressor().fit(Xr, yr).predict(Xr)
    disp = ValenceArousalDisplay.from_predictions(np.tanh(pred), y_true=np.tanh(yr))
    assert disp.ax_.get_ylabel() == "arousal"
    with pytest.raises(ValueError, match="valence and arousal columns"):
        ValenceArousalDisplay.from_predictions(np.ones(5))


def test_curve_stratifies_classifiers_without_predict_proba():
    # hard voting has no predict_proba; the folds must still be stratified (sorted
    # labels with unstratified 2-fold KFold give single-class training folds)
    X, y = make_multimodal_classification(n_samples=120, random_state=0)
    order = np.argsort(y, kind="stable")
    X, y = X.iloc[order].reset_index(drop=True), y[order]
    clf = LateFusionClassifier(method="hard")
    assert not hasattr(clf, "predict_proba")
    res = missing_modality_curve(clf, X, y, rates=[0], cv=2, random_state=0)
    assert np.all(res.mean > 0.6)


def test_valence_arousal_display_checks_shapes():
    va = np.array([[0.8, 0.5], [-0.6, 0.7], [-0.5, -0.4]])
    with pytest.raises(ValueError, match=r"y_true must have .* got shape \(3, 1\)"):
        ValenceArousalDisplay.from_predictions(va, y_true=va[:, :1])
    with pytest.raises(ValueError, match="labels has 2 values; y_pred has 3 rows"):
        ValenceArousalDisplay.from_predictions(va, labels=["joy", "anger"])


def test_permutation_importance_on_raw_dataframe_pipeline():
    # like missing_modality_curve, it takes a raw DataFrame for an encoder pipeline
    X, y = make_multimodal_classification(
        n_samples=200,
        output="vectors",
        missing_rate=0.2,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        random_state=0,
    )
    pipe = Pipeline(
        [
            ("encode", ModalityEncoder({m: VectorEncoder() for m in X.columns})),
            ("fuse", LateFusionClassifier()),
        ]
    ).fit(X.iloc[:100], y[:100])
    res = permutation_importance_by_modality(
        pipe, X.iloc[100:], y[100:], random_state=0
    )
    assert res.modalities == ["text", "audio", "video"]
    assert res.importances_mean[0] > 0.1
    assert np.all(np.abs(res.importances_mean[1:]) < res.importances_mean[0] / 2)


def test_curve_with_group_splitter(data):
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut, cross_val_score

    X, y = data
    speaker = np.arange(len(y)) % 3
    res = missing_modality_curve(
        LateFusionClassifier(),
        X,
        y,
        groups=speaker,
        rates=[0, 1],
        which=["text"],
        cv=GroupKFold(3),
        random_state=0,
    )
    assert res.scores.shape == (1, 2, 3)
    expected = cross_val_score(
        LateFusionClassifier(), X, y, groups=speaker, cv=LeaveOneGroupOut()
    )
    logo = missing_modality_curve(
        LateFusionClassifier(),
        X,
        y,
        groups=speaker,
        rates=[0],
        which=["text"],
        cv=LeaveOneGroupOut(),
        random_state=0,
    )
    np.testing.assert_allclose(logo.scores[0, 0], expected)
