"""Composable members and metadata routing of the decision/early fusion estimators."""

import inspect

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold
from sklearn.pipeline import Pipeline
from sklearn.utils.metadata_routing import get_routing_for_object

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import (
    EarlyFusionClassifier,
    HybridFusionClassifier,
    HybridFusionRegressor,
    LateFusionClassifier,
    LateFusionRegressor,
)
from skmer.fusion._base import inner_cv


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


class RecordingGroupKFold(GroupKFold):
    """A GroupKFold that records the groups of every split call."""

    seen = []

    def split(self, X, y=None, groups=None):
        RecordingGroupKFold.seen.append(None if groups is None else np.asarray(groups))
        return super().split(X, y, groups)


class WeightRecorder(LogisticRegression):
    """A classifier that records the sample weights of every fit."""

    seen = []

    def fit(self, X, y, sample_weight=None):
        WeightRecorder.seen.append(sample_weight)
        return super().fit(X, y, sample_weight=sample_weight)


def _data(n=120, missing_rate=0.2):
    X, y = make_multimodal_classification(
        n_samples=n, missing_rate=missing_rate, random_state=0
    )
    groups = np.arange(n) % 6
    return X, y, groups


# -- composable members -------------------------------------------------------------
def test_dict_members_are_a_named_composition():
    clf = LateFusionClassifier({"text": LogisticRegression(), "audio": Ridge()})
    params = clf.get_params()
    assert params["estimator__text"] is clf.estimator["text"]
    assert params["estimator__text__C"] == 1.0
    assert params["estimator__audio__alpha"] == 1.0
    clf.set_params(estimator__text__C=0.05, estimator__audio=LogisticRegression(C=3))
    assert clf.estimator["text"].C == 0.05
    assert clf.estimator["audio"].C == 3
    assert clone(clf).get_params()["estimator__text__C"] == 0.05
    with pytest.raises(
        ValueError, match="estimator has no estimator for modality 'face'"
    ):
        clf.set_params(estimator__face__C=1.0)
    # a whole dict and its nested parameters in one call: the dict first
    clf.set_params(estimator={"video": LogisticRegression()}, estimator__video__C=7.0)
    assert clf.estimator["video"].C == 7.0
    # a single template keeps ordinary nested parameters
    single = LateFusionClassifier(LogisticRegression()).set_params(estimator__C=2.0)
    assert single.estimator.C == 2.0


def test_grid_search_tunes_one_modality_of_a_dict_member():
    X, y = make_multimodal_classification(
        n_samples=200,
        informativeness={"text": 1.0, "audio": 0.0, "video": 0.0},
        random_state=0,
    )
    fuse = HybridFusionClassifier(
        {"text": LogisticRegression(), "audio": LogisticRegression()},
        method="weighted",
        random_state=0,
    )
    pipe = Pipeline([("fuse", fuse)])
    grid = {"fuse__estimator__text__C": [1e-6, 1.0]}
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert search.best_params_ == {"fuse__estimator__text__C": 1.0}
    tuned = search.best_estimator_.named_steps["fuse"]
    assert tuned.named_estimators_["text"].C == 1.0
    starved = clone(pipe).set_params(fuse__estimator__text__C=1e-6).fit(X, y)
    assert (starved.predict(X) != search.predict(X)).any()
    # a grid can still swap whole strategies and whole `estimator` values
    swap = GridSearchCV(
        Pipeline([("fuse", LateFusionClassifier())]),
        {
            "fuse": [LateFusionClassifier(), EarlyFusionClassifier()],
            "fuse__estimator": [None, LogisticRegression(C=0.1)],
        },
        cv=3,
    ).fit(X, y)
    assert len(swap.cv_results_["params"]) == 4


# -- groups reach the inner splitters ----------------------------------------------
@pytest.mark.parametrize("routing_on", [False, True])
@pytest.mark.parametrize("cls", [LateFusionClassifier, HybridFusionClassifier])
def test_recording_splitter_receives_groups_inside_stacking(cls, routing_on):
    X, y, groups = _data()
    RecordingGroupKFold.seen = []
    clf = cls(method="stacking", cv=RecordingGroupKFold(3), random_state=0)
    with sklearn.config_context(enable_metadata_routing=routing_on):
        clf.fit(X, y, groups=groups)
    n_members = len(clf.named_estimators_)
    assert len(RecordingGroupKFold.seen) == n_members
    present = clf._member_presence(clf._validate_fusion_data(X, reset=False)[2])
    for seen, rows in zip(RecordingGroupKFold.seen, present.T):
        assert_allclose(seen, groups[rows])


def test_integer_cv_with_groups_keeps_every_group_on_one_side():
    y = np.tile([0, 1], 30)
    groups = np.repeat(np.arange(10), 6)
    cv = inner_cv(5, y, groups, classifier=True, random_state=0)
    for train, test in cv.split(np.zeros((60, 1)), y, groups):
        assert not set(groups[train]) & set(groups[test])
    assert inner_cv(5, y, groups[:60] % 3, classifier=False).get_n_splits() == 3
    assert isinstance(inner_cv(5, y, None, classifier=False), KFold)
    with pytest.raises(ValueError, match="groups holds 1 distinct group"):
        inner_cv(5, y, np.zeros(60), classifier=True)


def test_grouped_stacking_differs_from_ungrouped_folds():
    # the members' out-of-fold outputs, hence the meta-learner, change with groups
    X, y, _ = _data(n=150, missing_rate=0.0)
    groups = np.arange(150) // 15
    a = LateFusionClassifier(method="stacking", random_state=0).fit(X, y)
    b = LateFusionClassifier(method="stacking", random_state=0).fit(X, y, groups=groups)
    assert not np.allclose(a.final_estimator_.coef_, b.final_estimator_.coef_)


def test_groups_of_wrong_length_and_unknown_metadata_are_errors():
    X, y, groups = _data()
    with pytest.raises(ValueError, match=r"groups has shape \(5,\)"):
        LateFusionClassifier(method="stacking").fit(X, y, groups=groups[:5])
    with pytest.raises(TypeError, match=r"unexpected argument\(s\) \['speaker'\]"):
        LateFusionClassifier().fit(X, y, speaker=groups)
    with pytest.raises(TypeError, match=r"unexpected argument\(s\) \['groups'\]"):
        EarlyFusionClassifier().fit(X, y, groups=groups)


# -- sample_weight reaches the members that accept it ---------------------------------
def test_sample_weight_reaches_members_without_routing():
    X, y, _ = _data()
    w = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    WeightRecorder.seen = []
    clf = LateFusionClassifier(WeightRecorder(), method="soft").fit(
        X, y, sample_weight=w
    )
    present = clf._validate_fusion_data(X, reset=False)[2]
    assert len(WeightRecorder.seen) == 3
    for seen, rows in zip(WeightRecorder.seen, present.T):
        assert_allclose(seen, w[rows])


def test_routing_sends_what_each_member_requests(routing):
    X, y, groups = _data()
    w = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    WeightRecorder.seen = []
    RecordingGroupKFold.seen = []
    clf = LateFusionClassifier(
        {
            "text": WeightRecorder().set_fit_request(sample_weight=True),
            "audio": WeightRecorder().set_fit_request(sample_weight=False),
            "video": WeightRecorder().set_fit_request(sample_weight=False),
        },
        method="stacking",
        cv=RecordingGroupKFold(3),
        final_estimator=LogisticRegression().set_fit_request(sample_weight=False),
    )
    clf.fit(X, y, sample_weight=w, groups=groups)
    weighted = [s for s in WeightRecorder.seen if s is not None]
    # the text member: its final fit and 3 out-of-fold fits, on its rows
    assert len(weighted) == 4
    text_rows = clf._validate_fusion_data(X, reset=False)[2][:, 0]
    assert_allclose(weighted[0], w[text_rows])
    assert len(RecordingGroupKFold.seen) == 3
    routing_info = get_routing_for_object(clf)
    assert routing_info.consumes("fit", ["groups", "sample_weight"]) == {
        "groups",
        "sample_weight",
    }


def test_routing_members_with_unset_request_take_the_weights(routing):
    # as without routing; the user's estimators are not modified
    X, y, _ = _data()
    w = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    member = WeightRecorder()
    WeightRecorder.seen = []
    LateFusionClassifier({"text": member}).fit(X, y, sample_weight=w)
    assert sum(s is not None for s in WeightRecorder.seen) == 1
    assert member.get_metadata_routing().fit.requests["sample_weight"] is None


@pytest.mark.parametrize(
    "est",
    [
        LateFusionClassifier(method="weighted"),
        HybridFusionClassifier(method="stacking"),
        EarlyFusionClassifier(),
        LateFusionRegressor(method="stacking"),
        HybridFusionRegressor(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_default_members_get_weights_with_and_without_routing(est):
    X, y = (
        make_multimodal_regression
        if "Regressor" in type(est).__name__
        else make_multimodal_classification
    )(n_samples=120, missing_rate=0.2, random_state=0)
    w = np.where(np.arange(120) % 2 == 0, 1.0, 0.0)
    keep = w > 0
    off = clone(est).set_params(random_state=0).fit(X, y, sample_weight=w)
    with sklearn.config_context(enable_metadata_routing=True):
        on = clone(est).set_params(random_state=0).fit(X, y, sample_weight=w)
    assert_allclose(off.predict(X), on.predict(X))
    # the weights reached the members: they change the predictions
    plain = clone(est).set_params(random_state=0).fit(X, y)

    def out(model):
        return (
            model.predict_proba(X)
            if hasattr(model, "predict_proba")
            else model.predict(X)
        )

    assert not np.allclose(out(plain), out(off))
    assert_allclose(out(off), out(on))
    if isinstance(est, EarlyFusionClassifier):  # zero weight = the row is not there
        full, yf = make_multimodal_classification(n_samples=120, random_state=0)
        weighted = clone(est).fit(full, yf, sample_weight=w)
        ref = clone(est).fit(full[keep], yf[keep])
        assert_allclose(
            weighted.predict_proba(full), ref.predict_proba(full), atol=1e-4
        )


def test_groups_are_routed_from_a_grid_search_into_the_inner_folds(routing):
    X, y, groups = _data()
    RecordingGroupKFold.seen = []
    pipe = Pipeline(
        [("fuse", LateFusionClassifier(method="stacking", cv=RecordingGroupKFold(2)))]
    )
    GridSearchCV(pipe, {"fuse__method": ["stacking"]}, cv=GroupKFold(2)).fit(
        X, y, groups=groups
    )
    # 2 outer folds + the refit, 3 members each, all with groups
    assert len(RecordingGroupKFold.seen) == 9
    assert all(g is not None for g in RecordingGroupKFold.seen)


def test_members_selecting_their_regularisation_by_grouped_cv_get_the_groups(routing):
    # internal selection of C per modality, speaker-independent, through routing
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, groups = _data()
    RecordingGroupKFold.seen = []
    options = {"l1_ratios": (0.0,), "use_legacy_attributes": False}  # sklearn >= 1.8
    accepted = inspect.signature(LogisticRegressionCV).parameters
    member = make_pipeline(
        StandardScaler(),
        LogisticRegressionCV(
            Cs=[1e-3, 1.0],
            cv=RecordingGroupKFold(3),
            scoring="accuracy",
            **{k: v for k, v in options.items() if k in accepted},
        ),
    )
    clf = LateFusionClassifier(member).fit(X, y, groups=groups)
    present = clf._validate_fusion_data(X, reset=False)[2]
    assert len(RecordingGroupKFold.seen) == 3
    for seen, rows in zip(RecordingGroupKFold.seen, present.T):
        assert_allclose(seen, groups[rows])
    assert all(np.ndim(e[-1].C_) <= 1 for e in clf.estimators_)
