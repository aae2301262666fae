"""Behaviour of the seed's recurrent systems: MV-LSTM, MFN, MARN and bc-LSTM."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score

from skmer.fusion import (
    ContextualLSTMClassifier,
    ContextualLSTMRegressor,
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
    make_svm_baseline,
)

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")


SEQ_CLASSIFIERS = [
    MultiViewLSTMClassifier,
    MemoryFusionNetworkClassifier,
    MultiAttentionRecurrentNetworkClassifier,
]
SEQ_REGRESSORS = [
    MultiViewLSTMRegressor,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkRegressor,
]
FAST = dict(hidden_size=12, max_epochs=12, lr=1e-2, batch_size=16, random_state=0)


def temporal_task(n, seed, missing_video=0.0):
    """Label = direction of a ramp in the audio stream (rising or falling).

    Mean and standard deviation over time are the same for both classes, so a
    pooled (mean, std) model is at chance; only the order of the steps tells.
    """
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    audio, video = [], []
    for label in y:
        T = rng.randint(6, 11)
        ramp = np.linspace(-1, 1, T)[:: 1 if label else -1]
        audio.append(np.c_[ramp + 0.2 * rng.randn(T), rng.randn(T)])
        video.append(None if rng.rand() < missing_video else rng.randn(T, 3))
    return pd.DataFrame({"audio": audio, "video": video}), y


def context_task(n_videos, seed, length=6):
    """An utterance's label is the sign of its neighbours' summed first features."""
    rng = np.random.RandomState(seed)
    rows, y = [], []
    for v in range(n_videos):
        feats = rng.randn(length, 3)
        for i in range(length):
            around = (feats[i - 1, 0] if i else 0.0) + (
                feats[i + 1, 0] if i + 1 < length else 0.0)
            rows.append({"text": feats[i], "audio": rng.randn(2), "video_id": f"v{v}"})
            y.append(int(around > 0))
    return pd.DataFrame(rows), np.array(y)


@pytest.fixture(scope="module")
def temporal():
    return temporal_task(96, 0), temporal_task(120, 1)


@pytest.fixture(scope="module")
def svm_accuracy(temporal):
    (X, y), (Xt, yt) = temporal
    return make_svm_baseline(["audio", "video"]).fit(X, y).score(Xt, yt)


@pytest.mark.parametrize("cls", SEQ_CLASSIFIERS, ids=lambda c: c.__name__)
def test_sequence_classifiers_learn_order_that_pooling_destroys(cls, temporal, svm_accuracy):
    (X, y), (Xt, yt) = temporal
    clf = cls(**FAST).fit(X, y)
    acc = clf.score(Xt, yt)
    assert svm_accuracy < 0.65
    assert acc > 0.85 and acc > svm_accuracy + 0.2
    assert set(clf.modality_weights_) == {"audio", "video"}
    assert clf.modality_weights_["audio"] > clf.modality_weights_["video"]
    assert clf.predict_proba(Xt[:4]).shape == (4, 2)


@pytest.mark.parametrize("cls", SEQ_REGRESSORS, ids=lambda c: c.__name__)
def test_sequence_regressors_learn_order(cls, temporal):
    (X, y), (Xt, yt) = temporal
    target, target_t = 2.0 * y - 1.0, 2.0 * yt - 1.0
    reg = cls(**FAST).fit(X, target)
    assert reg.score(Xt, target_t) > 0.5
    two = cls(**{**FAST, "max_epochs": 2}).fit(X, np.c_[target, -target])
    assert two.predict(Xt[:3]).shape == (3, 2)


def test_missing_modality_and_padding_are_masked(temporal):
    (X, y), (Xt, yt) = temporal
    Xm, ym = temporal_task(96, 0, missing_video=0.3)
    clf = MemoryFusionNetworkClassifier(**FAST).fit(Xm, ym)
    no_video = Xt.assign(video=None)
    assert clf.score(no_video, yt) > 0.8
    # a row's prediction does not depend on the padded length of the batch
    short = Xt[[len(a) < 8 for a in Xt["audio"]]]
    np.testing.assert_allclose(
        clf.predict_proba(short), clf.predict_proba(Xt)[Xt.index.isin(short.index)],
        atol=1e-5,
    )


def test_skip_zero_steps_treats_padding_as_absent(temporal):
    (X, y), _ = temporal
    padded = X.assign(audio=[np.vstack([a, np.zeros((4, 2))]) for a in X["audio"]])
    kw = {**FAST, "max_epochs": 2}
    a = MultiViewLSTMClassifier(**kw, skip_zero_steps=True).fit(padded, y)
    b = MultiViewLSTMClassifier(**kw).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(padded), b.predict_proba(X), atol=1e-5)


def test_seeded_fit_is_reproducible_and_pickles(temporal):
    (X, y), (Xt, _) = temporal
    kw = {**FAST, "max_epochs": 2}
    a = MultiAttentionRecurrentNetworkClassifier(**kw).fit(X, y)
    b = clone(a).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(Xt), b.predict_proba(Xt))
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a.predict_proba(Xt), c.predict_proba(Xt))


def test_grid_search_over_raw_sequences(temporal):
    (X, y), _ = temporal
    search = GridSearchCV(
        MultiViewLSTMClassifier(max_epochs=1, random_state=0),
        {"hidden_size": [4, 8]}, cv=2,
    ).fit(X, y)
    assert search.best_params_["hidden_size"] in (4, 8)


def test_errors_name_the_problem(temporal):
    (X, y), _ = temporal
    clf = MultiViewLSTMClassifier(max_epochs=1)
    with pytest.raises(TypeError, match="raw multimodal DataFrame"):
        clf.fit(np.zeros((4, 3)), [0, 1, 0, 1])
    bad = X.copy()
    bad.at[3, "video"] = np.zeros((5, 4))
    with pytest.raises(ValueError, match="Modality 'video'.*different feature dimensions"):
        clf.fit(bad, y)
    bad = X.copy()
    bad.at[2, "audio"] = np.full((5, 2), np.nan)
    with pytest.raises(ValueError, match="Modality 'audio', row 2.*NaN"):
        clf.fit(bad, y)
    with pytest.raises(ValueError, match="names columns \\['face'\\]"):
        MultiViewLSTMClassifier(modalities=["face"]).fit(X, y)
    with pytest.raises(ValueError, match="missing in every training row"):
        clf.fit(X.assign(video=None), y)
    fitted = MultiViewLSTMClassifier(max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="lacks the modality columns \\['video'\\]"):
        fitted.predict(X.drop(columns="video"))
    with pytest.raises(ValueError, match="fitted on 3"):
        fitted.predict(X.assign(video=[np.zeros((4, 2))] * len(X)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_regressors_reject_non_finite_targets(temporal, bad):
    # a NaN target used to train silently into a net predicting NaN everywhere
    (X, y), _ = temporal
    target = y.astype(float)
    target[3] = bad
    with pytest.raises(ValueError, match="Input y contains"):
        MultiViewLSTMRegressor(max_epochs=1).fit(X, target)


@pytest.fixture(scope="module")
def context():
    return context_task(48, 0), context_task(20, 1)


def test_contextual_lstm_uses_neighbouring_utterances(context):
    (X, y), (Xt, yt) = context
    kw = dict(hidden_size=8, max_epochs=30, lr=1e-2, batch_size=8, weight_decay=1e-3,
              random_state=0)
    with_ctx = ContextualLSTMClassifier(group_column="video_id", **kw).fit(X, y)
    without = ContextualLSTMClassifier(**kw).fit(X.drop(columns="video_id"), y)
    acc = with_ctx.score(Xt, yt)
    no_context = without.score(Xt.drop(columns="video_id"), yt)
    assert no_context < 0.7
    assert acc > 0.85 and acc > no_context + 0.2
    assert with_ctx.modality_weights_["text"] > with_ctx.modality_weights_["audio"]
    # whole videos in another order give the same predictions
    order = np.concatenate([np.flatnonzero(Xt["video_id"] == v) for v in
                            Xt["video_id"].unique()[::-1]])
    np.testing.assert_allclose(
        with_ctx.predict_proba(Xt.iloc[order]), with_ctx.predict_proba(Xt)[order], atol=1e-5
    )


def test_contextual_lstm_group_kfold_regression_and_missing(context):
    (X, y), _ = context
    X = X.copy()
    X.loc[X.index[::5], "audio"] = None
    reg = ContextualLSTMRegressor(group_column="video_id", hidden_size=8, max_epochs=3,
                                  random_state=0)
    scores = cross_val_score(reg, X, y.astype(float), groups=X["video_id"],
                             cv=GroupKFold(3))
    assert scores.shape == (3,) and np.isfinite(scores).all()
    fitted = pickle.loads(pickle.dumps(clone(reg).fit(X, y.astype(float))))
    assert fitted.predict(X).shape == (len(X),)
    with pytest.raises(ValueError, match="group_column='video' is not a column"):
        ContextualLSTMRegressor(group_column="video", modalities=["text"]).fit(
            X, y.astype(float))
    bad = X.assign(text=[np.zeros(3)] * (len(X) - 1) + [np.zeros((2, 2))])
    with pytest.raises(ValueError, match="Modality 'text'.*expected a 1-D feature vector"):
        ContextualLSTMRegressor(group_column="video_id").fit(bad, y.astype(float))


@pytest.mark.parametrize("which", ["MultiViewLSTMClassifier", "ContextualLSTMRegressor"])
def test_skops_and_pickle_round_trips_and_warm_start_after_them(which, temporal, context):
    sio = pytest.importorskip("skops.io")
    if which == "MultiViewLSTMClassifier":
        (X, y), (Xt, _) = temporal
        est = MultiViewLSTMClassifier(warm_start=True, **{**FAST, "max_epochs": 2})
        method = "predict_proba"
    else:
        (X, y), (Xt, _) = context
        y = y.astype(float)
        est = ContextualLSTMRegressor(group_column="video_id", hidden_size=4, max_epochs=2,
                                      warm_start=True, random_state=0)
        method = "predict"
    est.fit(X, y)
    expected = getattr(est, method)(Xt)
    dumped = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=dumped)
    assert all(t.split(".")[0] in {"skmer", "numpy", "sklearn", "builtins"}
               for t in untrusted), untrusted
    loaded = [sio.loads(dumped, trusted=untrusted), pickle.loads(pickle.dumps(est))]
    for again in loaded:
        np.testing.assert_array_equal(getattr(again, method)(Xt), expected)
    # a warm start continues as it would have without saving
    est.fit(X, y)
    for again in loaded:
        again.fit(X, y)
        assert again.n_epochs_ == est.n_epochs_ == 4
        np.testing.assert_array_equal(getattr(again, method)(Xt), getattr(est, method)(Xt))
