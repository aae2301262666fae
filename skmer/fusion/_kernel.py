"""Multiple-kernel fusion: kernels per modality, combined with learned weights.

Each modality gets one or more kernels; every kernel is (optionally) centered in
feature space and normalised, the kernels are combined as ``sum_k w_k K_k`` with
weights learned by ``method``, and a kernel machine with ``kernel="precomputed"``
is fitted on the combined kernel.

Missing modalities (PSD-preserving completion)
----------------------------------------------
Kernel ``k`` of modality ``m`` is zero-filled: ``K_k(i, j) = 0`` unless ``m`` is
present in both rows, i.e. ``P_m K_k P_m`` with ``P_m`` the diagonal presence
matrix, which is PSD (its feature map is ``phi_k(x_i)`` where present and 0
elsewhere; with ``center=True`` the 0 is the training mean embedding, so this is
mean imputation in feature space). The combination is then renormalised per row,
``K(i, j) = s_i s_j sum_k w_k K_k(i, j)`` with ``s_i = sqrt(W / W_i)``,
``W = sum_k w_k`` and ``W_i`` the weight of the kernels present in row ``i``: a
congruence ``S K S`` with a positive diagonal ``S``, hence PSD again. Two rows
with the same modalities get exactly the combination over those modalities with
weights renormalised to sum to ``W``; for unit-diagonal kernels every row has
``K(i, i) = W``. (The pairwise rule "average over the modalities present in both
rows" is *not* PSD in general; this one is.)
"""

import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from scipy.linalg.blas import daxpy
from sklearn import config_context
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Ridge, RidgeClassifier
from sklearn.metrics.pairwise import KERNEL_PARAMS
from sklearn.svm import SVC, SVR
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets

from skmer.fusion._base import (
    BaseFusion,
    DelegatingClassifierMixin,
    accepts_sample_weight,
    fit_weighted,
    normalize_weights,
)
from skmer.fusion._mkl import (
    _GAMMA_SCALE,
    alignment_weights,
    alignment_weights_features,
    centered_targets,
    check_kernel_matrix,
    dual_matrix,
    easymkl_weights,
    easymkl_weights_features,
    evaluate_kernel,
    gram_matrix,
    kernel_diagonal,
    kernel_names,
    lp_update,
    scale_gamma,
)
from skmer.utils._docstring import fill_doc
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _set_random_states,
    check_is_fitted,
)

# entries of the (batch, n_train) test kernel handed to the learner at once in
# predict (the learner takes all n_train columns, even when few are non-zero)
_BATCH_ENTRIES = 2**22
_EPS = 1e-12


class _Kernel:
    """One resolved kernel of one modality and its fitted statistics."""

    def __init__(self, modality, index, cols, metric, params, label):
        self.modality = modality
        self.index = index
        self.cols = cols
        self.metric = metric
        self.params = params
        self.label = label


def _safe(d):
    return np.where(d > _EPS, d, 1.0)


def _nystroem_map(kern, Xm, n_components, rng):
    """Nystroem basis of one kernel (as ``sklearn.kernel_approximation.Nystroem``)."""
    m = min(n_components, Xm.shape[0])
    basis = Xm[rng.permutation(Xm.shape[0])[:m]]
    K = evaluate_kernel(kern.metric, kern.params, basis, basis)
    check_kernel_matrix(K, kern.label, symmetric=callable(kern.metric))
    # K is symmetric: its eigendecomposition is its SVD, and far cheaper
    S, U = np.linalg.eigh((K + K.T) / 2)
    S = np.maximum(S, 1e-12)
    kern.basis = basis
    kern.normalization = (U / np.sqrt(S)) @ U.T


def _needed_rows(estimator, n):
    """Training rows whose kernel column the fitted learner uses at predict time."""
    support = getattr(estimator, "support_", None)
    if support is not None:
        return np.sort(np.asarray(support, dtype=int))
    dual = getattr(estimator, "dual_coef_", None)
    if dual is not None and np.shape(dual)[0] == n:
        dual = np.asarray(dual, dtype=float).reshape(n, -1)
        return np.flatnonzero(np.any(dual != 0, axis=1))
    return np.arange(n)


class _BaseMultipleKernel(MetaEstimatorMixin, BaseFusion):
    _parameter_constraints: dict = {
        **BaseFusion._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "kernels": [dict, str, tuple, list, callable, None],
        "normalize": [StrOptions({"unit_diagonal", "trace"}), None],
        "center": ["boolean"],
        "lam": [Interval(Real, 0, 1, closed="neither")],
        "p": [Interval(Real, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "approximation": [StrOptions({"nystroem"}), None],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "missing": [StrOptions({"renormalize", "zero", "error"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        modalities=None,
        kernels=None,
        normalize="unit_diagonal",
        center=False,
        method="alignment",
        lam=0.1,
        p=1.0,
        tol=1e-4,
        max_iter=200,
        approximation=None,
        n_components=300,
        missing="renormalize",
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.modalities = modalities
        self.kernels = kernels
        self.normalize = normalize
        self.center = center
        self.method = method
        self.lam = lam
        self.p = p
        self.tol = tol
        self.max_iter = max_iter
        self.approximation = approximation
        self.n_components = n_components
        self.missing = missing
        self.n_jobs = n_jobs
        self.random_state = random_state

    # -- kernel specs -------------------------------------------------------
    def _parse_spec(self, modality, item):
        where = (
            f"kernels[{modality!r}]" if isinstance(self.kernels, dict) else "kernels"
        )
        params = {}
        if isinstance(item, tuple):
            if len(item) != 2 or not isinstance(item[1], dict):
                raise TypeError(
                    f"{where} tuple must be (kernel name or callable, params dict); got "
                    f"{item!r}."
                )
            item, params = item[0], dict(item[1])
        if callable(item):
            return item, params, getattr(item, "__name__", "callable")
        if isinstance(item, str):
            if item not in kernel_names():
                raise ValueError(
                    f"{where} names unknown kernel {item!r}; use one of "
                    f"{kernel_names()} or a callable k(A, B) -> kernel matrix."
                )
            takes = sorted(KERNEL_PARAMS[item])
            unknown = sorted(set(params) - set(takes))
            if unknown:
                raise ValueError(
                    f"{where}: kernel {item!r} has no parameter {unknown}; it takes "
                    f"{takes}."
                )
            gamma = params.get("gamma")
            if isinstance(gamma, str) and not (
                gamma == "scale" and item in _GAMMA_SCALE
            ):
                raise ValueError(
                    f"{where}: kernel {item!r} got gamma={gamma!r}; use a float or None"
                    + (" or 'scale'." if item in _GAMMA_SCALE else ".")
                )
            return item, params, item
        raise TypeError(
            f"{where} must be a kernel name, a (name, params) tuple, a callable or a "
            f"list of those; got {item!r}."
        )

    def _resolve_kernels(self, X, present, sw):
        names = list(self.modalities_)
        spec = self.kernels
        if isinstance(spec, dict):
            unknown = sorted(set(spec) - set(names))
            if unknown:
                raise ValueError(
                    f"kernels has entries for unknown modalities {unknown}; the layout "
                    f"has {names}."
                )
            per = {m: spec.get(m) for m in names}
        else:
            per = dict.fromkeys(names, spec)
        kernels, seen = [], {}
        for j, m in enumerate(names):
            items = "rbf" if per[m] is None else per[m]
            items = items if isinstance(items, list) else [items]
            if not items:
                raise ValueError(f"kernels[{m!r}] is an empty list.")
            cols = self.modalities_[m]
            rows = X[np.ix_(present[:, j], cols)]
            w = None if sw is None else sw[present[:, j]]
            for item in items:
                metric, params, label = self._parse_spec(m, item)
                scaled = isinstance(metric, str) and metric in _GAMMA_SCALE
                if scaled and params.get("gamma", "scale") == "scale":
                    params["gamma"] = scale_gamma(metric, rows, w)
                label = f"{m}__{label}"
                seen[label] = seen.get(label, 0) + 1
                if seen[label] > 1:
                    label = f"{label}_{seen[label]}"
                kernels.append(_Kernel(m, j, cols, metric, params, label))
        return kernels

    # -- per-kernel processing ---------------------------------------------
    def _fit_exact_kernel(self, kern, X, present, sw):
        """Processed (n, n) training kernel, zero-filled; sets its statistics.

        With sample weights ``sw`` the centering mean and the trace are weighted.
        """
        n = X.shape[0]
        rows = np.flatnonzero(present[:, kern.index])
        Xm = X[np.ix_(rows, kern.cols)]
        K = gram_matrix(kern.metric, kern.params, Xm)
        check_kernel_matrix(
            K,
            kern.label,
            symmetric=callable(kern.metric),
            unit_diagonal=self.normalize == "unit_diagonal",
        )
        diag = np.diag(K).copy()
        kern.diag = np.zeros(n)
        kern.col_mean = np.zeros(n)
        w = None if sw is None else sw[rows]
        kern.center_w = None
        if self.center:
            if w is None:
                b = K.mean(axis=1)
                kern.grand = b.mean()
            else:
                kern.center_w = w / w.sum()
                b = K @ kern.center_w
                kern.grand = kern.center_w @ b
            K -= b[:, None]
            K -= b[None, :]
            K += kern.grand
            diag = diag - 2 * b + kern.grand
            kern.col_mean[rows] = b
            kern.center_X = Xm
        kern.diag[rows] = diag
        kern.scale = 1.0
        if self.normalize == "unit_diagonal" and not np.all(diag == 1.0):
            r = 1.0 / np.sqrt(_safe(diag))
            K *= r[:, None]
            K *= r[None, :]
        elif self.normalize == "trace":
            if w is None:
                total, tr = rows.size, np.trace(K)
            else:  # weighted mean diagonal 1
                total, tr = w.sum(), w @ np.diag(K)
            kern.scale = total / tr if tr > _EPS * total / rows.size else 1.0
            K *= kern.scale
        if rows.size == n:
            return K
        full = np.zeros((n, n))
        full[np.ix_(rows, rows)] = K
        return full

    def _exact_block(self, kern, A):
        """Processed kernel between rows A (present) and the reference rows."""
        rows = np.flatnonzero(self._ref_present[:, kern.index])
        B = self._ref_X[np.ix_(rows, kern.cols)]
        K = evaluate_kernel(kern.metric, kern.params, A, B)
        check_kernel_matrix(K, kern.label)
        dB = kern.diag[rows]
        if self.normalize == "unit_diagonal" or self.center:
            dA = kernel_diagonal(kern.metric, kern.params, A)
        if self.center:
            a = evaluate_kernel(kern.metric, kern.params, A, kern.center_X)
            a = a.mean(axis=1) if kern.center_w is None else a @ kern.center_w
            K -= a[:, None]
            K -= kern.col_mean[rows][None, :]
            K += kern.grand
            dA = dA - 2 * a + kern.grand
        if self.normalize == "unit_diagonal":
            K /= np.sqrt(_safe(dA))[:, None]
            K /= np.sqrt(_safe(dB))[None, :]
        elif self.normalize == "trace":
            K *= kern.scale
        return rows, K

    def _features(self, kern, X, present, fit, sw=None):
        """Processed Nystroem features of one kernel, zero rows where absent.

        At fit, sample weights ``sw`` weight the centering mean and the trace.
        """
        rows = np.flatnonzero(present[:, kern.index])
        if rows.size == 0:  # the modality is absent from every row
            return np.zeros((X.shape[0], kern.normalization.shape[1]))
        Xm = X[np.ix_(rows, kern.cols)]
        G = evaluate_kernel(kern.metric, kern.params, Xm, kern.basis)
        check_kernel_matrix(G, kern.label)
        G = G @ kern.normalization.T
        w = None if sw is None else sw[rows]
        if fit:
            kern.mean = (
                np.average(G, axis=0, weights=w) if self.center and rows.size else 0.0
            )
        G -= kern.mean
        if self.normalize == "unit_diagonal":
            G /= np.sqrt(_safe(np.einsum("ij,ij->i", G, G)))[:, None]
        elif self.normalize == "trace":
            if fit:
                if w is None:
                    sq = np.einsum("ij,ij->", G, G) / max(rows.size, 1)
                else:
                    sq = np.einsum("i,ij,ij->", w, G, G) / w.sum()
                kern.scale = 1.0 / np.sqrt(sq) if sq > _EPS else 1.0
            G *= kern.scale
        F = np.zeros((X.shape[0], G.shape[1]))
        F[rows] = G
        return F

    # -- combination ------------------------------------------------------------
    def _row_scale(self, present, eta):
        """Per-row renormalisation ``s_i = sqrt(W / W_i)`` (1 without it)."""
        if self.missing != "renormalize":
            return np.ones(present.shape[0])
        on = np.column_stack([present[:, k.index] for k in self.kernels_])
        W_i = on.astype(float) @ eta
        W = eta.sum()
        return np.where(W_i > _EPS, np.sqrt(W / np.maximum(W_i, _EPS)), 1.0)

    def _combine(self, mats, eta, out=None):
        """``sum_k eta_k K_k`` into ``out`` without temporaries (BLAS axpy)."""
        if out is None:
            out = np.empty_like(mats[0])
        np.multiply(mats[0], eta[0], out=out)
        flat = out.reshape(-1)
        for w, K in zip(eta[1:], mats[1:]):
            if w:
                daxpy(K.reshape(-1), flat, a=w)
        return out

    def _stack(self, feats, eta, s):
        return np.hstack([np.sqrt(w) * F for w, F in zip(eta, feats)]) * s[:, None]

    # -- fitting -----------------------------------------------------------------
    def _check_estimator(self):
        est = self._default_estimator() if self.estimator is None else self.estimator
        kernel = (
            est.get_params(deep=False).get("kernel")
            if hasattr(est, "get_params")
            else None
        )
        if self.approximation is None and kernel not in (None, "precomputed"):
            raise ValueError(
                f"estimator must take a precomputed kernel (kernel='precomputed'); got "
                f"{type(est).__name__}(kernel={kernel!r})."
            )
        if self.approximation is not None and kernel == "precomputed":
            raise ValueError(
                "approximation='nystroem' feeds explicit features to the estimator, so "
                f"it must be a linear model (e.g. RidgeClassifier, LinearSVC, Ridge); got "
                f"{type(est).__name__}(kernel='precomputed')."
            )
        return clone(est)

    def _drop_zero_weight(self, X, y, present, sample_weight):
        """Remove the rows of weight 0; return them and the kept row indices."""
        kept = np.flatnonzero(sample_weight > 0)
        if kept.size < X.shape[0]:
            X, y, present = X[kept], y[kept], present[kept]
            sample_weight = sample_weight[kept]
        never = [
            m for m, seen in zip(self.modalities_, present.any(axis=0)) if not seen
        ]
        if never:
            raise ValueError(
                f"Modality {never[0]!r} is present only in rows with sample_weight 0; "
                "give some of its rows a positive weight or drop it from the layout."
            )
        return X, y, present, sample_weight, kept

    def _check_missing(self, present):
        if self.missing == "error" and not present.all():
            rows, mods = np.nonzero(~present)
            name = list(self.modalities_)[mods[0]]
            raise ValueError(
                f"Modality {name!r} is missing in rows {rows[:10].tolist()}, and "
                "missing='error'. Use missing='renormalize' or 'zero' to fuse rows with "
                "missing modalities."
            )

    def _lpmkl(self, template, y, sw, mats=None, feats=None):
        """Alternate the learner and the closed-form lp-norm weight update.

        The learner is fitted with the sample weights ``sw`` at every step.
        """
        n_k = len(mats if mats is not None else feats)
        eta = np.full(n_k, n_k ** (-1.0 / self.p))
        ones = np.ones(len(y))
        buf = None if mats is None else np.empty_like(mats[0])
        for it in range(1, self.max_iter + 1):
            est = clone(template)
            if mats is not None:
                fit_weighted(est, self._combine(mats, eta, out=buf), y, sw)
                A = dual_matrix(est, len(y))
                norms2 = eta**2 * np.array([np.sum(A * (K @ A)) for K in mats])
            else:
                fit_weighted(est, self._stack(feats, eta, ones), y, sw)
                coef = getattr(est, "coef_", None)
                if coef is None:
                    raise TypeError(
                        "method='lpmkl' with approximation='nystroem' needs a linear "
                        f"estimator with coef_; {type(est).__name__} has none."
                    )
                coef = np.atleast_2d(coef)
                edges = np.cumsum([0] + [F.shape[1] for F in feats])
                norms2 = eta * np.array(
                    [np.sum(coef[:, a:b] ** 2) for a, b in zip(edges[:-1], edges[1:])]
                )
            new = lp_update(eta, norms2, self.p)
            delta = np.max(np.abs(new - eta))
            if delta < self.tol:  # the learner is fitted with exactly these weights
                return eta, it, est
            eta = new
        warnings.warn(
            f"lp-norm MKL did not converge to tol={self.tol} in max_iter="
            f"{self.max_iter} iterations; increase max_iter.",
            ConvergenceWarning,
            stacklevel=3,
        )
        return eta, self.max_iter, None

    def _learn_weights(self, template, y, sw, mats=None, feats=None):
        """Combination weights (eta), iterations, and a learner fitted on them.

        ``sw``: positive sample weights or None (see ``fit``). EasyMKL on exact
        kernels leaves the combined kernel ``sum_k eta_k K_k`` in ``mats[0]``
        (and no learner): see :func:`~skmer.fusion._mkl.easymkl_weights`.
        """
        n_k = len(mats if mats is not None else feats)
        if self.method == "average":
            return np.full(n_k, 1.0 / n_k), 1, None
        if self.method == "alignment":
            Y = centered_targets(y, self._is_classifier_mkl, sw)
            if mats is not None:
                v = alignment_weights(mats, Y, sw)
            else:
                v = alignment_weights_features(feats, Y, sw)
            return (
                np.asarray(list(normalize_weights(dict(enumerate(v))).values())),
                1,
                None,
            )
        if self.method == "easymkl":
            if mats is not None:
                w = easymkl_weights(mats, y, self.lam, self.tol, sw, combine=True)
                return w, 1, None
            w, it, capped = easymkl_weights_features(
                feats, y, self.lam, self.tol, self.max_iter, sw
            )
            if capped:
                warnings.warn(
                    f"EasyMKL's L-BFGS did not converge to tol={self.tol} "
                    f"in max_iter={self.max_iter} iterations; increase max_iter.",
                    ConvergenceWarning,
                    stacklevel=3,
                )
            return w, it, None
        return self._lpmkl(template, y, sw, mats, feats)

    @_fit_context(
        # the base estimator is validated when it is fitted
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None):
        """Compute the kernels, learn their weights and fit the kernel machine.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features; an all-NaN block marks a missing modality.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative per-row weights. Rows of weight 0 are validated, then
            dropped before anything is computed, so they influence nothing
            (``missing="error"`` ignores them too). The weights act as
            an empirical distribution over the rows, so that an integer weight
            equals repeating the row, in every data-dependent step: the
            ``gamma="scale"`` spread, the ``center`` mean and the ``"trace"``
            normalisation are weighted; the estimator is fitted with
            ``sample_weight`` (it must accept it; for a pipeline, every step
            that takes it gets it); and the kernel weights (``method``):

            - ``"average"``: not affected;
            - ``"alignment"``: centered alignment of the weighted empirical
              distribution: kernels and targets centered on their weighted
              means (``H = I - 1 w' / sum(w)``) and Frobenius products taken
              between ``W^(1/2) H K H' W^(1/2)`` and ``W^(1/2) Yc Yc' W^(1/2)``;
            - ``"easymkl"`` (classifier): EasyMKL's ridge on its distribution
              ``g`` over the rows becomes ``lam * sum_i g_i^2 / w_i`` (kernel
              ``(1 - lam) K + lam W^-1``), which is what repeating a row gives.
              The scale of the weights therefore matters, as the number of rows
              does in EasyMKL: multiplying every weight by c equals replacing
              ``lam / (1 - lam)`` by ``lam / (c (1 - lam))``, i.e. repeating
              every row c times;
            - ``"lpmkl"``: every fit of the estimator in the alternation gets
              the weights (SVC/SVR: ``C * w_i`` per row).

            The Nystroem basis is drawn uniformly from the rows of positive
            weight. The per-row renormalisation for missing modalities does
            not depend on the weights.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, y, present = self._validate_fusion_data(
            X, y, reset=True, **self._y_check_params()
        )
        y = self._prepare_targets(y)
        template = self._check_estimator()
        kept = None
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, ensure_non_negative=True
            )
            if not accepts_sample_weight(template):
                raise TypeError(
                    f"sample_weight was given, but the estimator "
                    f"{type(template).__name__} does not accept sample_weight in fit."
                )
            X, y, present, sample_weight, kept = self._drop_zero_weight(
                X, y, present, sample_weight
            )
        self._check_missing(present)
        rng = check_random_state(self.random_state)
        _set_random_states(template, rng)
        sw = sample_weight
        self.kernels_ = self._resolve_kernels(X, present, sw)
        self.kernel_names_ = [k.label for k in self.kernels_]
        parallel = Parallel(n_jobs=self.n_jobs, prefer="threads")
        n = X.shape[0]
        if self.approximation is None:
            mats = parallel(
                delayed(self._fit_exact_kernel)(k, X, present, sw)
                for k in self.kernels_
            )
            eta, self.n_iter_, est = self._learn_weights(template, y, sw, mats=mats)
            s = self._row_scale(present, eta)
            if est is None or not np.allclose(s, 1.0):
                # the kernels are not needed any more: combine into the first one
                # (EasyMKL has already combined them there)
                K = (
                    mats[0]
                    if self.method == "easymkl"
                    else self._combine(mats, eta, out=mats[0])
                )
                del mats
                if not np.allclose(s, 1.0):
                    K *= s[:, None]
                    K *= s[None, :]
                with config_context(assume_finite=True):  # the kernels were checked
                    est = fit_weighted(clone(template), K, y, sw)
                del K
            self.estimator_ = est
            ref = _needed_rows(est, n)
            self._ref_X = X[ref]
            self._ref_present = present[ref]
            self._ref_scale = s[ref]
            self._n_train = n
            for k in self.kernels_:  # keep the statistics of the reference rows only
                k.diag = k.diag[ref]
                k.col_mean = k.col_mean[ref]
            self._ref_cols = ref
            self.support_ = ref if kept is None else kept[ref]
        else:
            # one basis per modality: identical kernels get identical features
            seeds = rng.randint(np.iinfo(np.int32).max, size=len(self.modalities_))
            for k in self.kernels_:
                rows = present[:, k.index]
                _nystroem_map(
                    k,
                    X[np.ix_(rows, k.cols)],
                    self.n_components,
                    np.random.RandomState(seeds[k.index]),
                )
            feats = parallel(
                delayed(self._features)(k, X, present, True, sw) for k in self.kernels_
            )
            eta, self.n_iter_, est = self._learn_weights(template, y, sw, feats=feats)
            s = self._row_scale(present, eta)
            if est is None or not np.allclose(s, 1.0):
                est = fit_weighted(clone(template), self._stack(feats, eta, s), y, sw)
            self.estimator_ = est
        self._eta = eta
        total = eta.sum()
        w = eta / total if total > 0 else np.full(eta.size, 1.0 / eta.size)
        self.kernel_weights_ = w
        per_mod = dict.fromkeys(self.modalities_, 0.0)
        for k, wk in zip(self.kernels_, w):
            per_mod[k.modality] += wk
        self.modality_weights_ = normalize_weights(per_mod)
        return self

    # -- prediction ---------------------------------------------------------------
    def _batches(self, X):
        """Validated X as batches of the input the fitted learner expects."""
        check_is_fitted(self)
        X, _, present = self._validate_fusion_data(X, reset=False)
        self._check_missing(present)
        if self.approximation is not None:
            feats = [self._features(k, X, present, False) for k in self.kernels_]
            yield self._stack(feats, self._eta, self._row_scale(present, self._eta))
            return
        n_ref = self._ref_cols.size
        step = max(1, _BATCH_ENTRIES // max(self._n_train, 1))
        s_all = self._row_scale(present, self._eta)
        for start in range(0, max(X.shape[0], 1), step):
            A, pres = X[start : start + step], present[start : start + step]
            Kc = np.zeros((A.shape[0], n_ref))
            for k, w in zip(self.kernels_, self._eta):
                rows = np.flatnonzero(pres[:, k.index])
                if w == 0 or rows.size == 0:
                    continue  # zero weight or absent: nothing to compute
                cols, K = self._exact_block(k, A[np.ix_(rows, k.cols)])
                Kc[np.ix_(rows, cols)] += w * K
            Kc *= s_all[start : start + step, None]
            Kc *= self._ref_scale[None, :]
            full = np.zeros((A.shape[0], self._n_train))
            full[:, self._ref_cols] = Kc
            yield full

    def _apply(self, method, X):
        out = [getattr(self.estimator_, method)(Z) for Z in self._batches(X)]
        return np.concatenate(out, axis=0)

    def predict(self, X):
        """Predict with the kernel machine on the combined kernel.

        Only the kernels with a non-zero weight are evaluated, and only against
        the training rows the fitted learner uses (its support vectors).

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Encoded multimodal features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        return self._apply("predict", X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags


_SHARED_DOC = """
    kernels : str, tuple, callable, list or dict, default=None
        The kernel(s) of each modality: a :mod:`sklearn.metrics.pairwise` kernel
        name (``"rbf"``, ``"linear"``, ``"poly"``, ``"laplacian"``, ``"cosine"``,
        ...), a ``(name, params)`` tuple such as ``("rbf", {"gamma": 0.1})``, a
        callable ``k(A, B, **params)`` returning the ``(len(A), len(B))`` kernel
        matrix (finite, and symmetric for ``k(A, A)``; as for
        ``SVC(kernel=callable)``) or ``(callable, params)``, or a
        list of those for several kernels per modality. A dict
        ``{modality: spec}`` sets them per modality; a single spec applies to
        every modality. None (and modalities left out of the dict) use ``"rbf"``.
        ``"rbf"`` and ``"laplacian"`` without ``gamma`` (or with
        ``gamma="scale"``) get ``1 / (n_features * X.var())`` (std for
        laplacian) of the modality's training block.
    normalize : {"unit_diagonal", "trace"} or None, default="unit_diagonal"
        Kernel normalisation, applied after centering: ``K_ij / sqrt(K_ii K_jj)``
        (cosine normalisation), ``K * n / trace(K)`` (mean diagonal 1, the
        training trace), or none.
    center : bool, default=False
        Center each kernel in feature space on the modality's training rows
        (``H K H``). Prediction then also evaluates each kernel against all
        training rows where the modality is present (the mean embedding).
    lam : float in (0, 1), default=0.1
        EasyMKL's regularisation lambda (classifier only; the regressor keeps
        it so that both share parameters).
    p : float >= 1, default=1.0
        Norm of lp-norm MKL's weight constraint ``||eta||_p = 1`` (1: sparse
        weights, as SimpleMKL; larger: denser).
    tol : float, default=1e-4
        Stopping tolerance: lp-norm MKL stops when no kernel weight changes by
        more than ``tol`` between iterations; EasyMKL's problem is solved by
        libsvm to KKT tolerance ``tol`` (exact kernels) or, on Nystroem
        features, through its L2-loss SVM primal by L-BFGS until the gradient
        norm falls below ``tol`` times its initial value.
    max_iter : int, default=200
        Iteration cap of lp-norm MKL and of EasyMKL's L-BFGS.
    approximation : {"nystroem"} or None, default=None
        None uses exact ``(n, n)`` kernels. ``"nystroem"`` maps each kernel to
        ``n_components`` Nystroem features (memory and time O(n m)); the
        combination is the concatenation of the weighted feature blocks, fed to
        a linear ``estimator``.
    n_components : int, default=300
        Nystroem features per kernel (at most the number of training rows
        where its modality is present: the basis is drawn from those rows).
    missing : {"renormalize", "zero", "error"}, default="renormalize"
        Rows where a modality is missing: its kernels are zero-filled (a PSD
        completion) and, with ``"renormalize"``, each row of the combined kernel
        is rescaled so that the weights of the kernels present in it sum to the
        total weight (a congruence, PSD; see the module notes). ``"zero"`` keeps
        the zero-filled sum; ``"error"`` raises.
    n_jobs : int, default=None
        Number of kernels computed in parallel (joblib threads).
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator and the Nystroem basis.
"""

_SHARED_ATTRS = """
    estimator_ : estimator
        The fitted kernel machine (or linear model with ``approximation``).
    kernels_ : list
        The resolved kernels, in order: each with ``modality``, ``metric`` and
        ``params`` (e.g. the resolved ``gamma``) and its fitted statistics.
    kernel_names_ : list of str
        ``"<modality>__<kernel>"`` for every kernel, in order.
    kernel_weights_ : ndarray of shape (n_kernels,)
        Learned kernel weights, summing to 1.
    modality_weights_ : dict of str to float
        Kernel weights summed per modality; sums to 1.
    n_iter_ : int
        Iterations of lp-norm MKL or of EasyMKL's L-BFGS (1 for the
        methods solved in one step).
    support_ : ndarray of int
        Training rows kept to evaluate test kernels (exact kernels only);
        indices into the rows given to ``fit`` (never a row of weight 0).
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.
"""


@fill_doc(kernel_params=_SHARED_DOC, kernel_attrs=_SHARED_ATTRS)
class MultipleKernelClassifier(
    ClassifierMixin, DelegatingClassifierMixin, _BaseMultipleKernel
):
    """Multiple-kernel fusion classifier.

    One or more kernels per modality, normalised, combined with weights learned
    by ``method``, and a kernel machine (default ``SVC``) fitted on the combined
    kernel. Missing modalities are handled by a PSD-preserving completion
    (see ``missing``). With ``approximation="nystroem"`` every kernel becomes
    explicit features, so large n fits in O(n m) memory.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    estimator : estimator, default=None
        Classifier fitted on the combined kernel; it must take
        ``kernel="precomputed"`` (None: ``SVC(kernel="precomputed")``). With
        ``approximation="nystroem"`` a linear classifier (None:
        ``RidgeClassifier()``, a least-squares kernel machine on the features).
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    method : {"average", "alignment", "easymkl", "lpmkl"}, default="alignment"
        How the kernel weights are learned:

        - ``"average"``: equal weights;
        - ``"alignment"``: maximal centered kernel-target alignment (``alignf``
          of Cortes, Mohri and Rostamizadeh, 2012), a small non-negative QP;
        - ``"easymkl"``: EasyMKL (Aiolli and Donini, 2015) with ``lam``; several
          classes average the one-vs-rest weights;
        - ``"lpmkl"``: lp-norm MKL (Kloft et al., 2011), convex, alternating the
          estimator's fit with the closed-form weight update until ``tol``;
          ``p=1`` gives SimpleMKL's sparse solution.
    %(kernel_params)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    %(kernel_attrs)s

    See Also
    --------
    MultipleKernelRegressor : the same for regression.
    LateFusionClassifier : one model per modality, combined per row.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import MultipleKernelClassifier
    >>> X, y = make_multimodal_classification(
    ...     n_samples=200, missing_rate=0.2, random_state=0)
    >>> clf = MultipleKernelClassifier(method="easymkl").fit(X, y)
    >>> clf.score(X, y) > 0.8
    True
    >>> sorted(clf.modality_weights_)
    ['audio', 'text', 'video']
    """

    _is_classifier_mkl = True
    _parameter_constraints: dict = {
        **_BaseMultipleKernel._parameter_constraints,
        "method": [StrOptions({"average", "alignment", "easymkl", "lpmkl"})],
    }

    def _default_estimator(self):
        if self.approximation is not None:
            return RidgeClassifier()
        return SVC(kernel="precomputed")

    def _y_check_params(self):
        return {}

    def _prepare_targets(self, y):
        check_classification_targets(y)
        return y

    def _delegate(self, method, X):
        # the combined test kernel, in batches bounded by the training rows
        return self._apply(method, X)


@fill_doc(kernel_params=_SHARED_DOC, kernel_attrs=_SHARED_ATTRS)
class MultipleKernelRegressor(RegressorMixin, _BaseMultipleKernel):
    """Multiple-kernel fusion regressor.

    One or more kernels per modality, normalised, combined with weights learned
    by ``method``, and a kernel machine (default ``SVR``; ``KernelRidge`` works)
    fitted on the combined kernel. Missing modalities are handled by a
    PSD-preserving completion (see ``missing``); ``approximation="nystroem"``
    gives an O(n m) path.

    Read more in the :ref:`User Guide <fusion>`.

    Parameters
    ----------
    estimator : estimator, default=None
        Regressor fitted on the combined kernel; it must take
        ``kernel="precomputed"`` (None: ``SVR(kernel="precomputed")``). With
        ``approximation="nystroem"`` a linear regressor (None: ``Ridge()``).
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    method : {"average", "alignment", "lpmkl"}, default="alignment"
        How the kernel weights are learned: equal weights, maximal centered
        kernel-target alignment (``alignf``), or lp-norm MKL (convex; alternates
        the estimator's fit and the closed-form update until ``tol``). EasyMKL
        is a classification method.
    %(kernel_params)s

    Attributes
    ----------
    %(kernel_attrs)s

    See Also
    --------
    MultipleKernelClassifier : the same for classification.

    Examples
    --------
    >>> from sklearn.kernel_ridge import KernelRidge
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import MultipleKernelRegressor
    >>> X, y = make_multimodal_regression(n_samples=200, random_state=0)
    >>> reg = MultipleKernelRegressor(
    ...     KernelRidge(kernel="precomputed", alpha=0.1), method="lpmkl").fit(X, y)
    >>> reg.score(X, y) > 0.5
    True
    """

    _is_classifier_mkl = False
    _parameter_constraints: dict = {
        **_BaseMultipleKernel._parameter_constraints,
        "method": [StrOptions({"average", "alignment", "lpmkl"})],
    }

    def _default_estimator(self):
        if self.approximation is not None:
            return Ridge()
        return SVR(kernel="precomputed")

    def _y_check_params(self):
        return {"y_numeric": True, "multi_output": True}

    def _prepare_targets(self, y):
        return y
