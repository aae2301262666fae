"""Behaviour of bc-LSTM: context from groups, order from order_column / ids."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, cross_val_score

from skmer.sequence import ContextualLSTMClassifier, ContextualLSTMRegressor
from skmer.sequence._base import natural_key
from tests.sequence._tasks import context_task

pytest.importorskip("torch")
pytest.importorskip("skorch")


@pytest.fixture(scope="module")
def context():
    return context_task(48, 0), context_task(20, 1)


KW = dict(
    hidden_size=8,
    max_epochs=30,
    lr=1e-2,
    batch_size=8,
    weight_decay=1e-3,
    random_state=0,
)


def test_contextual_lstm_uses_neighbouring_utterances(context):
    (X, y), (Xt, yt) = context
    ctx = dict(
        group_column="video_id", order_column="utt_id", columns=["text", "audio"]
    )
    with_ctx = ContextualLSTMClassifier(**ctx, **KW).fit(X, y)
    without = ContextualLSTMClassifier(columns=["text", "audio"], **KW).fit(X, y)
    acc = with_ctx.score(Xt, yt)
    no_context = without.score(Xt, yt)
    assert no_context < 0.7
    assert acc > 0.85 and acc > no_context + 0.2
    assert with_ctx.modality_weights_["text"] > with_ctx.modality_weights_["audio"]
    # the rows come shuffled: the order of the rows is never the utterance order
    order = np.random.RandomState(3).permutation(len(Xt))
    np.testing.assert_allclose(
        with_ctx.predict_proba(Xt.iloc[order]),
        with_ctx.predict_proba(Xt)[order],
        atol=1e-5,
    )


def test_natural_order_of_ids_not_text_order():
    ids = ["_1", "_12", "_13", "_5"]
    assert sorted(ids, key=natural_key) == ["_1", "_5", "_12", "_13"]
    X = pd.DataFrame(
        {"a": [np.zeros(2)] * 5, "g": ["v"] * 4 + ["w"], "u": ids + ["_2"]},
        index=[f"v{i}" for i in ids] + ["w_2"],
    )
    est = ContextualLSTMClassifier(columns=["a"], group_column="g", order_column="u")
    groups, positions = est._group_layout(X)
    assert positions.tolist() == [0, 2, 3, 1, 0]
    # without order_column: the natural order of the row labels
    est.set_params(order_column=None)
    assert est._group_layout(X)[1].tolist() == [0, 2, 3, 1, 0]
    with pytest.raises(ValueError, match="same position in order_column 'u'"):
        est.set_params(order_column="u")._group_layout(X.assign(u=["_1"] * 5))


def test_ids_beyond_nine_utterances_in_natural_order():
    """With 12 utterances per video, ids sorted as text would scramble neighbours."""
    (X, y), (Xt, yt) = context_task(40, 0, length=12), context_task(12, 1, length=12)
    kw = dict(group_column="video_id", columns=["text", "audio"], **KW)
    clf = ContextualLSTMClassifier(order_column="utt_id", **kw).fit(X, y)
    assert clf.score(Xt, yt) > 0.8
    expected = clf.predict_proba(Xt)
    # the ids as row labels, rows sorted as text ("v0_10" before "v0_2"): the
    # natural order of the labels gives the same utterance order
    by_label = Xt.set_index("utt_id")
    text_sorted = np.argsort(by_label.index.to_numpy())
    clf.set_params(order_column=None)
    got = clf.predict_proba(by_label.iloc[text_sorted])
    np.testing.assert_allclose(got, expected[text_sorted], atol=1e-6)


def test_id_column_is_not_a_modality(context):
    (X, y), _ = context
    with pytest.raises(ValueError, match="Column 'video_id' holds str values"):
        ContextualLSTMClassifier(max_epochs=1).fit(X, y)
    with pytest.raises(
        ValueError, match="columns names \\['video_id'\\], which is also"
    ):
        ContextualLSTMClassifier(
            columns=["text", "video_id"], group_column="video_id"
        ).fit(X, y)


def test_contextual_lstm_group_kfold_regression_and_missing(context):
    (X, y), _ = context
    X = X.copy()
    X.loc[X.index[::5], "audio"] = None
    kw = dict(columns=["text", "audio"], order_column="utt_id")
    reg = ContextualLSTMRegressor(
        group_column="video_id", hidden_size=8, max_epochs=3, random_state=0, **kw
    )
    scores = cross_val_score(
        reg, X, y.astype(float), groups=X["video_id"], cv=GroupKFold(3)
    )
    assert scores.shape == (3,) and np.isfinite(scores).all()
    fitted = pickle.loads(pickle.dumps(clone(reg).fit(X, y.astype(float))))
    assert fitted.predict(X).shape == (len(X),)
    with pytest.raises(ValueError, match="group_column='video' is not a column"):
        ContextualLSTMRegressor(group_column="video", columns=["text"]).fit(
            X, y.astype(float)
        )
    bad = X.assign(text=[np.zeros(3)] * (len(X) - 1) + [np.zeros((2, 2))])
    with pytest.raises(
        ValueError, match="Column 'text'.*expected a 1-D feature vector"
    ):
        ContextualLSTMRegressor(group_column="video_id", **kw).fit(bad, y.astype(float))


def test_groups_and_sample_weight_reach_the_videos(context):
    (X, y), (Xt, _) = context
    kw = dict(
        group_column="video_id",
        order_column="utt_id",
        columns=["text", "audio"],
        hidden_size=4,
        max_epochs=3,
        random_state=0,
    )
    # early stopping holds out whole speakers (here: two videos per speaker)
    speakers = X["video_id"].str[1:].astype(int) // 2
    est = ContextualLSTMClassifier(early_stopping=True, validation_fraction=0.25, **kw)
    assert est.fit(X, y, groups=speakers).predict(Xt).shape == (len(Xt),)
    # zero weight on every utterance of the second class's rows changes the fit
    weights = np.where(y == 1, 0.0, 1.0)
    plain = ContextualLSTMClassifier(**kw).fit(X, y).predict_proba(Xt)
    weighted = (
        ContextualLSTMClassifier(**kw)
        .fit(X, y, sample_weight=weights)
        .predict_proba(Xt)
    )
    assert weighted[:, 0].mean() > plain[:, 0].mean()
