"""Tests of MultipleKernelClassifier / MultipleKernelRegressor."""

import dataclasses
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from scipy.optimize import minimize
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics import recall_score
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.model_selection import GridSearchCV, cross_validate, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, SVR
from sklearn.utils.estimator_checks import check_sample_weight_equivalence_on_dense_data

from skmer.compose import ModalityEncoder
from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.encoders import VectorEncoder
from skmer.fusion import MultipleKernelClassifier, MultipleKernelRegressor
from skmer.fusion._mkl import (
    alignment_weights,
    alignment_weights_features,
    centered_targets,
    dual_matrix,
    easymkl_weights,
)
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
        n_samples=200,
        modalities=NOISY,
        informativeness=NOISY_INFO,
        class_sep=0.5,
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
        method=method,
        kernels={"text": ["rbf", "rbf"]},
        approximation=approximation,
        n_components=40,
        random_state=0,
    ).fit(X, y)
    assert clf.kernel_names_[:2] == ["text__rbf", "text__rbf_2"]
    assert len(clf.kernel_weights_) == 4
    assert clf.kernel_weights_[0] == pytest.approx(clf.kernel_weights_[1], abs=1e-6)
    assert clf.modality_weights_["text"] == pytest.approx(clf.kernel_weights_[:2].sum())


def _easymkl_reference(kernels, ys, lam, sample_weight=None):
    """EasyMKL weights from a generic QP solver (SLSQP) on the dense problem
    (with ``sample_weight``: the ridge ``lam * sum_i g_i^2 / w_i``)."""
    n = ys.size
    ridge = np.ones(n) if sample_weight is None else 1.0 / sample_weight
    Q = (1 - lam) * (ys[:, None] * np.sum(kernels, axis=0) * ys[None, :])
    Q += lam * np.diag(ridge)
    pos = ys > 0
    cons = [
        {"type": "eq", "fun": lambda g: g[pos].sum() - 1},
        {"type": "eq", "fun": lambda g: g[~pos].sum() - 1},
    ]
    g0 = np.where(pos, 1 / pos.sum(), 1 / (~pos).sum())
    res = minimize(
        lambda g: g @ Q @ g,
        g0,
        jac=lambda g: 2 * Q @ g,
        bounds=[(0, None)] * n,
        constraints=cons,
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 1000},
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
        method=method,
        center=center,
        approximation="nystroem",
        n_components=90,
        tol=1e-7,
        max_iter=5000,
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
    X, y = make_multimodal_classification(
        n_samples=120, n_classes=n_classes, random_state=0
    )
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
        KernelRidge(kernel="precomputed"),
        method="alignment",
        normalize=normalize,
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
    X, y = make_multimodal_classification(
        n_samples=80, missing_rate=0.3, random_state=2
    )
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
    X, y = make_multimodal_classification(
        n_samples=60, missing_rate=0.3, random_state=0
    )
    with pytest.raises(
        ValueError, match="Modality '.*' is missing in rows .*missing='error'"
    ):
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
    for est in [
        None,
        SVR(kernel="precomputed", C=10),
        KernelRidge(kernel="precomputed", alpha=0.1),
    ]:
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
    assert clf.kernel_names_ == [
        "text__rbf",
        "text__linear",
        "audio__my_linear",
        "video__poly",
    ]
    assert clf.kernels_[0].params == {"gamma": 0.05}
    assert clf.modality_weights_["text"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        ({"kernels": "gauss"}, ValueError, "kernels names unknown kernel 'gauss'"),
        ({"kernels": {"txt": "rbf"}}, ValueError, r"unknown modalities \['txt'\]"),
        ({"kernels": {"text": []}}, ValueError, r"kernels\['text'\] is an empty list"),
        (
            {"kernels": {"text": ("rbf", 1)}},
            TypeError,
            r"kernels\['text'\] tuple must be",
        ),
        (
            {"kernels": {"text": 3}},
            TypeError,
            r"kernels\['text'\] must be a kernel name",
        ),
        (
            {"kernels": lambda A, B: A[:, :1]},
            ValueError,
            "must return the \\(n_A, n_B\\)",
        ),
        (
            {"kernels": {"text": ("linear", {"gamma": 0.1})}},
            ValueError,
            r"kernels\['text'\]: kernel 'linear' has no parameter \['gamma'\]",
        ),
        (
            {"kernels": ("rbf", {"gama": 0.1})},
            ValueError,
            r"has no parameter \['gama'\]",
        ),
        ({"kernels": ("rbf", {"gamma": "auto"})}, ValueError, "got gamma='auto'"),
        (
            {"kernels": ("poly", {"gamma": "scale"})},
            ValueError,
            "'poly' got gamma='scale'",
        ),
        (
            {"estimator": SVC()},
            ValueError,
            "kernel='precomputed'.*SVC\\(kernel='rbf'\\)",
        ),
        (
            {"approximation": "nystroem", "estimator": SVC(kernel="precomputed")},
            ValueError,
            "must be a linear model",
        ),
        (
            {"method": "lpmkl", "estimator": KernelRidgeNoDual(kernel="precomputed")},
            TypeError,
            "dual_coef_",
        ),
    ],
)
def test_errors(clf_data, kwargs, err, match):
    X, y = clf_data
    with pytest.raises(err, match=match):
        MultipleKernelClassifier(**kwargs).fit(X, y)


@dataclasses.dataclass
class _ScaledLinear:
    """A kernel object with a parameter: a dataclass, hence unhashable."""

    scale: float = 1.0

    def __call__(self, A, B):
        return self.scale * A @ B.T


def test_unhashable_callable_kernel(clf_data):
    X, y = clf_data
    clf = MultipleKernelClassifier(kernels={"audio": _ScaledLinear(2.0)}).fit(X, y)
    assert clf.kernels_[1].metric == _ScaledLinear(2.0)
    assert clf.kernels_[1].params == {}  # no gamma="scale" for a callable
    search = GridSearchCV(
        MultipleKernelClassifier(),
        {"kernels": [_ScaledLinear(1.0), "rbf"]},
        cv=2,
        error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 2


def _asymmetric(A, B):
    return A[:, :1] - B[:, :1].T


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
@pytest.mark.parametrize("approximation", [None, "nystroem"])
@pytest.mark.parametrize(
    "kernels, match",
    [
        (
            lambda A, B: np.full((len(A), len(B)), np.nan),
            "'text__<lambda>' gave a non-finite",
        ),
        (
            ("poly", {"degree": 9, "coef0": 1e40}),
            "'text__poly' gave a non-finite value",
        ),
        # libsvm never terminated on this one
        (_asymmetric, "'text___asymmetric' is not symmetric"),
    ],
)
def test_invalid_kernel_matrices_are_named(clf_data, kernels, match, approximation):
    X, y = clf_data
    clf = MultipleKernelClassifier(
        kernels={"text": kernels}, approximation=approximation, n_components=20
    )
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


def test_negative_self_similarity_with_cosine_normalisation_is_an_error(clf_data):
    # k(x, x) < 0 used to be silently replaced by 1 in K_ij / sqrt(K_ii K_jj)
    X, y = clf_data
    neg = MultipleKernelClassifier(kernels={"audio": ("sigmoid", {"coef0": -5.0})})
    with pytest.raises(ValueError, match=r"'audio__sigmoid' has k\(x, x\) = -1 < 0"):
        neg.fit(X, y)
    neg.set_params(normalize=None).fit(X, y)  # used as given, as SVC(kernel="sigmoid")


@pytest.mark.parametrize("approximation", [None, "nystroem"])
def test_easymkl_when_no_kernel_separates_the_classes(approximation):
    # constant features: every centered kernel is 0, so every EasyMKL margin
    # term d_r is 0 (d / sum(d) was NaN and the SVC fit crashed)
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    A = np.ones((60, 4))
    clf = MultipleKernelClassifier(
        kernels=["linear", "poly"],
        center=True,
        method="easymkl",
        approximation=approximation,
        n_components=10,
        random_state=0,
    ).fit(A, y)
    np.testing.assert_array_equal(clf.kernel_weights_, [0.5, 0.5])
    assert clf.predict(A).shape == (60,)


def test_predict_batches_are_bounded_by_the_training_rows(monkeypatch):
    # the learner takes (batch, n_train) matrices: the batch size must follow
    # n_train, not the (much smaller) number of support vectors
    X, y = make_multimodal_classification(
        n_samples=200, class_sep=2.0, missing_rate=0.2, random_state=0
    )
    clf = MultipleKernelClassifier(center=True).fit(X, y)
    assert clf.support_.size < len(y) / 2
    expected = clf.decision_function(X)
    monkeypatch.setattr("skmer.fusion._kernel._BATCH_ENTRIES", 7 * len(y))
    shapes = [b.shape for b in clf._batches(X)]
    assert shapes[0] == (7, len(y)) and len(shapes) == 29
    np.testing.assert_allclose(clf.decision_function(X), expected, atol=1e-12)


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
    pipe = Pipeline(
        [
            ("encode", ModalityEncoder({m: VectorEncoder() for m in X.columns})),
            ("fuse", MultipleKernelClassifier()),
        ]
    )
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
    X, y = make_multimodal_classification(
        n_samples=100, missing_rate=0.3, random_state=0
    )
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
    X, y = make_multimodal_classification(
        n_samples=120, missing_rate=0.3, random_state=0
    )
    clf = MultipleKernelClassifier(
        method="easymkl",
        center=True,
        approximation=approximation,
        n_components=20,
        random_state=0,
    ).fit(X, y)
    dumped = sio.dumps(clf)
    loaded = sio.loads(dumped, trusted=sio.get_untrusted_types(data=dumped))
    np.testing.assert_allclose(loaded.decision_function(X), clf.decision_function(X))


# -- sample weights -----------------------------------------------------------------
def _repeat_first_row(X, y, times=2):
    """Data with row 0 repeated ``times`` times, and the matching weights."""
    idx = np.r_[np.zeros(times, dtype=int), np.arange(1, len(y))]
    w = np.ones(len(y))
    w[0] = times
    take = X.iloc[idx] if hasattr(X, "iloc") else X[idx]
    return take, y[idx], w


@pytest.mark.parametrize("classification", [True, False])
def test_alignment_solvers_weight_equals_repeated_row(classification):
    # the solvers themselves: weights [2, 1, ...] equal duplicating row 0
    rng = np.random.RandomState(0)
    y = rng.randint(3, size=40) if classification else rng.randn(40)
    feats = [rng.randn(40, 6) + s * np.atleast_2d(y).T for s in (1.0, 0.3, 0.0)]
    w = np.ones(40)
    w[0] = 2
    dup = np.r_[0, np.arange(40)]
    Yw = centered_targets(y, classification, w)
    Yd = centered_targets(y[dup], classification)
    exact_w = alignment_weights([F @ F.T for F in feats], Yw, w)
    exact_d = alignment_weights([F[dup] @ F[dup].T for F in feats], Yd)
    np.testing.assert_allclose(exact_w, exact_d, rtol=1e-8, atol=1e-10)
    feat_w = alignment_weights_features(feats, Yw, w)
    feat_d = alignment_weights_features([F[dup] for F in feats], Yd)
    np.testing.assert_allclose(feat_w, feat_d, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(feat_w, exact_w, rtol=1e-8, atol=1e-10)
    # and the weights matter: row 0 counted once gives other kernel weights
    once = alignment_weights(
        [F @ F.T for F in feats], centered_targets(y, classification)
    )
    assert np.abs(once - exact_w).max() > 1e-6


@pytest.mark.parametrize(
    "center, normalize, kernels",
    [
        (False, "unit_diagonal", None),
        (True, "trace", ["linear", "laplacian"]),
        (True, None, "rbf"),
    ],
)
def test_alignment_weight_equals_repeated_row(center, normalize, kernels):
    # gamma="scale", the centering mean and the trace are weighted too
    X, y = make_multimodal_classification(
        n_samples=50,
        n_classes=3,
        modalities={"a": 4, "b": 4, "c": 4},
        class_sep=0.6,
        missing_rate=0.2,
        random_state=0,
    )
    Xd, yd, w = _repeat_first_row(X, y)
    kw = {"center": center, "normalize": normalize, "kernels": kernels}
    svc = SVC(kernel="precomputed", tol=1e-10)
    a = MultipleKernelClassifier(svc, **kw).fit(X, y, sample_weight=w)
    b = MultipleKernelClassifier(svc, **kw).fit(Xd, yd)
    np.testing.assert_allclose(
        a.kernel_weights_, b.kernel_weights_, rtol=1e-8, atol=1e-10
    )
    for ka, kb in zip(a.kernels_, b.kernels_):  # the weighted gamma="scale"
        assert ka.params.keys() == kb.params.keys()
        for key, value in ka.params.items():
            assert value == pytest.approx(kb.params[key], rel=1e-12)
    np.testing.assert_allclose(
        a.decision_function(X), b.decision_function(X), atol=1e-7
    )
    plain = MultipleKernelClassifier(svc, **kw).fit(X, y)
    assert np.abs(plain.kernel_weights_ - a.kernel_weights_).max() > 1e-6


@pytest.mark.parametrize("method", ["alignment", "lpmkl"])
def test_nystroem_full_basis_weight_equals_repeated_row(method):
    # with every row in the basis the Nystroem kernel is exact, and a repeated
    # row adds nothing to its span: weighted and repeated fits agree
    X, y = make_multimodal_regression(n_samples=40, missing_rate=0.2, random_state=0)
    Xd, yd, w = _repeat_first_row(X, y)
    kw = {
        "method": method,
        "approximation": "nystroem",
        "n_components": 100,
        "center": True,
        "tol": 1e-10,
        "max_iter": 500,
    }
    a = MultipleKernelRegressor(**kw).fit(X, y, sample_weight=w)
    b = MultipleKernelRegressor(**kw).fit(Xd, yd)
    assert np.all(np.isfinite(a.kernel_weights_))
    assert a.kernel_weights_.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(a.kernel_weights_, b.kernel_weights_, atol=1e-7)
    np.testing.assert_allclose(a.predict(X), b.predict(X), atol=1e-6)


@pytest.mark.parametrize("center", [False, True])
@pytest.mark.parametrize("method", ["alignment", "easymkl"])
def test_weighted_nystroem_with_all_rows_equals_exact(method, center):
    X, y = make_multimodal_classification(n_samples=90, n_classes=3, random_state=1)
    w = np.random.RandomState(0).uniform(0.2, 3.0, size=90)
    exact = MultipleKernelClassifier(method=method, center=center).fit(
        X, y, sample_weight=w
    )
    approx = MultipleKernelClassifier(
        method=method,
        center=center,
        approximation="nystroem",
        n_components=90,
        tol=1e-7,
        max_iter=5000,
    ).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(approx.kernel_weights_, exact.kernel_weights_, atol=1e-4)
    plain = MultipleKernelClassifier(method=method, center=center).fit(X, y)
    assert np.abs(plain.kernel_weights_ - exact.kernel_weights_).max() > 1e-3


@pytest.mark.parametrize("lam", [0.1, 0.5])
def test_weighted_easymkl_matches_dense_qp(lam):
    # the weighted problem: ridge lam * sum_i g_i^2 / w_i
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=60)
    w = rng.uniform(0.2, 3.0, size=60)
    blocks = [rng.randn(60, 5) + s * y[:, None] for s in (1.0, 0.5, 0.0)]
    kernels = [rbf_kernel(b, gamma=0.1) for b in blocks]
    ours = easymkl_weights(kernels, y, lam, 1e-8, sample_weight=w)
    ref = _easymkl_reference(kernels, np.where(y == 1, 1.0, -1.0), lam, w)
    np.testing.assert_allclose(ours, ref, atol=1e-3)
    assert np.abs(ours - easymkl_weights(kernels, y, lam, 1e-8)).max() > 1e-3
    # weights c * 1 act as lam' with lam' / (1 - lam') = lam / (c (1 - lam))
    c = 3.0
    ratio = lam / (c * (1 - lam))
    np.testing.assert_allclose(
        easymkl_weights(kernels, y, lam, 1e-10, sample_weight=np.full(60, c)),
        easymkl_weights(kernels, y, ratio / (1 + ratio), 1e-10),
        atol=1e-7,
    )


@pytest.mark.parametrize("approximation", [None, "nystroem"])
def test_easymkl_weight_equals_repeated_row(approximation):
    X, y = make_multimodal_classification(n_samples=60, n_classes=3, random_state=0)
    Xd, yd, w = _repeat_first_row(X, y, times=3)
    kw = {
        "method": "easymkl",
        "approximation": approximation,
        "n_components": 100,
        "tol": 1e-10,
        "max_iter": 5000,
    }
    a = MultipleKernelClassifier(**kw).fit(X, y, sample_weight=w)
    b = MultipleKernelClassifier(**kw).fit(Xd, yd)
    np.testing.assert_allclose(a.kernel_weights_, b.kernel_weights_, atol=1e-6)


def test_lpmkl_weight_equals_repeated_rows():
    # SVC's per-row C * w_i is repetition in the dual (copies share one box of
    # total C * w_i); libsvm reaches it to its tolerance. KernelRidge: exactly.
    X, y = make_multimodal_classification(
        n_samples=60, missing_rate=0.2, random_state=0
    )
    w = np.random.RandomState(1).randint(1, 4, size=60)
    idx = np.repeat(np.arange(60), w)
    kw = {"method": "lpmkl", "center": True, "tol": 1e-10, "max_iter": 500}
    svc = SVC(kernel="precomputed", tol=1e-10)
    a = MultipleKernelClassifier(svc, **kw).fit(X, y, sample_weight=w)
    b = MultipleKernelClassifier(svc, **kw).fit(X.iloc[idx], y[idx])
    np.testing.assert_allclose(a.kernel_weights_, b.kernel_weights_, atol=1e-6)
    np.testing.assert_allclose(
        a.decision_function(X), b.decision_function(X), atol=1e-6
    )
    Xr, yr = make_multimodal_regression(n_samples=60, missing_rate=0.2, random_state=0)
    kr = KernelRidge(kernel="precomputed", alpha=0.1)
    a = MultipleKernelRegressor(kr, **kw).fit(Xr, yr, sample_weight=w)
    b = MultipleKernelRegressor(kr, **kw).fit(Xr.iloc[idx], yr[idx])
    np.testing.assert_allclose(a.kernel_weights_, b.kernel_weights_, atol=1e-10)
    np.testing.assert_allclose(a.predict(Xr), b.predict(Xr), atol=1e-10)
    assert a.n_iter_ == b.n_iter_ > 1


@pytest.mark.parametrize("approximation", [None, "nystroem"])
def test_average_kernel_weights_ignore_sample_weight(approximation):
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    w = np.random.RandomState(0).uniform(0.1, 5.0, size=60)
    clf = MultipleKernelClassifier(
        method="average",
        kernels={"text": ["rbf", "linear"]},
        approximation=approximation,
        n_components=20,
        random_state=0,
    ).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(clf.kernel_weights_, np.full(4, 0.25))


@pytest.mark.parametrize("approximation", [None, "nystroem"])
@pytest.mark.parametrize("method", ["average", "alignment", "easymkl", "lpmkl"])
def test_zero_weight_rows_are_ignored(method, approximation):
    X, y = make_multimodal_classification(
        n_samples=80, missing_rate=0.2, random_state=0
    )
    w = np.random.RandomState(0).uniform(0.5, 2.0, size=80)
    zero = np.arange(80) % 4 == 0
    w[zero] = 0
    # garbage in the zero-weight rows: huge values, flipped labels
    Xg, yg = X.copy(), y.copy()
    Xg.iloc[np.flatnonzero(zero), :20] = 1e3
    yg[zero] = 1 - yg[zero]
    kw = {
        "method": method,
        "approximation": approximation,
        "n_components": 30,
        "random_state": 0,
    }
    a = MultipleKernelClassifier(**kw).fit(Xg, yg, sample_weight=w)
    b = MultipleKernelClassifier(**kw).fit(X[~zero], y[~zero], sample_weight=w[~zero])
    np.testing.assert_allclose(a.kernel_weights_, b.kernel_weights_, rtol=1e-10)
    np.testing.assert_allclose(
        a.decision_function(X), b.decision_function(X), atol=1e-10
    )
    if approximation is None:  # support_ indexes the rows given to fit
        np.testing.assert_array_equal(a.support_, np.flatnonzero(~zero)[b.support_])
        assert not zero[a.support_].any()


def test_modality_present_only_in_zero_weight_rows_is_an_error():
    X, y = make_multimodal_classification(n_samples=40, random_state=0)
    audio = [c for c in X.columns if c.startswith("audio__")]
    X.loc[10:, audio] = np.nan  # audio only in rows 0-9
    w = np.ones(40)
    w[:10] = 0
    with pytest.raises(
        ValueError, match="'audio' is present only in rows with sample_weight 0"
    ):
        MultipleKernelClassifier().fit(X, y, sample_weight=w)


def test_row_renormalisation_does_not_depend_on_weights():
    X, y = make_multimodal_classification(
        n_samples=80, missing_rate=0.3, random_state=2
    )
    w = np.random.RandomState(0).uniform(0.1, 5.0, size=80)
    kw = {"method": "average", "kernels": ("rbf", {"gamma": 0.05})}
    est = KernelRidge(kernel="precomputed")
    a = MultipleKernelClassifier(KernelRidgeClassifierProxy(kernel="precomputed"), **kw)
    b = MultipleKernelRegressor(est, **kw)
    K_plain = _combined_train_kernel(a.fit(X, y), X)
    K_weighted = _combined_train_kernel(b.fit(X, y.astype(float), sample_weight=w), X)
    np.testing.assert_allclose(K_weighted, K_plain, atol=1e-12)
    # learned weights: still unit diagonal and PSD with missing modalities
    c = MultipleKernelRegressor(est, method="alignment").fit(
        X, y * 1.0, sample_weight=w
    )
    K = _combined_train_kernel(c, X)
    np.testing.assert_allclose(np.diag(K), 1.0, atol=1e-10)
    assert np.linalg.eigvalsh(K).min() > -1e-9


@pytest.mark.parametrize(
    "sample_weight, err, match",
    [
        (np.ones(5), ValueError, r"sample_weight.shape == \(5,\), expected \(60,\)"),
        (-np.ones(60), ValueError, "Negative values in data passed to `sample_weight`"),
        (np.ones((60, 2)), ValueError, "Sample weights must be 1D"),
    ],
)
def test_sample_weight_validation(sample_weight, err, match):
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    with pytest.raises(err, match=match):
        MultipleKernelClassifier().fit(X, y, sample_weight=sample_weight)


def test_estimator_without_sample_weight_is_named():
    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    clf = MultipleKernelClassifier(KernelRidgeClassifierProxy(kernel="precomputed"))
    with pytest.raises(
        TypeError, match="KernelRidgeClassifierProxy does not accept sample_weight"
    ):
        clf.fit(X, y, sample_weight=np.ones(60))
    clf.fit(X, y)  # fine without weights


@pytest.mark.parametrize("method", ["alignment", "easymkl", "lpmkl"])
def test_upweighting_minority_class_raises_its_recall(method):
    X, y = make_multimodal_classification(
        n_samples=300, weights=[0.85, 0.15], class_sep=0.2, random_state=0
    )
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    w = np.where(ytr == 1, (ytr == 0).sum() / (ytr == 1).sum(), 1.0)
    plain = MultipleKernelClassifier(method=method).fit(Xtr, ytr)
    weighted = MultipleKernelClassifier(method=method).fit(Xtr, ytr, sample_weight=w)
    r_plain = recall_score(yte, plain.predict(Xte))
    r_weighted = recall_score(yte, weighted.predict(Xte))
    assert r_weighted > r_plain + 0.2


@pytest.mark.parametrize("method", ["alignment", "lpmkl"])
def test_regression_downweighting_corrupted_rows(method):
    X, y = make_multimodal_regression(n_samples=240, random_state=0)
    Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)
    rng = np.random.RandomState(0)
    bad = rng.rand(len(ytr)) < 0.3
    ycorrupt = ytr.copy()
    ycorrupt[bad] = rng.permutation(ytr[bad]) + rng.normal(
        scale=3 * ytr.std(), size=bad.sum()
    )
    w = np.where(bad, 0.01, 1.0)
    est = KernelRidge(kernel="precomputed", alpha=0.1)
    plain = MultipleKernelRegressor(est, method=method).fit(Xtr, ycorrupt)
    weighted = MultipleKernelRegressor(est, method=method).fit(
        Xtr, ycorrupt, sample_weight=w
    )
    assert weighted.score(Xte, yte) > plain.score(Xte, yte) + 0.1
    assert weighted.score(Xte, yte) > 0.5


@pytest.mark.parametrize("approximation", [None, "nystroem"])
@pytest.mark.parametrize("method", ["average", "alignment", "easymkl", "lpmkl"])
def test_sample_weight_none_and_ones_give_unweighted_fit(method, approximation):
    X, y = make_multimodal_classification(
        n_samples=80, missing_rate=0.2, random_state=0
    )
    kw = {
        "method": method,
        "approximation": approximation,
        "n_components": 20,
        "center": True,
        "random_state": 0,
    }
    base = MultipleKernelClassifier(**kw).fit(X, y)
    none = MultipleKernelClassifier(**kw).fit(X, y, sample_weight=None)
    np.testing.assert_array_equal(none.kernel_weights_, base.kernel_weights_)
    np.testing.assert_array_equal(none.decision_function(X), base.decision_function(X))
    ones = MultipleKernelClassifier(**kw).fit(X, y, sample_weight=np.ones(80))
    np.testing.assert_allclose(ones.kernel_weights_, base.kernel_weights_, atol=1e-8)
    np.testing.assert_allclose(
        ones.decision_function(X), base.decision_function(X), atol=1e-6
    )


def test_gridsearch_and_cross_validate_pass_sample_weight():
    X, y = make_multimodal_classification(
        n_samples=90, missing_rate=0.1, random_state=0
    )
    w = np.random.RandomState(0).randint(0, 4, size=90).astype(float)
    search = GridSearchCV(
        MultipleKernelClassifier(), {"method": ["alignment", "easymkl"]}, cv=3
    ).fit(X, y, sample_weight=w)
    direct = clone(search.best_estimator_).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(
        search.best_estimator_.kernel_weights_, direct.kernel_weights_
    )
    unweighted = clone(search.best_estimator_).fit(X, y)
    assert np.abs(unweighted.kernel_weights_ - direct.kernel_weights_).max() > 1e-4

    def check(result):
        for est, train in zip(result["estimator"], result["indices"]["train"]):
            ref = MultipleKernelClassifier().fit(
                X.iloc[train], y[train], sample_weight=w[train]
            )
            np.testing.assert_allclose(est.kernel_weights_, ref.kernel_weights_)

    kw = {"cv": 3, "return_estimator": True, "return_indices": True}
    check(
        cross_validate(
            MultipleKernelClassifier(), X, y, params={"sample_weight": w}, **kw
        )
    )
    with sklearn.config_context(enable_metadata_routing=True):
        est = MultipleKernelClassifier().set_fit_request(sample_weight=True)
        est.set_score_request(sample_weight=False)
        check(cross_validate(est, X, y, params={"sample_weight": w}, **kw))


@pytest.mark.parametrize(
    "est",
    [
        MultipleKernelClassifier(SVC(kernel="precomputed", tol=1e-12)),
        MultipleKernelClassifier(
            SVC(kernel="precomputed", tol=1e-12), method="easymkl", tol=1e-12
        ),
        MultipleKernelClassifier(
            SVC(kernel="precomputed", tol=1e-12),
            method="lpmkl",
            tol=1e-12,
            max_iter=1000,
            center=True,
        ),
        MultipleKernelRegressor(
            SVR(kernel="precomputed", tol=1e-12), normalize="trace"
        ),
        MultipleKernelRegressor(KernelRidge(kernel="precomputed"), method="lpmkl"),
    ],
    ids=["alignment", "easymkl", "lpmkl", "svr", "kernel_ridge"],
)
def test_sklearn_sample_weight_check_with_tight_tol(est):
    # scikit-learn's own check (random integer weights incl. 0 vs repeated and
    # removed rows); the default instances fail it only by libsvm's tol=1e-3
    check_sample_weight_equivalence_on_dense_data(type(est).__name__, est)


# -- issue 18: the EasyMKL fit at the Gram floor -----------------------------------
@pytest.mark.parametrize(
    "metric,params",
    [
        ("rbf", {"gamma": 0.3}),
        ("laplacian", {}),
        ("poly", {"degree": 2}),
        ("linear", {}),
        ("cosine", {}),
    ],
)
def test_gram_matrix_equals_pairwise_kernels(monkeypatch, metric, params):
    # evaluated on upper blocks and mirrored: the same matrix, symmetric
    from sklearn.metrics.pairwise import pairwise_kernels

    from skmer.fusion._mkl import gram_matrix

    monkeypatch.setattr("skmer.fusion._mkl._GRAM_BLOCK", 16)
    monkeypatch.setattr("skmer.utils._linalg._TILE", 7)
    A = np.random.RandomState(0).rand(53, 4)
    K = gram_matrix(metric, params, A)
    np.testing.assert_allclose(
        K, pairwise_kernels(A, metric=metric, **params), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_array_equal(K, K.T)
    if metric in ("rbf", "laplacian"):
        np.testing.assert_array_equal(np.diag(K), 1.0)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_easymkl_combines_in_the_first_kernel(n_classes):
    # combine=True: K_0's buffer ends as sum_r w_r K_r, the weights unchanged
    rng = np.random.RandomState(0)
    y = rng.randint(n_classes, size=90)
    blocks = [rng.randn(90, 5) + s * y[:, None] for s in (1.0, 0.5, 0.0)]
    kernels = [rbf_kernel(b, gamma=0.1) for b in blocks]
    copies = [K.copy() for K in kernels]
    w = easymkl_weights(copies, y, 0.1, 1e-6)
    for K, C in zip(kernels, copies):  # combine=False leaves every kernel alone
        np.testing.assert_array_equal(K, C)
    first = kernels[0]
    w2 = easymkl_weights(kernels, y, 0.1, 1e-6, combine=True)
    np.testing.assert_array_equal(w, w2)
    expected = sum(wk * K for wk, K in zip(w, copies))
    np.testing.assert_allclose(first, expected, atol=1e-12)


def test_easymkl_one_vs_rest_problems_share_one_kernel():
    # no per-problem copy of the (n, n) kernel: the traced numpy allocations of
    # a 4-class fit with combine=True stay far below one kernel
    import tracemalloc

    rng = np.random.RandomState(0)
    y = rng.randint(4, size=400)
    kernels = [
        rbf_kernel(rng.randn(400, 5) + s * y[:, None], gamma=0.1) for s in (1.0, 0.0)
    ]
    tracemalloc.start()
    try:
        easymkl_weights(kernels, y, 0.1, 1e-4, combine=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < kernels[0].nbytes / 4


def test_easymkl_multiclass_matches_per_problem_dense_qp():
    rng = np.random.RandomState(1)
    y = rng.randint(3, size=60)
    blocks = [rng.randn(60, 4) + s * y[:, None] for s in (1.0, 0.3)]
    kernels = [rbf_kernel(b, gamma=0.2) for b in blocks]
    ref = np.mean(
        [
            _easymkl_reference(kernels, np.where(y == c, 1.0, -1.0), 0.2)
            for c in range(3)
        ],
        axis=0,
    )
    np.testing.assert_allclose(easymkl_weights(kernels, y, 0.2, 1e-8), ref, atol=1e-3)
