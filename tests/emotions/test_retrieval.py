"""Affective retrieval: planted matches come first; ranking metrics."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import ndcg_score

from skmer.datasets import make_multimodal_classification
from skmer.emotions import AffectiveRetriever, MaxEntropyLDL
from skmer.fusion import EarlyFusionClassifier
from skmer.metrics import mean_average_precision, precision_at_k, relevance_from_labels


def test_query_by_example_ranks_planted_matches_first():
    rng = np.random.RandomState(0)
    items = rng.normal(size=(100, 8))
    planted = [3, 41, 77]
    queries = items[planted] + 0.01 * rng.normal(size=(3, 8))
    ret = AffectiveRetriever(metric="euclidean").fit(items)
    idx, score = ret.query(queries, n_results=5)
    assert idx[:, 0].tolist() == planted
    assert np.all(np.diff(score, axis=1) <= 0)
    relevance = np.zeros((3, 100))
    relevance[np.arange(3), planted] = 1
    scores = ret.score_items(queries)
    assert precision_at_k(relevance, scores, k=1) == 1.0
    assert mean_average_precision(relevance, scores) == 1.0
    assert ndcg_score(relevance, scores) == pytest.approx(1.0)


def test_query_by_emotion_over_fused_modalities():
    X, y = make_multimodal_classification(
        n_samples=150, n_classes=3, class_sep=1.0, missing_rate=0.1, random_state=0
    )
    names = np.array(["joy", "fear", "sadness"])[y]
    ret = AffectiveRetriever(EarlyFusionClassifier(), n_results=10).fit(X, names)
    assert ret.emotion_classes_.tolist() == ["fear", "joy", "sadness"]
    idx, _ = ret.query_emotion(["fear", "joy"])
    assert np.mean(names[idx[0]] == "fear") >= 0.9
    assert np.mean(names[idx[1]] == "joy") >= 0.9
    # a mixed target distribution: half fear, half joy
    mixed, _ = ret.query_emotion([[0.5, 0.5, 0.0]], n_results=20)
    assert set(names[mixed[0]]) <= {"fear", "joy"}
    # retrieval quality by example, same-emotion relevance
    rel = relevance_from_labels(names[:30], names)
    scores = ret.score_items(X.iloc[:30])
    assert precision_at_k(rel, scores, k=10) > 0.8
    assert mean_average_precision(rel, scores) > 0.6
    with pytest.raises(ValueError, match=r"Target emotions \['awe'\] are not among"):
        ret.query_emotion(["awe"])


def test_index_by_ldl_distributions_and_errors():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    D = np.exp(X @ rng.normal(size=(3, 4)))
    D /= D.sum(axis=1, keepdims=True)
    ret = AffectiveRetriever(MaxEntropyLDL()).fit(X, D)
    assert ret.index_.shape == (60, 4)
    target = D[7:8]
    idx, _ = ret.query_emotion(target, n_results=1)
    assert idx[0, 0] == 7
    assert ret.transform(X[:2]).shape == (2, 4)
    with pytest.raises(ValueError, match="requires y to be passed"):
        AffectiveRetriever(LogisticRegression()).fit(X)
    plain = AffectiveRetriever().fit(X)
    with pytest.raises(ValueError, match="must be representation rows"):
        plain.query_emotion(["joy"])
    with pytest.raises(ValueError, match="Queries must have 3 representation values"):
        plain.query_emotion([[1.0, 0.0]])
    with pytest.raises(ValueError, match="n_results must be a positive integer"):
        plain.query(X[:1], n_results=0)


def test_ranking_metrics_hand_computed():
    rel = [[1, 0, 1, 0], [0, 0, 0, 1]]
    score = [[0.9, 0.8, 0.1, 0.3], [0.4, 0.3, 0.2, 0.1]]
    assert precision_at_k(rel, score, k=2) == pytest.approx((0.5 + 0.0) / 2)
    # AP: query 1 (1 + 2/4) / 2 = 0.75; query 2: 1/4
    assert mean_average_precision(rel, score) == pytest.approx((0.75 + 0.25) / 2)
    assert mean_average_precision([[0, 0], [1, 0]], [[1, 2], [2, 1]]) == 1.0
    with pytest.raises(ValueError, match="No query has a relevant item"):
        mean_average_precision([[0, 0]], [[1, 2]])
    with pytest.raises(ValueError, match="equal shape"):
        precision_at_k([[1, 0]], [[1, 0, 0]])
    with pytest.raises(ValueError, match="k must be a positive integer"):
        precision_at_k([[1, 0]], [[1, 0]], k=0)


def test_retriever_over_label_predictions_fails_clearly():
    # regression: a classifier without predict_proba was indexed by its string
    # labels and failed with numpy's "could not convert string to float"
    from sklearn.svm import SVC

    rng = np.random.RandomState(0)
    y = np.array(["joy", "fear"] * 15)
    X = rng.normal(size=(30, 3)) + 2 * (y == "joy")[:, None]
    with pytest.raises(
        ValueError, match="SVC has no predict_proba and its predict returns"
    ):
        AffectiveRetriever(SVC()).fit(X, y)
    # numeric labels index fine, but their columns are not emotions
    ret = AffectiveRetriever(SVC()).fit(X, (y == "joy").astype(int))
    assert ret.index_.shape == (30, 1) and ret.emotion_classes_ is None


def test_precision_at_k_rejects_k_beyond_items():
    # regression: k > n_items was silently cut to n_items (P@10 of 2 items = P@2)
    with pytest.raises(ValueError, match=r"k=10 exceeds the number of items \(2\)"):
        precision_at_k([[1, 0]], [[0.5, 0.2]], k=10)
    assert precision_at_k([[1, 0]], [[0.5, 0.2]], k=2) == 0.5


def test_retriever_feature_names_and_pandas_output():
    # regression: no get_feature_names_out, so set_output(transform="pandas") was
    # unavailable and a Pipeline ending with the retriever could not set it
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.RandomState(0)
    y = np.array(["joy", "fear", "sadness"] * 10)
    X = pd.DataFrame(rng.normal(size=(30, 3)), columns=["a", "b", "c"])
    pipe = make_pipeline(StandardScaler(), AffectiveRetriever(LogisticRegression()))
    out = pipe.set_output(transform="pandas").fit(X, y).transform(X.iloc[:2])
    assert out.columns.tolist() == ["fear", "joy", "sadness"]
    plain = AffectiveRetriever().fit(X)
    assert plain.get_feature_names_out().tolist() == ["a", "b", "c"]
    with pytest.raises(
        ValueError, match="input_features is not equal to feature_names_in_"
    ):
        plain.get_feature_names_out(["x", "y", "z"])
    va = AffectiveRetriever(Ridge()).fit(X, rng.normal(size=(30, 2)))
    assert va.get_feature_names_out().tolist() == [
        "affectiveretriever0",
        "affectiveretriever1",
    ]
