import pickle

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skmer.adaptation import PersonalizedClassifier, PersonalizedRegressor
from skmer.datasets import make_multimodal_classification
from skmer.fusion import LateFusionClassifier, LateFusionRegressor


def _subjects(n_subjects=6, per_subject=80, seed=0):
    """Binary emotion whose threshold is shifted per subject (not in X)."""
    X, latent = make_multimodal_classification(
        n_samples=n_subjects * per_subject, class_sep=0.8, random_state=seed
    )
    rng = np.random.RandomState(seed)
    subject = np.repeat(np.arange(n_subjects), per_subject)
    bias = np.tile([-1.5, 1.5], n_subjects // 2)[subject]
    # the subject reports the emotion more (or less) often than the population
    flip = rng.uniform(size=len(latent)) < np.where(bias > 0, 0.6, 0.0)
    y = np.where(flip, 1, latent)
    flip0 = rng.uniform(size=len(latent)) < np.where(bias < 0, 0.6, 0.0)
    y = np.where(flip0, 0, y)
    return X, y, subject


def test_recovers_per_subject_bias_population_cannot():
    X, y, subject = _subjects()
    train = np.arange(len(y)) % 2 == 0
    clf = PersonalizedClassifier(LateFusionClassifier(), random_state=0)
    clf.fit(X[train], y[train], groups=subject[train])
    test = ~train
    population = clf.score(X[test], y[test])  # no groups: population model
    personal = np.mean(clf.predict(X[test], groups=subject[test]) == y[test])
    assert personal > population + 0.1
    # the learned biases have the sign of each subject's bias
    signs = np.sign([clf.corrections_[s][1] - clf.corrections_[s][0] for s in range(6)])
    np.testing.assert_array_equal(signs, np.tile([-1, 1], 3))


def test_adapt_to_new_subject_from_few_samples():
    X, y, subject = _subjects()
    old = subject < 4
    clf = PersonalizedClassifier(LateFusionClassifier(), random_state=0)
    clf.fit(X[old], y[old], groups=subject[old])
    new = subject == 5  # bias +1.5: mostly reports the emotion
    calib = np.flatnonzero(new)[:15]
    rest = np.flatnonzero(new)[15:]
    before = np.mean(clf.predict(X.iloc[rest], groups=subject[rest]) == y[rest])
    clf.adapt(X.iloc[calib], y[calib], groups=subject[calib])
    after = np.mean(clf.predict(X.iloc[rest], groups=subject[rest]) == y[rest])
    assert 5 in clf.corrections_
    assert after > before + 0.05


def test_regressor_offsets_and_shrinkage():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        rng.normal(size=(240, 4)),
        columns=[f"a__{i}" for i in range(2)] + [f"b__{i}" for i in range(2)],
    )
    subject = np.repeat(np.arange(4), 60)
    offsets = np.array([-2.0, -0.5, 0.5, 2.0])
    y = X["a__0"].to_numpy() + offsets[subject] + 0.1 * rng.normal(size=240)
    reg = PersonalizedRegressor(LateFusionRegressor(), shrinkage=0.0, random_state=0)
    reg.fit(X, y, groups=subject)
    got = np.array([reg.corrections_[s] for s in range(4)])
    np.testing.assert_allclose(got - got.mean(), offsets - offsets.mean(), atol=0.15)
    mse_pop = np.mean((reg.predict(X) - y) ** 2)
    mse_per = np.mean((reg.predict(X, groups=subject) - y) ** 2)
    assert mse_per < 0.2 * mse_pop
    strong = PersonalizedRegressor(shrinkage=1e6, random_state=0).fit(
        X, y, groups=subject
    )
    assert max(abs(v) for v in strong.corrections_.values()) < 1e-3
    # multi-output (valence, arousal): one offset per output
    Y = np.column_stack([y, -y])
    multi = PersonalizedRegressor(random_state=0).fit(X, Y, groups=subject)
    assert multi.corrections_[0].shape == (2,)
    assert multi.predict(X, groups=subject).shape == (240, 2)
    # complex targets are rejected, not silently cast to their real part
    with pytest.raises(ValueError, match="y has complex values"):
        PersonalizedRegressor().fit(X, y + 1j, groups=subject)


def test_group_column_in_gridsearch():
    X, y, subject = _subjects()
    Xg = X.assign(subject=subject)
    search = GridSearchCV(
        PersonalizedClassifier(
            LateFusionClassifier(), group_column="subject", cv=3, random_state=0
        ),
        {"shrinkage": [0.1, 1e6]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    )
    search.fit(Xg, y)
    # huge shrinkage removes the correction: the grid search must prefer the small one
    assert search.best_params_["shrinkage"] == 0.1
    assert search.best_estimator_.estimator_.n_features_in_ == X.shape[1]


def test_groups_routed_as_metadata():
    X, y, subject = _subjects()
    with sklearn.config_context(enable_metadata_routing=True):
        clf = PersonalizedClassifier(LateFusionClassifier(), random_state=0)
        clf.set_fit_request(groups=True, sample_weight=False)
        search = GridSearchCV(clf, {"shrinkage": [1.0]}, cv=2)
        search.fit(X, y, groups=subject)
        assert set(search.best_estimator_.corrections_) == set(range(6))


def test_clone_pickle_determinism_and_errors():
    X, y, subject = _subjects()
    a = PersonalizedClassifier(random_state=0).fit(X, y, groups=subject)
    b = clone(a).fit(X, y, groups=subject)
    np.testing.assert_array_equal(
        a.predict_proba(X, groups=subject), b.predict_proba(X, groups=subject)
    )
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(
        c.predict(X, groups=subject), a.predict(X, groups=subject)
    )
    with pytest.raises(ValueError, match="groups has 3 values"):
        PersonalizedClassifier().fit(X, y, groups=[1, 2, 3])
    with pytest.raises(ValueError, match="not a column of X"):
        PersonalizedClassifier(group_column="who").fit(X, y)
    with pytest.raises(ValueError, match="either as `groups` or in `group_column`"):
        PersonalizedClassifier(group_column="text__0").fit(X, y, groups=subject)
    with pytest.raises(ValueError, match="needs the groups"):
        a.adapt(X, y, groups=None)
    with pytest.raises(ValueError, match="not seen in fit"):
        a.adapt(X, y + 5, groups=subject)


def test_classifier_needs_predict_proba_at_fit():
    # the corrections act on log-probabilities: an estimator without predict_proba
    # must be refused at fit, not fail later in predict
    from sklearn.svm import LinearSVC

    X = np.random.RandomState(0).normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(ValueError, match="'estimator' parameter.*predict_proba"):
        PersonalizedClassifier(LinearSVC()).fit(X, y)
