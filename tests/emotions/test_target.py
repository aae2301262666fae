"""Target transformers between categorical and dimensional emotion models."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.neighbors import KNeighborsRegressor

from skmer.datasets import make_multimodal_classification
from skmer.emotions import (
    CategoricalEmotionRegressor,
    DimensionalEmotionClassifier,
    category_to_dimensions,
)
from skmer.fusion import EarlyFusionRegressor, LateFusionRegressor
from skmer.metrics import concordance_correlation_coefficient, mer_scoring

EKMAN3 = np.array(["anger", "happiness", "sadness"])


def _categorical(n=150, seed=0, missing_rate=0.0):
    X, y = make_multimodal_classification(
        n_samples=n,
        n_classes=3,
        class_sep=1.0,
        missing_rate=missing_rate,
        random_state=seed,
    )
    return X, EKMAN3[y]


def test_dimensional_classifier_on_fused_modalities():
    X, y = _categorical(missing_rate=0.2)
    clf = DimensionalEmotionClassifier(EarlyFusionRegressor(), space="vad").fit(X, y)
    assert clf.classes_.tolist() == EKMAN3.tolist()
    assert clf.score(X, y) > 0.8
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))
    pts = clf.predict_dimensions(X)
    # predicted points of each class lie nearest their own prototype
    mean_anger = pts[clf.predict(X) == "anger"].mean(axis=0)
    assert mean_anger[0] < 0 < mean_anger[1]
    res = cross_validate(clf, X, y, cv=3, scoring=mer_scoring("classification"))
    assert res["test_ua"].mean() > 0.6


def test_dimensional_classifier_errors_and_grid_search():
    X, y = _categorical(n=60)
    with pytest.raises(ValueError, match=r"Labels \['joyful'\] have no coordinates"):
        DimensionalEmotionClassifier().fit(X, np.where(y == "anger", "joyful", y))
    with pytest.raises(ValueError, match="model"):
        DimensionalEmotionClassifier(model="ekmann").fit(X, y)
    search = GridSearchCV(
        DimensionalEmotionClassifier(KNeighborsRegressor()),
        {"regressor__n_neighbors": [1, 15]},
        cv=3,
    ).fit(X.fillna(0), y)
    assert search.best_params_["regressor__n_neighbors"] in (1, 15)
    clf = DimensionalEmotionClassifier().fit(X.fillna(0), y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(X.fillna(0)), clf.predict(X.fillna(0)))


def test_categorical_regressor_reports_vad_and_categories():
    X, labels = _categorical(n=150)
    rng = np.random.RandomState(0)
    Y = category_to_dimensions(labels, space="vad") + 0.05 * rng.normal(size=(150, 3))
    X = X.fillna(0)
    reg = CategoricalEmotionRegressor(space="vad").fit(X, Y)
    assert set(reg.classes_) == set(EKMAN3)
    assert np.mean(reg.predict_category(X) == labels) > 0.8
    pred = reg.predict(X)
    assert pred.shape == (150, 3)
    assert concordance_correlation_coefficient(Y, pred) > 0.7
    # constant VAD: a single category, predicted everywhere
    const = CategoricalEmotionRegressor().fit(X, np.tile([0.8, 0.5, 0.45], (150, 1)))
    assert const.predict_category(X[:2]).tolist() == ["happiness", "happiness"]
    with pytest.raises(ValueError, match=r"y must have shape \(n_samples, 2\)"):
        CategoricalEmotionRegressor(space="va").fit(X, Y)


def test_vad_regression_scored_by_ccc():
    X, labels = _categorical(n=150, missing_rate=0.2)
    Y = category_to_dimensions(labels, space="vad")
    for reg in (EarlyFusionRegressor(), LateFusionRegressor()):
        try:
            res = cross_validate(reg, X, Y, cv=3, scoring=mer_scoring("dimensional"))
        except ValueError as exc:  # a fusion regressor without multi-output support
            pytest.fail(f"{type(reg).__name__} rejects VAD targets: {exc}")
        assert res["test_ccc"].mean() > 0.5


def test_skops_round_trip():
    sio = pytest.importorskip("skops.io")
    X, y = _categorical(n=60)
    clf = DimensionalEmotionClassifier().fit(X.fillna(0), y)
    blob = sio.dumps(clf)
    again = sio.loads(blob, trusted=sio.get_untrusted_types(data=blob))
    np.testing.assert_array_equal(again.predict(X.fillna(0)), clf.predict(X.fillna(0)))


def test_missing_labels_and_overflowing_values_are_named():
    from skmer.emotions import DimensionalEmotionClassifier, EmotionSegmentDetector

    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(30, 3)), columns=["a", "b", "c"])
    y = np.array(["anger", "happiness", "sadness"] * 10, dtype=object)
    y[4] = np.nan
    with pytest.raises(
        ValueError, match=r"missing labels \(NaN or None\) in rows \[4\]"
    ):
        DimensionalEmotionClassifier(space="va").fit(X, y)
    with pytest.raises(ValueError, match=r"rows \[4\]"):
        EmotionSegmentDetector(background="sadness").fit(X, y)
    X.loc[7, "b"] = 1e300
    with pytest.raises(ValueError, match=r"X column 'b' holds 1e\+300 in row 7"):
        DimensionalEmotionClassifier(space="va").fit(
            X, np.where(pd.isna(y), "anger", y)
        )
