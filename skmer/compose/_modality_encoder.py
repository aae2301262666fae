"""ModalityEncoder: one encoder per modality column of a raw multimodal DataFrame."""

from collections import namedtuple
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import TransformerMixin, clone
from sklearn.utils import Bunch

from skmer.base import SEP, item_rows
from skmer.compose._named import NamedCompositionMixin
from skmer.utils._missing import missing_mask
from skmer.utils._sklearn_compat import (
    _fit_context,
    _VisualBlock,
    check_is_fitted,
)

#: One modality of a ModalityEncoder: its name, encoder (or "drop" /
#: "passthrough") and column of the raw DataFrame.
Entry = namedtuple("Entry", ["name", "encoder", "column"])
#: One modality's work in fit/transform: the entry, the row mask of its present
#: cells, those cells (as encoders take them) and the targets of those rows.
_Job = namedtuple(
    "_Job", ["name", "encoder", "column", "present", "rows", "items", "y"]
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


def _is_string(value, *options):
    return isinstance(value, str) and value in options


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


def _encoder_call(job, method):
    """Run one encoder on its present cells; return ``(encoder, block)``.

    skmer's encoders name a faulty item by its row of X themselves
    (:func:`skmer.base.item_rows`); any encoder's error is raised again with the
    modality and column it belongs to.
    """
    try:
        with item_rows(job.rows):
            if method == "fit_transform":
                return job.encoder, job.encoder.fit_transform(job.items, job.y)
            return job.encoder, job.encoder.transform(job.items)
    except (ValueError, TypeError) as exc:
        kind = ValueError if isinstance(exc, ValueError) else TypeError
        raise kind(f"Modality {job.name!r}: {exc}") from exc


class ModalityEncoder(TransformerMixin, NamedCompositionMixin):
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

    # NamedCompositionMixin gets/sets nested params through (name, encoder) pairs
    @property
    def _named(self):
        return [(e.name, e.encoder) for e in self._entries()]

    @_named.setter
    def _named(self, value):
        new = dict(value)
        if isinstance(self.encoders, dict):
            self.encoders = {name: new[name] for name in self.encoders}
        else:
            self.encoders = [
                (entry[0], new[entry[0]], *entry[2:]) for entry in self.encoders
            ]

    def _entries(self):
        """The ``encoders`` parameter as :data:`Entry` tuples."""
        if isinstance(self.encoders, dict):
            return [Entry(name, enc, name) for name, enc in self.encoders.items()]
        entries = []
        for entry in self.encoders:
            if not isinstance(entry, tuple | list) or len(entry) not in (2, 3):
                raise ValueError(
                    "encoders entries must be (name, encoder) or (name, encoder, "
                    f"column) tuples; got {entry!r}."
                )
            entries.append(
                Entry(entry[0], entry[1], entry[2 if len(entry) == 3 else 0])
            )
        return entries

    def _iter(self, fitted):
        """The kept modalities as :data:`Entry` tuples: the fitted ones, or the
        ``encoders`` parameter's without the ``"drop"`` ones."""
        if fitted:
            return [Entry(*e) for e in self.encoders_]
        return [e for e in self._entries() if not _is_string(e.encoder, "drop")]

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
        for e in entries:
            self._check_column(X, e)
            if not (
                _is_string(e.encoder, "drop", "passthrough")
                or (hasattr(e.encoder, "fit") and hasattr(e.encoder, "transform"))
            ):
                raise TypeError(
                    f"The encoder of modality {e.name!r} must be a transformer (with "
                    f"fit and transform), 'drop' or 'passthrough'; got {e.encoder!r}."
                )
        return self._iter(fitted=False)

    @staticmethod
    def _check_column(X, entry):
        if entry.column not in X.columns:
            raise ValueError(
                f"Column {entry.column!r} of modality {entry.name!r} is not in X; X "
                f"has columns {list(X.columns)}."
            )

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
        jobs = [self._job(X, e, yv, fitting=True) for e in entries]
        blocks = self._run(jobs, "fit_transform")
        self.encoders_ = [
            (job.name, enc, job.column) for job, (enc, _) in zip(jobs, blocks)
        ]
        self.named_encoders_ = Bunch(**{e.name: e.encoder for e in self._iter(True)})
        self.modalities_ = {}
        start = 0
        for job, (_, Z) in zip(jobs, blocks):
            self.modalities_[job.name] = slice(start, start + Z.shape[1])
            start += Z.shape[1]
        return self._assemble(X.index, jobs, [Z for _, Z in blocks])

    def _job(self, X, entry, y, fitting):
        """One modality's :data:`_Job`: its present cells as encoders take them."""
        present, kept = self._split(X, entry.column)
        if fitting and not kept:
            raise ValueError(
                f"Modality {entry.name!r} (column {entry.column!r}) is missing in every "
                "training row; there is nothing to fit its encoder on."
            )
        rows = X.index[present]
        items = present_items(entry.name, kept, rows) if kept else None
        encoder = entry.encoder
        if _is_string(encoder, "passthrough"):
            if items is not None:
                self._check_passthrough(entry.name, items, rows)
        elif fitting:
            encoder = clone(encoder)
        return _Job(
            entry.name,
            encoder,
            entry.column,
            present,
            rows,
            items,
            None if y is None else y[present],
        )

    def _run(self, jobs, method):
        """``(encoder, dense block)`` per job; encoders run in parallel."""
        run = [
            j for j in jobs if j.items is not None and not isinstance(j.encoder, str)
        ]
        done = iter(
            Parallel(n_jobs=self.n_jobs)(delayed(_encoder_call)(j, method) for j in run)
        )
        blocks = []
        for job in jobs:
            if job.items is None:  # no present cell: an empty block
                enc, Z = job.encoder, np.empty((0, self._width(job.name)))
            elif isinstance(job.encoder, str):  # passthrough
                enc, Z = job.encoder, job.items
            else:
                enc, Z = next(done)
            blocks.append((enc, _dense(Z, job.name)))
        return blocks

    def _width(self, name):
        return self.modalities_[name].stop - self.modalities_[name].start

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
        entries = self._iter(fitted=True)
        for e in entries:
            self._check_column(X, e)
        jobs = [self._job(X, e, None, fitting=False) for e in entries]
        blocks = [Z for _, Z in self._run(jobs, "transform")]
        for job, Z in zip(jobs, blocks):
            if Z.shape[1] != self._width(job.name):
                raise ValueError(
                    f"Modality {job.name!r}: the encoder returned {Z.shape[1]} "
                    f"features; it returned {self._width(job.name)} in fit."
                )
        return self._assemble(X.index, jobs, blocks)

    def _sk_visual_block_(self):
        entries = self._iter(fitted=hasattr(self, "encoders_"))
        return _VisualBlock(
            "parallel",
            [e.encoder for e in entries],
            names=[e.name for e in entries],
            name_details=[str(e.column) for e in entries],
        )

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

    def _assemble(self, index, jobs, blocks):
        parts = []
        for job, Z in zip(jobs, blocks):
            name, present = job.name, job.present
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
        names = [
            self._block_names(e.name, e.encoder, self._width(e.name))
            for e in self._iter(fitted=True)
        ]
        return np.asarray([f for block in names for f in block], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags
