"""Behaviour of the tri-modal HMM and the SVM/RF baseline pipelines."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score

from skmer.fusion import TriModalHMMClassifier, make_rf_baseline, make_svm_baseline
from tests.fusion.test_seed_recurrent import temporal_task

pytest.importorskip("hmmlearn")


@pytest.fixture(scope="module")
def temporal():
    return temporal_task(60, 0), temporal_task(80, 1)


def test_thmm_learns_order_that_pooling_destroys(temporal):
    (X, y), (Xt, yt) = temporal
    svm = make_svm_baseline(["audio", "video"]).fit(X, y).score(Xt, yt)
    clf = TriModalHMMClassifier(n_states=3, n_iter=10, random_state=0).fit(X, y)
    acc = clf.score(Xt, yt)
    assert acc > 0.9 and acc > svm + 0.25
    proba = clf.predict_proba(Xt)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.modality_weights_["audio"] > 0.9
    assert clf.n_incomplete_training_rows_ == 0


def test_thmm_marginalises_missing_streams(temporal):
    (X, y), (Xt, yt) = temporal
    Xm, ym = temporal_task(60, 0, missing_video=0.3)
    clf = TriModalHMMClassifier(n_states=3, n_iter=10, random_state=0).fit(Xm, ym)
    assert clf.n_incomplete_training_rows_ == int(Xm["video"].isna().sum())
    assert clf.score(Xt.assign(video=None), yt) > 0.9
    # without audio only the uninformative stream is left: close to the prior
    assert clf.score(Xt.assign(audio=None), yt) < 0.75
    # no modality at all: the class prior decides
    none = clf.predict_proba(Xt.assign(audio=None, video=None)[:2])
    np.testing.assert_allclose(none, np.exp(clf.class_log_prior_)[None].repeat(2, 0))


def test_thmm_binary_decision_function_follows_sklearn_convention(temporal):
    # it was (n, 2), which broke scoring="roc_auc" (y should be a 1d array)
    (X, y), (Xt, yt) = temporal
    clf = TriModalHMMClassifier(n_states=2, n_iter=5, random_state=0).fit(X, y)
    scores = clf.decision_function(Xt)
    assert scores.shape == (len(Xt),)
    np.testing.assert_array_equal(scores > 0, clf.predict(Xt) == clf.classes_[1])
    auc = cross_val_score(clf, X, y, cv=2, scoring="roc_auc", error_score="raise")
    assert auc.mean() > 0.9


def test_thmm_reproducible_pickle_and_errors(temporal):
    (X, y), (Xt, _) = temporal
    a = TriModalHMMClassifier(n_states=2, n_iter=5, random_state=3).fit(X, y)
    b = pickle.loads(pickle.dumps(a))
    np.testing.assert_allclose(a.decision_function(Xt), b.decision_function(Xt))
    c = TriModalHMMClassifier(n_states=2, n_iter=5, random_state=3).fit(X, y)
    np.testing.assert_allclose(a.decision_function(Xt), c.decision_function(Xt))
    bad = X.copy()
    bad.at[0, "video"] = np.zeros((len(X.at[0, "audio"]) + 2, 3))
    with pytest.raises(ValueError, match="different numbers of steps"):
        TriModalHMMClassifier(n_iter=2).fit(bad, y)
    only = X.assign(video=[None if k == 1 else v for k, v in zip(y, X["video"])])
    with pytest.raises(ValueError, match="Class 1 has no training row"):
        TriModalHMMClassifier(n_iter=2).fit(only, y)


@pytest.mark.parametrize("factory", [make_svm_baseline, make_rf_baseline])
def test_baselines_are_tunable_pipelines(factory, temporal):
    (X, y), (Xt, yt) = temporal
    pipe = factory(["audio", "video"])
    Xv = pd.DataFrame({m: [a.mean(axis=0) for a in X[m]] for m in X})
    assert factory(["audio", "video"], item="vector").fit(Xv, y).predict(Xv).shape == (60,)
    reg = factory(["audio"], task="regression").fit(X, y.astype(float))
    assert reg.predict(Xt).dtype.kind == "f"
    step = "svc__C" if factory is make_svm_baseline else "max_depth"
    search = GridSearchCV(pipe, {f"fuse__estimator__{step}": [1, 2]}, cv=2).fit(X, y)
    assert search.best_estimator_.predict(Xt).shape == (80,)
    if factory is make_rf_baseline:  # the seed reaches the forest through the fusion step
        a, b = (factory(["audio"], n_estimators=5, random_state=1).fit(X, y) for _ in "ab")
        np.testing.assert_array_equal(a.predict_proba(Xt), b.predict_proba(Xt))
    with pytest.raises(ValueError, match="task must be one of"):
        factory(["audio"], task="ranking")
    with pytest.raises(ValueError, match="modalities must be a non-empty list"):
        factory("audio")
