"""Kernels and kernel-weight solvers of multiple-kernel fusion.

Private helpers of :mod:`skmer.fusion._kernel`:

* evaluation of one kernel spec (a :mod:`sklearn.metrics.pairwise` kernel name
  with its parameters, or a callable ``k(A, B) -> (len(A), len(B))`` matrix as
  for ``SVC(kernel=callable)``) and of its diagonal;
* the weight solvers: centered kernel-target alignment (Cortes, Mohri and
  Rostamizadeh, JMLR 2012), EasyMKL (Aiolli and Donini, Neurocomputing 2015)
  and lp-norm MKL (Kloft, Brefeld, Sonnenburg and Zien, JMLR 2011), each on
  precomputed kernel matrices or on explicit (Nystroem) features.

Sample weights
--------------
Every solver takes optional *positive* ``sample_weight`` (the estimators drop
zero-weight rows before calling them) and is defined so that an integer weight
equals repeating the row: weighted means wherever a mean over the rows appears,
``W^(1/2) K W^(1/2)`` in Frobenius products over the rows, and a per-row
``C_i = C w_i`` (EasyMKL's ``lam / w_i`` ridge) in the SVM-type problems.
"""

import numpy as np
from scipy.linalg.blas import daxpy
from scipy.optimize import minimize, nnls
from sklearn import config_context
from sklearn.metrics.pairwise import PAIRWISE_KERNEL_FUNCTIONS, pairwise_kernels
from sklearn.svm import SVC

from skmer.utils._linalg import mirror_upper

# kernels whose value at k(x, x) is 1 for every x (no diagonal to compute)
_UNIT_DIAGONAL = {"rbf", "laplacian", "chi2"}
_GAMMA_SCALE = {"rbf", "laplacian"}
_DIAG_CHUNK = 256
# rows per block of a training Gram matrix (a block of 1024 x n stays in cache-friendly
# GEMM sizes and bounds the temporaries of the kernel evaluation)
_GRAM_BLOCK = 1024


def kernel_names():
    """Names of the kernels of :mod:`sklearn.metrics.pairwise` accepted here."""
    return sorted(set(PAIRWISE_KERNEL_FUNCTIONS) - {"precomputed"})


def evaluate_kernel(metric, params, A, B):
    """Kernel matrix ``k(A, B)`` of shape ``(len(A), len(B))``."""
    if callable(metric):
        K = np.ascontiguousarray(metric(A, B, **params), dtype=float)
        if K.shape != (A.shape[0], B.shape[0]):
            raise ValueError(
                f"The kernel callable {getattr(metric, '__name__', metric)!r} returned "
                f"shape {K.shape} for inputs of {A.shape[0]} and {B.shape[0]} rows; it "
                "must return the (n_A, n_B) kernel matrix, as for SVC(kernel=callable)."
            )
        return K
    return pairwise_kernels(A, B, metric=metric, **params)


def gram_matrix(metric, params, A):
    """Training Gram matrix ``k(A, A)``, evaluated once per pair of rows.

    A kernel of :mod:`sklearn.metrics.pairwise` is symmetric: it is evaluated
    on the upper blocks of ``_GRAM_BLOCK`` rows only and mirrored, which halves
    its element-wise work and bounds its temporaries to a block (a full
    evaluation holds two ``(n, n)`` arrays at once). A diagonal
    block is evaluated as ``k(B, B)`` with one array, as scikit-learn does, so
    ``k(x, x)`` is exact (e.g. 1 for ``"rbf"``). A callable is evaluated as
    given (its symmetry is checked by :func:`check_kernel_matrix`).
    """
    n = A.shape[0]
    if callable(metric) or n <= _GRAM_BLOCK:
        return evaluate_kernel(metric, params, A, A)
    K = np.empty((n, n))
    for a in range(0, n, _GRAM_BLOCK):
        rows = A[a : a + _GRAM_BLOCK]
        b = a + rows.shape[0]
        K[a:b, a:b] = pairwise_kernels(rows, rows, metric=metric, **params)
        if b < n:
            K[a:b, b:] = pairwise_kernels(rows, A[b:], metric=metric, **params)
    return mirror_upper(K)


def check_kernel_matrix(K, label, *, symmetric=False, unit_diagonal=False):
    """Raise a ValueError naming kernel ``label`` when K is no kernel matrix.

    K must be finite. A training Gram matrix ``k(A, A)`` of a callable
    (``symmetric``) must be symmetric: libsvm may never terminate on an
    asymmetric one. For cosine normalisation (``unit_diagonal``) no ``k(x, x)``
    of the square K may be negative.
    """
    # one reduction, no temporary: the sum of finite entries is finite unless
    # it overflows, and only then (or for a real inf/NaN) are entries searched
    if not np.isfinite(np.add.reduce(K, axis=None)) and not np.isfinite(K).all():
        i, j = np.argwhere(~np.isfinite(K))[0]
        raise ValueError(
            f"Kernel {label!r} gave a non-finite value ({K[i, j]}) at entry ({i}, {j}); "
            "check its parameters and the scale of the features."
        )
    n, tile = K.shape[0], 4 * _DIAG_CHUNK
    if symmetric:
        scale = max(K.max(initial=0.0), -K.min(initial=0.0))
    for a in range(0, n if symmetric else 0, tile):
        for b in range(a, n, tile):  # compare cache-sized tiles with their mirror
            gap = np.abs(
                K[a : a + tile, b : b + tile] - K[b : b + tile, a : a + tile].T
            )
            if gap.max() > 1e-6 * scale:  # rounding of a float32 callable passes
                raise ValueError(
                    f"Kernel {label!r} is not symmetric (k(a, b) != k(b, a), up to "
                    f"{gap.max():.3g}); a kernel callable must return a symmetric "
                    "matrix for k(A, A)."
                )
    diag = np.diag(K)
    # |k(a, b)| <= max k(x, x) for a PSD kernel: the diagonal gives the scale
    if unit_diagonal and diag.size and diag.min() < -1e-8 * np.abs(diag).max():
        raise ValueError(
            f"Kernel {label!r} has k(x, x) = {diag.min():.3g} < 0 for a training row: "
            "it is not positive semi-definite, and normalize='unit_diagonal' divides "
            "by sqrt(k(x, x)). Use a PSD kernel, or normalize='trace' or None."
        )


def kernel_diagonal(metric, params, A):
    """``k(a, a)`` for every row of A, without the full matrix."""
    if isinstance(metric, str) and metric in _UNIT_DIAGONAL:
        return np.ones(A.shape[0])
    out = np.empty(A.shape[0])
    for start in range(0, A.shape[0], _DIAG_CHUNK):
        blk = A[start : start + _DIAG_CHUNK]
        out[start : start + blk.shape[0]] = np.diag(
            evaluate_kernel(metric, params, blk, blk)
        )
    return out


def _weighted_var(A, sample_weight):
    """Variance of all entries of A, each row weighted by ``sample_weight``."""
    mean = np.average(A.mean(axis=1), weights=sample_weight)
    return np.average(((A - mean) ** 2).mean(axis=1), weights=sample_weight)


def scale_gamma(metric, A, sample_weight=None):
    """``gamma="scale"`` of a stationary kernel: ``1 / (n_features * spread)``.

    The spread is the variance of A for ``"rbf"`` (as ``SVC(gamma="scale")``)
    and its standard deviation for the L1-based ``"laplacian"``; with
    ``sample_weight``, of the rows weighted by it.
    """
    if sample_weight is None:
        spread = A.var() if metric == "rbf" else A.std()
    else:
        spread = _weighted_var(A, sample_weight)
        spread = spread if metric == "rbf" else np.sqrt(spread)
    return 1.0 / (A.shape[1] * spread) if spread > 0 else 1.0


# -- target kernels ---------------------------------------------------------
def centered_targets(y, classification, sample_weight=None):
    """Centered target matrix Y (n, t) whose ``Y Y^T`` is the target kernel.

    With ``sample_weight`` the columns are centered on their weighted means.
    """
    if classification:
        classes = np.unique(y)
        Y = (y[:, None] == classes[None, :]).astype(float)
    else:
        Y = np.asarray(y, dtype=float).reshape(y.shape[0], -1)
    return Y - np.average(Y, axis=0, weights=sample_weight)


def _center_matrix(K, sample_weight=None):
    """``H K H'`` with ``H = I - 1 p'``: ``p`` uniform, or ``sample_weight / sum``."""
    if sample_weight is None:
        row = K.mean(axis=1)
        return K - row[:, None] - row[None, :] + row.mean()
    p = sample_weight / sample_weight.sum()
    row = K @ p
    return K - row[:, None] - row[None, :] + p @ row


# -- centered alignment -----------------------------------------------------
def _alignf_solve(M, a):
    """Solve ``min_{v >= 0} v'Mv - 2 v'a`` and return ``v / sum(v)``.

    A ridge of ``1e-8 * mean(diag M)`` makes the problem strictly convex, so
    identical kernels get identical weights.
    """
    k = M.shape[0]
    ridge = 1e-8 * max(np.trace(M) / k, np.finfo(float).tiny)
    L = np.linalg.cholesky(M + ridge * np.eye(k))
    v, _ = nnls(L.T, np.linalg.solve(L, a))
    return v


def alignment_weights(kernels, Y, sample_weight=None):
    """Weights maximising the centered alignment of the combined kernel with Y.

    The ``alignf`` solution of Cortes et al. (2012, Prop. 9): with centered
    kernels ``Kc_k``, ``M_kl = <Kc_k, Kc_l>_F`` and ``a_k = <Kc_k, Y Y'>_F``,
    ``v = argmin_{v >= 0} v'Mv - 2 v'a``, normalised to sum to 1.

    With positive ``sample_weight`` w (Y centered on its weighted mean, see
    :func:`centered_targets`) the kernels are centered on the weighted mean,
    ``Kc = H K H'`` with ``H = I - 1 w' / sum(w)``, and the products are taken
    between ``W^(1/2) Kc W^(1/2)`` and ``W^(1/2) Y Y' W^(1/2)``: the empirical
    distribution of the weighted rows, so integer weights equal repeated rows.
    """
    if sample_weight is None:
        centred = [_center_matrix(K) for K in kernels]
    else:
        r = np.sqrt(sample_weight)
        centred = []
        for K in kernels:
            Kc = _center_matrix(K, sample_weight)
            Kc *= r[:, None]
            Kc *= r[None, :]
            centred.append(Kc)
        Y = Y * r[:, None]
    k = len(centred)
    M = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            M[i, j] = M[j, i] = np.vdot(centred[i], centred[j])
    a = np.array([np.vdot(Y, Kc @ Y) for Kc in centred])
    return _alignf_solve(M, a)


def alignment_weights_features(features, Y, sample_weight=None):
    """:func:`alignment_weights` for kernels ``K_k = F_k F_k'`` (O(n m^2)).

    ``<Kc_k, Kc_l>_F = ||Fc_k' Fc_l||_F^2`` from one Gram matrix of the stacked
    centered features (with ``sample_weight``: centered on the weighted mean,
    rows scaled by ``sqrt(w)``).
    """
    F = np.hstack(features)
    F = F - np.average(F, axis=0, weights=sample_weight)
    if sample_weight is not None:
        r = np.sqrt(sample_weight)[:, None]
        F *= r
        Y = Y * r
    G = F.T @ F
    edges = np.cumsum([0] + [f.shape[1] for f in features])
    blocks = [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]
    k = len(blocks)
    M = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            M[i, j] = M[j, i] = np.sum(G[blocks[i], blocks[j]] ** 2)
    FY = F.T @ Y
    a = np.array([np.sum(FY[b] ** 2) for b in blocks])
    return _alignf_solve(M, a)


# -- EasyMKL ------------------------------------------------------------------
def _binary_problems(y):
    """Signed +-1 targets of each binary (one-vs-rest) problem of labels y."""
    classes = np.unique(y)
    if classes.size == 2:
        return [np.where(y == classes[1], 1.0, -1.0)]
    return [np.where(y == c, 1.0, -1.0) for c in classes]


def _easymkl_ridge(n, lam, sample_weight):
    """Diagonal EasyMKL adds to ``(1 - lam) K``: ``lam``, or ``lam / w_i``."""
    return np.full(n, lam) if sample_weight is None else lam / sample_weight


def easymkl_gamma(Kp, ys, lam, tol, sample_weight=None):
    """Solve EasyMKL's problem on its kernel ``Kp = (1 - lam) K + lam W^-1``.

    ``min_g (1 - lam) g'YKYg + lam ||g||^2`` over ``g >= 0`` summing to 1 on
    each class: the distance between the two classes' convex hulls under the
    kernel ``Kp``. Its solution is the hard-margin SVM of ``Kp`` rescaled
    (``g = alpha / sum of alpha over a class``), which libsvm's SMO finds
    without forming a dense QP. ``Kp`` is only read, so the one-vs-rest
    problems of several classes share it.

    Positive ``sample_weight`` w turns the regulariser into
    ``lam sum_i g_i^2 / w_i`` (the ``W^-1`` of ``Kp``): a row of weight 2 is
    two copies sharing its mass ``g_i`` equally, so integer weights equal
    repeated rows.
    """
    n = Kp.shape[0]
    total = n if sample_weight is None else sample_weight.sum()
    # alpha <= 2 g / (g'Qg) <= sum(w) / (2 lam): this C never binds (hard margin);
    # shrinking saves kernel evaluations, which a precomputed kernel does not need:
    # without it libsvm takes the same steps 25-35 % faster
    svm = SVC(kernel="precomputed", C=10.0 * total / lam, tol=tol, shrinking=False)
    with config_context(assume_finite=True):  # Kp was checked once, when built
        svm.fit(Kp, ys)
    g = np.zeros(n)
    g[svm.support_] = np.abs(svm.dual_coef_[0])
    for sign in (1.0, -1.0):
        side = ys == sign
        g[side] /= g[side].sum()
    return g


def _margin_weights(d):
    """EasyMKL's ``d / sum(d)``; equal weights when no kernel separates the
    classes at all (every ``d_r`` is 0, e.g. constant kernels once centered)."""
    d = np.maximum(d, 0.0)
    total = d.sum()
    return d / total if total > 0 else np.full(d.size, 1.0 / d.size)


def _quadratic_forms(K, V):
    """``diag(V' K V)``: ``v_p' K v_p`` for every column of V, one pass over K."""
    return np.einsum("ip,ip->p", V, K @ V)


def easymkl_weights(kernels, y, lam, tol, sample_weight=None, combine=False):
    """EasyMKL kernel weights (Aiolli and Donini, 2015), summing to 1.

    ``d_r = g'Y K_r Y g`` at the solution g for the sum of the kernels; the
    weights are d normalised to sum to 1. Several classes: the mean of the
    one-vs-rest problems' weights, every problem solved on the same kernel
    ``Kp = (1 - lam) sum_r K_r + lam W^-1``. ``sample_weight``: see
    :func:`easymkl_gamma`.

    ``Kp`` is built in one buffer, that of ``kernels[0]`` with ``combine``
    (a copy otherwise), and ``K_0`` is never needed again: ``d_0`` follows
    from ``g'Y Kp Y g``, and with ``combine`` the same buffer then becomes the
    combined kernel ``sum_r w_r K_r``, so that the fit holds no more than the
    kernels themselves.
    """
    n = kernels[0].shape[0]
    Kp = kernels[0] if combine else kernels[0].copy()
    for K in kernels[1:]:
        daxpy(K.reshape(-1), Kp.reshape(-1))  # in place, no temporary
    Kp *= 1.0 - lam
    ridge = _easymkl_ridge(n, lam, sample_weight)
    Kp.flat[:: n + 1] += ridge
    problems = _binary_problems(y)
    V = np.column_stack(
        [ys * easymkl_gamma(Kp, ys, lam, tol, sample_weight) for ys in problems]
    )
    d = np.empty((len(kernels), V.shape[1]))
    for r, K in enumerate(kernels[1:], start=1):
        d[r] = _quadratic_forms(K, V)
    total = _quadratic_forms(Kp, V) / (1.0 - lam)  # sum_r d_r + the ridge term
    ridge_part = np.einsum("i,ip,ip->p", ridge, V, V) / (1.0 - lam)
    d[0] = total - ridge_part - d[1:].sum(axis=0)
    d[d <= 1e-10 * total] = 0.0  # d_0's rounding where no kernel separates
    weights = np.mean([_margin_weights(d[:, p]) for p in range(V.shape[1])], axis=0)
    if combine:
        # sum_r w_r K_r = w_0 (Kp - ridge) / (1 - lam) + sum_{r>0} (w_r - w_0) K_r
        Kp.flat[:: n + 1] -= ridge
        Kp *= weights[0] / (1.0 - lam)
        for w, K in zip(weights[1:], kernels[1:]):
            if w != weights[0]:
                daxpy(K.reshape(-1), Kp.reshape(-1), a=w - weights[0])
    return weights


def easymkl_gamma_features(F, ys, lam, tol, max_iter, sample_weight=None):
    """EasyMKL's problem for the kernel ``F F'`` through its primal, in O(n m).

    With ``C = (1 - lam) / (2 lam)``, EasyMKL's problem is the dual of the
    L2-loss SVM ``min_{w, b} ||w||^2 / 2 + C sum_i max(0, 1 - y_i (F_i w + b))^2``
    up to scale (its kernel ``K + I / (2C)`` is ``(1 - lam) K + lam I`` over
    ``1 - lam``), with ``alpha_i = 2 C xi_i``. The smooth primal is solved by
    L-BFGS until the gradient norm falls below ``tol`` times its initial value;
    ``g = alpha / sum of alpha over each class``. Positive ``sample_weight``
    gives row i the loss weight ``C w_i`` (the kernel ``(1 - lam) K + lam W^-1``
    of :func:`easymkl_gamma`).
    """
    C = (1.0 - lam) / (2.0 * lam)
    if sample_weight is not None:
        C = C * sample_weight
    m = F.shape[1]

    def fun(theta):
        w, b = theta[:m], theta[m]
        xi = np.maximum(0.0, 1.0 - ys * (F @ w + b))
        r = 2.0 * C * xi * ys
        grad = np.concatenate([w - F.T @ r, [-r.sum()]])
        return 0.5 * w @ w + C * xi @ xi, grad

    theta0 = np.zeros(m + 1)
    g0 = np.linalg.norm(fun(theta0)[1])
    res = minimize(
        fun,
        theta0,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": tol * g0 / np.sqrt(m + 1), "ftol": 0.0},
    )
    w, b = res.x[:m], res.x[m]
    alpha = 2.0 * C * np.maximum(0.0, 1.0 - ys * (F @ w + b))
    g = alpha.copy()
    for sign in (1.0, -1.0):
        side = ys == sign
        total = alpha[side].sum()
        g[side] = alpha[side] / total if total > 0 else 1.0 / side.sum()
    return g, res.nit, res.nit >= max_iter


def easymkl_weights_features(features, y, lam, tol, max_iter, sample_weight=None):
    """:func:`easymkl_weights` for kernels ``K_k = F_k F_k'``.

    Returns the weights, the largest iteration count and whether a problem hit
    ``max_iter``.
    """
    F = np.hstack(features)
    weights, iters, capped = [], 0, False
    for ys in _binary_problems(y):
        g, it, hit = easymkl_gamma_features(F, ys, lam, tol, max_iter, sample_weight)
        iters, capped = max(iters, it), capped or hit
        d = np.array([np.sum((Fk.T @ (ys * g)) ** 2) for Fk in features])
        weights.append(_margin_weights(d))
    return np.mean(weights, axis=0), iters, capped


# -- lp-norm MKL ----------------------------------------------------------------
def dual_matrix(estimator, n):
    """Signed dual coefficients (n, n_problems) of a fitted kernel machine.

    ``f_p(x) = sum_i A[i, p] k(x_i, x)`` for each binary problem / output p:
    SVC (one-vs-one problems), SVR and KernelRidge (``dual_coef_``).
    """
    dual = getattr(estimator, "dual_coef_", None)
    if dual is None:
        raise TypeError(
            f"method='lpmkl' needs the base estimator's dual coefficients "
            f"(dual_coef_); {type(estimator).__name__} has none. Use SVC, SVR or "
            "KernelRidge, or another method."
        )
    dual = np.asarray(dual, dtype=float)
    support = getattr(estimator, "support_", None)
    if support is None:  # KernelRidge: one coefficient per training row
        return dual.reshape(n, -1)
    classes = getattr(estimator, "classes_", None)
    if classes is None or len(classes) <= 2:  # SVR, binary SVC
        A = np.zeros((n, dual.shape[0]))
        A[support] = dual.T
        return A
    # one-vs-one SVC: the coefficients of problem (i, j) are in row j-1 for the
    # support vectors of class i and in row i for those of class j
    starts = np.concatenate([[0], np.cumsum(estimator.n_support_)])
    n_cls = len(classes)
    cols = []
    for i in range(n_cls):
        for j in range(i + 1, n_cls):
            a = np.zeros(n)
            si = slice(starts[i], starts[i + 1])
            sj = slice(starts[j], starts[j + 1])
            a[support[si]] = dual[j - 1, si]
            a[support[sj]] = dual[i, sj]
            cols.append(a)
    return np.column_stack(cols)


def lp_update(eta, block_norms2, p):
    """Closed-form lp-norm MKL weight update (Kloft et al. 2011, eq. 12).

    ``eta_m = ||w_m||^(2/(p+1)) / (sum_m ||w_m||^(2p/(p+1)))^(1/p)`` with
    ``||w_m||^2 = block_norms2[m]``; the result has unit lp norm.
    """
    norms2 = np.maximum(block_norms2, 0.0)
    if not np.any(norms2 > 0):
        return eta
    num = norms2 ** (1.0 / (p + 1.0))
    return num / np.sum(norms2 ** (p / (p + 1.0))) ** (1.0 / p)
