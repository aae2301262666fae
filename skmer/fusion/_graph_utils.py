"""Graph building blocks of graph fusion: affinities, SNF, propagation.

Every per-modality graph lives on all ``n`` training rows; a row missing the
modality has no edge in it (an all-zero row and column). Sparse matrices are
CSR; the dense path keeps ``(n, n)`` arrays for Similarity Network Fusion.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from joblib import effective_n_jobs
from scipy.sparse.linalg import cg
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors

from skmer.utils._linalg import mirror_upper
from skmer.utils._optional import import_optional

# Floor of the local scale of the scaled exponential kernel (as in SNF).
_EPS = np.finfo(np.float64).eps
_SQRT_2PI = np.sqrt(2 * np.pi)
# neighbors="auto" searches approximately from this many rows on (faiss installed)
APPROX_MIN_ROWS = 20_000
# HNSW graph degree and beam widths: recall about 0.94 on 20 standardised
# Gaussian-like dimensions at 100 000 rows, higher on fewer dimensions or rows
_HNSW_M = 16
_HNSW_EF_CONSTRUCTION = 40
_HNSW_EF_SEARCH = 64


def resolve_neighbors(neighbors, n_rows):
    """``"exact"`` or ``"approximate"`` for a modality of ``n_rows`` rows.

    ``"auto"`` is approximate from :data:`APPROX_MIN_ROWS` rows on when faiss
    is installed, exact otherwise; ``"approximate"`` needs faiss.
    """
    if neighbors == "auto":
        if n_rows < APPROX_MIN_ROWS:
            return "exact"
        try:
            import_optional("faiss", "ann")
        except ImportError:
            return "exact"
        return "approximate"
    if neighbors == "approximate":
        import_optional("faiss", "ann")
    return neighbors


class ExactNeighbors:
    """Exact k-nearest-neighbour search (scikit-learn), squared distances."""

    def __init__(self, X, k, n_jobs):
        self.k = k
        self.nn = NearestNeighbors(n_neighbors=k, n_jobs=n_jobs).fit(X)

    def kneighbors(self, Xq=None):
        """Squared distances and indices of the ``k`` nearest training rows
        (of every training row, itself excluded, when ``Xq`` is None)."""
        dist, ind = self.nn.kneighbors(Xq)
        return dist**2, ind


class HNSWNeighbors:
    """Approximate k-nearest-neighbour search: a faiss HNSW graph (L2).

    The index is built by inserting the rows in order; with one thread
    (``n_jobs=None`` or 1) building and searching are deterministic. The index
    is serialised to bytes when pickled.
    """

    def __init__(self, X, k, n_jobs):
        faiss = import_optional("faiss", "ann")
        self.k, self.X = k, X
        self.n_threads = max(1, effective_n_jobs(n_jobs))
        self.index = faiss.IndexHNSWFlat(X.shape[1], _HNSW_M)
        self.index.hnsw.efConstruction = _HNSW_EF_CONSTRUCTION
        with _FaissThreads(faiss, self.n_threads):
            self.index.add(np.ascontiguousarray(X, dtype=np.float32))

    def _search(self, Xq, k):
        faiss = import_optional("faiss", "ann")
        self.index.hnsw.efSearch = max(_HNSW_EF_SEARCH, 2 * k)
        with _FaissThreads(faiss, self.n_threads):
            d, ind = self.index.search(np.ascontiguousarray(Xq, dtype=np.float32), k)
        return d.astype(np.float64).clip(0), ind.astype(np.intp)

    def kneighbors(self, Xq=None):
        """Squared distances and indices of the (approximately) ``k`` nearest
        training rows (of every training row, itself excluded, when ``Xq`` is
        None)."""
        if Xq is not None:
            return self._fill(*self._search(Xq, self.k), Xq, None)
        n = self.X.shape[0]
        d, ind = self._search(self.X, self.k + 1)
        # drop the row itself, or the farthest hit where the row was not found
        is_self = ind == np.arange(n)[:, None]
        pos = np.where(is_self.any(axis=1), is_self.argmax(axis=1), self.k)
        keep = np.arange(self.k + 1) != pos[:, None]
        d = d[keep].reshape(n, self.k)
        ind = ind[keep].reshape(n, self.k)
        return self._fill(d, ind, self.X, np.arange(n))

    def _fill(self, d, ind, Xq, self_rows):
        """Exact search for the rare rows where the graph returned fewer hits."""
        bad = np.flatnonzero((ind < 0).any(axis=1))
        if bad.size:
            dd = cdist(np.asarray(Xq)[bad], self.X, metric="sqeuclidean")
            if self_rows is not None:
                dd[np.arange(bad.size), self_rows[bad]] = np.inf
            top = np.argsort(dd, axis=1, kind="stable")[:, : self.k]
            ind[bad] = top
            d[bad] = np.take_along_axis(dd, top, axis=1)
        return d, ind

    def __getstate__(self):
        faiss = import_optional("faiss", "ann")
        state = self.__dict__.copy()
        state["index"] = faiss.serialize_index(self.index)
        return state

    def __setstate__(self, state):
        faiss = import_optional("faiss", "ann")
        state["index"] = faiss.deserialize_index(state["index"])
        self.__dict__.update(state)


class _FaissThreads:
    """Run faiss's OpenMP loops on ``n`` threads inside the block."""

    def __init__(self, faiss, n):
        self.faiss, self.n = faiss, n

    def __enter__(self):
        self.previous = self.faiss.omp_get_max_threads()
        self.faiss.omp_set_num_threads(self.n)

    def __exit__(self, *exc):
        self.faiss.omp_set_num_threads(self.previous)


def _kernel(d, scale_i, scale_j, affinity, mu, mean_dist):
    """Affinity of squared distances ``d`` between rows with local scales."""
    if affinity == "heat":
        return np.exp(-d / (mu * mean_dist))
    # Scaled exponential similarity of SNF (Wang et al. 2014): a Gaussian density
    # of the squared distance whose width mixes both rows' mean distance to their
    # neighbours and the pair's own distance.
    sigma = (scale_i + scale_j + d) / 3.0
    sigma = np.where(sigma > _EPS, sigma, 0.0) + _EPS
    width = mu * sigma
    return np.exp(-0.5 * (d / width) ** 2) / (width * _SQRT_2PI)


def _row_normalize(A):
    """Divide each row by its sum (rows summing to 0 stay 0)."""
    if sp.issparse(A):
        s = np.asarray(A.sum(axis=1)).ravel()
        inv = np.divide(1.0, s, out=np.zeros_like(s), where=s > 0)
        return sp.diags_array(inv) @ A
    s = A.sum(axis=1, keepdims=True)
    return np.divide(A, s, out=np.zeros_like(A), where=s > 0)


def _scale_sparse(A, left, right, *, copy=True):
    """``diag(left) A diag(right)`` of a sparse matrix, as CSR, in O(nnz)
    (in place when ``copy=False`` and ``A`` is CSR already)."""
    A = sp.csr_array(A, copy=copy)
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    A.data *= left[rows] * right[A.indices]
    return A


def sym_normalize(A):
    """``D^-1/2 A D^-1/2`` of a sparse non-negative matrix."""
    d = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, np.sqrt(d), out=np.zeros_like(d), where=d > 0)
    return _scale_sparse(A, inv, inv)


class ModalityGraph:
    """kNN graph of one modality over the training rows where it is present.

    Parameters
    ----------
    Xm : ndarray of shape (n_present, n_features)
        The modality's (scaled) features of its present rows.
    rows : ndarray of int
        Indices of those rows among the ``n`` training rows.
    n : int
        Number of training rows.
    neighbors : {"exact", "approximate", "auto"}, default="exact"
        Neighbour search, see :func:`resolve_neighbors`; the resolved choice
        is kept as the attribute ``neighbors``.
    """

    def __init__(
        self, Xm, rows, n, *, n_neighbors, affinity, mu, n_jobs, neighbors="exact"
    ):
        self.rows = rows
        self.n = n
        self.affinity = affinity
        self.mu = mu
        n_present = Xm.shape[0]
        self.k = min(n_neighbors, n_present - 1)
        self.X = Xm
        self.neighbors = resolve_neighbors(neighbors, n_present)
        if self.k >= 1:
            search = (
                HNSWNeighbors if self.neighbors == "approximate" else ExactNeighbors
            )
            self.nn = search(Xm, self.k, n_jobs)
            d, ind = self.nn.kneighbors()
            self.scale = d.mean(axis=1)
            self.mean_dist = max(float(d.mean()), _EPS)
        else:
            self.nn = None
            d = np.zeros((n_present, 0))
            ind = np.zeros((n_present, 0), dtype=int)
            self.scale = np.zeros(n_present)
            self.mean_dist = 1.0
        self._d, self._ind = d, ind

    def sparse_affinity(self):
        """Symmetric kNN affinity on all ``n`` rows, self-loops included."""
        n_present, k = self._ind.shape
        local = np.repeat(np.arange(n_present), k)
        nbr = self._ind.ravel()
        w = _kernel(
            self._d.ravel(),
            self.scale[local],
            self.scale[nbr],
            self.affinity,
            self.mu,
            self.mean_dist,
        )
        self_w = _kernel(
            np.zeros(n_present),
            self.scale,
            self.scale,
            self.affinity,
            self.mu,
            self.mean_dist,
        )
        rows = np.concatenate([self.rows[local], self.rows])
        cols = np.concatenate([self.rows[nbr], self.rows])
        A = sp.csr_array(
            (np.concatenate([w, self_w]), (rows, cols)), shape=(self.n, self.n)
        )
        return A.maximum(A.T).tocsr()

    def dense_affinity(self):
        """Affinity between every pair of present rows, as an ``(n, n)`` array."""
        d = cdist(self.X, self.X, metric="sqeuclidean")
        n_present = d.shape[0]
        kk = min(self.k + 1, n_present)
        # mean distance to the k nearest rows other than the row itself
        near = np.partition(d, kk - 1, axis=1)[:, :kk] if kk < n_present else d
        near = np.sort(near, axis=1)[:, 1:kk]
        scale = near.mean(axis=1) if near.shape[1] else np.zeros(n_present)
        W = _kernel(
            d, scale[:, None], scale[None, :], self.affinity, self.mu, self.mean_dist
        )
        full = np.zeros((self.n, self.n))
        full[np.ix_(self.rows, self.rows)] = W
        return full

    def query(self, Xq):
        """Row-normalised affinities of new rows to the training rows.

        Returns a sparse ``(n_query, n)`` matrix; every query row sums to 1.
        """
        nq = Xq.shape[0]
        if self.k < 1:
            # a single training row: every query attaches to it
            data = np.ones(nq)
            return sp.csr_array(
                (data, (np.arange(nq), np.repeat(self.rows, nq))), shape=(nq, self.n)
            )
        d, ind = self.nn.kneighbors(Xq)
        scale_q = d.mean(axis=1)
        w = _kernel(
            d, scale_q[:, None], self.scale[ind], self.affinity, self.mu, self.mean_dist
        )
        w = w / np.maximum(w.sum(axis=1, keepdims=True), np.finfo(float).tiny)
        # rows whose kernel underflowed everywhere: equal weight to the neighbours
        dead = ~np.isfinite(w).all(axis=1) | (w.sum(axis=1) <= 0)
        w[dead] = 1.0 / self.k
        rows = np.repeat(np.arange(nq), self.k)
        return sp.csr_array(
            (w.ravel(), (rows, self.rows[ind].ravel())), shape=(nq, self.n)
        )


def hypergraph_adjacency(A):
    """Clique expansion ``H D_e^-1 H^T`` of the kNN hyperedges of a graph.

    Each present row ``i`` spans one hyperedge: itself and its neighbours in the
    affinity ``A``, with soft incidence ``A_iv / max_v A_iv`` (a probabilistic
    hypergraph). The result is normalised by :func:`fuse_average` like a graph,
    which gives Zhou et al.'s hypergraph Laplacian ``I - D_v^-1/2 H W D_e^-1 H^T
    D_v^-1/2``.
    """
    peak = np.asarray(A.max(axis=1).todense()).ravel()
    inv = np.divide(1.0, peak, out=np.zeros_like(peak), where=peak > 0)
    H = (sp.diags_array(inv) @ A).T.tocsr()  # column e = hyperedge of row e
    edge_deg = np.asarray(H.sum(axis=0)).ravel()
    inv_e = np.divide(1.0, edge_deg, out=np.zeros_like(edge_deg), where=edge_deg > 0)
    return (H @ sp.diags_array(inv_e) @ H.T).tocsr()


def fuse_average(graphs, present, weights, *, normalized=False):
    """Weighted sum of symmetric-normalised modality graphs.

    A row missing a modality takes no part in that modality's graph; its edges
    are rescaled by the weights of the modalities it has (``1/sqrt(B_i B_j)``),
    so that a row seen in one modality is as connected as a complete row.
    ``normalized=True`` says the graphs are symmetric-normalised already (as
    :func:`sym_normalize` returns them), when fusing them with several weights.
    """
    fused = None
    for w, G in zip(weights, graphs):
        term = w * (G if normalized else sym_normalize(G))
        fused = term if fused is None else fused + term
    B = present.astype(float) @ np.asarray(weights, dtype=float)
    inv = np.divide(1.0, np.sqrt(B), out=np.zeros_like(B), where=B > 0)
    return _scale_sparse(fused, inv, inv, copy=False)  # fused is ours


def _dominant_set(P, k):
    """Keep the ``k`` largest entries of each row (ties kept), row-normalised.

    Equal to thresholding each row at its ``100 (1 - k/n)`` linear percentile,
    the neighbourhood rule of SNF's local kernel.
    """
    n = P.shape[1]
    k = min(k, n)
    thr = -np.partition(-P, k - 1, axis=1)[:, k - 1 : k]
    S = sp.csr_array(np.where((P >= thr) & (P > 0), P, 0.0))
    return _row_normalize(S).tocsr()


def _pair_counts(present):
    """How many modalities are present in both rows of each pair (dense)."""
    P = present.astype(float)
    return P @ P.T


def _sum(arrays):
    """Sum of equally shaped arrays without stacking them."""
    total = arrays[0].copy()
    for a in arrays[1:]:
        total += a
    return total


_KERNEL = []
_NUMBA_MIN_ROWS = 1500


def _compiled_kernel():
    """numba kernel of ``out = S @ Q`` (CSR times dense), or None without numba.

    numba is optional (it comes with the ``audio`` extra); the kernel equals
    SciPy's product up to rounding, only faster (vectorised, four neighbours per
    pass over an output row, one thread per block of rows). With ``upper`` it
    computes only the entries ``out[i, c]`` with ``c >= i``. It is compiled
    once and cached on disk, so later processes load it instead.
    """
    if not _KERNEL:
        try:
            import numba
        except ImportError:
            _KERNEL.append(None)
        else:
            # cache=True: compiled once, then loaded from numba's cache by
            # every later process (compilation took seconds per process)
            @numba.njit(parallel=True, nogil=True, cache=True)
            def kernel(indptr, indices, data, Q, out, upper):  # pragma: no cover
                # out = S @ Q, S in CSR; four neighbours per pass over a row
                n, m = out.shape
                for k in numba.prange(n):
                    # rows 0, n-1, 1, n-2, ...: each thread's block of k mixes
                    # long and short rows of the upper triangle
                    i = k // 2 if k % 2 == 0 else n - 1 - k // 2
                    lo = i * upper  # upper is 0 or 1
                    row = out[i, lo:]
                    row[:] = 0.0
                    jj, end = indptr[i], indptr[i + 1]
                    while jj + 4 <= end:
                        a0, a1, a2, a3 = (
                            data[jj],
                            data[jj + 1],
                            data[jj + 2],
                            data[jj + 3],
                        )
                        x0, x1 = Q[indices[jj], lo:], Q[indices[jj + 1], lo:]
                        x2, x3 = Q[indices[jj + 2], lo:], Q[indices[jj + 3], lo:]
                        for c in range(m - lo):
                            row[c] += a0 * x0[c] + a1 * x1[c] + a2 * x2[c] + a3 * x3[c]
                        jj += 4
                    while jj < end:
                        a, x = data[jj], Q[indices[jj], lo:]
                        for c in range(m - lo):
                            row[c] += a * x[c]
                        jj += 1

            _KERNEL.append((numba, kernel))
    return _KERNEL[0]


def _spmm(S, Q, out, n_threads, compiled=None, upper=False):
    """``out[...] = S @ Q`` for CSR ``S`` and C-contiguous dense ``Q``.

    ``compiled=None`` uses the numba kernel from ``_NUMBA_MIN_ROWS`` rows on,
    where loading it (or, the first time, compiling it) pays off. ``upper``: only
    the upper triangle of ``out`` is needed (the product is symmetric); the numba
    kernel then computes only that, SciPy the whole product.
    """
    if compiled is None:
        compiled = S.shape[0] >= _NUMBA_MIN_ROWS
    compiled = _compiled_kernel() if compiled else None
    if compiled is not None:
        numba, kernel = compiled
        with _NumbaThreads(numba, n_threads):
            kernel(S.indptr, S.indices, S.data, Q, out, int(upper))
        return out
    if n_threads == 1:
        out[...] = S @ Q
        return out
    bounds = np.linspace(0, S.shape[0], n_threads + 1).astype(int)

    def work(k):
        a, b = bounds[k], bounds[k + 1]
        out[a:b] = S[a:b] @ Q  # SciPy releases the GIL here

    with ThreadPoolExecutor(n_threads) as pool:
        list(pool.map(work, range(n_threads)))
    return out


class _NumbaThreads:
    """Run numba's parallel loops on ``n`` threads inside the block."""

    def __init__(self, numba, n):
        self.numba, self.n = numba, n

    def __enter__(self):
        self.previous = self.numba.get_num_threads()
        self.numba.set_num_threads(
            max(1, min(self.n, self.numba.config.NUMBA_NUM_THREADS))
        )

    def __exit__(self, *exc):
        self.numba.set_num_threads(self.previous)


def _sandwich(S, Q, scratch, out, n_threads):
    """``out[...] = S @ Q @ S.T`` for CSR ``S`` and symmetric dense ``Q``.

    ``S (S Q)^T``: two sparse-dense products, the first into ``out``, its
    transpose into ``scratch``. The result is symmetric: the second product
    computes its upper triangle and :func:`~skmer.utils._linalg.mirror_upper`
    copies it onto the lower one. ``Q`` is only read.
    """
    _spmm(S, Q, out, n_threads)
    np.copyto(scratch, out.T)
    _spmm(S, scratch, out, n_threads, upper=True)
    return mirror_upper(out)


def snf_dense(affinities, present, *, n_neighbors, n_iter, alpha, n_jobs=None):
    """Similarity Network Fusion on dense affinity matrices.

    With every modality present in every row this is the algorithm of Wang et
    al. (2014) as implemented by snfpy's ``snf()`` (same normalisations, same
    ``K``-nearest local kernels including the diagonal, same ``alpha``). With
    missing modalities, each pair averages the other modalities in which both
    rows are present.

    Parameters
    ----------
    affinities : list of ndarray of shape (n, n)
        Affinity of each modality (0 in rows and columns where it is missing).
    present : ndarray of bool, shape (n, n_modalities)
    n_neighbors : int
        ``K`` of the local kernels.
    n_iter : int
        Number of cross-diffusion iterations ``t``.
    alpha : float
        Weight added to the diagonal after each diffusion step.
    n_jobs : int, default=None
        Threads of the sparse-dense products (joblib's convention).

    Returns
    -------
    fused : ndarray of shape (n, n)
    """
    n_mod = len(affinities)
    n = present.shape[0]
    complete = bool(present.all())
    P, S = [], []
    for A in affinities:
        Pm = _row_normalize(A)
        Pm += Pm.T.copy()  # symmetrised, as snfpy's check_symmetric does
        Pm /= 2
        P.append(Pm)
        S.append(_dominant_set(Pm, n_neighbors))
    if complete:
        counts = float(n_mod)
    else:
        counts = _pair_counts(present)
    n_threads = max(1, min(effective_n_jobs(n_jobs), n))
    if n_mod == 2:
        # the other modality's matrix is the average of the others (it is 0
        # wherever that modality is missing): no sum, no division
        scratch, spare = np.empty((n, n)), np.empty((n, n))
        for _ in range(n_iter):
            # P[0] is read by the second update: the first goes into spare
            _sandwich(S[0], P[1], scratch, spare, n_threads)
            _sandwich(S[1], P[0], scratch, P[1], n_threads)
            P[0], spare = spare, P[0]
            for j in range(2):
                P[j][np.diag_indices(n)] += alpha * present[:, j]
    elif n_mod > 2:
        total, Q, scratch = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
        for _ in range(n_iter):
            np.copyto(total, P[0])
            for Pm in P[1:]:
                total += Pm
            for j in range(n_mod):
                np.subtract(total, P[j], out=Q)
                if complete:
                    Q /= n_mod - 1
                else:
                    others = counts - np.outer(present[:, j], present[:, j])
                    np.divide(Q, others, out=Q, where=others > 0)
                # P[j] is no longer needed in this iteration: overwrite it
                R = _sandwich(S[j], Q, scratch, P[j], n_threads)
                R[np.diag_indices(n)] += alpha * present[:, j]
    total = _sum(P)
    if complete:
        W = total / n_mod
    else:
        W = np.divide(total, counts, out=np.zeros_like(total), where=counts > 0)
    W = _row_normalize(W)
    W += W.T.copy()
    W.flat[:: n + 1] += 1.0
    W /= 2
    return W


def _divide_by_pair_counts(M, present, drop=None):
    """Divide each stored entry (i, j) of ``M`` by how many modalities (other
    than ``drop``) are present in both rows; entries with none become 0."""
    M = M.tocoo()
    both = present[M.row] & present[M.col]
    if drop is not None:
        both[:, drop] = False
    counts = both.sum(axis=1)
    data = np.divide(M.data, counts, out=np.zeros_like(M.data), where=counts > 0)
    return sp.csr_array((data, (M.row, M.col)), shape=M.shape)


def snf_sparse(affinities, present, *, n_iter, alpha):
    """Sparse cross-diffusion in the manner of SNF, on a fixed kNN support.

    Each modality's status matrix lives on the union ``E`` of the modalities'
    kNN edges (plus the diagonal), so memory stays O(n k). One step is
    ``P_m <- sym(mask_E(S_m Q_m)) + alpha I`` with ``S_m`` the modality's
    row-normalised kNN kernel and ``Q_m`` the average of the other modalities'
    status matrices over the pairs where they are present: SNF's two-sided
    update ``S_m Q_m S_m^T`` becomes one-sided (then symmetrised) and truncated
    to ``E``, costing O(n k^2) per step instead of O(n^2 k).
    """
    n_mod = len(affinities)
    n = present.shape[0]
    complete = bool(present.all())
    E = sp.eye_array(n, format="csr", dtype=bool)
    for A in affinities:
        E = E + A.astype(bool)
    E = E.tocsr()
    S, P = [], []
    for A in affinities:
        Pm = _row_normalize(A)
        Pm = ((Pm + Pm.T) / 2).tocsr()
        P.append(Pm)
        S.append(_row_normalize(Pm).tocsr())
    if n_mod > 1:
        for _ in range(n_iter):
            total = P[0]
            for Pm in P[1:]:
                total = total + Pm
            new = []
            for j in range(n_mod):
                Q = total - P[j]
                if complete:
                    Q = Q / (n_mod - 1)
                else:
                    Q = _divide_by_pair_counts(Q, present, drop=j)
                Y = (S[j] @ Q).multiply(E).tocsr()
                R = (Y + Y.T) / 2 + alpha * sp.diags_array(present[:, j].astype(float))
                new.append(R.tocsr())
            P = new
    total = P[0]
    for Pm in P[1:]:
        total = total + Pm
    W = total / n_mod if complete else _divide_by_pair_counts(total, present)
    W = _row_normalize(W)
    return ((W + W.T + sp.eye_array(n, format="csr")) / 2).tocsr()


def top_k_graph(W, k):
    """Keep each row's ``k`` largest off-diagonal entries, symmetrised (union)."""
    n = W.shape[0]
    W = sp.coo_array(W) if not sp.issparse(W) else W.tocoo()
    off = W.row != W.col
    r, c, v = W.row[off], W.col[off], W.data[off]
    order = np.lexsort((-v, r))
    r, c, v = r[order], c[order], v[order]
    starts = np.searchsorted(r, np.arange(n))
    rank = np.arange(r.size) - starts[r]
    keep = rank < k
    K = sp.csr_array((v[keep], (r[keep], c[keep])), shape=(n, n))
    return K.maximum(K.T).tocsr()


def propagation_operator(W):
    """Graph without self-loops, symmetric-normalised: ``D^-1/2 W D^-1/2``."""
    W = sp.coo_array(W) if not sp.issparse(W) else W.tocoo()
    off = W.row != W.col
    W = sp.csr_array((W.data[off], (W.row[off], W.col[off])), shape=W.shape)
    W.eliminate_zeros()
    return sym_normalize(W), W


def spread_labels(S, Y, *, alpha, max_iter, tol):
    """Label spreading of Zhou et al. (2004): ``F <- alpha S F + (1 - alpha) Y``."""
    F = Y.copy()
    base = (1 - alpha) * Y
    for _ in range(max_iter):
        F_new = alpha * (S @ F) + base
        delta = np.abs(F_new - F).sum()
        F = F_new
        if delta < tol:
            break
    return F


def harmonic(W, y, labelled, *, max_iter, tol, label_weight=None):
    """Harmonic function of Zhu et al. (2003) for continuous targets.

    Labelled rows keep their targets; the others solve ``L_uu f_u = W_ul y_l``
    (conjugate gradient, with a vanishing ridge towards the labelled mean so
    that rows cut off from every label get that mean). ``label_weight``
    multiplies the edges from each labelled row (its column of ``W_ul`` and
    its share of the unlabelled rows' degrees), as that many copies would.
    """
    y = np.asarray(y, dtype=float)
    if label_weight is not None:
        scale = np.where(labelled, label_weight, 1.0)
        W = (W.tocsr() @ sp.diags_array(scale)).tocsr()
    mean = np.average(
        y[labelled],
        axis=0,
        weights=None if label_weight is None else label_weight[labelled],
    )
    f = np.tile(mean, (y.shape[0], 1)) if y.ndim > 1 else np.full(y.shape[0], mean)
    f[labelled] = y[labelled]
    unl = np.flatnonzero(~labelled)
    if unl.size == 0:
        return f
    lab = np.flatnonzero(labelled)
    W = W.tocsr()
    deg = np.asarray(W.sum(axis=1)).ravel()
    ridge = 1e-6 * max(float(deg.mean()), _EPS)
    Wuu = W[unl][:, unl]
    L = (sp.diags_array(deg[unl] + ridge) - Wuu).tocsr()
    rhs = W[unl][:, lab] @ y[lab] + ridge * mean
    cols = rhs.reshape(len(unl), -1)
    out = np.empty_like(cols)
    for c in range(cols.shape[1]):
        x0 = np.full(len(unl), float(np.ravel(mean)[c]))
        sol, _ = cg(L, cols[:, c], x0=x0, rtol=tol, maxiter=max_iter)
        out[:, c] = sol
    f[unl] = out.reshape(f[unl].shape)
    return f


def smoothness(G, F):
    """Edge-weighted mean squared difference of ``F`` over graph ``G``.

    ``sum_ij G_ij |F_i - F_j|^2 / sum_ij G_ij`` (0 for an edgeless graph).
    """
    G = G.tocoo()
    off = G.row != G.col
    r, c, w = G.row[off], G.col[off], G.data[off]
    total = w.sum()
    if total <= 0:
        return 0.0
    F2 = F.reshape(F.shape[0], -1)
    diff = ((F2[r] - F2[c]) ** 2).sum(axis=1)
    return float((w * diff).sum() / total)
