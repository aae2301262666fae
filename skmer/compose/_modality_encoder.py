"""ModalityEncoder: one encoder per modality column of a raw multimodal DataFrame."""

import re
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import TransformerMixin, clone
from sklearn.utils import Bunch

from skmer.base import SEP
from skmer.utils._missing import missing_mask
from skmer.utils._sklearn_compat import (
    _BaseComposition,
    _fit_context,
    check_is_fitted,
)


def _cell_kind(cell):
    if isinstance(cell, str):
        return "a string"
    if isinstance(cell, Integral | float | np.number) and not isinstance(cell, bool):
        return "a number"
    if isinstance(cell, np.ndarray | list | tuple):
        return "an array"
    return f"a {type(cell).__name__}"


def present_items(name, cells, index):
    """The present cells of one modality, in the form encoders expect.

    Strings stay a list; numbers become one column; 1-D arrays of one length
    are stacked into a 2-D array (so any sklearn transformer applies); anything
    else (sequences, images, waveforms of different lengths) stays a list.
    """
    kinds = [_cell_kind(c) for c in cells]
    first = kinds[0]
    for pos, kind in enumerate(kinds):
        if kind != first:
            raise TypeError(
                f"Modality {name!r}: cells mix types; row {index.tolist()[pos]!r} "
                f"holds {kind} where earlier rows hold {first}."
            )
    if first == "a string":
        return list(cells)
    if first == "a number":
        return np.asarray(cells, dtype=float).reshape(-1, 1)
    if first == "an array":
        arrays = [np.asarray(c) for c in cells]
        if all(a.ndim == 1 for a in arrays) and len({a.size for a in arrays}) == 1:
            try:
                return np.vstack(arrays).astype(float)
            except (TypeError, ValueError):
                return arrays
        return arrays
    return list(cells)


def _dense(Z, name):
    if sparse.issparse(Z):
        Z = Z.toarray()
    Z = np.asarray(Z, dtype=float)
    if Z.ndim == 1:
        Z = Z.reshape(-1, 1)
    if Z.ndim != 2:
        raise ValueError(
            f"The encoder of modality {name!r} returned an array with {Z.ndim} "
            "dimensions; an encoder must return a 2-D feature block."
        )
    return Z


def _encoder_call(name, method, encoder, items, rows, y=None):
    try:
        if method == "fit_transform":
            return encoder, encoder.fit_transform(items, y)
        return encoder, getattr(encoder, method)(items)
    except (ValueError, TypeError) as exc:
        # skmer's encoders number items by position in what they were given,
        # which here are the present cells only: name the DataFrame row too.
        where = ""
        match = re.search(r"\b[Ii]tem (\d+)\b", str(exc))
        if match and int(match.group(1)) < len(rows):
            row = rows[int(match.group(1)):][:1].tolist()[0]
            where = f" (item {match.group(1)} is row {row!r} of X)"
        message = f"Modality {name!r}: {exc}{where}"
        try:
            error = type(exc)(message)
        except Exception:  # an error class whose constructor needs more arguments
            error = (ValueError if isinstance(exc, ValueError) else TypeError)(message)
        raise error from exc


class ModalityEncoder(TransformerMixin, _BaseComposition):
    """Encode each modality column of a raw multimodal DataFrame.

    The raw DataFrame holds one column per modality and one row per sample; a
    cell is that sample's raw item (text, a waveform, a ``(T, d)`` sequence, an
    image, ...), ``None`` or NaN where the modality is missing. Each encoder is
    fitted on the present cells of its column only, and its output rows for
    missing cells are NaN. Since the masking happens here, any scikit-learn
    transformer is a valid encoder. The output is one DataFrame whose columns
    are named ``"<modality>__<feature>"``, the layout every fusion estimator reads.

    Present cells are handed to an encoder as a list of strings, a one-column
    array of numbers, a 2-D array when they are 1-D arrays of one length, and
    otherwise a list of arrays.

    Read more in the :ref:`User Guide <compose>`.

    Parameters
    ----------
    encoders : list of tuples or dict
        ``(name, encoder)`` or ``(name, encoder, column)`` tuples, or a dict
        ``{name: encoder}``. ``column`` defaults to ``name``. An encoder may be
        ``"drop"`` (the modality is left out) or ``"passthrough"`` (finite
        numbers or 1-D vectors of one length used as they are). Names must be
        strings.
    n_jobs : int, default=None
        Number of modalities encoded in parallel (joblib).

    Attributes
    ----------
    encoders_ : list of tuples
        ``(name, fitted encoder, column)`` for each kept modality.
    named_encoders_ : Bunch
        The fitted encoders by modality name.
    modalities_ : dict of str to slice
        Output columns of each modality (the fusion layout).
    feature_names_in_ : ndarray of str
        Columns of the raw DataFrame seen in fit.
    n_features_in_ : int
        Number of raw columns.

    See Also
    --------
    sklearn.compose.ColumnTransformer : the single-modality analogue.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from skmer.compose import ModalityEncoder
    >>> from skmer.encoders import VectorEncoder
    >>> X = pd.DataFrame({
    ...     "text": ["so happy", None, "so sad", "happy happy"],
    ...     "audio": [np.ones(3), np.zeros(3), None, np.ones(3)],
    ... })
    >>> enc = ModalityEncoder({"text": TfidfVectorizer(), "audio": VectorEncoder()})
    >>> Z = enc.fit_transform(X)
    >>> list(Z.columns)
    ['text__happy', 'text__sad', 'text__so', 'audio__0', 'audio__1', 'audio__2']
    >>> print(Z.loc[1, "text__happy"], Z.loc[2, "audio__0"])
    nan nan
    """

    _parameter_constraints: dict = {
        "encoders": [list, dict],
        "n_jobs": [Integral, None],
    }

    def __init__(self, encoders, *, n_jobs=None):
        self.encoders = encoders
        self.n_jobs = n_jobs

    # _BaseComposition gets/sets nested params through a list of (name, est)
    @property
    def _encoders(self):
        return [(name, enc) for name, enc, _ in self._entries()]

    @_encoders.setter
    def _encoders(self, value):
        new = dict(value)
        if isinstance(self.encoders, dict):
            self.encoders = {name: new[name] for name in self.encoders}
        else:
            self.encoders = [
                (entry[0], new[entry[0]], *entry[2:]) for entry in self.encoders
            ]

    def get_params(self, deep=True):
        """Parameters of this encoder, with each modality encoder's when deep.

        Parameters
        ----------
        deep : bool, default=True
            Include the modality encoders and their parameters
            (``"<modality>__<param>"``).

        Returns
        -------
        params : dict
        """
        return self._get_params("_encoders", deep=deep)

    def set_params(self, **params):
        """Set parameters, including ``"<modality>"`` and ``"<modality>__<param>"``.

        Parameters
        ----------
        **params : dict
            Parameters to set.

        Returns
        -------
        self : ModalityEncoder
        """
        self._set_params("_encoders", **params)
        return self

    def _entries(self):
        """Normalised ``(name, encoder, column)`` entries."""
        if isinstance(self.encoders, dict):
            return [(name, enc, name) for name, enc in self.encoders.items()]
        entries = []
        for entry in self.encoders:
            if not isinstance(entry, tuple | list) or len(entry) not in (2, 3):
                raise ValueError(
                    "encoders entries must be (name, encoder) or (name, encoder, "
                    f"column) tuples; got {entry!r}."
                )
            name, enc = entry[0], entry[1]
            entries.append((name, enc, entry[2] if len(entry) == 3 else name))
        return entries

    def _validate_entries(self, X):
        entries = self._entries()
        if not entries:
            raise ValueError("encoders is empty: give at least one modality encoder.")
        names = [e[0] for e in entries]
        bad = [n for n in names if not isinstance(n, str)]
        if bad:
            raise TypeError(
                f"Modality names must be strings; got {bad[0]!r} "
                f"({type(bad[0]).__name__}). Name the modality and give its column: "
                f"('name', encoder, {bad[0]!r})."
            )
        self._validate_names(names)
        for name, enc, column in entries:
            if column not in X.columns:
                raise ValueError(
                    f"Column {column!r} of modality {name!r} is not in X; X has "
                    f"columns {list(X.columns)}."
                )
            if not (
                enc in ("drop", "passthrough")
                or (hasattr(enc, "fit") and hasattr(enc, "transform"))
            ):
                raise TypeError(
                    f"The encoder of modality {name!r} must be a transformer (with "
                    f"fit and transform), 'drop' or 'passthrough'; got {enc!r}."
                )
        return [e for e in entries if not (isinstance(e[1], str) and e[1] == "drop")]

    def _check_X(self, X, reset):
        if isinstance(X, dict):
            X = pd.DataFrame(X)
        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                "ModalityEncoder takes the raw multimodal DataFrame (one column per "
                f"modality); got {type(X).__name__}."
            )
        if reset:
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
            self.n_features_in_ = X.shape[1]
        return X

    @staticmethod
    def _split(X, column):
        cells = X[column]
        if isinstance(cells, pd.DataFrame):
            raise ValueError(
                f"Column {column!r} appears {cells.shape[1]} times in X; the columns "
                "of the raw DataFrame must have unique names."
            )
        cells = cells.tolist()
        present = ~missing_mask(cells)
        kept = [c for c, p in zip(cells, present) if p]
        return present, kept

    def fit(self, X, y=None):
        """Fit every modality encoder on the present cells of its column.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Raw multimodal data; ``None`` or NaN marks a missing modality.
        y : array-like of shape (n_samples,), default=None
            Targets, passed (restricted to the present rows) to supervised
            encoders.

        Returns
        -------
        self : ModalityEncoder
        """
        self.fit_transform(X, y)
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit_transform(self, X, y=None):
        """Fit the encoders and return the encoded DataFrame.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Raw multimodal data; ``None`` or NaN marks a missing modality.
        y : array-like of shape (n_samples,), default=None
            Targets for supervised encoders.

        Returns
        -------
        Z : DataFrame of shape (n_samples, n_features_out)
            Encoded features, ``"<modality>__<feature>"`` columns, NaN blocks
            where a modality is missing.
        """
        X = self._check_X(X, reset=True)
        entries = self._validate_entries(X)
        yv = None if y is None else np.asarray(y)
        if yv is not None and (yv.ndim == 0 or yv.shape[0] != X.shape[0]):
            raise ValueError(
                f"y has {yv.shape[0] if yv.ndim else 0} entries for {X.shape[0]} "
                "rows of X; give one target per row."
            )
        jobs = []
        for name, enc, column in entries:
            present, kept = self._split(X, column)
            if not kept:
                raise ValueError(
                    f"Modality {name!r} (column {column!r}) is missing in every "
                    "training row; there is nothing to fit its encoder on."
                )
            items = present_items(name, kept, X.index[present])
            if isinstance(enc, str):  # passthrough
                self._check_passthrough(name, items, X.index[present])
                jobs.append((name, enc, column, present, items, None))
            else:
                jobs.append((name, clone(enc), column, present, items,
                             None if yv is None else yv[present]))
        fitted = iter(
            Parallel(n_jobs=self.n_jobs)(
                delayed(_encoder_call)(
                    name, "fit_transform", enc, items, X.index[present], yp
                )
                for name, enc, _, present, items, yp in jobs
                if not isinstance(enc, str)
            )
        )
        results = [
            (enc, items) if isinstance(enc, str) else next(fitted)
            for _, enc, _, _, items, _ in jobs
        ]
        self.encoders_ = [
            (name, fitted, column)
            for (name, _, column, _, _, _), (fitted, _) in zip(jobs, results)
        ]
        self.named_encoders_ = Bunch(**{n: e for n, e, _ in self.encoders_})
        blocks = [
            (name, present, _dense(Z, name))
            for (name, _, _, present, _, _), (_, Z) in zip(jobs, results)
        ]
        self._feature_names = {
            name: self._block_names(name, enc, Z.shape[1])
            for (name, enc, _), (_, _, Z) in zip(self.encoders_, blocks)
        }
        self.modalities_ = {}
        start = 0
        for name, _, Z in blocks:
            self.modalities_[name] = slice(start, start + Z.shape[1])
            start += Z.shape[1]
        return self._assemble(X.index, blocks)

    def transform(self, X):
        """Encode a raw multimodal DataFrame with the fitted encoders.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Raw multimodal data with the modality columns seen in fit.

        Returns
        -------
        Z : DataFrame of shape (n_samples, n_features_out)
            Encoded features with NaN blocks for missing modalities.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        for name, _, column in self.encoders_:
            if column not in X.columns:
                raise ValueError(
                    f"Column {column!r} of modality {name!r} is not in X; X has "
                    f"columns {list(X.columns)}."
                )
        jobs = []
        for name, enc, column in self.encoders_:
            present, kept = self._split(X, column)
            items = present_items(name, kept, X.index[present]) if kept else None
            jobs.append((name, enc, present, items))
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_encoder_call)(name, "transform", enc, items, X.index[present])
            for name, enc, present, items in jobs
            if items is not None and not isinstance(enc, str)
        )
        results = iter(results)
        blocks = []
        for name, enc, present, items in jobs:
            width = self.modalities_[name].stop - self.modalities_[name].start
            if items is None:
                Z = np.empty((0, width))
            elif isinstance(enc, str):
                self._check_passthrough(name, items, X.index[present])
                Z = items
            else:
                Z = next(results)[1]
            Z = _dense(Z, name)
            if Z.shape[1] != width:
                raise ValueError(
                    f"Modality {name!r}: the encoder returned {Z.shape[1]} features; "
                    f"it returned {width} in fit."
                )
            blocks.append((name, present, Z))
        return self._assemble(X.index, blocks)

    def _check_passthrough(self, name, items, rows):
        if not isinstance(items, np.ndarray) or items.ndim != 2:
            raise TypeError(
                f"Modality {name!r} is 'passthrough', which needs numbers or 1-D "
                "vectors of one length in its cells; use an encoder for other cells."
            )
        bad = ~np.isfinite(items).all(axis=1)
        if bad.any():
            raise ValueError(
                f"Modality {name!r} is 'passthrough' and holds NaN or infinity in "
                f"present rows {rows[bad][:10].tolist()}; mark a missing cell with "
                "None, or use an encoder with an imputer."
            )

    def _assemble(self, index, blocks):
        parts = []
        for name, present, Z in blocks:
            nan = np.isnan(Z)
            partial = nan.any(axis=1) & ~nan.all(axis=1)
            if partial.any():
                rows = index[present][partial]
                raise ValueError(
                    f"The encoder of modality {name!r} produced NaN in some features "
                    f"of present rows {rows[:10].tolist()}; add a SimpleImputer to that "
                    "modality's encoder, or mark those cells missing (None). (An "
                    "all-NaN row is read as a missing modality.)"
                )
            inf = np.isinf(Z).any(axis=1)
            if inf.any():
                rows = index[present][inf]
                raise ValueError(
                    f"The encoder of modality {name!r} produced infinite values for "
                    f"present rows {rows[:10].tolist()}; check those cells' values."
                )
            full = np.full((present.size, Z.shape[1]), np.nan)
            full[present] = Z
            parts.append(full)
        out = np.hstack(parts) if parts else np.empty((len(index), 0))
        return pd.DataFrame(out, index=index, columns=self.get_feature_names_out())

    @staticmethod
    def _block_names(name, enc, width):
        names = None
        if not isinstance(enc, str) and hasattr(enc, "get_feature_names_out"):
            try:
                names = [str(f) for f in enc.get_feature_names_out()]
            except (AttributeError, ValueError, TypeError):
                names = None
        if names is None or len(names) != width:
            names = [str(i) for i in range(width)]
        return [f"{name}{SEP}{f}" for f in names]

    def get_feature_names_out(self, input_features=None):
        """Output feature names ``"<modality>__<feature>"``.

        Parameters
        ----------
        input_features : None
            Ignored; present for API consistency.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return np.asarray(
            [f for name in self.modalities_ for f in self._feature_names[name]],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags
