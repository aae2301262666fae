"""Modality-aware SMOTE: over-sampling that never invents a missing modality."""

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.utils import check_random_state

from skmer.fusion._base import BaseFusion
from skmer.utils._sklearn_compat import Interval

# distance added to neighbours that lack a modality the base sample has, so that
# neighbours covering all of its modalities are preferred whenever they exist
_COVER_PENALTY = 1e6


class ModalitySMOTE(BaseFusion, BaseOverSampler):
    """SMOTE-style over-sampling of encoded multimodal features with missing blocks.

    imbalanced-learn's samplers reject NaN, so they break on missing
    modalities. This sampler interpolates a synthetic sample between a
    minority sample and one of its ``k_neighbors`` nearest neighbours of the
    same class **only within the modalities both have**; a modality the base
    sample has and the neighbour lacks is copied from the base sample, and a
    modality the base sample lacks stays absent (all NaN). So every synthetic
    sample has exactly the modalities of its base sample. Distances are mean
    squared distances over the shared modalities (each modality's columns
    standardised on the rows where it is present and scaled to count equally),
    and neighbours that cover all of the base sample's modalities are preferred.

    It is an imbalanced-learn sampler: use it in
    :class:`imblearn.pipeline.Pipeline` before a fusion estimator.

    Read more in the :ref:`User Guide <adaptation>`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to over-sample and how much, as in imbalanced-learn
        (``"auto"`` equalises every class with the majority class).
    k_neighbors : int, default=5
        Number of same-class neighbours to interpolate with (fewer when the
        class is smaller).
    modalities : dict, default=None
        Layout ``{name: slice | column indices | column names}``. None infers it
        from ``"<modality>__<feature>"`` column names; otherwise X is one modality.
    random_state : int, RandomState instance or None, default=None
        Seeds the choice of base samples, neighbours and gaps.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples per class.
    modalities_ : dict of str to ndarray
        Resolved layout.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Column names, when X had them.

    See Also
    --------
    imblearn.over_sampling.SMOTE : the single-view algorithm (no NaN).

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import ModalitySMOTE
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(
    ...     n_samples=200, weights=[0.85, 0.15], missing_rate=0.3, random_state=0)
    >>> Xr, yr = ModalitySMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(yr).tolist()
    [173, 173]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        **BaseFusion._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        k_neighbors=5,
        modalities=None,
        random_state=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.k_neighbors = k_neighbors
        self.modalities = modalities
        self.random_state = random_state

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y, present = self._validate_fusion_data(X, y, reset=True)
        self._present = present
        return X, y, binarize_y

    def _scaled_blocks(self, X, present):
        """Per-modality blocks standardised on present rows, 0 where absent."""
        blocks = []
        for j, cols in enumerate(self.modalities_.values()):
            b = X[:, cols]
            p = present[:, j]
            mean = b[p].mean(axis=0)
            scale = b[p].std(axis=0)
            scale[scale == 0] = 1.0
            z = (b - mean) / scale / np.sqrt(cols.size)
            z[~p] = 0.0
            blocks.append(z)
        return blocks

    @staticmethod
    def _distances(blocks, present):
        n = present.shape[0]
        total = np.zeros((n, n))
        shared = np.zeros((n, n))
        for z, p in zip(blocks, present.T):
            sq = (z**2).sum(axis=1)
            d = np.maximum(sq[:, None] + sq[None, :] - 2 * z @ z.T, 0.0)
            both = p[:, None] & p[None, :]
            total += np.where(both, d, 0.0)
            shared += both
        with np.errstate(invalid="ignore", divide="ignore"):
            dist = np.where(shared > 0, total / np.maximum(shared, 1), np.inf)
        # neighbour j covers base i when j has every modality i has
        covers = (present[:, None, :] <= present[None, :, :]).all(axis=2)
        dist = dist + np.where(covers, 0.0, _COVER_PENALTY)
        np.fill_diagonal(dist, np.inf)
        return dist

    def _fit_resample(self, X, y):
        present = self._present
        rng = check_random_state(self.random_state)
        blocks = self._scaled_blocks(X, present)
        layout = list(self.modalities_.values())
        X_new, y_new = [X], [y]
        for cls, n_new in self.sampling_strategy_.items():
            if n_new == 0:
                continue
            rows = np.flatnonzero(y == cls)
            if rows.size < 2:
                raise ValueError(
                    f"Class {cls} has {rows.size} sample; ModalitySMOTE needs at "
                    "least 2 samples of a class to interpolate between them."
                )
            k = min(self.k_neighbors, rows.size - 1)
            dist = self._distances([b[rows] for b in blocks], present[rows])
            neigh = np.argsort(dist, axis=1, kind="stable")[:, :k]
            base = rng.randint(rows.size, size=n_new)
            pick = neigh[base, rng.randint(k, size=n_new)]
            gap = rng.uniform(size=n_new)
            finite = np.isfinite(dist[base, pick])
            xi, xj = X[rows[base]], X[rows[pick]]
            new = xi.copy()
            pi, pj = present[rows[base]], present[rows[pick]]
            for m, cols in enumerate(layout):
                both = pi[:, m] & pj[:, m] & finite
                diff = xj[np.ix_(both, cols)] - xi[np.ix_(both, cols)]
                new[np.ix_(both, cols)] = (
                    xi[np.ix_(both, cols)] + gap[both, None] * diff
                )
            X_new.append(new)
            y_new.append(np.full(n_new, cls, dtype=y.dtype))
        return np.vstack(X_new), np.concatenate(y_new)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = False
        return tags
