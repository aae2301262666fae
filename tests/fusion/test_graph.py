"""Tests of graph fusion (GraphFusionClassifier / GraphFusionRegressor)."""

import importlib.util
import pickle
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_moons
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import GraphFusionClassifier, GraphFusionRegressor
from skmer.fusion._graph_utils import ModalityGraph, snf_dense


def _clusters_and_noise(n=200, seed=0):
    """Modality "good": two far-apart clusters = the classes; "noise": pure noise."""
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 2
    good = rng.normal(size=(n, 3)) + 6.0 * y[:, None]
    noise = rng.normal(size=(n, 4))
    X = pd.DataFrame(
        np.hstack([good, noise]),
        columns=[f"good__{i}" for i in range(3)] + [f"noise__{i}" for i in range(4)],
    )
    return X, y


def _reference_snf(affs, K, t, alpha, present=None):
    """SNF written from Wang et al. (2014) with plain dense products; with
    ``present``, each pair averages the other modalities present in both rows."""
    n = affs[0].shape[0]
    present = np.ones((n, len(affs)), bool) if present is None else present

    def rows(M):  # row-normalised, rows of zeros stay zero
        s = M.sum(axis=1, keepdims=True)
        return np.divide(M, s, out=np.zeros_like(M), where=s > 0)

    P, S = [], []
    for A in affs:
        Pm = rows(A)
        Pm = (Pm + Pm.T) / 2
        Sm = np.zeros_like(Pm)
        for i in range(n):
            top = np.argsort(-Pm[i])[:K]
            Sm[i, top] = Pm[i, top]
        P.append(Pm)
        S.append(rows(Sm))
    counts = present.astype(float) @ present.T
    for _ in range(t):
        new = []
        for j in range(len(P)):
            others = counts - np.outer(present[:, j], present[:, j])
            rest = sum(P[m] for m in range(len(P)) if m != j)
            Q = np.divide(rest, others, out=np.zeros_like(rest), where=others > 0)
            new.append(S[j] @ Q @ S[j].T + alpha * np.diag(present[:, j]))
        P = new
    total = sum(P)
    W = rows(np.divide(total, counts, out=np.zeros_like(total), where=counts > 0))
    return (W + W.T + np.eye(n)) / 2


def _snf_affinities(n, dims, present=None, seed=0):
    rng = np.random.RandomState(seed)
    affs = []
    for j, d in enumerate(dims):
        rows = np.arange(n) if present is None else np.flatnonzero(present[:, j])
        g = ModalityGraph(
            rng.normal(size=(rows.size, d)),
            rows,
            n,
            n_neighbors=8,
            affinity="scaled_exponential",
            mu=0.5,
            n_jobs=None,
        )
        affs.append(g.dense_affinity())
    return affs


def test_dense_snf_matches_the_equations():
    n = 60
    affs = _snf_affinities(n, (3, 5))
    ours = snf_dense(affs, np.ones((n, 2), bool), n_neighbors=8, n_iter=10, alpha=1.0)
    np.testing.assert_allclose(ours, _reference_snf(affs, 8, 10, 1.0), atol=1e-12)
    np.testing.assert_array_equal(ours, ours.T)


@pytest.mark.parametrize("n_mod", [2, 3])
@pytest.mark.parametrize("compiled", [False, True])
def test_dense_snf_with_missing_modalities_matches_the_equations(
    monkeypatch, n_mod, compiled
):
    # two modalities take a path of their own (no sum, no division); the numba
    # kernel computes only the upper triangle of the second product
    if compiled:
        pytest.importorskip("numba")
        monkeypatch.setattr("skmer.fusion._graph_utils._NUMBA_MIN_ROWS", 0)
    n = 70
    present = np.random.RandomState(3).rand(n, n_mod) > 0.25
    present[:, 0] |= ~present.any(axis=1)  # every row has a modality
    affs = _snf_affinities(n, (3, 5, 4)[:n_mod], present)
    ours = snf_dense(affs, present, n_neighbors=8, n_iter=6, alpha=1.0, n_jobs=2)
    ref = _reference_snf(affs, 8, 6, 1.0, present)
    np.testing.assert_allclose(ours, ref, atol=1e-12)
    np.testing.assert_array_equal(ours, ours.T)


@pytest.mark.parametrize("method", ["learned", "average", "snf"])
def test_cluster_modality_beats_noise(method):
    X, y = _clusters_and_noise()
    clf = GraphFusionClassifier(n_neighbors=10, method=method).fit(X[:150], y[:150])
    assert clf.score(X[150:], y[150:]) > 0.95
    assert set(clf.modality_weights_) == {"good", "noise"}
    assert sum(clf.modality_weights_.values()) == pytest.approx(1.0)
    if method == "learned":
        assert clf.modality_weights_["good"] > 0.8
    else:
        assert clf.modality_weights_["good"] == pytest.approx(0.5)


def test_learned_weights_follow_the_informative_modality():
    X, y = _clusters_and_noise()
    swapped = X.rename(columns=lambda c: c.replace("good", "a").replace("noise", "b"))
    w = GraphFusionClassifier(method="learned", n_neighbors=10).fit(swapped, y)
    assert w.modality_weights_["a"] > 0.8
    # only the noise modality informative now: the weights swap
    y_noise = (X["noise__0"] > 0).astype(int).to_numpy()
    w2 = GraphFusionClassifier(method="learned", n_neighbors=10).fit(swapped, y_noise)
    assert w2.modality_weights_["b"] > w2.modality_weights_["a"]


def test_missing_modality_rows_have_no_edges_there_and_get_labels_from_others():
    rng = np.random.RandomState(1)
    n = 200
    y = np.arange(n) % 2
    a = rng.normal(size=(n, 3)) + 5.0 * y[:, None]
    b = rng.normal(size=(n, 3)) + 5.0 * y[:, None]
    miss_a = np.zeros(n, bool)
    miss_a[::3] = True
    a[miss_a] = np.nan
    X = np.hstack([a, b])
    layout = {"a": slice(0, 3), "b": slice(3, 6)}
    y_semi = y.copy()
    y_semi[miss_a] = -1  # rows without "a" are unlabelled too
    for method in ("snf", "average", "learned"):
        clf = GraphFusionClassifier(n_neighbors=8, method=method, modalities=layout)
        clf.fit(X, y_semi)
        A = clf.graphs_[0].sparse_affinity()
        assert A[np.flatnonzero(miss_a)].nnz == 0  # no edge in the missing modality
        assert (clf.transduction_[miss_a] == y[miss_a]).mean() > 0.95
    # new rows with only "b" are predicted through "b"'s graph, no refit
    X_new = np.hstack([np.full((20, 3), np.nan), rng.normal(size=(20, 3)) + 5.0])
    assert (clf.predict(X_new) == 1).all()
    # a row with no modality at all gets the class prior
    proba = clf.predict_proba(np.full((1, 6), np.nan))
    np.testing.assert_allclose(proba[0], clf.class_prior_)


@pytest.mark.parametrize(
    "params",
    [
        {"method": "snf"},
        {"method": "snf", "dense": False},
        {"method": "average"},
        {"method": "learned", "hypergraph": True},
        {"method": "snf", "hypergraph": True},
        {"method": "average", "affinity": "heat"},
    ],
)
def test_semi_supervised_ten_percent_labels(params):
    rng = np.random.RandomState(0)
    xm, y = make_moons(n_samples=300, noise=0.06, random_state=0)
    # second modality: the same moons seen rotated, with more noise
    xb = xm @ np.array([[0.0, -1.0], [1.0, 0.0]]) + rng.normal(
        scale=0.15, size=(300, 2)
    )
    X = pd.DataFrame(np.hstack([xm, xb]), columns=["m__0", "m__1", "b__0", "b__1"])
    labelled = rng.permutation(300)[:30]
    y_semi = np.full(300, -1)
    y_semi[labelled] = y[labelled]
    clf = GraphFusionClassifier(n_neighbors=8, **params).fit(X, y_semi)
    unl = y_semi == -1
    assert (clf.transduction_[unl] == y[unl]).mean() > 0.95
    assert clf.label_distributions_.shape == (300, 2)
    np.testing.assert_allclose(clf.label_distributions_.sum(axis=1), 1.0)
    graph = clf.graph_
    assert graph.shape == (300, 300)
    assert clf.dense_ == (
        params["method"] == "snf" and params.get("dense", "auto") == "auto"
    )
    if not clf.dense_:
        assert sp.issparse(graph)


def test_sparse_snf_memory_is_linear_in_n():
    X, y = make_multimodal_classification(n_samples=400, random_state=0)
    clf = GraphFusionClassifier(n_neighbors=10, dense=False).fit(X, y)
    assert sp.issparse(clf.graph_)
    assert clf.graph_.nnz <= 400 * (2 * 10 * 3 + 1)
    assert clf.score(X, y) > 0.8


@pytest.mark.parametrize("method", ["learned", "average", "snf"])
def test_regressor_harmonic_propagation_and_inductive_predict(method):
    rng = np.random.RandomState(0)
    n = 200
    t = np.repeat([-2.0, 3.0], n // 2)
    a = rng.normal(size=(n, 2)) + 4 * (t > 0)[:, None]
    b = 1.5 * rng.normal(size=(n, 2)) + 4 * (t > 0)[:, None]  # a noisier view
    X = np.hstack([a, b])
    layout = {"a": [0, 1], "b": [2, 3]}
    y = t.copy()
    y[rng.rand(n) > 0.2] = np.nan  # 80 % unlabelled
    reg = GraphFusionRegressor(n_neighbors=8, method=method, modalities=layout)
    reg.fit(X, y)
    lab = ~np.isnan(y)
    np.testing.assert_allclose(reg.transduction_[lab], y[lab])  # clamped
    assert np.abs(reg.transduction_[~lab] - t[~lab]).mean() < 0.5
    if method == "learned":
        assert reg.modality_weights_["a"] > 0.6
    # new rows with only modality "a", no refit
    X_new = np.hstack([rng.normal(size=(10, 2)) + 4, np.full((10, 2), np.nan)])
    assert np.median(np.abs(reg.predict(X_new) - 3.0)) < 0.5
    assert reg.predict(np.full((1, 4), np.nan))[0] == pytest.approx(reg.target_mean_)


def test_regressor_multi_output():
    X, y = make_multimodal_regression(n_samples=200, n_targets=2, random_state=0)
    reg = GraphFusionRegressor(n_neighbors=10, method="average").fit(X, y)
    assert reg.predict(X).shape == (200, 2)
    assert reg.score(X, y) > 0.5


def test_grid_search_over_neighbours_and_method():
    X, y = make_multimodal_classification(n_samples=150, class_sep=1.0, random_state=0)
    search = GridSearchCV(
        GraphFusionClassifier(),
        {"n_neighbors": [5, 15], "method": ["snf", "average", "learned"]},
        cv=3,
    ).fit(X, y)
    assert search.best_score_ > 0.8
    assert set(search.cv_results_["param_method"]) == {"snf", "average", "learned"}


def test_pipeline_clone_pickle_and_determinism():
    X, y = make_multimodal_classification(
        n_samples=120, missing_rate=0.2, random_state=0
    )
    pipe = make_pipeline(FunctionTransformer(), GraphFusionClassifier(n_neighbors=6))
    pipe.fit(X, y)
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict_proba(X), pipe.predict_proba(X))
    other = clone(pipe).fit(X, y)
    np.testing.assert_array_equal(other.predict_proba(X), pipe.predict_proba(X))


def test_errors_name_the_problem():
    X, y = make_multimodal_classification(n_samples=40, random_state=0)
    with pytest.raises(ValueError, match="no labelled row"):
        GraphFusionClassifier().fit(X, np.full(40, -1))
    with pytest.raises(ValueError, match="method"):
        GraphFusionClassifier(method="bogus").fit(X, y)
    Xr, yr = make_multimodal_regression(n_samples=40, n_targets=2, random_state=0)
    yr = np.asarray(yr, dtype=float)
    yr[3, 0] = np.nan
    with pytest.raises(ValueError, match="row 3"):
        GraphFusionRegressor().fit(Xr, yr)
    with pytest.raises(ValueError, match="no labelled row"):
        GraphFusionRegressor().fit(Xr, np.full(40, np.nan))
    Xbad = X.copy()
    Xbad.iloc[0, 0] = np.nan
    with pytest.raises(ValueError, match="Modality 'text'"):
        GraphFusionClassifier().fit(Xbad, y)


def test_compiled_product_equals_scipy():
    pytest.importorskip("numba")
    from skmer.fusion._graph_utils import _spmm

    rng = np.random.RandomState(0)
    S = sp.random_array((50, 50), density=0.2, format="csr", random_state=0)
    Q = rng.rand(50, 50)
    for threads in (1, 2):
        out = _spmm(S, Q, np.empty((50, 50)), threads, compiled=True)
        np.testing.assert_allclose(out, S @ Q, rtol=1e-13)
        # upper=True: the upper triangle (diagonal included) only
        out = _spmm(S, Q, np.full((50, 50), -1.0), threads, compiled=True, upper=True)
        upper = np.triu(np.ones((50, 50), bool))
        np.testing.assert_allclose(out[upper], (S @ Q)[upper], rtol=1e-13)
        np.testing.assert_array_equal(out[~upper], -1.0)


# -- label spreading against a reference implementation (issue 18) ---------------
def _reference_spreading(W, Y, alpha, k):
    """Zhou et al. (2004) written out: the ``k`` strongest off-diagonal links of
    each row of the fused matrix (symmetrised by the maximum), ``S = D^-1/2 W
    D^-1/2``, and the fixed point ``F = (1 - alpha) (I - alpha S)^-1 Y``."""
    n = W.shape[0]
    off = W - np.diag(np.diag(W))
    G = np.zeros_like(off)
    for i in range(n):
        top = np.argsort(-off[i], kind="stable")[:k]
        G[i, top] = off[i, top]
    G = np.maximum(G, G.T)
    d = G.sum(axis=1)
    inv = np.where(d > 0, 1 / np.sqrt(np.where(d > 0, d, 1)), 0.0)
    S = inv[:, None] * G * inv[None, :]
    return (1 - alpha) * np.linalg.solve(np.eye(n) - alpha * S, Y)


def _reference_label_propagation(W, Y, labelled, n_iter=1000):
    """snfpy's label propagation written out: row-normalised fused matrix,
    labelled rows clamped after every step."""
    P = W / W.sum(axis=1, keepdims=True)
    F = Y.copy()
    for _ in range(n_iter):
        F = P @ F
        F[labelled] = Y[labelled]
    return F


def _semi_supervised(n=240, n_unlabelled=120, seed=0):
    X, y = make_multimodal_classification(
        n_samples=n,
        n_classes=3,
        modalities={"text": 12, "audio": 6, "video": 5},
        informativeness={"text": 1.0, "audio": 0.5, "video": 0.0},
        class_sep=0.6,
        random_state=seed,
    )
    y = np.asarray(y)
    y_semi = y.copy()
    y_semi[:n_unlabelled] = -1
    return X, y, y_semi


@pytest.mark.parametrize("alpha", [0.2, 0.9])
def test_transduction_equals_reference_spreading_on_the_fused_graph(alpha):
    X, y, y_semi = _semi_supervised()
    clf = GraphFusionClassifier(
        method="snf",
        dense=True,
        n_neighbors=10,
        alpha=alpha,
        tol=1e-12,
        max_iter=2000,
    ).fit(X, y_semi)
    labelled = y_semi != -1
    Y = np.zeros((len(y), 3))
    Y[np.flatnonzero(labelled), y_semi[labelled]] = 1.0
    ref = _reference_spreading(clf.graph_, Y, alpha, 10)
    ref /= ref.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(clf.label_distributions_, ref, atol=1e-8)
    np.testing.assert_array_equal(clf.transduction_, ref.argmax(axis=1))


def test_transduction_not_worse_than_snfpy_label_propagation_on_the_same_graph():
    # snfpy's group_predict propagates over the full fused matrix with clamping;
    # on the same fused matrix our spreading over its k strongest links is at
    # least as accurate on the unlabelled rows
    X, y, y_semi = _semi_supervised()
    clf = GraphFusionClassifier(method="snf", dense=True, n_neighbors=10).fit(X, y_semi)
    unl = y_semi == -1
    Y = np.zeros((len(y), 3))
    Y[np.flatnonzero(~unl), y_semi[~unl]] = 1.0
    lp = _reference_label_propagation(clf.graph_, Y, ~unl).argmax(axis=1)
    ours = (clf.transduction_[unl] == y[unl]).mean()
    assert ours >= (lp[unl] == y[unl]).mean()
    assert ours > 0.45  # chance: 1 / 3


def test_spread_labels_reaches_the_fixed_point():
    from skmer.fusion._graph_utils import propagation_operator, spread_labels

    rng = np.random.RandomState(0)
    A = sp.random(80, 80, density=0.1, random_state=rng, format="csr")
    A = (A + A.T).tocsr()
    Y = np.zeros((80, 2))
    Y[np.arange(0, 80, 4), rng.randint(2, size=20)] = 1.0
    S, _ = propagation_operator(A)
    F = spread_labels(S, Y, alpha=0.7, max_iter=5000, tol=1e-13)
    ref = 0.3 * np.linalg.solve(np.eye(80) - 0.7 * S.toarray(), Y)
    np.testing.assert_allclose(F, ref, atol=1e-10)


def test_numba_kernel_is_cached_across_processes():
    pytest.importorskip("numba")
    from skmer.fusion._graph_utils import _compiled_kernel

    _, kernel = _compiled_kernel()
    # a dispatcher compiled with cache=True stores its machine code on disk
    assert type(kernel._cache).__name__ != "NullCache"


# -- sample_weight ---------------------------------------------------------------
def test_classifier_weight_zero_equals_unlabelled_row():
    X, y, _ = _semi_supervised(n=120, n_unlabelled=0)
    w = np.ones(len(y))
    w[:30] = 0.0
    y_unl = y.copy()
    y_unl[:30] = -1
    kw = {"method": "learned", "n_neighbors": 8}
    a = GraphFusionClassifier(**kw).fit(X, y, sample_weight=w)
    b = GraphFusionClassifier(**kw).fit(X, y_unl)
    np.testing.assert_allclose(a.label_distributions_, b.label_distributions_)
    np.testing.assert_allclose(a.class_prior_, b.class_prior_)
    # unit weights change nothing; other weights move the label mass
    c = GraphFusionClassifier(**kw).fit(X, y, sample_weight=np.ones(len(y)))
    d = GraphFusionClassifier(**kw).fit(X, y)
    np.testing.assert_allclose(c.label_distributions_, d.label_distributions_)
    w2 = np.where(y == 0, 3.0, 1.0)
    e = GraphFusionClassifier(**kw).fit(X, y, sample_weight=w2)
    assert e.class_prior_[0] > d.class_prior_[0]
    assert e.label_distributions_[:, 0].mean() > d.label_distributions_[:, 0].mean()


def test_regressor_sample_weight():
    X, y = make_multimodal_regression(n_samples=120, random_state=0)
    y = np.asarray(y, dtype=float)
    y_semi = y.copy()
    y_semi[:40] = np.nan
    w = np.ones(len(y))
    w[40:60] = 0.0
    y_nan = y_semi.copy()
    y_nan[40:60] = np.nan
    kw = {"method": "average", "n_neighbors": 8}
    a = GraphFusionRegressor(**kw).fit(X, y_semi, sample_weight=w)
    b = GraphFusionRegressor(**kw).fit(X, y_nan)
    np.testing.assert_allclose(a.transduction_, b.transduction_, atol=1e-8)
    # unit weights change nothing; other weights move the unlabelled rows
    c = GraphFusionRegressor(**kw).fit(X, y_semi, sample_weight=np.ones(len(y)))
    d = GraphFusionRegressor(**kw).fit(X, y_semi)
    np.testing.assert_allclose(c.transduction_, d.transduction_)
    w = np.linspace(0.1, 3, len(y))
    e = GraphFusionRegressor(**kw).fit(X, y_semi, sample_weight=w)
    assert np.abs(e.transduction_[:40] - d.transduction_[:40]).max() > 1e-3
    assert e.target_mean_ == pytest.approx(np.average(y[40:], weights=w[40:]))


def test_sample_weight_reaches_graph_fusion_through_metadata_routing():
    import sklearn
    from sklearn.model_selection import cross_validate

    X, y, _ = _semi_supervised(n=120, n_unlabelled=0)
    w = np.where(y == 0, 2.0, 1.0)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = (
            GraphFusionClassifier(n_neighbors=8)
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=False)
        )
        res = cross_validate(
            clf, X, y, params={"sample_weight": w}, cv=3, return_estimator=True
        )
        priors = [est.class_prior_[0] for est in res["estimator"]]
    plain = cross_validate(
        GraphFusionClassifier(n_neighbors=8), X, y, cv=3, return_estimator=True
    )
    assert all(p > est.class_prior_[0] for p, est in zip(priors, plain["estimator"]))
    with pytest.raises(ValueError, match="sample_weight"):
        GraphFusionClassifier().fit(X, y, sample_weight=-w)


def _two_views(n=1200, seed=0, missing_rate=0.0):
    X, y = make_multimodal_classification(
        n_samples=n,
        modalities={"a": 12, "b": 6},
        class_sep=0.8,
        missing_rate=missing_rate,
        random_state=seed,
    )
    return X, np.asarray(y)


def test_approximate_neighbours_recall_and_accuracy_match_exact():
    pytest.importorskip("faiss")
    X, y = _two_views(n=1500, missing_rate=0.2)
    fit = dict(n_neighbors=15, dense=False)
    exact = GraphFusionClassifier(neighbors="exact", **fit).fit(X[:1200], y[:1200])
    approx = GraphFusionClassifier(neighbors="approximate", **fit).fit(
        X[:1200], y[:1200]
    )
    for ge, ga in zip(exact.graphs_, approx.graphs_):
        assert (ge.neighbors, ga.neighbors) == ("exact", "approximate")
        assert ga._ind.shape == ge._ind.shape
        # never the row itself, no missing hit
        assert not (ga._ind == np.arange(ga._ind.shape[0])[:, None]).any()
        assert (ga._ind >= 0).all()
        recall = np.mean([np.isin(a, e).mean() for a, e in zip(ga._ind, ge._ind)])
        assert recall >= 0.95
        # the squared distances are those of the rows found
        found = ((ga.X[:, None, :] - ga.X[ga._ind]) ** 2).sum(axis=2)
        np.testing.assert_allclose(ga._d, found, rtol=1e-4, atol=1e-4)
        # new rows: the same neighbours as the exact search
        Xq = ga.X[:50] + 0.01
        _, ind_e = ge.nn.kneighbors(Xq)
        _, ind_a = ga.nn.kneighbors(Xq)
        assert np.mean([np.isin(a, e).mean() for a, e in zip(ind_a, ind_e)]) >= 0.95
    acc_e = exact.score(X[1200:], y[1200:])
    acc_a = approx.score(X[1200:], y[1200:])
    assert abs(acc_a - acc_e) <= 0.02
    np.testing.assert_allclose(approx.weights_, exact.weights_, atol=0.05)
    # deterministic with one thread, and picklable (faiss index as bytes)
    again = clone(approx).fit(X[:1200], y[:1200])
    np.testing.assert_array_equal(again.graphs_[0]._ind, approx.graphs_[0]._ind)
    restored = pickle.loads(pickle.dumps(approx))
    np.testing.assert_array_equal(
        restored.predict_proba(X[1200:]), approx.predict_proba(X[1200:])
    )


def test_approximate_neighbours_regressor():
    pytest.importorskip("faiss")
    X, y = make_multimodal_regression(n_samples=600, random_state=0)
    exact = GraphFusionRegressor(neighbors="exact").fit(X[:500], y[:500])
    approx = GraphFusionRegressor(neighbors="approximate").fit(X[:500], y[:500])
    assert approx.score(X[500:], y[500:]) >= exact.score(X[500:], y[500:]) - 0.02


def test_auto_neighbours_exact_on_small_data_and_without_faiss(monkeypatch):
    from skmer.fusion import _graph_utils

    X, y = _two_views(n=300)
    clf = GraphFusionClassifier(n_neighbors=10).fit(X, y)
    assert clf.neighbors == "auto"
    assert [g.neighbors for g in clf.graphs_] == ["exact", "exact"]
    # above the threshold, "auto" is approximate only with faiss installed
    monkeypatch.setattr(_graph_utils, "APPROX_MIN_ROWS", 100)
    monkeypatch.setitem(sys.modules, "faiss", None)  # import faiss fails
    clf = GraphFusionClassifier(n_neighbors=10).fit(X, y)
    assert [g.neighbors for g in clf.graphs_] == ["exact", "exact"]
    with pytest.raises(ImportError, match=r"skmer\[ann\]"):
        GraphFusionClassifier(n_neighbors=10, neighbors="approximate").fit(X, y)
    monkeypatch.delitem(sys.modules, "faiss")
    if importlib.util.find_spec("faiss") is not None:
        clf = GraphFusionClassifier(n_neighbors=10).fit(X, y)
        assert [g.neighbors for g in clf.graphs_] == ["approximate"] * 2


@pytest.mark.parametrize("bad", ["hnsw", "Exact", 1, None])
def test_neighbors_parameter_validation(bad):
    X, y = _two_views(n=100)
    with pytest.raises(ValueError, match="'neighbors' parameter"):
        GraphFusionClassifier(neighbors=bad).fit(X, y)


def test_approximate_search_fills_missing_hits_exactly():
    pytest.importorskip("faiss")
    from sklearn.neighbors import NearestNeighbors

    from skmer.fusion._graph_utils import HNSWNeighbors

    X = np.random.default_rng(0).normal(size=(300, 5))
    search = HNSWNeighbors(X, 7, None)
    d, ind = search.kneighbors()
    # faiss marks a hit it could not find with -1: those rows are searched exactly
    d[[3, 10]], ind[[3, 10]] = np.inf, -1
    d, ind = search._fill(d, ind, X, np.arange(300))
    dist, exact = NearestNeighbors(n_neighbors=7).fit(X).kneighbors()
    np.testing.assert_array_equal(ind[[3, 10]], exact[[3, 10]])
    np.testing.assert_allclose(d[[3, 10]], dist[[3, 10]] ** 2)
