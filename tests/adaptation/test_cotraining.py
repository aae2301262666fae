import pickle

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier

from skmer.adaptation import CoTrainingClassifier, SelfTrainingFusionClassifier
from skmer.datasets import make_multimodal_classification
from skmer.fusion import LateFusionClassifier


def _two_views(seed, missing_rate=0.0):
    X, y = make_multimodal_classification(
        n_samples=500,
        modalities={"text": 10, "audio": 10},
        informativeness=1.0,
        class_sep=0.5,
        missing_rate=missing_rate,
        random_state=seed,
    )
    rng = np.random.RandomState(seed)
    lab = np.zeros(300, dtype=bool)
    lab[rng.choice(300, 15, replace=False)] = True  # 5 % labels
    return X[:300], y[:300], np.where(lab, y[:300], -1), X[300:], y[300:]


def test_cotraining_beats_single_modality_with_5_percent_labels():
    single, co_text, co_all = [], [], []
    for seed in range(6):  # averaged over draws: 15 labels make single runs noisy
        X, y, y_semi, Xte, yte = _two_views(seed)
        text = [c for c in X.columns if c.startswith("text")]
        lab = y_semi != -1
        sup = make_pipeline(StandardScaler(), LogisticRegression())
        single.append(sup.fit(X.loc[lab, text], y[lab]).score(Xte[text], yte))
        co = CoTrainingClassifier(max_iter=5, random_state=0).fit(X, y_semi)
        # the text learner itself learns from the labels the audio learner gave it
        co_text.append(co.named_estimators_["text"].score(Xte[text].to_numpy(), yte))
        co_all.append(co.score(Xte, yte))
        pseudo = co.labeled_iter_ > 0
        assert pseudo.sum() > 50
        assert np.mean(co.transduction_[pseudo] == y[pseudo]) > 0.85
        assert set(co.modality_weights_) == {"text", "audio"}
    assert np.mean(co_text) > np.mean(single) + 0.01
    assert np.mean(co_all) > np.mean(single) + 0.04


def test_cotraining_missing_modalities():
    X, y, y_semi, Xte, yte = _two_views(3, missing_rate=0.3)
    co = CoTrainingClassifier(max_iter=3, random_state=0).fit(X, y_semi)
    assert co.score(Xte, yte) > 0.8
    # a row with one modality is labelled only by that modality's learner
    proba = co.predict_proba(Xte)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_self_training_fusion_keeps_dataframe_and_improves():
    X, y = make_multimodal_classification(
        n_samples=300, class_sep=0.5, missing_rate=0.2, random_state=0
    )
    y_semi = np.where(np.arange(300) % 10 == 0, y, -1)
    lab = y_semi != -1
    sup = LateFusionClassifier().fit(X[lab], y[lab]).score(X, y)
    st = SelfTrainingFusionClassifier(max_iter=5, random_state=0).fit(X, y_semi)
    assert set(st.estimator_.modalities_) == {"text", "audio", "video"}
    assert st.score(X, y) > sup + 0.05
    # scikit-learn's own self-training works too with an explicit layout
    layout = {"text": slice(0, 20), "audio": slice(20, 30), "video": slice(30, 45)}
    sk = SelfTrainingClassifier(LateFusionClassifier(modalities=layout), max_iter=2)
    assert sk.fit(X, y_semi).score(X, y) > 0.6


def test_gridsearch_clone_pickle_determinism():
    X, y, y_semi, Xte, yte = _two_views(1)
    search = GridSearchCV(
        CoTrainingClassifier(max_iter=2, random_state=0),
        {"threshold": [0.7, 0.9]},
        cv=2,
    )
    # labelled rows only score; unlabelled rows of the folds stay -1 in fit
    search.fit(X[y_semi != -1], y[y_semi != -1])
    assert search.best_estimator_.n_iter_ >= 1
    a = CoTrainingClassifier(max_iter=2, random_state=0).fit(X, y_semi)
    b = CoTrainingClassifier(max_iter=2, random_state=0).fit(X, y_semi)
    np.testing.assert_array_equal(a.predict_proba(Xte), b.predict_proba(Xte))
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(a)).predict(Xte), a.predict(Xte)
    )
    st = GridSearchCV(
        SelfTrainingFusionClassifier(max_iter=1), {"k_best": [5, None]}, cv=2
    )
    st.fit(X[y_semi != -1], y[y_semi != -1])


def test_string_labels_and_errors():
    X, y, y_semi, _, _ = _two_views(1)
    names = np.array(["neg", "pos"], dtype=object)[np.maximum(y_semi, 0)]
    names[y_semi == -1] = -1
    co = CoTrainingClassifier(max_iter=1).fit(X, names)
    assert set(co.classes_) == {"neg", "pos"}
    assert co.transduction_.dtype == object
    with pytest.raises(ValueError, match="no labelled row"):
        CoTrainingClassifier().fit(X, -np.ones(len(y)))
    with pytest.raises(ValueError, match="one class"):
        CoTrainingClassifier().fit(X, np.where(np.arange(len(y)) < 5, 1, -1))
    with pytest.raises(ValueError, match="unknown modalities"):
        CoTrainingClassifier({"face": LogisticRegression()}).fit(X, y_semi)


def test_self_training_passes_layout_for_unprefixed_dataframe():
    X, y = make_multimodal_classification(
        n_samples=150, missing_rate=0.2, random_state=0
    )
    Xp = X.set_axis([c.replace("__", "_") for c in X.columns], axis=1)
    layout = {
        m: [c for c in Xp.columns if c.startswith(m)]
        for m in ["text", "audio", "video"]
    }
    y_semi = np.where(np.arange(150) % 5 == 0, y, -1)
    clf = SelfTrainingFusionClassifier(modalities=layout, max_iter=2, random_state=0)
    clf.fit(Xp, y_semi)  # the missing blocks used to read as NaN inside one modality
    assert list(clf.estimator_.modalities_) == ["text", "audio", "video"]
    assert clf.predict(Xp).shape == (150,)


@pytest.mark.parametrize(
    "Estimator", [CoTrainingClassifier, SelfTrainingFusionClassifier]
)
def test_unsigned_integer_labels(Estimator):
    # transduction_ holds -1 for never-labelled rows: uint8 labels used to overflow
    X, y = make_multimodal_classification(n_samples=80, random_state=0)
    clf = Estimator(max_iter=1, random_state=0).fit(X, y.astype(np.uint8))
    assert clf.classes_.dtype == np.uint8
    np.testing.assert_array_equal(clf.transduction_, y)
    assert clf.predict(X).dtype == np.uint8
