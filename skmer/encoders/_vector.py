"""Encoders for pre-extracted features: vectors and (T, d) sequences."""

import numbers

import numpy as np

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import as_float_array, check_stats, functionals, stat_names


class VectorEncoder(BaseModalityEncoder):
    """Use cells holding pre-extracted feature vectors as a feature block.

    The common research case: each present cell is a 1-D vector of features of
    one length (e.g. openSMILE functionals, a text-CNN embedding). Missing
    cells give NaN rows.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    feature_names : list of str, default=None
        Names of the vector's entries; None names them ``"0", "1", ...``.

    Attributes
    ----------
    n_features_out_ : int
        Length of the vectors.

    See Also
    --------
    SequencePooling : statistics over time of ``(T, d)`` sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import VectorEncoder
    >>> VectorEncoder().fit_transform([np.array([1.0, 2.0]), None])
    array([[ 1.,  2.],
           [nan, nan]])
    """

    _parameter_constraints: dict = {"feature_names": [list, None]}

    def __init__(self, feature_names=None):
        self.feature_names = feature_names

    def _check_item(self, item, index):
        if isinstance(item, numbers.Real):
            item = [item]
        arr = as_float_array(item, index, 1, "a 1-D feature vector")
        expected = getattr(self, "n_features_out_", None)
        if expected is not None and arr.size != expected:
            raise ValueError(
                f"Item {index} has {arr.size} features; the encoder was fitted on "
                f"{expected}."
            )
        return arr

    def _fit(self, items, y):
        sizes = {a.size for a in items}
        if len(sizes) > 1:
            first = items[0].size
            bad = next(i for i, a in enumerate(items) if a.size != first)
            raise ValueError(
                f"Items have different lengths: present item {bad} has {items[bad].size} "
                f"features, earlier items {first}."
            )
        size = sizes.pop()
        if self.feature_names is not None and len(self.feature_names) != size:
            raise ValueError(
                f"feature_names has {len(self.feature_names)} names for vectors of "
                f"length {size}."
            )
        if self.feature_names is not None and (
            len({str(f) for f in self.feature_names}) != size
        ):
            raise ValueError(f"feature_names has repeated names: {self.feature_names}.")
        self._size = size
        return self

    def _transform(self, items):
        return np.vstack(items)

    def _feature_names(self):
        if self.feature_names is not None:
            return [str(f) for f in self.feature_names]
        return [str(i) for i in range(self._size)]


class SequencePooling(BaseModalityEncoder):
    """Statistics over time of ``(T, d)`` feature sequences of varying length.

    Each present cell is a sequence of ``T`` frames (or words) of ``d``
    pre-extracted features; ``T`` may differ between cells. The encoder returns,
    for each feature, the chosen statistics over time. With ``skip_zero_steps``
    the all-zero padding steps of released corpora are dropped first; a cell
    whose steps are all padding is then treated as missing (NaN row).

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    stats : list of str, default=("mean", "std")
        Statistics among ``"mean"``, ``"std"``, ``"min"``, ``"max"``,
        ``"median"``, ``"iqr"`` (interquartile range), ``"first"``, ``"last"``
        and ``"slope"`` (least-squares slope per step; 0 for a single step),
        the functionals every frame-pooling encoder of skmer shares.
    skip_zero_steps : bool, default=False
        Drop time steps whose features are all zero before pooling.

    Attributes
    ----------
    n_features_out_ : int
        ``d * len(stats)``.

    See Also
    --------
    VectorEncoder : cells that are already vectors.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import SequencePooling
    >>> seqs = [np.array([[0.0], [1.0], [2.0]]), np.array([[5.0], [5.0]]), None]
    >>> SequencePooling(stats=["mean", "slope"]).fit_transform(seqs)
    array([[ 1.,  1.],
           [ 5.,  0.],
           [nan, nan]])
    """

    _parameter_constraints: dict = {
        "stats": [list, tuple],
        "skip_zero_steps": ["boolean"],
    }

    def __init__(self, stats=("mean", "std"), *, skip_zero_steps=False):
        self.stats = stats
        self.skip_zero_steps = skip_zero_steps

    def _check_item(self, item, index):
        arr = as_float_array(item, index, (1, 2), "a (T, d) sequence")
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        expected = getattr(self, "_dim", None)
        if hasattr(self, "n_features_out_") and arr.shape[1] != expected:
            raise ValueError(
                f"Item {index} has {arr.shape[1]} features per step; the encoder was "
                f"fitted on {expected}."
            )
        if self.skip_zero_steps:
            arr = arr[np.any(arr != 0, axis=1)]
        return arr

    def _fit(self, items, y):
        self._stats = check_stats(self.stats)
        dims = {a.shape[1] for a in items}
        if len(dims) > 1:
            first = items[0].shape[1]
            bad_i = next(i for i, a in enumerate(items) if a.shape[1] != first)
            raise ValueError(
                f"Items have different feature dimensions: present item {bad_i} has "
                f"{items[bad_i].shape[1]}, earlier items {first}."
            )
        self._dim = dims.pop()
        return self

    def _transform(self, items):
        return np.vstack([self._pool(a) for a in items])

    def _pool(self, a):
        if a.shape[0] == 0:
            return np.full(self._dim * len(self._stats), np.nan)
        return functionals(a, self._stats)

    def _feature_names(self):
        return stat_names(self._stats, range(self._dim))
