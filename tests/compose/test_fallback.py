"""Behaviour of the fallback estimators over models of different modalities."""

import pickle

import numpy as np
import pandas as pd
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from skmer.compose import FallbackClassifier, FallbackRegressor, ModalityEncoder
from skmer.encoders import VectorEncoder
from skmer.fusion import EarlyFusionClassifier, EarlyFusionRegressor


def _model(column, estimator=None, *, regression=False):
    """A one-modality pipeline reading ``column`` of the raw frame."""
    fusion = EarlyFusionRegressor if regression else EarlyFusionClassifier
    est = estimator or (LinearRegression() if regression else LogisticRegression())
    return make_pipeline(ModalityEncoder({column: VectorEncoder()}), fusion(est))


def _frame(n=60, seed=0, n_classes=2):
    """Text tells the class exactly, audio with noise; some rows lack text,
    some lack both."""
    rng = np.random.RandomState(seed)
    y = np.arange(n) % n_classes
    text = [np.array([k, -k], dtype=float) + 0.05 * rng.randn(2) for k in y]
    audio = [np.array([k + 0.8 * rng.randn()]) for k in y]
    X = pd.DataFrame({"text": text, "audio": audio})
    X.loc[np.arange(n) % 5 == 0, "text"] = None
    X.loc[np.arange(n) % 10 == 0, "audio"] = None  # no text either on these
    return X, y


def _classifier():
    return FallbackClassifier(
        [("text", _model("text"), "text"), ("audio", _model("audio"), ["audio"])]
    )


def test_each_row_goes_to_the_first_step_with_a_present_column():
    X, y = _frame()
    clf = _classifier().fit(X, y)
    route = clf.route(X)
    has_text = X["text"].notna().to_numpy()
    has_audio = X["audio"].notna().to_numpy()
    assert_array_equal(route == "text", has_text)
    assert_array_equal(route == "audio", ~has_text & has_audio)
    assert_array_equal(route == "prior", ~has_text & ~has_audio)
    # each step is fitted on every row with its column, not only its own rows
    assert clf.n_training_rows_ == {"text": 48, "audio": 54}
    text, audio = clf.named_estimators_["text"], clf.named_estimators_["audio"]
    pred = clf.predict(X)
    assert_array_equal(pred[has_text], text.predict(X[has_text]))
    rows = ~has_text & has_audio
    assert_array_equal(pred[rows], audio.predict(X[rows]))
    # no modality at all: the majority class of the training prior
    assert_allclose(clf.class_prior_, [0.5, 0.5])
    assert (pred[route == "prior"] == 0).all()
    proba = clf.predict_proba(X)
    assert_allclose(proba[has_text], text.predict_proba(X[has_text]))
    assert_allclose(proba[route == "prior"], 0.5)
    assert clf.score(X[has_text], y[has_text]) == 1.0


def test_prior_and_steps_take_sample_weight():
    X, y = _frame()
    w = np.where(y == 1, 3.0, 1.0)
    clf = _classifier().fit(X, y, sample_weight=w)
    assert_allclose(clf.class_prior_, [0.25, 0.75])
    assert (clf.predict(X)[clf.route(X) == "prior"] == 1).all()
    has_text = X["text"].notna().to_numpy()
    direct = _model("text").fit(
        X[has_text],
        y[has_text],
        **{"earlyfusionclassifier__sample_weight": w[has_text]},
    )
    assert_allclose(
        clf.named_estimators_["text"].predict_proba(X[has_text]),
        direct.predict_proba(X[has_text]),
    )


def test_proba_of_a_step_fitted_without_some_class_is_zero_there():
    X, y = _frame(n=60, n_classes=3)
    # class 2 only on rows without text: the text model never sees it
    X.loc[y == 2, "text"] = None
    clf = _classifier().fit(X, y)
    assert clf.named_estimators_["text"].classes_.tolist() == [0, 1]
    proba = clf.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba[clf.route(X) == "text", 2] == 0).all()
    # SVC without probabilities: predict only
    no_proba = FallbackClassifier([("text", _model("text", SVC()), "text")])
    assert not hasattr(no_proba, "predict_proba")
    assert no_proba.fit(X, y).predict(X).shape == (len(X),)


def test_regressor_falls_back_to_the_training_mean():
    rng = np.random.RandomState(1)
    score = rng.uniform(-3, 3, 40)
    X = pd.DataFrame({"text": [np.array([s, 1.0]) for s in score]})
    X.loc[[0, 7], "text"] = None
    reg = FallbackRegressor([("text", _model("text", regression=True), "text")]).fit(
        X, score
    )
    assert reg.prior_ == pytest.approx(score.mean())
    pred = reg.predict(X)
    keep = X["text"].notna().to_numpy()
    assert_allclose(pred[keep], score[keep], atol=1e-8)
    assert_allclose(pred[~keep], score.mean())
    weighted = FallbackRegressor(
        [("text", _model("text", regression=True), "text")]
    ).fit(X, score, sample_weight=np.r_[np.ones(20), np.zeros(20)])
    assert weighted.prior_ == pytest.approx(score[:20].mean())


def test_row_order_clone_pickle_and_skops():
    X, y = _frame()
    clf = _classifier().fit(X, y)
    proba = clf.predict_proba(X)
    perm = np.random.RandomState(0).permutation(len(X))
    assert_allclose(clf.predict_proba(X.iloc[perm]), proba[perm])
    assert_allclose(pickle.loads(pickle.dumps(clf)).predict_proba(X), proba)
    sio = pytest.importorskip("skops.io")
    dumped = sio.dumps(clf)
    loaded = sio.loads(dumped, trusted=sio.get_untrusted_types(data=dumped))
    assert_allclose(loaded.predict_proba(X), proba)


def test_grid_search_reaches_a_steps_parameters():
    X, y = _frame()
    clf = _classifier()
    params = clf.get_params()
    assert params["audio__earlyfusionclassifier__estimator__C"] == 1.0
    clf.set_params(text__earlyfusionclassifier__estimator__C=0.1)
    assert clf.estimators[0][1].steps[1][1].estimator.C == 0.1
    assert clf.estimators[0][2] == "text"  # the columns are kept
    grid = GridSearchCV(
        clf, {"audio__earlyfusionclassifier__estimator__C": [0.01, 1.0]}, cv=3
    ).fit(X, y)
    assert grid.best_params_["audio__earlyfusionclassifier__estimator__C"] in (
        0.01,
        1.0,
    )
    assert cross_val_score(_classifier(), X, y, cv=3).mean() > 0.8


def test_groups_reach_a_step_under_metadata_routing():
    X, y = _frame()
    groups = np.arange(len(X)) % 6
    seen = []

    class Recording(GroupKFold):
        def split(self, X, y=None, groups=None):
            seen.append(groups)
            return super().split(X, y, groups)

    search = GridSearchCV(
        _model("audio"),
        {"earlyfusionclassifier__estimator__C": [0.1, 1.0]},
        cv=Recording(3),
    )
    with sklearn.config_context(enable_metadata_routing=True):
        clf = FallbackClassifier(
            [("text", _model("text"), "text"), ("audio", search, "audio")]
        ).fit(X, y, groups=groups)
    has_audio = X["audio"].notna().to_numpy()
    assert_array_equal(seen[0], groups[has_audio])
    assert clf.n_training_rows_["audio"] == has_audio.sum()
    with pytest.raises(TypeError, match="unexpected argument.*'groups'"):
        _classifier().fit(X, y, groups=groups)


def test_errors_name_the_step_and_column():
    X, y = _frame()
    with pytest.raises(ValueError, match=r"Step 'face' reads columns \['face'\]"):
        FallbackClassifier([("face", _model("face"), "face")]).fit(X, y)
    with pytest.raises(ValueError, match="estimators is empty"):
        FallbackClassifier([]).fit(X, y)
    with pytest.raises(ValueError, match="must be \\(name, estimator, columns\\)"):
        FallbackClassifier([("text", _model("text"))]).fit(X, y)
    with pytest.raises(ValueError, match="Step 'text': columns must be"):
        FallbackClassifier([("text", _model("text"), [])]).fit(X, y)
    with pytest.raises(TypeError, match="Step 'text': the estimator must implement"):
        FallbackClassifier([("text", VectorEncoder(), "text")]).fit(X, y)
    with pytest.raises(ValueError, match="named 'prior'"):
        FallbackClassifier([("prior", _model("text"), "text")]).fit(X, y)
    with pytest.raises(ValueError, match="Names provided are not unique"):
        FallbackClassifier(
            [("a", _model("text"), "text"), ("a", _model("audio"), "audio")]
        ).fit(X, y)
    none = X.assign(text=None)
    with pytest.raises(ValueError, match=r"Step 'text': no training row has any"):
        _classifier().fit(none, y)
    with pytest.raises(TypeError, match="takes the raw multimodal DataFrame"):
        _classifier().fit(np.zeros((60, 2)), y)
    with pytest.raises(ValueError, match="y has 59 rows; X has 60"):
        _classifier().fit(X, y[:-1])
    bad = np.r_[np.nan, np.zeros(59)]
    with pytest.raises(ValueError, match=r"non-finite values in rows \[0\]"):
        FallbackRegressor([("text", _model("text", regression=True), "text")]).fit(
            X, bad
        )
    fitted = _classifier().fit(X, y)
    with pytest.raises(ValueError, match=r"Step 'audio' reads columns \['audio'\]"):
        fitted.predict(X[["text"]])
