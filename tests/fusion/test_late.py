import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import LateFusionClassifier, LateFusionRegressor


def _abstention_data():
    """Two 1-feature modalities; each seen on rows with known class frequencies.

    Modality a is present in rows 0-3 (labels 0,0,0,1: P(1)=0.25); modality b in
    rows 4-7 (labels 1,1,1,0: P(1)=0.75). DummyClassifier(prior) predicts those
    frequencies, so every combination can be computed by hand.
    """
    nan = np.nan
    X = np.array(
        [
            [0.0, nan],
            [1.0, nan],
            [2.0, nan],
            [3.0, nan],
            [nan, 0.0],
            [nan, 1.0],
            [nan, 2.0],
            [nan, 3.0],
        ]
    )
    y = np.array([0, 0, 0, 1, 1, 1, 1, 0])
    return X, y


def _late(**params):
    return LateFusionClassifier(
        DummyClassifier(strategy="prior"), modalities={"a": [0], "b": [1]}, **params
    )


def test_missing_modality_abstains_and_weights_renormalise():
    X, y = _abstention_data()
    clf = _late().fit(X, y)
    test = np.array([[5.0, 5.0], [5.0, np.nan], [np.nan, 5.0]])
    # both present: mean of 0.25 and 0.75; only a: a's own 0.25 (not (0.25+0)/2)
    assert_allclose(clf.predict_proba(test)[:, 1], [0.5, 0.25, 0.75])
    weighted = _late(weights={"a": 3, "b": 1}).fit(X, y)
    assert_allclose(weighted.predict_proba(test)[:, 1], [0.375, 0.25, 0.75])


def test_row_without_any_modality_gets_training_prior():
    X, y = _abstention_data()
    clf = _late().fit(X, y)
    proba = clf.predict_proba(np.array([[np.nan, np.nan]]))
    assert_allclose(proba, [[0.5, 0.5]])
    X2, y2 = X[:7], y[:7]  # prior 3/7 of class 1
    assert_allclose(_late().fit(X2, y2).predict_proba([[np.nan, np.nan]])[0, 1], 4 / 7)


def test_hard_vote_abstains_and_breaks_ties_to_first_class():
    X, y = _abstention_data()
    clf = _late(method="hard").fit(X, y)
    assert not hasattr(clf, "predict_proba")
    # a votes 0, b votes 1: a tie, goes to the first class; alone, each decides
    assert clf.predict([[1.0, 1.0], [np.nan, 1.0], [1.0, np.nan]]).tolist() == [0, 1, 0]


@pytest.mark.parametrize("method", ["soft", "hard", "weighted", "variance", "stacking"])
def test_every_method_handles_30_percent_missing(method):
    X, y = make_multimodal_classification(
        n_samples=400, missing_rate=0.3, random_state=0
    )
    clf = LateFusionClassifier(method=method, random_state=0).fit(X[:300], y[:300])
    assert clf.score(X[300:], y[300:]) > 0.7
    assert set(clf.modality_weights_) == {"text", "audio", "video"}
    assert sum(clf.modality_weights_.values()) == pytest.approx(1.0)


def test_learned_weights_favour_the_informative_modality():
    X, y = make_multimodal_classification(
        n_samples=600,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.3},
        random_state=1,
    )
    w = (
        LateFusionClassifier(method="weighted", random_state=0)
        .fit(X, y)
        .modality_weights_
    )
    assert w["text"] > w["video"] > w["audio"]
    assert w["audio"] < 0.1


def test_variance_weights_follow_confidence():
    X, y = make_multimodal_classification(
        n_samples=500,
        informativeness={"text": 1.5, "audio": 0.0, "video": 0.0},
        random_state=0,
    )
    w = LateFusionClassifier(method="variance").fit(X, y).modality_weights_
    assert w["text"] > 0.4


def test_stacking_beats_noise_modalities():
    X, y = make_multimodal_classification(
        n_samples=600,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        missing_rate=0.2,
        random_state=2,
    )
    clf = LateFusionClassifier(method="stacking", random_state=0).fit(X[:400], y[:400])
    soft = LateFusionClassifier().fit(X[:400], y[:400])
    assert clf.score(X[400:], y[400:]) > soft.score(X[400:], y[400:])
    assert max(clf.modality_weights_, key=clf.modality_weights_.get) == "text"


def test_per_modality_estimators_and_unseen_classes():
    X, y = make_multimodal_classification(n_samples=300, n_classes=3, random_state=0)
    X = X.copy()
    # audio never sees class 2: its probabilities must map onto the right columns
    X.loc[y == 2, [c for c in X.columns if c.startswith("audio")]] = np.nan
    clf = LateFusionClassifier({"audio": LogisticRegression(C=0.1)}).fit(X, y)
    assert clf.named_estimators_["audio"].classes_.tolist() == [0, 1]
    assert clf.predict_proba(X).shape == (300, 3)
    assert clf.score(X, y) > 0.6


def test_string_labels():
    X, y = make_multimodal_classification(n_samples=200, random_state=0)
    labels = np.array(["negative", "positive"])[y]
    clf = LateFusionClassifier().fit(X, labels)
    assert set(clf.predict(X)) <= {"negative", "positive"}


@pytest.mark.parametrize(
    "params, err, match",
    [
        ({"weights": [1.0]}, ValueError, "weights has 1 values; expected 3"),
        ({"weights": {"text": 1.0}}, ValueError, r"missing \['audio', 'video'\]"),
        ({"weights": [1.0, -1.0, 1.0]}, ValueError, "non-negative"),
        (
            {"estimator": {"face": LogisticRegression()}},
            ValueError,
            r"unknown modalities \['face'\]",
        ),
        (
            {"estimator": SVC()},
            TypeError,
            "'text' .*SVC.* has no predict_proba.*CalibratedClassifierCV",
        ),
        ({"method": "median"}, ValueError, "method"),
    ],
)
def test_errors(params, err, match):
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    with pytest.raises(err, match=match):
        LateFusionClassifier(**params).fit(X, y)


def test_svc_works_with_hard_voting():
    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.3, random_state=0
    )
    assert LateFusionClassifier(SVC(), method="hard").fit(X, y).score(X, y) > 0.8


def test_clone_and_pickle_give_identical_predictions():
    X, y = make_multimodal_classification(
        n_samples=300, missing_rate=0.3, random_state=0
    )
    clf = LateFusionClassifier(method="stacking", random_state=3).fit(X, y)
    again = clone(clf).fit(X, y)
    assert_allclose(clf.predict_proba(X), again.predict_proba(X))
    assert_allclose(
        pickle.loads(pickle.dumps(clf)).predict_proba(X), clf.predict_proba(X)
    )


def test_skops_round_trip():
    sio = pytest.importorskip("skops.io")
    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.3, random_state=0
    )
    clf = LateFusionClassifier(method="weighted", random_state=0).fit(X, y)
    dumped = sio.dumps(clf)
    loaded = sio.loads(dumped, trusted=sio.get_untrusted_types(data=dumped))
    assert_allclose(loaded.predict_proba(X), clf.predict_proba(X))


def test_ndarray_with_modalities_matches_dataframe():
    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.2, random_state=0
    )
    layout = {
        m: [i for i, c in enumerate(X.columns) if c.startswith(m + "__")]
        for m in ["text", "audio", "video"]
    }
    a = LateFusionClassifier().fit(X, y).predict_proba(X)
    b = (
        LateFusionClassifier(modalities=layout)
        .fit(X.to_numpy(), y)
        .predict_proba(X.to_numpy())
    )
    assert_allclose(a, b)


def test_sample_weight_zero_equals_dropping_rows():
    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.2, random_state=0
    )
    w = np.ones(200)
    w[:50] = 0
    a = LateFusionClassifier().fit(X, y, sample_weight=w).predict_proba(X)
    b = LateFusionClassifier().fit(X[50:], y[50:]).predict_proba(X)
    assert_allclose(a, b, rtol=1e-5, atol=1e-6)


# -- regression -------------------------------------------------------------


def test_regressor_abstention_by_hand():
    nan = np.nan
    X = np.array([[0.0, nan], [1.0, nan], [nan, 0.0], [nan, 1.0]])
    y = np.array([1.0, 3.0, 10.0, 20.0])
    reg = LateFusionRegressor(
        DummyRegressor(), modalities={"a": [0], "b": [1]}, method="average"
    ).fit(X, y)
    assert_allclose(reg.predict([[0.0, 0.0], [0.0, nan], [nan, nan]]), [8.5, 2.0, 8.5])
    med = LateFusionRegressor(
        DummyRegressor(),
        modalities={"a": [0], "b": [1]},
        method="median",
        weights={"a": 3, "b": 1},
    ).fit(X, y)
    assert_allclose(med.predict([[0.0, 0.0]]), [2.0])


def test_median_of_equally_weighted_members_matches_np_median():
    # DummyRegressor members predict the mean of their rows: a -> 2, b -> 15, c -> 5
    nan = np.nan
    X = np.array(
        [
            [0.0, nan, nan],
            [1.0, nan, nan],
            [nan, 0.0, nan],
            [nan, 1.0, nan],
            [nan, nan, 0.0],
            [nan, nan, 1.0],
        ]
    )
    y = np.array([1.0, 3.0, 10.0, 20.0, 4.0, 6.0])
    med = LateFusionRegressor(
        DummyRegressor(),
        modalities={"a": [0], "b": [1], "c": [2]},
        method="median",
    ).fit(X, y)
    rows = [[0.0, 0.0, 0.0], [0.0, 0.0, nan], [nan, 0.0, 0.0], [0.0, nan, 0.0]]
    # two present members: the midpoint, as np.median (was the smaller one)
    assert_allclose(med.predict(rows), [5.0, 8.5, 10.0, 3.5])
    # a weight of exactly one half below a value: midpoint with the next one
    med.set_params(weights=[1, 2, 1]).fit(X, y)  # sorted: 2 (1/4), 5 (1/4), 15 (1/2)
    assert_allclose(med.predict(rows[:1]), [(5.0 + 15.0) / 2])


@pytest.mark.parametrize("method", ["soft", "hard", "weighted", "stacking"])
def test_member_seeing_one_class_predicts_it_with_probability_one(method):
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    video = [c for c in X.columns if c.startswith("video")]
    one_class = X.copy()
    one_class.loc[y == 1, video] = np.nan  # video only seen with class 0
    clf = LateFusionClassifier(method=method, random_state=0).fit(one_class, y)
    member = clf.named_estimators_["video"]
    assert_allclose(member.predict_proba(X[video].to_numpy()[:3]), [[1.0]] * 3)
    only_video = one_class.copy()
    only_video[[c for c in X.columns if not c.startswith("video")]] = np.nan
    rows = only_video.loc[y == 0]
    assert (clf.predict(rows) == 0).all()
    if method != "hard":
        assert_allclose(clf.predict_proba(rows).sum(axis=1), 1.0)


def test_member_fit_errors_name_the_member():
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    video = [c for c in X.columns if c.startswith("video")]
    with pytest.raises(ValueError, match="member 'video' on its 60 rows.*C"):
        LateFusionClassifier({"video": LogisticRegression(C=-1.0)}).fit(X, y)
    rare = X.copy()
    rare.loc[rare.index[3:], video] = np.nan  # 3 video rows for 5 folds
    with pytest.raises(
        ValueError, match="member 'video'.*cross-validation.*n_splits=5"
    ):
        LateFusionClassifier(method="stacking").fit(rare, y)


@pytest.mark.parametrize(
    "method", ["average", "median", "weighted", "variance", "stacking"]
)
def test_regressor_methods_with_missing(method):
    X, y = make_multimodal_regression(n_samples=400, missing_rate=0.3, random_state=0)
    reg = LateFusionRegressor(method=method, random_state=0).fit(X[:300], y[:300])
    assert reg.score(X[300:], y[300:]) > 0.5


def test_regressor_multi_output_vad():
    X, y = make_multimodal_regression(
        n_samples=300, n_targets=3, missing_rate=0.3, random_state=0
    )
    reg = LateFusionRegressor(method="weighted", random_state=0).fit(X, y)
    assert reg.predict(X).shape == (300, 3)
    assert reg.score(X, y) > 0.5


def test_variance_downweights_noisy_modality():
    X, y = make_multimodal_regression(
        n_samples=500,
        informativeness={"text": 1.0, "audio": 0.05, "video": 0.05},
        random_state=0,
    )
    reg = LateFusionRegressor(method="variance", random_state=0).fit(X, y)
    assert reg.modality_weights_["text"] > 0.5
    assert set(reg.residual_variance_) == {"text", "audio", "video"}


def test_regressor_dataframe_row_without_modalities():
    X, y = make_multimodal_regression(n_samples=100, random_state=0)
    reg = LateFusionRegressor().fit(X, y)
    empty = pd.DataFrame(np.full((1, X.shape[1]), np.nan), columns=X.columns)
    assert_allclose(reg.predict(empty), [y.mean()])


def test_fallback_prior_with_chance_members_predicts_the_prior():
    from sklearn.model_selection import KFold

    X, y = _abstention_data()
    # DummyClassifier members are at chance out of fold: skill 0, so every row
    # gets the training prior
    clf = _late(fallback="prior", cv=KFold(2)).fit(X, y)
    assert clf.member_reliability_ == {"a": 0.0, "b": 0.0}
    test = np.array([[5.0, 5.0], [5.0, np.nan], [np.nan, 5.0]])
    assert_allclose(clf.predict_proba(test), np.tile(clf.class_prior_, (3, 1)))
    assert_allclose(_late().fit(X, y).predict_proba(test)[:, 1], [0.5, 0.25, 0.75])


def _weak_rows_data():
    X, y = make_multimodal_classification(
        n_samples=900,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        missing_rate=0.0,
        random_state=0,
    )
    keep = np.flatnonzero((y == 1) | (np.arange(y.size) % 3 == 0))  # ~75 % class 1
    X, y = X.iloc[keep].reset_index(drop=True), y[keep]
    text = [c for c in X.columns if c.startswith("text__")]
    test = X.index >= 450
    no_text = test & (np.arange(len(y)) % 2 == 0)
    X.loc[no_text, text] = np.nan
    return X, y, ~test, no_text


@pytest.mark.parametrize("method", ["soft", "weighted", "stacking"])
def test_fallback_prior_is_not_worse_than_the_prior_without_the_strong_modality(method):
    X, y, train, no_text = _weak_rows_data()
    groups = np.arange(len(y)) // 20
    majority = np.bincount(y[train]).argmax()
    prior_acc = np.mean(y[no_text] == majority)
    # balanced members: the chance-level ones predict both classes evenly
    member = LogisticRegression(C=100.0, class_weight="balanced")
    clf = LateFusionClassifier(member, method=method, fallback="prior", random_state=0)
    clf.fit(X[train], y[train], groups=groups[train])
    rel = clf.member_reliability_
    assert rel["text"] > 0.5 and rel["audio"] < 0.1 and rel["video"] < 0.1
    assert np.mean(clf.predict(X[no_text]) == y[no_text]) >= prior_acc
    # rows with text keep their strong member
    with_text = ~train & ~no_text
    assert np.mean(clf.predict(X[with_text]) == y[with_text]) > 0.75
    if method == "soft":  # without the fallback the weak members lose to the prior
        plain = clone(clf).set_params(fallback=None).fit(X[train], y[train])
        assert np.mean(plain.predict(X[no_text]) == y[no_text]) < prior_acc - 0.1
