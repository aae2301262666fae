"""CMU-MultimodalSDK computational sequences (``.csd``, HDF5) and their alignment.

A computational sequence is an HDF5 file with one root group (its name) holding
``data/<entry>/features`` (T, d) and ``data/<entry>/intervals`` (T, 2) (start
and end times in seconds) for every video ``<entry>``, and
``metadata/<key>`` datasets of one JSON-encoded string each. Aligning
sequences to a reference sequence (the label segments, or words) follows the
SDK's ``mmdataset.align``: for each reference interval, every other sequence
contributes the steps whose interval overlaps it (by more than ``epsilon``),
optionally collapsed to one vector by collapse functions.
"""

import functools
import json
import numbers
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from skmer.datasets._base import (
    _SPLIT_DOC,
    _checksum_for,
    _folds_to_split,
    _make_bunch,
    _resolve_path,
    sentiment_tasks,
    verify_checksum,
)
from skmer.utils._missing import raw_frame
from skmer.utils._optional import import_optional

_FOLDS_FILE = "cmu_sdk_standard_folds.json"
_FOLD_CORPORA = {
    "cmu-mosi": "CMU-MOSI",
    "mosi": "CMU-MOSI",
    "cmu-mosei": "CMU-MOSEI",
    "mosei": "CMU-MOSEI",
    "pom": "POM",
}


@functools.lru_cache(maxsize=1)
def _standard_fold_table():
    text = (
        resources.files("skmer.datasets")
        .joinpath("data", _FOLDS_FILE)
        .read_text(encoding="utf-8")
    )
    return json.loads(text)["folds"]


def standard_folds(corpus):
    """The CMU-MultimodalSDK's standard train/valid/test folds of a corpus.

    The video ids of the SDK's ``standard_folds`` for CMU-MOSI (52 / 10 / 31
    videos), CMU-MOSEI (2249 / 300 / 678) and POM (600 / 100 / 203), shipped
    with skmer as package data
    (``skmer/datasets/data/cmu_sdk_standard_folds.json``, transcribed from the
    MIT-licensed SDK's ``*_std_folds.py``; its ``source`` entry names the
    version). The loaders use them by default (``folds="standard"``);
    pass the result, edited, as ``folds=`` for a variant.

    Parameters
    ----------
    corpus : {"CMU-MOSI", "CMU-MOSEI", "POM"}
        The corpus; ``"mosi"`` and ``"mosei"`` (any case) also work.

    Returns
    -------
    folds : dict of str to list of str
        ``{"train": ids, "valid": ids, "test": ids}``, a fresh copy.

    See Also
    --------
    load_cmu_mosi_csd, load_cmu_mosei_csd, load_pom_csd : loaders that use them.

    Examples
    --------
    >>> from skmer.datasets import standard_folds
    >>> folds = standard_folds("CMU-MOSEI")
    >>> {name: len(ids) for name, ids in folds.items()}
    {'train': 2249, 'valid': 300, 'test': 678}
    >>> standard_folds("mosi")["valid"][:2]
    ['WKA5OygbEKI', 'c5xsKMxpXnc']
    """
    key = _FOLD_CORPORA.get(str(corpus).lower()) if isinstance(corpus, str) else None
    if key is None:
        raise ValueError(
            f"corpus must be one of {sorted(set(_FOLD_CORPORA.values()))}; got "
            f"{corpus!r}."
        )
    return {name: list(ids) for name, ids in _standard_fold_table()[key].items()}


def _resolve_folds(folds, corpus):
    """``"standard"`` -> the shipped folds; a dict or None passes through."""
    if isinstance(folds, str):
        if folds != "standard":
            raise ValueError(
                f"folds must be 'standard', a dict or None; got {folds!r}."
            )
        return standard_folds(corpus)
    return folds


#: The CMU-MultimodalSDK standard folds of CMU-MOSI (video ids): 52 train, 10
#: valid, 31 test videos; the same as ``standard_folds("CMU-MOSI")``.
CMU_MOSI_STANDARD_FOLDS = standard_folds("CMU-MOSI")

_EPSILON = 1e-5
_SILENCE = {"sp", "sil", ""}


def _last(intervals, features):
    return features[-1]


_COLLAPSE = {
    "mean": lambda i, f: np.mean(f, axis=0),
    "std": lambda i, f: np.std(f, axis=0),
    "min": lambda i, f: np.min(f, axis=0),
    "max": lambda i, f: np.max(f, axis=0),
    "median": lambda i, f: np.median(f, axis=0),
    "sum": lambda i, f: np.sum(f, axis=0),
    "first": lambda i, f: f[0],
    "last": _last,
}


def _decode(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _is_text(features):
    return np.asarray(features).dtype.kind in "SUO"


def _words(features):
    """The words of a string feature sequence, silence tokens left out."""
    words = [str(_decode(w)).strip() for w in np.asarray(features).ravel()]
    return [w for w in words if w.lower() not in _SILENCE]


def read_csd(path, *, sha256=None):
    """Read a CMU-MultimodalSDK computational sequence (``.csd``) file.

    Parameters
    ----------
    path : str or path-like
        The ``.csd`` (HDF5) file.
    sha256 : str, default=None
        Expected SHA-256 of the file.

    Returns
    -------
    csd : Bunch
        name : str -- the root group (the sequence's name).
        data : dict -- ``{entry: {"features": ndarray (T, d), "intervals":
        ndarray (T, 2)}}``; string features (words) stay byte/str arrays.
        metadata : dict -- the metadata, JSON-decoded where possible.

    Examples
    --------
    >>> import os, tempfile
    >>> import h5py, numpy as np
    >>> from skmer.datasets import read_csd
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "covarep.csd")
    ...     with h5py.File(p, "w") as f:
    ...         g = f.create_group("COVAREP/data/vid1")
    ...         g["features"] = np.ones((3, 2)); g["intervals"] = [[0, 1], [1, 2], [2, 3]]
    ...         m = f.create_dataset("COVAREP/metadata/root name", (1,),
    ...                              dtype=h5py.string_dtype())
    ...         m[0] = '"COVAREP"'
    ...     csd = read_csd(p)
    >>> csd.name, csd.data["vid1"]["features"].shape, csd.metadata["root name"]
    ('COVAREP', (3, 2), 'COVAREP')
    """
    h5py = import_optional("h5py", "io")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Computational sequence file {path} not found.")
    verify_checksum(path, sha256)
    try:
        handle = h5py.File(path, "r")
    except OSError as exc:
        raise ValueError(
            f"{path} is not an HDF5 computational sequence (.csd) file: {exc}"
        ) from exc
    with handle:
        roots = list(handle.keys())
        if len(roots) != 1 or "data" not in handle[roots[0]]:
            raise ValueError(
                f"{path} does not have the structure of a computational sequence: "
                f"expected one root group with 'data' (and 'metadata'); found the "
                f"groups {roots}."
            )
        root = handle[roots[0]]
        data = {}
        for entry, group in root["data"].items():
            if "features" not in group or "intervals" not in group:
                raise ValueError(
                    f"{path}: entry {entry!r} lacks 'features' or 'intervals'."
                )
            features = group["features"][()]
            intervals = np.asarray(group["intervals"][()], dtype=float)
            if features.ndim == 1:
                features = features[:, None]
            if (
                intervals.ndim != 2
                or intervals.shape[1] != 2
                or len(intervals) != len(features)
            ):
                raise ValueError(
                    f"{path}: entry {entry!r} has intervals of shape "
                    f"{intervals.shape} for {len(features)} feature steps; expected "
                    f"({len(features)}, 2)."
                )
            data[entry] = {"features": features, "intervals": intervals}
        metadata = {}
        for key, dset in root.get("metadata", {}).items():
            raw = _decode(dset[0] if dset.shape else dset[()])
            try:
                metadata[key] = json.loads(raw)
            except (TypeError, ValueError):
                metadata[key] = raw
    return Bunch(name=roots[0], data=data, metadata=metadata)


def _as_entries(seq, name):
    if isinstance(seq, Bunch) and "data" in seq:
        return seq.data
    if isinstance(seq, dict):
        return seq
    raise TypeError(
        f"Sequence {name!r} must be a computational sequence from read_csd or a "
        f"dict {{entry: {{'features', 'intervals'}}}}; got {type(seq).__name__}."
    )


def _steps(features, n_steps):
    """Features as ``(n_steps, d)``; an entry with no steps keeps its width."""
    features = np.asarray(features)
    if n_steps == 0:  # reshape(0, -1) is ambiguous: keep the feature width
        return features.reshape(0, int(np.prod(features.shape[1:])))
    return features.reshape(n_steps, -1)


def _merged(entries):
    """Entries keyed by video (``vid[k]`` pieces merged), sorted by start time."""
    pieces = {}
    for key, value in entries.items():
        pieces.setdefault(key.split("[")[0], []).append(value)
    out = {}
    for vid, parts in pieces.items():
        ints = [np.asarray(p["intervals"], dtype=float).reshape(-1, 2) for p in parts]
        feats = [np.asarray(p["features"]) for p in parts]
        feats = [_steps(f, len(i)) for f, i in zip(feats, ints)]
        if len(parts) == 1:  # the usual case: no copy of the feature block
            intervals, features = ints[0], feats[0]
        else:
            intervals, features = np.concatenate(ints), np.concatenate(feats)
        if np.any(np.diff(intervals[:, 0]) < 0):
            order = np.argsort(intervals[:, 0], kind="stable")
            intervals, features = intervals[order], features[order]
        # running maximum of the end times: a monotone bound for the search
        out[vid] = (intervals, features, np.maximum.accumulate(intervals[:, 1]))
    return out


def _resolve_collapse(collapse):
    if collapse is None:
        return None
    items = (
        [collapse]
        if isinstance(collapse, str) or callable(collapse)
        else list(collapse)
    )
    functions = []
    for item in items:
        if callable(item):
            functions.append(item)
        elif item in _COLLAPSE:
            functions.append(_COLLAPSE[item])
        else:
            raise ValueError(
                f"collapse must be None, a name among {sorted(_COLLAPSE)}, a "
                f"callable f(intervals, features) or a list of them; got {item!r}."
            )
    if not functions:
        raise ValueError("collapse must not be an empty list.")
    return functions


def _collapse(intervals, features, functions):
    span = np.array([[intervals[:, 0].min(), intervals[:, 1].max()]])
    if _is_text(features):
        return span, np.array([[" ".join(_words(features))]], dtype=object)
    values = [
        np.atleast_1d(np.asarray(f(intervals, features), dtype=float)).ravel()
        for f in functions
    ]
    return span, np.concatenate(values)[None, :]


def align_csd(sequences, reference, *, collapse=None, epsilon=_EPSILON):
    """Align computational sequences to the intervals of a reference sequence.

    For each entry (video) of the reference and each of its intervals ``i``,
    every sequence gets an entry ``"<video>[i]"`` with the steps whose interval
    overlaps the reference interval by more than ``epsilon`` (intervals are
    clipped to it), as the CMU-MultimodalSDK's ``mmdataset.align`` does. With
    ``collapse``, those steps are reduced to one vector (functions' outputs
    concatenated). Unlike the SDK, a sequence with no step in an interval, or
    no entry for a video, is simply absent from that aligned entry (a missing
    modality) instead of removing the video from every sequence.

    Parameters
    ----------
    sequences : dict of str to Bunch or dict
        ``{name: csd}`` with csd from :func:`read_csd` or a dict ``{entry:
        {"features": (T, d), "intervals": (T, 2)}}``. Must include
        ``reference``.
    reference : str
        Name of the reference sequence (labels for segment level, words for
        word level).
    collapse : str, callable or list, default=None
        None keeps the overlapping steps; else names among ``"mean"``,
        ``"std"``, ``"min"``, ``"max"``, ``"median"``, ``"sum"``, ``"first"``,
        ``"last"`` or callables ``f(intervals, features) -> 1-D array`` (the
        SDK's signature). String features (words) are joined with spaces, the
        silence token ``"sp"`` left out.
    epsilon : float, default=1e-5
        Tolerance of interval comparisons; reference intervals shorter than it
        are skipped.

    Returns
    -------
    aligned : dict of str to dict
        ``{name: {"<video>[i]": {"features": ..., "intervals": ...}}}``; the
        reference's own entry is its ``i``-th step.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.datasets import align_csd
    >>> labels = {"v": {"features": np.array([[1.5], [-2.0]]),
    ...                 "intervals": np.array([[0.0, 2.0], [2.0, 4.0]])}}
    >>> audio = {"v": {"features": np.arange(4.0)[:, None],
    ...                "intervals": np.array([[0, 1], [1, 2], [2, 3], [3, 5.0]])}}
    >>> out = align_csd({"labels": labels, "audio": audio}, "labels", collapse="mean")
    >>> out["audio"]["v[0]"]["features"], out["audio"]["v[1]"]["features"]
    (array([[0.5]]), array([[2.5]]))
    """
    if reference not in sequences:
        raise ValueError(
            f"reference {reference!r} is not among the sequences {list(sequences)}."
        )
    if not (isinstance(epsilon, numbers.Real) and 0 <= epsilon < np.inf):
        raise ValueError(f"epsilon must be a finite number >= 0; got {epsilon!r}.")
    functions = _resolve_collapse(collapse)
    entries = {name: _as_entries(seq, name) for name, seq in sequences.items()}
    others = {name: _merged(e) for name, e in entries.items() if name != reference}
    aligned = {name: {} for name in sequences}
    for vid, ref_entry in entries[reference].items():
        ref_int = np.asarray(ref_entry["intervals"], dtype=float).reshape(-1, 2)
        ref_feat = _steps(ref_entry["features"], len(ref_int))
        for i, (start, end) in enumerate(ref_int):
            if abs(end - start) < epsilon:
                continue
            key = f"{vid}[{i}]"
            aligned[reference][key] = {
                "intervals": ref_int[i : i + 1],
                "features": ref_feat[i : i + 1],
            }
            for name, merged in others.items():
                if vid.split("[")[0] not in merged:
                    continue
                sub_int, sub_feat, end_max = merged[vid.split("[")[0]]
                # steps j overlap when start_j < end + eps and end_j > start - eps;
                # starts are sorted and end_max is monotone, so only a window of
                # steps can qualify (same result as the SDK's full scan)
                lo = np.searchsorted(end_max, start - epsilon, side="right")
                hi = np.searchsorted(sub_int[:, 0], end + epsilon, side="left")
                sub_int, sub_feat = sub_int[lo:hi], sub_feat[lo:hi]
                hit = (sub_int[:, 0] - end < epsilon) & (
                    sub_int[:, 1] - start > -epsilon
                )
                clipped = np.column_stack(
                    [
                        np.maximum(sub_int[hit, 0], start),
                        np.minimum(sub_int[hit, 1], end),
                    ]
                )
                keep = np.abs(clipped[:, 1] - clipped[:, 0]) > epsilon
                ints, feats = clipped[keep], sub_feat[hit][keep]
                if len(ints) == 0:
                    continue
                if functions is not None:
                    ints, feats = _collapse(ints, feats, functions)
                aligned[name][key] = {"intervals": ints, "features": feats}
    return aligned


def _cell(entry, collapsed):
    if entry is None:
        return None
    features = entry["features"]
    if _is_text(features):
        if collapsed:
            return str(features[0, 0]) or None
        words = _words(features)
        return " ".join(words) if words else None
    features = np.asarray(features, dtype=float)
    return features[0] if collapsed else features


_CSD_DESCR = """\
{corpus}, CMU-MultimodalSDK computational sequences
{underline}

One row per labelled segment (the intervals of the label sequence
``{labels}``): each modality cell holds the steps of its computational sequence
that overlap the segment (a ``(T, d)`` sequence, a collapsed vector with
``collapse=``, or the segment's words as one string for word sequences), and
None when that modality has no step in the segment. Sequences: {sequences}.

Targets: the label dimensions {label_names}{derived}. Groups: the video id;
``ids`` are the SDK's aligned keys ``<video>[<segment index>]`` and
``intervals`` the segments' start/end times in seconds.

{split_doc}
"""


def load_cmu_sdk(
    path=None,
    *,
    sequences,
    labels,
    data_home=None,
    subdir="cmu_sdk",
    collapse=None,
    folds=None,
    label_names=None,
    scale="mosi",
    epsilon=_EPSILON,
    sha256=None,
    corpus="CMU-MultimodalSDK",
):
    """Load computational sequences aligned to label segments as a raw frame.

    The generic loader behind :func:`load_cmu_mosi_csd`,
    :func:`load_cmu_mosei_csd` and :func:`load_pom_csd`; use it directly for
    any other corpus released as computational sequences.

    Read more in the :ref:`dataset card <mosi>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder holding the ``.csd`` files; None uses ``<data_home>/<subdir>``.
    sequences : dict of str to str
        ``{modality column: .csd file name}`` (relative to ``path`` or
        absolute).
    labels : str
        The label sequence's file; its intervals define the rows.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    subdir : str, default="cmu_sdk"
        Folder under ``data_home`` used when ``path`` is None.
    collapse : str, callable or list, default=None
        See :func:`align_csd`; None keeps ``(T, d)`` sequences.
    folds : dict, default=None
        ``{"train": video ids, "valid": ..., "test": ...}``; None gives
        ``split=None``. Rows of videos in no fold get -2 (with a warning).
    label_names : list of str, default=None
        Names of the label dimensions; None reads the metadata's
        ``"dimension names"`` or numbers them.
    scale : {"mosi", "sims"} or None, default="mosi"
        Derive :func:`sentiment_tasks` from the first label dimension; None
        derives nothing.
    epsilon : float, default=1e-5
        Interval tolerance (see :func:`align_csd`).
    sha256 : dict, default=None
        Expected SHA-256 digests ``{file name: digest}``.
    corpus : str, default="CMU-MultimodalSDK"
        Name used in messages and the description.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame, one column per entry of ``sequences``;
        target : ndarray -- the first label dimension (squeezed) or all of them;
        targets : DataFrame -- label dimensions and derived tasks; groups :
        video ids; ids : ``"<video>[i]"`` keys; intervals : ndarray (n, 2);
        split : ndarray of int or None; metadata : ``{modality: metadata}``;
        feature_names; DESCR.

    Examples
    --------
    >>> import os, tempfile
    >>> import h5py, numpy as np
    >>> from skmer.datasets import load_cmu_sdk
    >>> def write(p, root, entries):
    ...     with h5py.File(p, "w") as f:
    ...         for vid, (feat, ints) in entries.items():
    ...             f[f"{root}/data/{vid}/features"] = feat
    ...             f[f"{root}/data/{vid}/intervals"] = ints
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write(os.path.join(tmp, "labels.csd"), "Labels",
    ...           {"v1": (np.array([[2.0], [-1.0]]), np.array([[0, 2], [2, 4.0]]))})
    ...     write(os.path.join(tmp, "audio.csd"), "COVAREP",
    ...           {"v1": (np.ones((4, 3)), np.array([[0, 1], [1, 2], [2, 3], [3, 4.0]]))})
    ...     b = load_cmu_sdk(tmp, sequences={"audio": "audio.csd"}, labels="labels.csd",
    ...                      folds={"train": ["v1"]})
    >>> b.frame.loc[0, "audio"].shape, b.targets["binary"].tolist(), b.split.tolist()
    ((2, 3), [1, 0], [-1, -1])
    """
    if not isinstance(sequences, dict) or not sequences:
        raise ValueError(
            "sequences must be a non-empty dict {modality: .csd file name}; got "
            f"{sequences!r}."
        )
    if "__labels__" in sequences:
        raise ValueError("'__labels__' is reserved; rename that modality.")
    folder = _resolve_path(
        path,
        data_home,
        subdir,
        f"a folder with the computational sequences {[labels, *sequences.values()]}",
        corpus,
    )

    def _read(file_name):
        file = Path(file_name)
        file = file if file.is_absolute() else Path(folder) / file
        if not file.is_file():
            raise FileNotFoundError(
                f"{corpus}: computational sequence {file.name} not found in "
                f"{file.parent}. skmer never downloads corpora; see the dataset "
                "card for where the files come from."
            )
        return read_csd(file, sha256=_checksum_for(sha256 or {}, file))

    label_csd = _read(labels)
    csds = {m: _read(f) for m, f in sequences.items()}
    aligned = align_csd(
        {"__labels__": label_csd, **csds},
        "__labels__",
        collapse=collapse,
        epsilon=epsilon,
    )
    keys = list(aligned["__labels__"])
    if not keys:
        raise ValueError(f"{corpus}: the label sequence {labels} has no segments.")
    frame = raw_frame(
        {
            m: [_cell(aligned[m].get(k), collapse is not None) for k in keys]
            for m in sequences
        }
    )
    label_values = np.vstack(
        [
            np.asarray(aligned["__labels__"][k]["features"], dtype=float).reshape(1, -1)
            for k in keys
        ]
    )
    n_dims = label_values.shape[1]
    if label_names is None:
        meta_names = label_csd.metadata.get("dimension names")
        label_names = (
            [str(n) for n in meta_names]
            if isinstance(meta_names, list) and len(meta_names) == n_dims
            else (["score"] if n_dims == 1 else [f"label_{j}" for j in range(n_dims)])
        )
    if len(label_names) != n_dims:
        raise ValueError(
            f"label_names has {len(label_names)} names for {n_dims} label dimensions."
        )
    targets = pd.DataFrame(label_values, columns=list(label_names))
    if scale is not None and np.isnan(label_values[:, 0]).any():
        nan_keys = [k for k, v in zip(keys, label_values[:, 0]) if np.isnan(v)]
        raise ValueError(
            f"{corpus}: the label sequence {labels} has NaN in its first dimension "
            f"for the segments {nan_keys[:5]}; no task can be derived from it "
            "(load_cmu_sdk(..., scale=None) loads the labels as they are)."
        )
    if scale is not None:
        targets = pd.concat(
            [targets, sentiment_tasks(label_values[:, 0], scale=scale)], axis=1
        )
    videos = np.array([k.split("[")[0] for k in keys], dtype=object)
    split = None
    if folds is not None:
        split = _folds_to_split(videos, folds, corpus)
        unassigned = sorted(set(videos[split == -2]))
        if unassigned:
            warnings.warn(
                f"{corpus}: {len(unassigned)} videos are in no fold (split -2), "
                f"e.g. {unassigned[:3]}; leave them out before PredefinedSplit.",
                UserWarning,
                stacklevel=2,
            )
    descr = _CSD_DESCR.format(
        corpus=corpus,
        underline="=" * (len(corpus) + 39),
        labels=labels,
        sequences=", ".join(f"{m} <- {f}" for m, f in sequences.items()),
        label_names=list(label_names),
        derived=""
        if scale is None
        else " and the tasks derived from the first "
        "(``binary``, ``class7``, ... see sentiment_tasks)",
        split_doc=_SPLIT_DOC,
    )
    return _make_bunch(
        frame,
        target=label_values[:, 0] if n_dims == 1 else label_values,
        targets=targets,
        groups=videos,
        split=split,
        descr=descr,
        ids=np.array(keys, dtype=object),
        intervals=np.vstack([aligned["__labels__"][k]["intervals"] for k in keys]),
        metadata={m: c.metadata for m, c in csds.items()},
        label_names=list(label_names),
    )


_MOSI_SEQUENCES = {
    "text": "CMU_MOSI_TimestampedWords.csd",
    "audio": "CMU_MOSI_COVAREP.csd",
    "video": "CMU_MOSI_Visual_Facet_41.csd",
}
_MOSEI_SEQUENCES = {
    "text": "CMU_MOSEI_TimestampedWords.csd",
    "audio": "CMU_MOSEI_COVAREP.csd",
    "video": "CMU_MOSEI_VisualFacet42.csd",
}
_MOSEI_LABELS = ["sentiment", "happy", "sad", "anger", "surprise", "disgust", "fear"]


def load_cmu_mosi_csd(
    path=None,
    *,
    data_home=None,
    sequences=None,
    labels="CMU_MOSI_Opinion_Labels.csd",
    collapse=None,
    folds="standard",
    sha256=None,
):
    """Load CMU-MOSI from its computational sequences, with the standard folds.

    Rows are the opinion segments of ``CMU_MOSI_Opinion_Labels.csd``
    (sentiment in [-3, 3]); by default ``text`` holds the segment's words
    (``CMU_MOSI_TimestampedWords.csd``, one string), ``audio`` the COVAREP
    frames and ``video`` the FACET 4.1 frames overlapping the segment.

    Read more in the :ref:`dataset card <mosi>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder with the ``.csd`` files; None uses ``<data_home>/cmu_mosi``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    sequences : dict, default=None
        ``{modality: file}``; None uses the three files above. Any other MOSI
        sequence (``CMU_MOSI_TimestampedWordVectors.csd``,
        ``CMU_MOSI_Visual_OpenFace_2.csd``, ...) can be named.
    labels : str, default="CMU_MOSI_Opinion_Labels.csd"
        The label sequence.
    collapse : str, callable or list, default=None
        See :func:`align_csd`.
    folds : "standard", dict or None, default="standard"
        ``"standard"`` uses the SDK's standard folds (52 / 10 / 31 videos,
        :func:`standard_folds`); a dict gives other folds; None no split.
    sha256 : dict, default=None
        Expected SHA-256 digests ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        See :func:`load_cmu_sdk`; ``targets`` has ``score`` and the derived
        ``binary``, ``binary_nonzero``, ``class7``, ``class5``.

    Examples
    --------
    >>> from skmer.datasets import load_cmu_mosi_csd
    >>> load_cmu_mosi_csd(data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    FileNotFoundError: CMU-MOSI: /nonexistent/cmu_mosi does not exist ...
    """
    return load_cmu_sdk(
        path,
        sequences=sequences or dict(_MOSI_SEQUENCES),
        labels=labels,
        data_home=data_home,
        subdir="cmu_mosi",
        collapse=collapse,
        folds=_resolve_folds(folds, "CMU-MOSI"),
        label_names=["score"],
        scale="mosi",
        sha256=sha256,
        corpus="CMU-MOSI",
    )


def load_cmu_mosei_csd(
    path=None,
    *,
    data_home=None,
    sequences=None,
    labels="CMU_MOSEI_Labels.csd",
    collapse=None,
    folds="standard",
    sha256=None,
):
    """Load CMU-MOSEI from its computational sequences, with the standard folds.

    Rows are the segments of ``CMU_MOSEI_Labels.csd``, whose 7 dimensions are
    sentiment in [-3, 3] and the intensities (0-3) of happiness, sadness,
    anger, surprise, disgust and fear. By default ``text`` holds the words,
    ``audio`` COVAREP and ``video`` FACET 4.2 frames.

    Read more in the :ref:`dataset card <mosei>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder with the ``.csd`` files; None uses ``<data_home>/cmu_mosei``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    sequences : dict, default=None
        ``{modality: file}``; None uses the three files above.
    labels : str, default="CMU_MOSEI_Labels.csd"
        The label sequence.
    collapse : str, callable or list, default=None
        See :func:`align_csd`.
    folds : "standard", dict or None, default="standard"
        ``"standard"`` uses the SDK's standard folds (2249 / 300 / 678 videos,
        :func:`standard_folds`); a dict ``{"train": ids, "valid": ids,
        "test": ids}`` gives other folds; None no split.
    sha256 : dict, default=None
        Expected SHA-256 digests ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        See :func:`load_cmu_sdk`; ``targets`` has the 7 label dimensions and
        the tasks derived from ``sentiment``.

    Examples
    --------
    >>> from skmer.datasets import load_cmu_mosei_csd
    >>> load_cmu_mosei_csd(data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    FileNotFoundError: CMU-MOSEI: /nonexistent/cmu_mosei does not exist ...
    """
    return load_cmu_sdk(
        path,
        sequences=sequences or dict(_MOSEI_SEQUENCES),
        labels=labels,
        data_home=data_home,
        subdir="cmu_mosei",
        collapse=collapse,
        folds=_resolve_folds(folds, "CMU-MOSEI"),
        label_names=list(_MOSEI_LABELS),
        scale="mosi",
        sha256=sha256,
        corpus="CMU-MOSEI",
    )


_POM_SEQUENCES = {
    "text": "POM_TimestampedWords.csd",
    "audio": "POM_COVAREP.csd",
    "video": "POM_Facet_42.csd",
}


def load_pom_csd(
    path=None,
    *,
    data_home=None,
    sequences=None,
    labels="POM_Labels.csd",
    collapse=None,
    folds="standard",
    sha256=None,
):
    """Load POM from its computational sequences, with the standard folds.

    Persuasive Opinion Multimedia: movie-review videos rated for
    persuasiveness, speaker traits and sentiment. Rows are the labelled
    intervals of ``POM_Labels.csd`` (video level); by default ``text`` holds
    the words (``POM_TimestampedWords.csd``, one string), ``audio`` the
    COVAREP frames and ``video`` the FACET 4.2 frames of each interval.

    Read more in the :ref:`dataset card <pom>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder with the ``.csd`` files; None uses ``<data_home>/pom``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    sequences : dict, default=None
        ``{modality: file}``; None uses the three files above. Any other POM
        sequence (``POM_TimestampedWordVectors.csd``, ``POM_OpenFace2.csd``,
        ...) can be named.
    labels : str, default="POM_Labels.csd"
        The label sequence (older SDK releases split it into
        ``POM_Labels_Video_Level_{Persuasion,Personality_Traits,Sentiment}.csd``;
        name any of them).
    collapse : str, callable or list, default=None
        See :func:`align_csd`.
    folds : "standard", dict or None, default="standard"
        ``"standard"`` uses the SDK's standard folds (600 / 100 / 203 videos,
        :func:`standard_folds`); a dict gives other folds; None no split.
    sha256 : dict, default=None
        Expected SHA-256 digests ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        See :func:`load_cmu_sdk`; ``targets`` has the label dimensions, named
        from the label sequence's ``dimension names`` metadata when it has
        them (else ``label_0``, ...). No sentiment tasks are derived (POM's
        ratings are not on MOSI's [-3, 3] scale).

    Examples
    --------
    >>> from skmer.datasets import load_pom_csd
    >>> load_pom_csd(data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    FileNotFoundError: POM: /nonexistent/pom does not exist ...
    """
    return load_cmu_sdk(
        path,
        sequences=sequences or dict(_POM_SEQUENCES),
        labels=labels,
        data_home=data_home,
        subdir="pom",
        collapse=collapse,
        folds=_resolve_folds(folds, "POM"),
        scale=None,
        sha256=sha256,
        corpus="POM",
    )
