"""Behaviour of the word-aligned recurrent systems: MV-LSTM, MFN and MARN."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skmer.fusion import make_svm_baseline
from skmer.sequence import (
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
)
from tests.sequence._tasks import temporal_task

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


@pytest.fixture(scope="module")
def temporal():
    return temporal_task(96, 0), temporal_task(120, 1)


@pytest.fixture(scope="module")
def svm_accuracy(temporal):
    (X, y), (Xt, yt) = temporal
    return make_svm_baseline(["audio", "video"]).fit(X, y).score(Xt, yt)


@pytest.mark.parametrize("cls", SEQ_CLASSIFIERS, ids=lambda c: c.__name__)
def test_sequence_classifiers_learn_order_that_pooling_destroys(
    cls, temporal, svm_accuracy
):
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
        clf.predict_proba(short),
        clf.predict_proba(Xt)[Xt.index.isin(short.index)],
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
        {"hidden_size": [4, 8]},
        cv=2,
    ).fit(X, y)
    assert search.best_params_["hidden_size"] in (4, 8)


def test_errors_name_the_problem(temporal):
    (X, y), _ = temporal
    clf = MultiViewLSTMClassifier(max_epochs=1)
    with pytest.raises(TypeError, match="raw multimodal DataFrame"):
        clf.fit(np.zeros((4, 3)), [0, 1, 0, 1])
    bad = X.copy()
    bad.at[3, "video"] = np.zeros((5, 4))
    with pytest.raises(
        ValueError, match="Column 'video'.*different feature dimensions"
    ):
        clf.fit(bad, y)
    bad = X.copy()
    bad.at[2, "audio"] = np.full((5, 2), np.nan)
    with pytest.raises(ValueError, match="Column 'audio', row 2.*NaN"):
        clf.fit(bad, y)
    with pytest.raises(ValueError, match="columns names \\['face'\\]"):
        MultiViewLSTMClassifier(columns=["face"]).fit(X, y)
    with pytest.raises(ValueError, match="missing in every training row"):
        clf.fit(X.assign(video=None), y)
    fitted = MultiViewLSTMClassifier(max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="lacks the input columns \\['video'\\]"):
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


def test_skops_and_pickle_round_trips_and_warm_start_after_them(temporal):
    sio = pytest.importorskip("skops.io")
    (X, y), (Xt, _) = temporal
    est = MultiViewLSTMClassifier(warm_start=True, **{**FAST, "max_epochs": 2})
    est.fit(X, y)
    expected = est.predict_proba(Xt)
    dumped = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=dumped)
    assert all(
        t.split(".")[0] in {"skmer", "numpy", "sklearn", "builtins"} for t in untrusted
    ), untrusted
    loaded = [sio.loads(dumped, trusted=untrusted), pickle.loads(pickle.dumps(est))]
    for again in loaded:
        np.testing.assert_array_equal(again.predict_proba(Xt), expected)
    # a warm start continues as it would have without saving
    est.fit(X, y)
    for again in loaded:
        again.fit(X, y)
        assert again.n_epochs_ == est.n_epochs_ == 4
        np.testing.assert_array_equal(again.predict_proba(Xt), est.predict_proba(Xt))


def test_duplicate_column_names_are_named(temporal):
    (X, y), _ = temporal
    dup = pd.concat([X, X[["audio"]]], axis=1)
    with pytest.raises(ValueError, match="duplicate column names \\['audio'\\]"):
        MultiViewLSTMClassifier(max_epochs=1).fit(dup, y)


def test_old_import_path_warns():
    import skmer.fusion
    import skmer.sequence

    with pytest.warns(
        FutureWarning, match="moved to skmer.sequence.MultiViewLSTMClassifier"
    ):
        cls = skmer.fusion.MultiViewLSTMClassifier
    assert cls is skmer.sequence.MultiViewLSTMClassifier
    with pytest.warns(FutureWarning):
        from skmer.fusion import TriModalHMMClassifier  # noqa: F401
    with pytest.raises(AttributeError, match="no attribute 'NoSuchModel'"):
        skmer.fusion.NoSuchModel  # noqa: B018


def test_prefixed_parameters_reach_the_network(temporal):
    (X, y), _ = temporal
    clf = MemoryFusionNetworkClassifier(hidden_size=4, max_epochs=1, random_state=0)
    clf.set_params(module__memory_size=7, optimizer__weight_decay=0.5).fit(X, y)
    assert clf.net_.module_.network.memory_size == 7
    assert clf.net_.optimizer_.param_groups[0]["weight_decay"] == 0.5
    assert clf.get_params()["module__memory_size"] == 7


def test_huge_and_ragged_cells(temporal):
    (X, y), _ = temporal
    huge = X.assign(audio=[a * 1e300 for a in X["audio"]])
    clf = MultiViewLSTMClassifier(**{**FAST, "max_epochs": 2}).fit(huge, y)
    assert np.isfinite(clf.feature_scale_["audio"]).all()
    np.testing.assert_allclose(
        clf.feature_scale_["audio"] / 1e300,
        np.vstack(X["audio"]).std(axis=0),
        rtol=1e-6,
    )
    assert np.isfinite(clf.predict_proba(huge)).all()
    ragged = X.assign(audio=[[[1.0, 2.0], [3.0]]] + list(X["audio"][1:]))
    with pytest.raises(TypeError, match="Column 'audio', row 0: cell of type list"):
        MultiViewLSTMClassifier(max_epochs=1).fit(ragged, y)
