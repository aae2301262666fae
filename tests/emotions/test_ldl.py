"""Label distribution learning estimators and multi-label emotion classification."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmer.datasets import make_multimodal_classification
from skmer.emotions import (
    ClassifierLDL,
    MaxEntropyLDL,
    check_label_distributions,
    label_distribution,
)
from skmer.fusion import EarlyFusionClassifier
from skmer.metrics import get_scorer, kl_divergence, mer_scoring


def _maxent_data(n=300, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 4))
    W = rng.normal(size=(4, 5))
    D = np.exp(X @ W + rng.normal(size=5))
    return X, D / D.sum(axis=1, keepdims=True)


def test_maxent_recovers_distributions_of_its_family():
    X, D = _maxent_data()
    ldl = MaxEntropyLDL(alpha=0.0, tol=1e-9).fit(X, D)
    P = ldl.predict(X)
    np.testing.assert_allclose(P.sum(axis=1), 1)
    assert np.abs(P - D).max() < 1e-3
    assert kl_divergence(D, P) < 1e-5
    assert ldl.classes_.tolist() == [0, 1, 2, 3, 4]
    assert ldl.score(X, D) > 0.999


def test_maxent_regularisation_and_weights():
    X, D = _maxent_data(n=60)
    strong = MaxEntropyLDL(alpha=100.0).fit(X, D)
    assert np.abs(strong.coef_).max() < 0.1
    w = np.r_[np.ones(30), np.zeros(30)]
    a = MaxEntropyLDL().fit(X, D, sample_weight=w)
    b = MaxEntropyLDL().fit(X[:30], D[:30])
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-4)


def test_classifier_ldl_recovers_training_distributions():
    # six groups, each with its own rater distribution over 4 emotions
    rng = np.random.RandomState(0)
    group = np.repeat(np.arange(6), 30)
    X = np.eye(6)[group] + 0.01 * rng.normal(size=(180, 6))
    targets = rng.dirichlet(np.ones(4), size=6)
    D = targets[group]
    ldl = ClassifierLDL(LogisticRegression(C=1e4, max_iter=5000)).fit(X, D)
    P = ldl.predict(X)
    assert np.abs(P - D).max() < 0.02
    assert ldl.predict_label(X[:1])[0] == targets[0].argmax()


def test_ldl_from_raters_and_label_targets():
    ratings = np.array(
        [["joy", "joy", "fear"], ["fear", "fear", "sadness"]] * 20, dtype=object
    )
    D, labels = label_distribution(ratings)
    X = np.repeat([[1.0, 0.0], [0.0, 1.0]], 1, axis=0)
    X = np.tile(X, (20, 1))
    Y = pd.DataFrame(D, columns=labels)
    ldl = ClassifierLDL().fit(X, Y)
    assert ldl.classes_.tolist() == ["fear", "joy", "sadness"]
    assert ldl.predict_label([[1.0, 0.0]]).tolist() == ["joy"]
    # 1-D labels are one-hot distributions
    y = np.array(["a", "b"] * 20)
    single = MaxEntropyLDL().fit(X, y)
    assert single.classes_.tolist() == ["a", "b"]
    assert single.predict_label(X[:2]).tolist() == ["a", "b"]
    assert 0.5 < single.score(X, y) <= 1


def test_ldl_target_errors():
    X = np.zeros((2, 1))
    with pytest.raises(ValueError, match="finite and non-negative"):
        MaxEntropyLDL().fit(X, [[0.5, -0.5], [1, 0]])
    with pytest.raises(ValueError, match=r"Rows \[1\] of y sum to 0"):
        MaxEntropyLDL().fit(X, [[0.5, 0.5], [0, 0]])
    with pytest.raises(ValueError, match="X has 2 samples but y has 3"):
        MaxEntropyLDL().fit(X, [[1, 0], [0, 1], [1, 0]])
    with pytest.raises(ValueError, match="does not take sample_weight"):
        ClassifierLDL(KNeighborsClassifier()).fit(X, [[1, 0], [0, 1]])
    with pytest.raises(
        ValueError, match="labels cannot be sorted: they mix types or hold None"
    ):
        check_label_distributions(np.array(["joy", None, "fear"], dtype=object))
    D, classes = check_label_distributions([[2, 2], [1, 3]])
    np.testing.assert_allclose(D, [[0.5, 0.5], [0.25, 0.75]])


def test_ldl_scorers_grid_search_and_pickle():
    X, D = _maxent_data(n=120)
    X, D = X[:60], D[:60]
    res = cross_validate(MaxEntropyLDL(), X, D, cv=3, scoring=mer_scoring("ldl"))
    assert res["test_intersection"].mean() > 0.8
    assert res["test_neg_kl_divergence"].mean() > -0.1
    search = GridSearchCV(
        ClassifierLDL(
            make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        ),
        {"estimator__logisticregression__C": [1e-3, 10.0]},
        scoring=get_scorer("neg_kl_divergence"),
        cv=3,
    ).fit(X, D)
    assert search.best_params_["estimator__logisticregression__C"] == 10.0
    ldl = MaxEntropyLDL().fit(X, D)
    again = pickle.loads(pickle.dumps(ldl))
    np.testing.assert_array_equal(again.predict(X), ldl.predict(X))
    np.testing.assert_array_equal(clone(ldl).fit(X, D).predict(X), ldl.predict(X))


def _multilabel_data():
    X, y = make_multimodal_classification(
        n_samples=150, n_classes=3, class_sep=1.0, missing_rate=0.1, random_state=0
    )
    Y = np.eye(3, dtype=int)[y]
    # a second emotion co-occurs with the first where a text feature is high
    Y[:, 2] |= X.filter(like="text").iloc[:, 0].fillna(0).to_numpy() > 0.5
    return X, Y


@pytest.mark.parametrize(
    "estimator",
    [
        make_pipeline(StandardScaler(), KNeighborsClassifier()),
        MultiOutputClassifier(LogisticRegression(max_iter=1000)),
    ],
    ids=["knn", "multioutput"],
)
def test_early_fusion_multilabel(estimator):
    X, Y = _multilabel_data()
    clf = EarlyFusionClassifier(estimator, missing="indicator").fit(X, Y)
    pred = clf.predict(X)
    assert pred.shape == Y.shape
    res = cross_validate(
        EarlyFusionClassifier(estimator), X, Y, cv=3, scoring=mer_scoring("multilabel")
    )
    assert set(mer_scoring("multilabel")) == {
        "subset_accuracy",
        "neg_hamming_loss",
        "f1_micro",
        "f1_macro",
    }
    dummy = cross_validate(
        DummyClassifier(strategy="most_frequent"),
        X.fillna(0),
        Y,
        cv=3,
        scoring=mer_scoring("multilabel"),
    )
    assert (
        res["test_neg_hamming_loss"].mean()
        > dummy["test_neg_hamming_loss"].mean() + 0.05
    )
    assert res["test_f1_micro"].mean() > dummy["test_f1_micro"].mean() + 0.1
    assert np.all(res["test_subset_accuracy"] <= res["test_f1_micro"] + 1e-9)


def test_ldl_score_aligns_dataframe_columns_and_unseen_labels():
    # regression: score read a DataFrame y positionally, so reordered columns
    # silently scored against the wrong labels; an unseen label scored as uniform
    X, D = _maxent_data(n=120)
    names = ["anger", "fear", "joy", "sadness", "surprise"]
    Dd = pd.DataFrame(D, columns=names)
    ldl = MaxEntropyLDL(alpha=1e-6).fit(X, Dd)
    assert ldl.score(X, Dd[names[::-1]]) == pytest.approx(ldl.score(X, Dd))
    with pytest.raises(
        ValueError, match=r"columns of y \['anger', 'fear'\] are not the labels"
    ):
        ldl.score(X, Dd[["anger", "fear"]])
    labels = np.array(names)[D.argmax(axis=1)]
    P = ldl.predict(X)
    truth = P[np.arange(len(X)), D.argmax(axis=1)]
    unseen = labels.copy()
    unseen[0] = "awe"
    expected = np.r_[0.0, truth[1:]].mean()
    assert ldl.score(X, unseen) == pytest.approx(expected)
    w = np.r_[0.0, np.ones(len(X) - 1)]
    assert ldl.score(X, unseen, sample_weight=w) == pytest.approx(truth[1:].mean())
    with pytest.raises(ValueError, match="must match"):
        ldl.score(X, D[:, :3], sample_weight=np.ones(len(X)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ldl.score(X, labels[:-1])


def test_single_column_dataframe_y_holds_labels():
    # regression: a one-column DataFrame of labels was read as a distribution over
    # one label (the column name), so every prediction was [1.0]
    X, D = _maxent_data(n=60)
    y = pd.DataFrame({"emotion": D.argmax(axis=1)})
    D1, classes = check_label_distributions(y)
    assert D1.shape[1] == len(classes) == len(np.unique(y["emotion"]))
    ldl = MaxEntropyLDL().fit(X, y)
    np.testing.assert_array_equal(ldl.classes_, np.unique(y["emotion"]))
    assert ldl.score(X, y) == pytest.approx(ldl.score(X, y["emotion"]))
