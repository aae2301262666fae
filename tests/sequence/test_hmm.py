"""Behaviour of the tri-modal HMM."""

import logging
import pickle
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import cross_val_score

from skmer.fusion import make_svm_baseline
from skmer.sequence import TriModalHMMClassifier
from skmer.sequence._hmm import _check_em
from tests.sequence._tasks import temporal_task

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


def test_thmm_predict_before_fit_is_not_fitted_error(temporal):
    (X, _), _ = temporal
    for method in ("predict", "predict_proba", "decision_function"):
        with pytest.raises(NotFittedError):
            getattr(TriModalHMMClassifier(), method)(X)


def test_thmm_class_with_fewer_frames_than_states(temporal):
    # found by hypothesis: KMeans initialisation failed with an opaque message
    (X, y), _ = temporal
    Xs = X.iloc[:6].assign(
        audio=[a[:1] for a in X["audio"][:6]], video=[v[:1] for v in X["video"][:6]]
    )
    ys = np.array([0, 0, 0, 0, 0, 1])
    with pytest.raises(ValueError, match="Class 1 has 1 frames.*fewer than n_states=2"):
        TriModalHMMClassifier(n_states=2, n_iter=2).fit(Xs, ys)


def test_thmm_is_linear_in_the_number_of_features(temporal, monkeypatch):
    import hmmlearn.hmm

    def quadratic(*args, **kwargs):
        raise AssertionError("a d x d matrix was built")

    (X, y), _ = temporal
    reference = TriModalHMMClassifier(n_states=2, random_state=0).fit(X, y)
    # hmmlearn's covariance of the frames and its expansion of diagonal
    # variances to (n_states, d, d) matrices are never computed
    monkeypatch.setattr(hmmlearn.hmm.np, "cov", quadratic)
    monkeypatch.setattr(hmmlearn.hmm, "fill_covars", quadratic)
    clf = TriModalHMMClassifier(n_states=2, random_state=0).fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X), reference.predict_proba(X))
    wide = X.copy()
    rng = np.random.RandomState(0)
    wide["audio"] = [
        None if a is None else rng.normal(size=(len(a), 5_000)) for a in X["audio"]
    ]
    clf.fit(wide, y)
    dims = sum(len(cols) for cols in clf._stream_columns_.values())
    assert dims > 5_000 and clf.hmms_[0].diagonal_covars_.shape == (2, dims)
    assert clf.predict_proba(wide).shape == (len(X), len(clf.classes_))


def test_thmm_em_cut_off_by_n_iter_warns_and_converged_em_is_quiet(temporal, caplog):
    (X, y), _ = temporal
    with pytest.warns(
        ConvergenceWarning, match=r"class 0 did not converge in n_iter=1"
    ):
        TriModalHMMClassifier(n_states=2, n_iter=1, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with caplog.at_level(logging.DEBUG, logger="hmmlearn"):
            clf = TriModalHMMClassifier(n_states=2, random_state=0).fit(X, y)
    assert not caplog.records
    # EM stopped on its tolerance, well before the default n_iter=100
    iters = [len(m.monitor_.history) for m in clf.hmms_]
    assert all(2 < k < 100 for k in iters)


def test_thmm_em_step_back_within_tolerance_is_not_reported(caplog):
    from hmmlearn.base import ConvergenceMonitor

    from skmer.sequence._diagonal_hmm import RecordingMonitor

    # hmmlearn's own monitor logs any step back, this one only records it
    with caplog.at_level(logging.WARNING, logger="hmmlearn"):
        for monitor in (
            ConvergenceMonitor(1.0, 10, False),
            RecordingMonitor(1.0, 10, False),
        ):
            for log_prob in (-50.0, -10.0, -10.5):
                monitor.report(log_prob)
    assert len(caplog.records) == 1 and "not converging" in caplog.text
    assert list(monitor.history) == [-50.0, -10.0, -10.5] and monitor.iter == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_em(monitor.history, 1.0, 10, "neg")
    with pytest.warns(
        ConvergenceWarning,
        match=r"class 'neg'.*fell by 5 at iteration 3.*lower n_states",
    ):
        _check_em([-50.0, -10.0, -15.0], 1.0, 10, "neg")
    with pytest.warns(ConvergenceWarning, match=r"n_iter=3 iterations \(last gain 2"):
        _check_em([-50.0, -10.0, -8.0], 1.0, 3, "neg")
