"""Tests of AttentionFusionClassifier / AttentionFusionRegressor."""

import pickle

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, train_test_split

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import AttentionFusionClassifier, AttentionFusionRegressor

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

FAST = {"max_epochs": 15, "lr": 0.01, "hidden_sizes": (8,), "head_hidden_sizes": (16,)}


@pytest.mark.parametrize("informative", ["text", "audio"])
def test_attention_weights_shift_toward_the_informative_modality(informative):
    strength = {m: 0.0 for m in ("text", "audio", "video")}
    strength[informative] = 3.0
    X, y = make_multimodal_classification(
        n_samples=300, informativeness=strength, random_state=0
    )
    clf = AttentionFusionClassifier(random_state=0, **FAST).fit(X, y)
    w = clf.modality_weights_
    assert max(w, key=w.get) == informative
    assert w[informative] > 0.5
    assert clf.score(X, y) > 0.9


@pytest.mark.parametrize("fusion", ["attention", "gated"])
def test_absent_modalities_get_zero_attention(fusion):
    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.3, random_state=0
    )
    clf = AttentionFusionClassifier(
        fusion=fusion, modality_dropout=0.2, random_state=0, **FAST
    ).fit(X, y)
    Xv, _, present = clf._validate_fusion_data(X, reset=False)
    _, _, weights = clf._forward(clf._inputs(Xv, present))
    assert np.all(weights[~present] == 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    assert clf.score(X, y) > 0.8


def test_prediction_ignores_what_an_absent_block_would_hold():
    X, y = make_multimodal_classification(n_samples=200, random_state=0)
    clf = AttentionFusionClassifier(random_state=0, **FAST).fit(X, y)
    audio = [c for c in X.columns if c.startswith("audio__")]
    X_a, X_b = X.copy(), X.copy()
    X_a[audio] = np.nan
    X_b[audio] = np.nan
    X_b.iloc[:, :20] = X.iloc[:, :20].to_numpy()  # text unchanged
    np.testing.assert_array_equal(clf.predict_proba(X_a), clf.predict_proba(X_b))
    # the attention renormalises over text and video: predictions stay good
    assert clf.score(X_a, y) > 0.75


def test_modality_dropout_makes_the_net_robust_to_a_missing_modality():
    X, y = make_multimodal_classification(
        n_samples=800,
        informativeness={"text": 2.0, "audio": 1.0, "video": 1.0},
        random_state=0,
    )
    X, X_test, y, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
    X_test = X_test.copy()
    X_test[[c for c in X.columns if c.startswith("text__")]] = np.nan
    params = {**FAST, "random_state": 0}
    plain = AttentionFusionClassifier(**params).fit(X, y)
    dropped = AttentionFusionClassifier(modality_dropout=0.5, **params).fit(X, y)
    # without it the net leans on text alone and breaks when text is missing
    assert dropped.score(X_test, y_test) >= plain.score(X_test, y_test) + 0.1


def test_concat_and_regressor():
    X, y = make_multimodal_regression(n_samples=200, n_targets=2, random_state=0)
    reg = AttentionFusionRegressor(fusion="concat", random_state=0, **FAST).fit(X, y)
    assert reg.predict(X).shape == (200, 2) and reg.score(X, y) > 0.5
    assert np.isclose(sum(reg.modality_weights_.values()), 1)
    again = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))


def test_seeded_determinism_and_grid_search():
    X, y = make_multimodal_classification(n_samples=160, random_state=1)
    a = AttentionFusionClassifier(fusion="gated", random_state=7, **FAST).fit(X, y)
    b = AttentionFusionClassifier(fusion="gated", random_state=7, **FAST).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    grid = GridSearchCV(
        AttentionFusionClassifier(random_state=0, **{**FAST, "max_epochs": 4}),
        {"fusion": ["attention", "gated"], "lr": [1e-2, 1e-3]},
        cv=2,
    ).fit(X, y)
    assert grid.cv_results_["mean_test_score"].shape == (4,)


def test_bad_parameters_raise():
    X, y = make_multimodal_classification(n_samples=50, random_state=0)
    with pytest.raises(ValueError, match="fusion"):
        AttentionFusionClassifier(fusion="sum").fit(X, y)
    with pytest.raises(ValueError, match="modality_dropout"):
        AttentionFusionClassifier(modality_dropout=1.0).fit(X, y)
    with pytest.raises(ValueError, match="class_weight names classes"):
        AttentionFusionClassifier(class_weight={5: 2.0}, max_epochs=1).fit(X, y)


def test_diverged_training_raises():
    X, y = make_multimodal_classification(n_samples=50, random_state=0)
    with pytest.raises(ValueError, match="diverged"):
        AttentionFusionRegressor(**{**FAST, "max_epochs": 2, "lr": 1e8}).fit(X, y * 1.0)


@pytest.mark.parametrize("Est", [AttentionFusionClassifier, AttentionFusionRegressor])
def test_remainder_error_drop_and_passthrough(Est):
    make = (
        make_multimodal_regression
        if Est is AttentionFusionRegressor
        else make_multimodal_classification
    )
    X, y = make(n_samples=80, missing_rate=0.2, random_state=0)
    layout = {
        m: [c for c in X.columns if c.startswith(f"{m}__")] for m in ("text", "audio")
    }
    video = [c for c in X.columns if c.startswith("video__")]
    params = {"modalities": layout, "random_state": 0, **FAST, "max_epochs": 2}
    with pytest.raises(ValueError, match=rf"leaves {len(video)} of the .*'video__0'"):
        Est(**params).fit(X, y)
    dropped = Est(remainder="drop", **params).fit(X, y)
    assert list(dropped.input_dims_) == ["text", "audio"]
    garbage = X.assign(**{c: 1e3 for c in video})
    np.testing.assert_array_equal(dropped.predict(garbage), dropped.predict(X))
    passed = Est(remainder="passthrough", **params).fit(X, y)
    assert passed.input_dims_ == {
        "text": len(layout["text"]),
        "audio": len(layout["audio"]),
        "remainder": len(video),
    }
    assert set(passed.modality_weights_) == {"text", "audio", "remainder"}
