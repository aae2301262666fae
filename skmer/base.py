"""Base class for modality encoders over raw items.

A modality encoder turns one modality's raw items (strings, waveforms, ``(T, d)``
sequences, images, ...) into a 2-D float feature block. Subclasses implement three
hooks; the base class does input handling, missing items and feature names:

* ``_check_item(item, index)`` validates and converts one present item;
* ``_fit(items, y)`` learns from the present items (``y`` restricted to them);
* ``_transform(items)`` returns an ``(len(items), n_features)`` float array;
* ``_feature_names()`` returns the output feature names after fit.

Items are numbered by their position in what the encoder was given; inside
:func:`item_rows` (which :class:`~skmer.compose.ModalityEncoder` uses) the number
also names the item's row of the caller's DataFrame, so that error messages
raised at the source say which row is at fault.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from skmer.utils._missing import missing_mask
from skmer.utils._sklearn_compat import _fit_context, check_is_fitted

#: Separator of modality and feature in encoded column names, ``"text__mean_0"``
#: (scikit-learn's ColumnTransformer convention).
SEP = "__"

_ITEM_ROWS = ContextVar("skmer_item_rows", default=None)


class _ItemIndex(int):
    """An item's position that also prints the row of X it came from."""

    row = None

    def __str__(self):
        return f"{int(self)} (row {self.row!r} of X)"

    def __format__(self, spec):
        return str(self) if not spec else format(int(self), spec)


def item_index(position):
    """The number of the item at ``position`` to put in a message.

    Parameters
    ----------
    position : int
        The item's position in what the encoder was given.

    Returns
    -------
    index : int
        ``position`` itself, or inside :func:`item_rows` an int that prints as
        ``"3 (row 'b' of X)"``.

    Examples
    --------
    >>> from skmer.base import item_index, item_rows
    >>> f"Item {item_index(1)}"
    'Item 1'
    >>> with item_rows(["a", "b"]):
    ...     f"Item {item_index(1)}"
    "Item 1 (row 'b' of X)"
    """
    rows = _ITEM_ROWS.get()
    if rows is None or not 0 <= position < len(rows):
        return position
    index = _ItemIndex(position)
    index.row = rows[position]
    return index


@contextmanager
def item_rows(rows):
    """Name the items an encoder is given by their rows of the caller's X.

    Parameters
    ----------
    rows : sequence
        The row label of each item, in order.

    Examples
    --------
    >>> from skmer.base import item_rows
    >>> from skmer.encoders import VectorEncoder
    >>> with item_rows([10, 40]):
    ...     try:
    ...         VectorEncoder().fit([[1.0, 2.0], [1.0, float("nan")]])
    ...     except ValueError as exc:
    ...         print(exc)  # doctest: +ELLIPSIS
    Item 1 (row 40 of X) contains NaN or infinity...
    """
    token = _ITEM_ROWS.set(list(rows))
    try:
        yield
    finally:
        _ITEM_ROWS.reset(token)


def as_items(X):
    """Return raw items as a list: rows of a 2-D array, cells of a list/Series.

    Parameters
    ----------
    X : list, tuple, pandas.Series, one-column pandas.DataFrame or ndarray
        The items. A numeric 2-D ndarray is read as one item per row.

    Returns
    -------
    items : list

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.base import as_items
    >>> len(as_items(np.zeros((3, 4)))), as_items(["a", None])
    (3, ['a', None])
    """
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1:
            raise ValueError(
                "Expected the items of one modality: a list, a Series or a "
                f"one-column DataFrame; got a DataFrame with {X.shape[1]} columns "
                f"{list(X.columns)[:5]}. Use skmer.compose.ModalityEncoder to "
                "encode several modality columns."
            )
        X = X.iloc[:, 0]
    if isinstance(X, pd.Series):
        return X.tolist()
    if isinstance(X, np.ndarray):
        if X.ndim == 0:
            raise ValueError("Expected a sequence of items; got a 0-d array.")
        return list(X)
    if isinstance(X, str | bytes) or not hasattr(X, "__len__"):
        raise TypeError(
            "Expected a sequence of items (list, tuple, Series or array); got "
            f"{type(X).__name__}."
        )
    return list(X)


class BaseModalityEncoder(TransformerMixin, BaseEstimator):
    """Base class for skmer's encoders of one modality's raw items.

    Fits on present items only; missing items (``None`` or NaN) become rows of
    NaN in :meth:`transform`, which is how skmer marks a missing modality.
    Subclasses implement ``_fit``, ``_transform`` and ``_feature_names`` and may
    override ``_check_item``.
    """

    _parameter_constraints: dict = {}

    def _check_item(self, item, index):
        return item

    def _fit(self, items, y):
        return self

    def _validated_items(self, X):
        items = as_items(X)
        present = ~missing_mask(items)
        checked = [
            self._check_item(item, item_index(i))
            for i, item in enumerate(items)
            if present[i]
        ]
        return checked, present

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the encoder on the present items of ``X``.

        Parameters
        ----------
        X : sequence of items
            One modality's raw items; ``None`` or NaN marks a missing item.
        y : array-like of shape (n_items,), default=None
            Targets, used only by supervised encoders.

        Returns
        -------
        self : object
            The fitted encoder.
        """
        # A refit starts afresh: item checks must not compare against the
        # previous fit's shapes (they read fitted attributes when present).
        for attr in [
            a for a in vars(self) if a.endswith("_") and not a.startswith("__")
        ]:
            delattr(self, attr)
        items, present = self._validated_items(X)
        if not present.any():
            raise ValueError(
                f"{type(self).__name__}: every item is missing, nothing to fit on."
            )
        y_present = None
        if y is not None:
            y = np.asarray(y)
            if y.ndim == 0 or y.shape[0] != present.size:
                raise ValueError(
                    f"y has {y.shape[0] if y.ndim else 0} entries for "
                    f"{present.size} items; give one target per item."
                )
            y_present = y[present]
        self._fit(items, y_present)
        self.n_features_out_ = len(self._feature_names())
        return self

    def transform(self, X):
        """Encode items; missing items give rows of NaN.

        Parameters
        ----------
        X : sequence of items
            One modality's raw items; ``None`` or NaN marks a missing item.

        Returns
        -------
        features : ndarray of shape (n_items, n_features_out_)

        Raises
        ------
        ValueError
            When a present item gives a non-finite feature (finite raw values
            can still overflow float64 inside a feature computation), naming
            the item and the features. An all-NaN row is the encoder's way to
            mark an item it reads as missing and passes.
        """
        check_is_fitted(self)
        items, present = self._validated_items(X)
        out = np.full((present.size, self.n_features_out_), np.nan)
        if items:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                features = np.asarray(self._transform(items), dtype=float)
            self._check_finite(features, np.flatnonzero(present), X)
            out[present] = features
        return out

    def _check_finite(self, features, rows, X):
        """Raise when a present item's features are not finite.

        ``features`` holds the present items' rows, ``rows`` their positions in
        ``X``. An all-NaN row passes: it marks an item the encoder reads as
        missing.
        """
        nan = np.isnan(features)
        broken = np.isinf(features).any(axis=1) | (nan.any(axis=1) & ~nan.all(axis=1))
        if not broken.any():
            return
        k = np.flatnonzero(broken)
        names = self.get_feature_names_out()[~np.isfinite(features[k[0]])]
        raise ValueError(
            f"{type(self).__name__}: item {item_index(rows[k[0]])} gives non-finite "
            f"features {names[:5].tolist()} (items with non-finite features: "
            f"{rows[k[:10]].tolist()}); its values overflow float64 in the feature "
            f"computation (largest magnitude {_largest(as_items(X)[rows[k[0]]]):.3g}). "
            "Rescale the items."
        )

    def get_feature_names_out(self, input_features=None):
        """Names of the output features.

        Parameters
        ----------
        input_features : None
            Ignored; present for API consistency.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return np.asarray(self._feature_names(), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.allow_nan = True
        tags.requires_fit = True
        return tags


def _largest(item):
    """Largest finite magnitude in a raw item (nan when it has no numbers)."""
    if isinstance(item, dict):
        item = next(iter(item.values()))
    try:
        arr = np.abs(np.asarray(item, dtype=float))
    except (TypeError, ValueError):
        return np.nan
    arr = arr[np.isfinite(arr)]
    return float(arr.max()) if arr.size else np.nan
