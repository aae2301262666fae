import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.impute import KNNImputer
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeClassifier

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import (
    EarlyFusionClassifier,
    EarlyFusionRegressor,
    HybridFusionClassifier,
    HybridFusionRegressor,
    LateFusionClassifier,
)


def test_early_impute_uses_training_means():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [np.nan, 5.0], [4.0, 7.0]])
    clf = EarlyFusionClassifier(modalities={"a": [0], "b": [1]}).fit(X, [0, 0, 1, 1])
    assert_allclose(clf._transform_input(X)[2], [2.0, 5.0])


def test_early_indicator_adds_one_column_per_modality():
    X, y = make_multimodal_classification(
        n_samples=100, missing_rate=0.3, random_state=0
    )
    clf = EarlyFusionClassifier(missing="indicator").fit(X, y)
    Z = clf._transform_input(X)
    assert Z.shape[1] == X.shape[1] + 3
    assert_allclose(Z[:, -1], X["video__0"].isna().to_numpy().astype(float))


def test_early_missing_error_names_modality_and_rows():
    X, y = make_multimodal_classification(
        n_samples=50, missing_rate={"audio": 0.3}, random_state=0
    )
    rows = np.flatnonzero(X["audio__0"].isna())
    with pytest.raises(
        ValueError, match=rf"Modality 'audio' is missing in rows \[{rows[0]}, "
    ):
        EarlyFusionClassifier(missing="error").fit(X, y)


def test_early_custom_imputer_and_estimator():
    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.2, random_state=0
    )
    clf = EarlyFusionClassifier(
        DecisionTreeClassifier(max_depth=3), imputer=KNNImputer(), random_state=0
    )
    clf.fit(X, y)
    assert clf.estimator_.random_state is not None
    assert set(clf.modality_weights_) == {"text", "audio", "video"}
    assert not hasattr(clf, "decision_function")
    assert clf.predict_proba(X).shape == (200, 2)


def test_early_modality_weights_from_coefficients():
    X, y = make_multimodal_regression(
        n_samples=400,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        random_state=0,
    )
    reg = EarlyFusionRegressor(Ridge()).fit(X, y)
    assert reg.modality_weights_["text"] > 0.6


def test_early_regressor_multi_output():
    X, y = make_multimodal_regression(
        n_samples=200, n_targets=3, missing_rate=0.3, random_state=0
    )
    assert EarlyFusionRegressor().fit(X, y).predict(X).shape == (200, 3)


@pytest.mark.parametrize("method", ["soft", "hard", "weighted", "variance", "stacking"])
def test_hybrid_classifier_methods(method):
    X, y = make_multimodal_classification(
        n_samples=400, missing_rate=0.3, random_state=0
    )
    clf = HybridFusionClassifier(method=method, random_state=0).fit(X[:300], y[:300])
    assert list(clf.named_estimators_) == ["text", "audio", "video", "early"]
    assert clf.score(X[300:], y[300:]) > 0.7
    assert sum(clf.modality_weights_.values()) == pytest.approx(1.0)


def test_hybrid_early_member_present_when_any_modality_is():
    nan = np.nan
    X = np.array(
        [[0.0, 1.0], [1.0, nan], [nan, 2.0], [3.0, 4.0], [nan, 0.5], [2.0, nan]]
    )
    y = np.array([0, 1, 0, 1, 0, 1])
    clf = HybridFusionClassifier(modalities={"a": [0], "b": [1]}).fit(X, y)
    present = clf._member_presence(np.array([[True, False], [False, False]]))
    assert present.tolist() == [[True, False, True], [False, False, False]]
    assert_allclose(clf.predict_proba([[nan, nan]]), [clf.class_prior_])


def test_hybrid_rejects_modality_named_early():
    X = np.random.RandomState(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match="named 'early'"):
        HybridFusionClassifier(modalities={"early": [0], "b": [1]}).fit(
            X, np.arange(20) % 2
        )


def test_hybrid_regressor():
    X, y = make_multimodal_regression(n_samples=300, missing_rate=0.3, random_state=0)
    reg = HybridFusionRegressor(method="weighted", random_state=0).fit(X[:200], y[:200])
    assert reg.score(X[200:], y[200:]) > 0.5


def test_early_fuses_only_the_layout_columns():
    X, y = make_multimodal_classification(
        n_samples=300,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        random_state=0,
    )
    audio = [c for c in X.columns if c.startswith("audio__")]
    with pytest.raises(ValueError, match=r"leaves 35 of the 45 columns.*'text__0'"):
        EarlyFusionClassifier(modalities={"audio": audio}).fit(X, y)
    only_audio = EarlyFusionClassifier(modalities={"audio": audio}, remainder="drop")
    only_audio.fit(X, y)
    assert only_audio.imputer_.n_features_in_ == len(audio)
    assert only_audio.score(X, y) < 0.7
    assert EarlyFusionClassifier().fit(X, y).score(X, y) > 0.8


@pytest.mark.parametrize("Est", [EarlyFusionClassifier, EarlyFusionRegressor])
def test_early_values_that_overflow_name_the_modality_and_row(Est):
    make = (
        make_multimodal_regression
        if Est is EarlyFusionRegressor
        else make_multimodal_classification
    )
    X, y = make(n_samples=60, random_state=0)
    X_bad = X.copy()
    X_bad.loc[4, "audio__1"] = 1e300
    with pytest.raises(ValueError, match=r"Modality 'audio' holds 1e\+300 in row 4"):
        Est().fit(X_bad, y)
    est = Est().fit(X, y)
    with pytest.raises(ValueError, match=r"Modality 'audio' holds 1e\+300 in row 4"):
        est.predict(X_bad)
    # large but squarable values are legal and give finite predictions
    X_big = X.copy()
    X_big["audio__1"] *= 1e100
    assert np.isfinite(
        np.asarray(Est().fit(X_big, y).predict(X_big), dtype=float)
    ).all()


def test_multilabel_through_multioutput_wrapping_of_late_and_hybrid_fusion():
    from sklearn.multioutput import MultiOutputClassifier

    X, y = make_multimodal_classification(
        n_samples=300, missing_rate=0.3, random_state=0
    )
    Y = np.column_stack([y, 1 - y, (X["audio__0"].fillna(0) > 0).astype(int)])
    for fusion in [
        LateFusionClassifier(method="weighted", random_state=0),
        HybridFusionClassifier(random_state=0),
    ]:
        clf = MultiOutputClassifier(fusion).fit(X, Y)
        assert clf.predict(X).shape == (300, 3)
        assert (clf.predict(X)[:, 0] == y).mean() > 0.7
