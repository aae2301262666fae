"""Raw-input side shared by the end-to-end sequence models.

A sequence model reads the raw multimodal DataFrame itself: its ``columns``
hold ``(T, d)`` sequences (or 1-D utterance vectors for the contextual models),
``None`` where a modality is missing. This module parses those cells, checks
them with errors naming the column and the row, standardises them and, for the
contextual models, places every row in its group (``group_column``) at the
position given by ``order_column`` (or the natural order of the row labels),
never by the order of the rows.
"""

import re

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array

from skmer.utils._missing import as_raw_frame, is_missing
from skmer.utils._sklearn_compat import check_is_fitted


class RawSequences:
    """Parsed raw multimodal cells of one call (internal container).

    Attributes
    ----------
    cells : dict of str to list
        Per input column, one float array (or None when missing) per row.
    present : ndarray of bool, shape (n_samples, n_columns)
    groups : ndarray of int or None
        Group code of each row (contextual models only).
    positions : ndarray of int or None
        Position of each row in its group (contextual models only).
    """

    def __init__(self, cells, present, groups=None, positions=None):
        self.cells = cells
        self.present = present
        self.groups = groups
        self.positions = positions

    def __len__(self):
        return self.present.shape[0]


def natural_key(value):
    """Sort key that orders digit runs by number: ``"v_5"`` before ``"v_12"``.

    Parameters
    ----------
    value : object
        An utterance id or order value; numbers sort by value.

    Returns
    -------
    key : tuple

    Examples
    --------
    >>> from skmer.sequence._base import natural_key
    >>> sorted(["_1", "_12", "_13", "_5"], key=natural_key)
    ['_1', '_5', '_12', '_13']
    """
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool
    ):
        return ((0, float(value), ""),)
    parts = re.split(r"(\d+)", str(value))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def _parse_cell(cell, name, row, item_ndim, skip_zero_steps):
    """One present cell as a float array of ``item_ndim`` dimensions, or None."""
    what = "a (T, d) sequence" if item_ndim == 2 else "a 1-D feature vector"
    if isinstance(cell, str | bytes):
        raise TypeError(
            f"Column {name!r}, row {row!r}: cell is a {type(cell).__name__}, not "
            f"numeric; expected {what}."
        )
    try:
        arr = np.asarray(cell, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"Column {name!r}, row {row!r}: cell of type {type(cell).__name__} is "
            f"not numeric; expected {what}."
        ) from exc
    if item_ndim == 2 and arr.ndim == 1:
        arr = arr[:, None]
    if item_ndim == 1 and arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != item_ndim:
        raise ValueError(
            f"Column {name!r}, row {row!r}: cell has shape {arr.shape}; expected {what}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(
            f"Column {name!r}, row {row!r}: cell contains NaN or infinity; mark a "
            "missing modality with None."
        )
    if item_ndim == 2 and skip_zero_steps:
        arr = arr[np.any(arr != 0, axis=1)]
    if arr.shape[0] == 0:
        return None  # nothing left: missing
    return arr


def _check_feature_column(X, name):
    """With ``columns=None``: a column of scalars or strings is not a modality."""
    for row, cell in zip(X.index, X[name].tolist()):
        if is_missing(cell):
            continue
        if isinstance(cell, str | bytes) or np.isscalar(cell):
            raise ValueError(
                f"Column {name!r} holds {type(cell).__name__} values (row {row!r}), "
                "not feature arrays, so it is not an input modality; name the "
                "input columns with `columns=[...]` (and give id columns as "
                "group_column / order_column where the model takes them)."
            )
        return


def pad_sequences(cells, dim, length):
    """Right-pad a list of ``(T_i, d)`` arrays (or None) into ``(n, length, d)`` and a mask.

    Parameters
    ----------
    cells : list of ndarray or None
    dim : int
        Features per step.
    length : int
        Padded length (at least every ``T_i``).

    Returns
    -------
    x : ndarray of float32, shape (n, length, dim)
    mask : ndarray of float32, shape (n, length)
        1 on real steps.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.sequence._base import pad_sequences
    >>> x, m = pad_sequences([np.ones((2, 1)), None], 1, 3)
    >>> m
    array([[1., 1., 0.],
           [0., 0., 0.]], dtype=float32)
    """
    x = np.zeros((len(cells), length, dim), dtype=np.float32)
    mask = np.zeros((len(cells), length), dtype=np.float32)
    for i, a in enumerate(cells):
        if a is not None:
            x[i, : len(a)] = a
            mask[i, : len(a)] = 1.0
    return x, mask


class RawInputMixin:
    """Parsing, standardisation and padding of raw multimodal cells.

    Subclasses set ``_item_ndim`` (2: sequences, 1: vectors) and implement
    ``_module_inputs_raw`` (neural models). Models with context define
    ``group_column`` and ``order_column`` and set ``_contextual = True``.
    """

    _item_ndim = 2
    _contextual = False

    def _id_columns(self):
        return [
            c
            for c in (
                getattr(self, "group_column", None),
                getattr(self, "order_column", None),
            )
            if c is not None
        ]

    def _input_columns(self, X):
        """The input columns named by ``columns`` (None: every non-id column)."""
        if self.columns is None:
            ids = set(self._id_columns())
            names = [c for c in X.columns if c not in ids]
            for name in names:
                _check_feature_column(X, name)
            if not names:
                raise ValueError(
                    f"X has no input column besides {sorted(ids)}; name the input "
                    "columns with `columns`."
                )
            return names
        if not self.columns:
            raise ValueError("columns is empty: name at least one column of X.")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError(f"columns names a column twice: {list(self.columns)}.")
        absent = [c for c in self.columns if c not in X.columns]
        if absent:
            raise ValueError(
                f"columns names {absent}, which are not columns of X; X has columns "
                f"{list(X.columns)}."
            )
        clash = [c for c in self.columns if c in self._id_columns()]
        if clash:
            raise ValueError(
                f"columns names {clash}, which is also group_column or order_column; "
                "an id column is not an input modality."
            )
        return list(self.columns)

    def _validate_fusion_data(self, X, y="no_validation", *, reset, **check_params):
        """Parse the raw DataFrame into :class:`RawSequences`; return ``X, y, present``."""
        X = as_raw_frame(X, type(self).__name__)
        if reset:
            columns = self._input_columns(X)
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
            self.n_features_in_ = X.shape[1]
        else:
            check_is_fitted(self, "modalities_")
            columns = list(self.modalities_)
            absent = [c for c in columns if c not in X.columns]
            if absent:
                raise ValueError(
                    f"X lacks the input columns {absent} seen in fit; X has "
                    f"columns {list(X.columns)}."
                )
        if X.shape[0] == 0:
            raise ValueError(
                f"X has 0 samples; {type(self).__name__} needs at least 1."
            )
        cells = {name: self._parse_column(X, name, reset) for name in columns}
        present = np.array(
            [[cells[m][i] is not None for m in columns] for i in range(X.shape[0])],
            dtype=bool,
        ).reshape(X.shape[0], len(columns))
        if reset:
            never = [m for m, seen in zip(columns, present.any(axis=0)) if not seen]
            if never:
                raise ValueError(
                    f"Column {never[0]!r} is missing in every training row; drop it "
                    "from `columns` or provide rows where it is present."
                )
            self.modalities_ = {
                m: np.arange(next(a for a in cells[m] if a is not None).shape[-1])
                for m in columns
            }
        y = self._check_target(X, y, check_params)
        data = RawSequences(cells, present)
        if self._contextual:
            data.groups, data.positions = self._group_layout(X)
        return data, y, present

    def _parse_column(self, X, name, reset):
        skip = getattr(self, "skip_zero_steps", False)
        col = [
            None
            if is_missing(cell)
            else _parse_cell(cell, name, row, self._item_ndim, skip)
            for row, cell in zip(X.index, X[name].tolist())
        ]
        seen = {a.shape[-1] for a in col if a is not None}
        if not reset:
            expected = len(self.modalities_[name])
            seen.discard(expected)
            if seen:
                raise ValueError(
                    f"Column {name!r} has cells with {sorted(seen)} features per "
                    f"step; the estimator was fitted on {expected}."
                )
        elif len(seen) > 1:
            raise ValueError(
                f"Column {name!r} has cells with different feature dimensions "
                f"{sorted(seen)}."
            )
        return col

    @staticmethod
    def _check_target(X, y, check_params):
        if isinstance(y, str) and y == "no_validation":
            return y
        if check_params.get("y_numeric"):
            # regression targets: numeric and finite (NaN would train a NaN net)
            y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        else:
            y = np.asarray(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries.")
        return y

    # -- context -----------------------------------------------------------------
    def _group_codes(self, X):
        if self.group_column is None:
            return np.arange(X.shape[0])
        groups = self._id_values(X, self.group_column, "group_column")
        return pd.factorize(groups, sort=False)[0]

    def _id_values(self, X, column, param):
        if column not in X.columns:
            raise ValueError(
                f"{param}={column!r} is not a column of X; X has columns "
                f"{list(X.columns)}."
            )
        values = X[column]
        if values.isna().any():
            raise ValueError(
                f"{param} {column!r} has missing values in rows "
                f"{list(X.index[values.isna().to_numpy()][:10])}."
            )
        return values

    def _group_layout(self, X):
        """Group code and position in the group of every row.

        Positions follow ``order_column`` (natural order of its values) or, when
        it is None, the natural order of the row labels (``X.index``): never the
        order of the rows, so shuffled rows give the same sequences.
        """
        groups = self._group_codes(X)
        if self.order_column is None:
            keys, source = list(X.index), "the row labels (X.index)"
        else:
            keys = self._id_values(X, self.order_column, "order_column").tolist()
            source = f"order_column {self.order_column!r}"
        keys = [natural_key(k) for k in keys]
        order = sorted(range(len(keys)), key=lambda i: (groups[i], keys[i]))
        positions = np.empty(len(keys), dtype=int)
        previous, pos = None, 0
        for rank, i in enumerate(order):
            if rank and groups[i] == groups[previous]:
                if keys[i] == keys[previous]:
                    raise ValueError(
                        f"Rows {X.index[previous]!r} and {X.index[i]!r} of the same "
                        f"group have the same position in {source}; the order of "
                        "utterances must be unambiguous (give order_column)."
                    )
                pos += 1
            else:
                pos = 0
            positions[i] = pos
            previous = i
        return groups, positions

    # -- standardisation ------------------------------------------------------------
    def _fit_scaling(self, X):
        """Per-column mean and scale over the present steps (or vectors)."""
        self.feature_mean_, self.feature_scale_ = {}, {}
        for name, cells in X.cells.items():
            frames = np.concatenate(
                [a.reshape(-1, a.shape[-1]) for a in cells if a is not None]
            )
            # moments of the frames divided by their largest magnitude, so that
            # values near the float range (1e300) do not overflow to inf
            bound = np.abs(frames).max(axis=0)
            bound = np.where(bound > 0, bound, 1.0)
            unit = frames / bound
            std = unit.std(axis=0) * bound
            self.feature_mean_[name] = unit.mean(axis=0) * bound
            self.feature_scale_[name] = np.where(std > 1e-12 * bound, std, 1.0)

    def _scaled(self, X):
        return {
            name: [
                None
                if a is None
                else (a - self.feature_mean_[name]) / self.feature_scale_[name]
                for a in cells
            ]
            for name, cells in X.cells.items()
        }

    def _inputs(self, X, present, *, fit=False):
        if fit:
            self._fit_scaling(X)
        return self._module_inputs_raw(self._scaled(X), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.allow_nan = True
        tags.non_deterministic = getattr(self, "device", "cpu") != "cpu"
        return tags
