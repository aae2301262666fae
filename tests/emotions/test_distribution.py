"""Emotion-distribution prediction in VA space with per-sample Gaussian mixtures."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV, train_test_split

from skmer.emotions import ClassifierLDL, EmotionDistributionRegressor

CENTRES = np.array([[0.6, 0.5], [-0.6, -0.4], [-0.5, 0.6]])


def _va_annotations(n=240, n_raters=4, seed=0):
    """Each sample's raters split between two emotion regions chosen by X."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    share = 1 / (1 + np.exp(-3 * X[:, 0]))  # P(region 0) vs region 1
    third = X[:, 1] > 1.0  # some samples: region 2 instead of 1
    y = np.full((n, n_raters * 2), np.nan)
    for i in range(n):
        for r in range(n_raters):
            k = 0 if rng.rand() < share[i] else (2 if third[i] else 1)
            y[i, 2 * r : 2 * r + 2] = CENTRES[k] + 0.08 * rng.normal(size=2)
    return X, y


def test_held_out_log_likelihood_beats_a_global_mixture():
    X, y = _va_annotations()
    Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)
    est = EmotionDistributionRegressor(n_components=3, n_dims=2, random_state=0).fit(
        Xtr, ytr
    )
    ll = est.log_likelihood(Xte, yte)
    assert ll.shape == (len(Xte),)
    # baseline: one mixture for every sample (ignores X)
    pooled = ytr.reshape(-1, 2)
    gm = GaussianMixture(3, random_state=0).fit(pooled)
    base = gm.score_samples(yte.reshape(-1, 2)).reshape(len(Xte), -1).mean(axis=1)
    assert ll.mean() > base.mean() + 0.3
    assert est.score(Xte, yte) == pytest.approx(ll.mean())
    mix = est.predict_distribution(Xte)
    assert mix.weights.shape == (len(Xte), 3) and mix.means.shape == (3, 2)
    assert mix.covariances.shape == (3, 2, 2)
    np.testing.assert_allclose(mix.weights.sum(axis=1), 1)
    # the components found are the planted emotion regions
    found = np.sort(est.mixture_.means_[:, 0])
    np.testing.assert_allclose(found, np.sort(CENTRES[:, 0]), atol=0.05)
    # the predicted mean moves with X as planted
    mean = est.predict(Xte)
    assert np.corrcoef(mean[:, 0], Xte[:, 0])[0, 1] > 0.8


def test_missing_annotations_other_covariances_and_ldl():
    X, y = _va_annotations(n=120)
    y[::3, 2:] = np.nan  # only one rater for every third sample
    for cov in ("diag", "spherical", "tied"):
        est = EmotionDistributionRegressor(
            n_components=3,
            n_dims=2,
            covariance_type=cov,
            ldl=ClassifierLDL(LogisticRegression(max_iter=1000)),
            random_state=0,
        ).fit(X, y)
        assert np.isfinite(est.score(X, y))
    a = EmotionDistributionRegressor(3, n_dims=2, random_state=1).fit(X, y).predict(X)
    b = EmotionDistributionRegressor(3, n_dims=2, random_state=1).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)


def test_single_annotation_rows_and_one_dimension():
    X, y = _va_annotations(n=80, n_raters=1)
    est = EmotionDistributionRegressor(n_components=2).fit(X, y)  # n_dims from y
    assert est.n_dims_ == 2 and est.predict(X).shape == (80, 2)
    est1 = EmotionDistributionRegressor(n_components=2).fit(X, y[:, 0])
    assert est1.predict(X).shape == (80,)
    search = GridSearchCV(
        EmotionDistributionRegressor(n_dims=2, random_state=0),
        {"n_components": [1, 3]},
        cv=3,
    ).fit(X, y)
    assert search.best_params_["n_components"] == 3


def test_annotation_errors():
    X = np.zeros((2, 1))
    with pytest.raises(ValueError, match="not a multiple of n_dims=2"):
        EmotionDistributionRegressor(n_dims=2).fit(X, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="some but not all values NaN"):
        EmotionDistributionRegressor(n_dims=2).fit(X, [[0.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"Samples \[1\] have no annotation"):
        EmotionDistributionRegressor(n_dims=2).fit(X, [[0.0, 1.0], [np.nan, np.nan]])


def test_predict_checks_column_names_and_order():
    import pandas as pd

    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(60, 4)), columns=["a__x", "a__y", "b__x", "b__y"])
    y = rng.normal(size=(60, 2))
    est = EmotionDistributionRegressor(n_components=2, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="same order"):
        est.predict(X[X.columns[::-1]])
    # a dropped modality is reported by this estimator, not by its inner learner
    with pytest.raises(ValueError, match="missing:\n- b__x\n- b__y"):
        est.predict(X.drop(columns=["b__x", "b__y"]))
    with pytest.raises(ValueError, match="EmotionDistributionRegressor is expecting 4"):
        est.predict(X.to_numpy()[:, :3])
    np.testing.assert_allclose(est.predict(X), est.predict(X.to_numpy()))
