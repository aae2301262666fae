"""Tests of MultipleKernelClassifier / MultipleKernelRegressor."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, SVR

from skmer.compose import ModalityEncoder
from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.encoders import VectorEncoder
from skmer.fusion import MultipleKernelClassifier, MultipleKernelRegressor
from skmer.fusion._mkl import dual_matrix, easymkl_weights
from skmer.utils._sklearn_compat import InvalidParameterError

NOISY = {"a": 8, "b": 8, "noise": 8}
NOISY_INFO = {"a": 1.0, "b": 1.0, "noise": 0.0}


class KernelRidgeClassifierProxy(KernelRidge):
    """KernelRidge on +-1 labels, to expose the full training kernel in tests."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return super().fit(X, np.where(y == self.classes_[-1], 1.0, -1.0))

    def predict(self, X):
        return self.classes_[(super().predict(X) > 0).astype(int)]


class KernelRidgeNoDual(KernelRidgeClassifierProxy):
    def fit(self, X, y):
        super().fit(X, y)
        del self.dual_coef_
        self.X_fit_ = X
        return self

    def predict(self, X):
        return np.full(X.shape[0], self.classes_[0])


@pytest.fixture(scope="module")
def noisy_clf_data():
    return make_multimodal_classification(
        n_samples=200, modalities=NOISY, informativeness=NOISY_INFO, class_sep=0.5,
        random_state=0,
    )


@pytest.fixture(scope="module")
def clf_data():
    return make_multimodal_classification(n_samples=160, random_state=0)


# -- weights with known answers ------------------------------------------------
def test_alignment_gives_uninformative_modality_no_weight(noisy_clf_data):
    X, y = noisy_clf_data
    clf = MultipleKernelClassifier(method="alignment").fit(X, y)
    w = clf.modality_weights_
    assert w["noise"] < 0.01
    assert min(w["a"], w["b"]) > 0.25
    assert sum(w.values()) == pytest.approx(1.0)
    assert clf.kernel_weights_.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["easymkl", "lpmkl"])
def test_mkl_ranks_uninformative_modality_last(noisy_clf_data, method):
    # EasyMKL's weights are proportional to each kernel's margin term and
    # l1-MKL with a fixed C may use a noise kernel to fit the training rows, so
    # neither is exactly 0; both rank the noise modality clearly last
    X, y = noisy_clf_data
    w = MultipleKernelClassifier(method=method, kernels="linear").fit(X, y)
    w = w.modality_weights_
    assert w["noise"] < 0.2
    assert w["noise"] < min(w["a"], w["b"])


def test_regression_alignment_ignores_noise():
    X, y = make_multimodal_regression(
        n_samples=200, modalities=NOISY, informativeness=NOISY_INFO, random_state=0
    )
    reg = MultipleKernelRegressor(method="alignment").fit(X, y)
    assert reg.modality_weights_["noise"] < 0.01


@pytest.mark.parametrize("approximation", [None, "nystroem"])
@pytest.mark.parametrize("method", ["average", "alignment", "easymkl", "lpmkl"])
def test_duplicated_kernels_share_weight(clf_data, method, approximation):
    X, y = clf_data
    clf = MultipleKernelClassifier(
        method=method, kernels={"text": ["rbf", "rbf"]}, approximation=approximation,
        n_components=40, random_state=0,
    ).fit(X, y)
    assert clf.kernel_names_[:2] == ["text__rbf", "text__rbf_2"]
    assert len(clf.kernel_weights_) == 4
    assert clf.kernel_weights_[0] == pytest.approx(clf.kernel_weights_[1], abs=1e-6)
    assert clf.modality_weights_["text"] == pytest.approx(
        clf.kernel_weights_[:2].sum()
    )


def _easymkl_reference(kernels, ys, lam):
    """EasyMKL weights from a generic QP solver (SLSQP) on the dense problem."""
    n = ys.size
    Q = (1 - lam) * (ys[:, None] * np.sum(kernels, axis=0) * ys[None, :]) + lam * np.eye(n)
    pos = ys > 0
    cons = [
        {"type": "eq", "fun": lambda g: g[pos].sum() - 1},
        {"type": "eq", "fun": lambda g: g[~pos].sum() - 1},
    ]
    g0 = np.where(pos, 1 / pos.sum(), 1 / (~pos).sum())
    res = minimize(
        lambda g: g @ Q @ g, g0, jac=lambda g: 2 * Q @ g, bounds=[(0, None)] * n,
        constraints=cons, method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000},
    )
    yg = ys * res.x
    d = np.array([yg @ K @ yg for K in kernels])
    return d / d.sum()


@pytest.mark.parametrize("lam", [0.1, 0.5, 0.9])
def test_easymkl_matches_dense_qp(lam):
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=60)
    blocks = [rng.randn(60, 5) + s * y[:, None] for s in (1.0, 0.5, 0.0)]
    kernels = [rbf_kernel(b, gamma=0.1) for b in blocks]
    ours = easymkl_weights(kernels, y, lam, 1e-4)
    ref = _easymkl_reference(kernels, np.where(y == 1, 1.0, -1.0), lam)
    np.testing.assert_allclose(ours, ref, atol=1e-3)


@pytest.mark.parametrize("center", [False, True])
@pytest.mark.parametrize("method", ["alignment", "easymkl"])
def test_nystroem_with_all_rows_equals_exact(method, center):
    # with every training row in the basis the Nystroem kernel is the exact one
    X, y = make_multimodal_classification(n_samples=90, n_classes=3, random_state=1)
    exact = MultipleKernelClassifier(method=method, center=center).fit(X, y)
    approx = MultipleKernelClassifier(
        method=method, center=center, approximation="nystroem", n_components=90,
        tol=1e-7, max_iter=5000,
    ).fit(X, y)
    np.testing.assert_allclose(approx.kernel_weights_, exact.kernel_weights_, atol=1e-4)


def test_lp_norm_p_controls_sparsity(noisy_clf_data):
    X, y = noisy_clf_data
    sparse = MultipleKernelClassifier(method="lpmkl", p=1.0).fit(X, y)
    dense = MultipleKernelClassifier(method="lpmkl", p=4.0).fit(X, y)
    assert dense.modality_weights_["noise"] > sparse.modality_weights_["noise"]
    assert 1 < sparse.n_iter_ < sparse.max_iter


def test_lpmkl_warns_when_not_converged(noisy_clf_data):
    X, y = noisy_clf_data
    with pytest.warns(ConvergenceWarning, match="lp-norm MKL did not converge"):
        MultipleKernelClassifier(method="lpmkl", max_iter=1, tol=1e-12).fit(X, y)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_dual_matrix_reproduces_svc_decision(n_classes):
    X, y = make_multimodal_classification(n_samples=120, n_classes=n_classes, random_state=0)
    K = rbf_kernel(X.to_numpy(), gamma=0.02)
    svc = SVC(kernel="precomputed", decision_function_shape="ovo").fit(K, y)
    A = dual_matrix(svc, len(y))
    ours = (K @ A + svc.intercept_).reshape(len(y), -1)
    theirs = svc.decision_function(K).reshape(len(y), -1)
    np.testing.assert_allclose(ours, theirs, atol=1e-8)


# -- missing modalities ----------------------------------------------------------
def _combined_train_kernel(est, X):
    """The (n, n) combined kernel through the out-of-sample path."""
    return np.vstack(list(est._batches(X)))


@pytest.mark.parametrize("normalize", ["unit_diagonal", "trace", None])
@pytest.mark.parametrize("center", [False, True])
def test_missing_completion_is_psd(normalize, center):
    X, y = make_multimodal_regression(n_samples=120, missing_rate=0.4, random_state=0)
    reg = MultipleKernelRegressor(
        KernelRidge(kernel="precomputed"), method="alignment", normalize=normalize,
        center=center,
    ).fit(X, y)
    assert reg.support_.size == len(y)  # KernelRidge keeps every row
    K = _combined_train_kernel(reg, X)
    np.testing.assert_allclose(K, K.T, atol=1e-10)
    assert np.linalg.eigvalsh(K).min() > -1e-9
    if normalize == "unit_diagonal":  # every row, whatever it misses, has K_ii = 1
        np.testing.assert_allclose(np.diag(K), 1.0, atol=1e-10)


def test_pairwise_average_over_shared_modalities_is_not_psd():
    # the documented reason for the row-scaling completion: averaging each pair
    # over the modalities present in both rows breaks PSD (constant kernels)
    present = np.array([[1, 1], [1, 0], [0, 1]], dtype=float)
    shared = present @ present.T
    K = np.divide(shared, shared, out=np.zeros_like(shared), where=shared > 0)
    assert np.linalg.eigvalsh(K).min() < -0.1
    scale = 1 / np.sqrt(present.sum(axis=1))
    assert np.linalg.eigvalsh(scale[:, None] * shared * scale[None, :]).min() > -1e-12


def test_same_pattern_rows_get_renormalised_combination():
    X, y = make_multimodal_classification(n_samples=80, missing_rate=0.3, random_state=2)
    clf = MultipleKernelClassifier(
        KernelRidgeClassifierProxy(kernel="precomputed"), method="average"
    ).fit(X, y)
    K = _combined_train_kernel(clf, X)
    present = ~np.isnan(X.to_numpy()[:, [0, 20, 30]])
    only_text = np.flatnonzero(present[:, 0] & ~present[:, 1:].any(axis=1))
    full = np.flatnonzero(present.all(axis=1))
    cols = clf.modalities_["text"]
    gamma = clf.kernels_[0].params["gamma"]
    Xt = X.to_numpy()[:, cols]
    i, j = only_text[:2]
    assert K[i, j] == pytest.approx(rbf_kernel(Xt[[i]], Xt[[j]], gamma=gamma)[0, 0])
    # a text-only row against a full row: weight 1/3 over sqrt(1/3 * 1)
    f = full[0]
    expected = rbf_kernel(Xt[[i]], Xt[[f]], gamma=gamma)[0, 0] / np.sqrt(3)
    assert K[i, f] == pytest.approx(expected)


def test_missing_beats_dropping_incomplete_rows():
    X, y = make_multimodal_classification(
        n_samples=600, missing_rate=0.5, class_sep=0.25, random_state=0
    )
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.5, random_state=0)
    complete = ~Xtr.isna().any(axis=1).to_numpy()
    assert complete.mean() < 0.25
    full = MultipleKernelClassifier(random_state=0).fit(Xtr, ytr)
    dropped = MultipleKernelClassifier(random_state=0).fit(Xtr[complete], ytr[complete])
    test_complete = ~Xte.isna().any(axis=1).to_numpy()
    assert full.score(Xte, yte) > dropped.score(Xte, yte) + 0.03
    assert full.score(Xte[test_complete], yte[test_complete]) >= dropped.score(
        Xte[test_complete], yte[test_complete]
    )


def test_missing_error_and_zero():
    X, y = make_multimodal_classification(n_samples=60, missing_rate=0.3, random_state=0)
    with pytest.raises(ValueError, match="Modality '.*' is missing in rows .*missing='error'"):
        MultipleKernelClassifier(missing="error").fit(X, y)
    clf = MultipleKernelClassifier(missing="zero").fit(X, y)
    assert clf.predict(X).shape == y.shape


# -- out-of-sample evaluation ------------------------------------------------------
class _CountingKernel:
    """Linear (or constant) kernel that records the shapes it was evaluated on."""

    def __init__(self, constant=False):
        self.calls = []
        self.constant = constant

    def __call__(self, A, B):
        self.calls.append((A.shape[0], B.shape[0]))
        return np.ones((A.shape[0], B.shape[0])) if self.constant else A @ B.T


def test_predict_evaluates_only_support_rows_and_weighted_kernels(noisy_clf_data):
    X, y = noisy_clf_data
    # a constant kernel is 0 once centered: its alignment weight is exactly 0
    k_a, k_noise = _CountingKernel(), _CountingKernel(constant=True)
    clf = MultipleKernelClassifier(
        method="alignment", kernels={"a": k_a, "noise": k_noise}
    ).fit(X, y)
    assert clf.kernel_weights_[2] == 0.0
    n_sv = clf.support_.size
    assert n_sv < len(y)
    k_a.calls.clear()
    k_noise.calls.clear()
    clf.predict(X.iloc[:7])
    assert k_noise.calls == []
    assert (7, n_sv) in k_a.calls
    assert all(b <= n_sv for _, b in k_a.calls)


def test_predict_matches_training_kernel(clf_data):
    X, y = clf_data
    clf = MultipleKernelClassifier(method="easymkl", center=True).fit(X, y)
    svc = clf.estimator_
    # rebuild predictions from the fitted SVC's own decision on the same rows
    K = _combined_train_kernel(clf, X)
    np.testing.assert_allclose(svc.decision_function(K), clf.decision_function(X))
    assert clf.score(X, y) > 0.8


# -- estimators, API -----------------------------------------------------------------
def test_regressor_with_svr_and_kernel_ridge():
    X, y = make_multimodal_regression(n_samples=240, missing_rate=0.2, random_state=0)
    Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)
    for est in [None, SVR(kernel="precomputed", C=10), KernelRidge(kernel="precomputed", alpha=0.1)]:
        for method in ["average", "alignment", "lpmkl"]:
            reg = MultipleKernelRegressor(est, method=method).fit(Xtr, ytr)
            assert reg.score(Xte, yte) > 0.5, (est, method)


def test_regressor_rejects_easymkl():
    X, y = make_multimodal_regression(n_samples=30, random_state=0)
    with pytest.raises(InvalidParameterError, match="method"):
        MultipleKernelRegressor(method="easymkl").fit(X, y)


def test_nystroem_path_accuracy_close_to_exact():
    X, y = make_multimodal_classification(n_samples=600, random_state=0)
    Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)
    exact = MultipleKernelClassifier(method="easymkl").fit(Xtr, ytr).score(Xte, yte)
    approx = MultipleKernelClassifier(
        method="easymkl", approximation="nystroem", n_components=100, random_state=0
    ).fit(Xtr, ytr)
    assert approx.score(Xte, yte) > exact - 0.05
    assert not hasattr(approx, "support_")


def test_kernel_specs_and_callables(clf_data):
    X, y = clf_data

    def my_linear(A, B, scale=1.0):
        return scale * A @ B.T

    clf = MultipleKernelClassifier(
        kernels={
            "text": [("rbf", {"gamma": 0.05}), "linear"],
            "audio": (my_linear, {"scale": 2.0}),
            "video": ("poly", {"degree": 2}),
        },
        method="average",
    ).fit(X, y)
    assert clf.kernel_names_ == ["text__rbf", "text__linear", "audio__my_linear", "video__poly"]
    assert clf.kernels_[0].params == {"gamma": 0.05}
    assert clf.modality_weights_["text"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"kernels": "gauss"}, ValueError, "kernels names unknown kernel 'gauss'"),
        ({"kernels": {"txt": "rbf"}}, ValueError, r"unknown modalities \['txt'\]"),
        ({"kernels": {"text": []}}, ValueError, r"kernels\['text'\] is an empty list"),
        ({"kernels": {"text": ("rbf", 1)}}, TypeError, r"kernels\['text'\] tuple must be"),
        ({"kernels": {"text": 3}}, TypeError, r"kernels\['text'\] must be a kernel name"),
        ({"kernels": lambda A, B: A[:, :1]}, ValueError, "must return the \\(n_A, n_B\\)"),
        ({"estimator": SVC()}, ValueError, "kernel='precomputed'.*SVC\\(kernel='rbf'\\)"),
        ({"approximation": "nystroem", "estimator": SVC(kernel="precomputed")},
         ValueError, "must be a linear model"),
        ({"method": "lpmkl", "estimator": KernelRidgeNoDual(kernel="precomputed")},
         TypeError, "dual_coef_"),
    ],
)
def test_errors(clf_data, kwargs, err, match):
    X, y = clf_data
    with pytest.raises(err, match=match):
        MultipleKernelClassifier(**kwargs).fit(X, y)


def test_array_input_with_modalities_and_partial_nan():
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    A = X.to_numpy()
    mods = {"t": slice(0, 20), "av": slice(20, 45)}
    clf = MultipleKernelClassifier(modalities=mods).fit(A, y)
    assert sorted(clf.modality_weights_) == ["av", "t"]
    A[0, 3] = np.nan
    with pytest.raises(ValueError, match="Modality 't' has NaN inside a present block"):
        clf.predict(A)


def test_pipeline_gridsearch_with_modality_encoder():
    X, y = make_multimodal_classification(
        n_samples=150, output="vectors", missing_rate=0.1, random_state=0
    )
    pipe = Pipeline([
        ("encode", ModalityEncoder({m: VectorEncoder() for m in X.columns})),
        ("fuse", MultipleKernelClassifier()),
    ])
    grid = {
        "fuse__method": ["average", "easymkl"],
        "fuse__kernels": ["rbf", {"text": ("rbf", {"gamma": 0.01}), "audio": "linear"}],
    }
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert search.best_score_ > 0.7
    assert len(search.cv_results_["params"]) == 4
    fuse = search.best_estimator_.named_steps["fuse"]
    assert sorted(fuse.modality_weights_) == ["audio", "text", "video"]


def test_clone_pickle_and_determinism(clf_data):
    X, y = clf_data
    clf = MultipleKernelClassifier(
        method="lpmkl", approximation="nystroem", n_components=30, random_state=3
    ).fit(X, y)
    again = clone(clf).fit(X, y)
    np.testing.assert_array_equal(clf.decision_function(X), again.decision_function(X))
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    exact = MultipleKernelClassifier(method="easymkl").fit(X, y)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(exact)).predict(X), exact.predict(X)
    )


def test_predict_proba_available_with_probabilistic_estimator(clf_data):
    X, y = clf_data
    assert not hasattr(MultipleKernelClassifier(), "predict_proba")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        est = SVC(kernel="precomputed", probability=True, random_state=0)
    clf = MultipleKernelClassifier(est, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_string_labels_and_dataframe_columns():
    X, y = make_multimodal_classification(n_samples=80, n_classes=3, random_state=0)
    labels = np.array(["anger", "joy", "sad"])[y]
    clf = MultipleKernelClassifier(method="easymkl").fit(X, labels)
    assert set(clf.predict(X)) <= set(labels)
    assert list(clf.classes_) == ["anger", "joy", "sad"]
    assert isinstance(X, pd.DataFrame) and clf.feature_names_in_[0] == "text__0"


def test_multi_output_regression_with_kernel_ridge():
    X, y = make_multimodal_regression(n_samples=150, n_targets=2, random_state=0)
    for method in ["alignment", "lpmkl"]:
        reg = MultipleKernelRegressor(
            KernelRidge(kernel="precomputed", alpha=0.1), method=method
        ).fit(X, y)
        assert reg.predict(X).shape == (150, 2)
        assert reg.score(X, y) > 0.5


@pytest.mark.parametrize("approximation", [None, "nystroem"])
def test_rows_without_any_modality_get_the_intercept(approximation):
    X, y = make_multimodal_classification(n_samples=100, missing_rate=0.3, random_state=0)
    clf = MultipleKernelClassifier(
        approximation=approximation, n_components=20, random_state=0
    ).fit(X, y)
    Xn = X.iloc[:3].copy()
    Xn.iloc[0] = np.nan  # nothing present: the kernel row is 0
    Xn.iloc[:, :20] = np.nan  # text absent from every test row
    scores = clf.decision_function(Xn)
    assert scores[0] == pytest.approx(clf.estimator_.intercept_.ravel()[0])
    assert np.all(np.isfinite(scores))


@pytest.mark.parametrize("approximation", [None, "nystroem"])
def test_skops_round_trip(approximation):
    sio = pytest.importorskip("skops.io")
    X, y = make_multimodal_classification(n_samples=120, missing_rate=0.3, random_state=0)
    clf = MultipleKernelClassifier(
        method="easymkl", center=True, approximation=approximation, n_components=20,
        random_state=0,
    ).fit(X, y)
    dumped = sio.dumps(clf)
    loaded = sio.loads(dumped, trusted=sio.get_untrusted_types(data=dumped))
    np.testing.assert_allclose(loaded.decision_function(X), clf.decision_function(X))
