"""Generic loaders: per-modality files keyed by sample id (folder or table)."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from skmer.datasets._base import (
    _SPLIT_DOC,
    SPLIT_CODES,
    _load_pickle,
    _make_bunch,
)
from skmer.utils._missing import raw_frame

_SPLIT_ALIASES = {
    "train": "train",
    "training": "train",
    "valid": "valid",
    "val": "valid",
    "dev": "valid",
    "validation": "valid",
    "test": "test",
    "testing": "test",
}
_READABLE = (".npy", ".txt", ".csv", ".wav", ".pkl", ".pickle")


def read_item(path, *, allow_pickle=False):
    """Read one per-sample modality file into a raw cell.

    ``.npy`` -> the array (``allow_pickle`` passed on); ``.txt`` -> the text
    (str, stripped); ``.csv`` -> a float array, ``(T, d)`` for several columns;
    ``.wav`` -> the float waveform (``scipy.io.wavfile``; int PCM scaled to
    [-1, 1]); ``.pkl``/``.pickle`` -> the unpickled object, only with
    ``allow_pickle=True``.

    Parameters
    ----------
    path : str or path-like
        The file.
    allow_pickle : bool, default=False
        Allow pickles (``.pkl`` files and object ``.npy`` arrays); unpickling
        can run code.

    Returns
    -------
    item : str or ndarray or object

    Examples
    --------
    >>> import os, tempfile
    >>> from skmer.datasets import read_item
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "s1.csv")
    ...     _ = open(p, "w").write("1,2\\n3,4\\n")
    ...     read_item(p)
    array([[1., 2.],
           [3., 4.]])
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".npy":
        try:
            return np.load(path, allow_pickle=allow_pickle)
        except ValueError as exc:
            raise ValueError(
                f"{path} holds Python objects; unpickling can run code, so it is "
                "only read with allow_pickle=True."
            ) from exc
    if ext == ".txt":
        try:
            return path.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError as exc:
            raise ValueError(f"Cannot read {path}: not UTF-8 text ({exc}).") from exc
    if ext == ".csv":
        try:
            arr = np.loadtxt(path, delimiter=",", ndmin=2, dtype=float)
        except ValueError as exc:
            raise ValueError(
                f"Cannot read {path}: expected a numeric comma-separated table "
                f"with no header row ({exc})."
            ) from exc
        return arr[:, 0] if arr.shape[1] == 1 else arr
    if ext == ".wav":
        from scipy.io import wavfile

        _, wave = wavfile.read(path)
        if wave.dtype.kind == "u":  # 8-bit PCM is unsigned, centred on 128
            info = np.iinfo(wave.dtype)
            half = (int(info.max) + 1) / 2
            wave = (wave.astype(float) - half) / half
        elif wave.dtype.kind == "i":
            info = np.iinfo(wave.dtype)
            wave = wave.astype(float) / max(abs(info.min), info.max)
        return wave.astype(float)
    if ext in (".pkl", ".pickle"):
        return _load_pickle(path, allow_pickle=allow_pickle, corpus="read_item")
    raise ValueError(
        f"Cannot read {path}: unsupported extension {ext!r}; supported are "
        f"{list(_READABLE)}."
    )


def _split_from_column(values, column):
    codes = []
    for v in values:
        key = _SPLIT_ALIASES.get(str(v).strip().lower())
        if key is None:
            raise ValueError(
                f"Column {column!r} holds the split value {v!r}; expected one of "
                f"{sorted(_SPLIT_ALIASES)}."
            )
        codes.append(SPLIT_CODES[key])
    return np.array(codes, dtype=int)


def _read_labels(labels, id_column, text_columns=()):
    if isinstance(labels, pd.DataFrame):
        table = labels.copy()
    else:
        labels = Path(labels)
        if not labels.is_file():
            raise FileNotFoundError(f"Label table {labels} not found.")
        # ids (and groups) are read as text: "007" must stay "007", not 7
        columns = [c for c in (id_column, *text_columns) if c is not None]
        table = pd.read_csv(
            labels, sep=None, engine="python", dtype=dict.fromkeys(columns, str)
        )
    if id_column not in table.columns:
        raise ValueError(
            f"The label table has no id column {id_column!r}; its columns are "
            f"{list(table.columns)}."
        )
    table[id_column] = table[id_column].astype(str)
    dup = table[id_column][table[id_column].duplicated()].tolist()
    if dup:
        raise ValueError(f"The label table repeats the sample ids {dup[:5]}.")
    return table


def _assemble(ids, cells, table, id_column, target, group_column, split_column, descr):
    frame = raw_frame(cells)
    targets = target_values = groups = split = None
    if table is not None:
        table = table.set_index(id_column).loc[ids].reset_index()
        reserved = {id_column, group_column, split_column}
        for col in (group_column, split_column):
            if col is not None and col not in table.columns:
                raise ValueError(
                    f"The label table has no column {col!r}; its columns are "
                    f"{list(table.columns)}."
                )
        if target is None:
            target = [c for c in table.columns if c not in reserved]
        names = [target] if isinstance(target, str) else list(target)
        absent = [c for c in names if c not in table.columns]
        if absent:
            raise ValueError(
                f"target names the columns {absent}, which the label table lacks."
            )
        targets = table[names].reset_index(drop=True)
        target_values = (
            targets[names[0]].to_numpy() if len(names) == 1 else (targets.to_numpy())
        )
        if group_column is not None:
            groups = table[group_column].astype(str).to_numpy(dtype=object)
        if split_column is not None:
            split = _split_from_column(table[split_column], split_column)
    return _make_bunch(
        frame,
        target=target_values,
        targets=targets,
        groups=groups,
        split=split,
        descr=descr,
        ids=np.array(ids, dtype=object),
    )


_GENERIC_DESCR = f"""\
Generic multimodal corpus
=========================

One row per sample id; one column per modality, each cell read from that
sample's file (None where the file is absent). Targets, groups and split come
from the label table, when given.

{_SPLIT_DOC}
"""


def load_multimodal_folder(
    path,
    *,
    labels=None,
    id_column="id",
    target=None,
    group_column=None,
    split_column=None,
    modalities=None,
    allow_pickle=False,
):
    """Load a folder of per-modality files keyed by sample id.

    The layout is ``<path>/<modality>/<sample id>.<ext>``: one sub-folder per
    modality, one file per sample (see :func:`read_item` for the extensions).
    A sample without a file in a modality gets ``None`` there (a missing
    modality). An optional label table (CSV/TSV) gives targets, groups and the
    split.

    Read more in the :ref:`dataset card <generic>`.

    Parameters
    ----------
    path : str or path-like
        The corpus folder.
    labels : str, path-like or DataFrame, default=None
        Label table with an ``id_column``; when given, rows follow its order and
        files of ids it lacks are ignored with a warning. None: rows are the
        sorted ids found among the files, with no targets.
    id_column : str, default="id"
        Sample-id column of the label table.
    target : str or list of str, default=None
        Target column(s); None takes every column except the id, group and
        split columns.
    group_column, split_column : str, default=None
        Columns holding the group (speaker, subject, ...) and the split
        (``train``/``valid``/``dev``/``test``).
    modalities : list of str, default=None
        Sub-folders to read; None reads every sub-folder.
    allow_pickle : bool, default=False
        Allow pickled items (unpickling can run code).

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame, one column per modality; target, targets,
        groups, split (-1 train, 0 valid, 1 test) from the label table (None
        without one); ids : sample ids; feature_names; DESCR.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_multimodal_folder
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for m in ("text", "audio"):
    ...         os.mkdir(os.path.join(tmp, m))
    ...     _ = open(os.path.join(tmp, "text", "a.txt"), "w").write("so happy")
    ...     np.save(os.path.join(tmp, "audio", "a.npy"), np.ones((5, 2)))
    ...     np.save(os.path.join(tmp, "audio", "b.npy"), np.zeros((3, 2)))
    ...     b = load_multimodal_folder(tmp, modalities=["text", "audio"])
    >>> b.ids.tolist(), b.frame.loc[1, "text"], b.frame.loc[1, "audio"].shape
    (['a', 'b'], None, (3, 2))
    """
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"Corpus folder {root} not found.")
    if modalities is None:
        modalities = sorted(p.name for p in root.iterdir() if p.is_dir())
        if not modalities:
            raise ValueError(f"{root} has no modality sub-folders.")
    files = {}
    for m in modalities:
        folder = root / m
        if not folder.is_dir():
            raise FileNotFoundError(f"Modality folder {folder} not found.")
        found = {}
        for f in sorted(folder.iterdir()):
            if not f.is_file() or f.name.startswith("."):
                continue
            if f.suffix.lower() not in _READABLE:
                raise ValueError(
                    f"Modality {m!r}: cannot read {f.name} (supported: "
                    f"{list(_READABLE)})."
                )
            if f.stem in found:
                raise ValueError(
                    f"Modality {m!r}: sample {f.stem!r} has two files, "
                    f"{found[f.stem].name} and {f.name}."
                )
            found[f.stem] = f
        files[m] = found
    table = (
        None
        if labels is None
        else _read_labels(labels, id_column, (group_column, split_column))
    )
    all_ids = sorted(set().union(*[set(v) for v in files.values()]))
    if table is None:
        ids = all_ids
    else:
        ids = table[id_column].tolist()
        extra = sorted(set(all_ids) - set(ids))
        if extra:
            warnings.warn(
                f"{len(extra)} sample ids have files but no row in the label table "
                f"and are not loaded, e.g. {extra[:3]}.",
                UserWarning,
                stacklevel=2,
            )
    cells = {
        m: [
            read_item(files[m][i], allow_pickle=allow_pickle) if i in files[m] else None
            for i in ids
        ]
        for m in modalities
    }
    return _assemble(
        ids, cells, table, id_column, target, group_column, split_column, _GENERIC_DESCR
    )


def load_multimodal_table(
    table,
    modalities,
    *,
    root=None,
    id_column="id",
    target=None,
    group_column=None,
    split_column=None,
    allow_pickle=False,
):
    """Load a table whose modality columns hold per-sample file paths.

    Each row is a sample; each column of ``modalities`` holds the path of that
    sample's file for the modality (relative to ``root``), empty/NaN where the
    modality is missing. The other columns give targets, groups and split.

    Read more in the :ref:`dataset card <generic>`.

    Parameters
    ----------
    table : str, path-like or DataFrame
        The table (CSV/TSV file or DataFrame).
    modalities : list of str or dict
        Path columns; a dict ``{modality: column}`` renames them.
    root : str or path-like, default=None
        Folder relative paths are resolved against; None: the table file's
        folder (or the working directory for a DataFrame).
    id_column : str, default="id"
        Sample-id column.
    target, group_column, split_column : see :func:`load_multimodal_folder`.
    allow_pickle : bool, default=False
        Allow pickled items (unpickling can run code).

    Returns
    -------
    data : Bunch
        As :func:`load_multimodal_folder`.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np, pandas as pd
    >>> from skmer.datasets import load_multimodal_table
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     np.save(os.path.join(tmp, "a_eeg.npy"), np.ones((4, 128)))
    ...     t = pd.DataFrame({"id": ["a", "b"], "eeg": ["a_eeg.npy", None],
    ...                       "valence": [7.0, 2.5], "subject": ["s1", "s2"]})
    ...     b = load_multimodal_table(t, ["eeg"], root=tmp, group_column="subject")
    >>> b.frame.loc[0, "eeg"].shape, b.frame.loc[1, "eeg"], b.target.tolist()
    ((4, 128), None, [7.0, 2.5])
    """
    if root is None:
        root = Path(table).parent if not isinstance(table, pd.DataFrame) else Path()
    root = Path(root)
    mapping = (
        dict(modalities) if isinstance(modalities, dict) else {m: m for m in modalities}
    )
    frame = _read_labels(
        table, id_column, (group_column, split_column, *mapping.values())
    )
    absent = [c for c in mapping.values() if c not in frame.columns]
    if absent:
        raise ValueError(
            f"The table has no path columns {absent}; its columns are "
            f"{list(frame.columns)}."
        )
    cells = {}
    for m, col in mapping.items():
        out = []
        for sample, rel in zip(frame[id_column], frame[col]):
            if rel is None or pd.isna(rel) or rel == "":
                out.append(None)
                continue
            file = Path(rel) if Path(rel).is_absolute() else root / rel
            if not file.is_file():
                raise FileNotFoundError(
                    f"Modality {m!r} of sample {sample!r}: file {file} not found."
                )
            out.append(read_item(file, allow_pickle=allow_pickle))
        cells[m] = out
    labels = frame.drop(columns=list(mapping.values()))
    return _assemble(
        frame[id_column].tolist(),
        cells,
        labels,
        id_column,
        target,
        group_column,
        split_column,
        _GENERIC_DESCR,
    )
