"""MMSA's processed pickles of CMU-MOSI, CMU-MOSEI and CH-SIMS."""

import numpy as np
import pandas as pd

from skmer.datasets._base import (
    _SPLIT_DOC,
    SPLIT_CODES,
    _checksum_for,
    _find_file,
    _load_pickle,
    _make_bunch,
    _resolve_path,
    _subset_list,
    _text,
    sentiment_tasks,
    verify_checksum,
)
from skmer.utils._docstring import fill_doc
from skmer.utils._missing import raw_frame

# Column of the frame <- key of the MMSA pickle.
_MODALITY_KEYS = {"text": "text", "audio": "audio", "video": "vision"}
_LENGTH_KEYS = {"audio": "audio_lengths", "video": "vision_lengths"}

_FILES = {
    "mosi": ("MOSI", {True: "aligned_50.pkl", False: "unaligned_50.pkl"}),
    "mosei": ("MOSEI", {True: "aligned_50.pkl", False: "unaligned_50.pkl"}),
    "sims": ("SIMS", {False: "unaligned_39.pkl"}),
}

_DESCR = {
    "mosi": "CMU-MOSI (Zadeh et al., 2016): 2199 opinion segments of 93 YouTube "
    "videos, sentiment in [-3, 3].",
    "mosei": "CMU-MOSEI (Zadeh et al., ACL 2018): 23k opinion segments of 1000+ "
    "speakers, sentiment in [-3, 3].",
    "sims": "CH-SIMS (Yu et al., ACL 2020): 2281 Chinese segments of 60 videos, "
    "multimodal and unimodal (T, A, V) sentiment in [-1, 1].",
}


def _descr(corpus, scale):
    tasks = (
        "``binary`` (score >= 0), ``binary_nonzero``, ``class7``, ``class5``"
        if scale == "mosi"
        else "``binary`` (score > 0), ``class3``, ``class5`` (MMSA's cut points)"
    )
    return f"""\
{_DESCR.get(corpus, "MMSA processed features")}

MMSA processed pickle (Mao et al., 2022; https://github.com/thuiar/MMSA).
One row per segment; ``text``, ``audio`` and ``video`` cells are ``(T, d)``
sequences (BERT or GloVe token features, COVAREP/librosa frames, FACET/OpenFace
frames), cut to their true length where the file gives it (``audio_lengths``,
``vision_lengths``, the BERT attention mask; a length of 0 makes the cell
missing, ``None``); ``transcript`` holds the raw
text. ``-inf`` audio values are set to 0, as MMSA's own loader does.

Targets: ``score`` (native ``regression_labels``), the unimodal scores
``score_T``/``score_A``/``score_V`` where released (CH-SIMS), and the derived
{tasks}. Groups: the video id (the part of the segment id before ``$_$``).

{_SPLIT_DOC}
"""


def _text_lengths(part, n):
    bert = part.get("text_bert")
    if bert is None:
        return None
    bert = np.asarray(bert)
    if bert.ndim != 3 or bert.shape[0] != n or bert.shape[1] != 3:
        return None
    return bert[:, 1, :].sum(axis=1).astype(int)


def _cells(block, lengths, trim, zero_neginf):
    block = np.asarray(block, dtype=float)
    out = []
    for i, seq in enumerate(block):
        if trim and lengths is not None:
            seq = seq[: max(int(lengths[i]), 0)]
        if zero_neginf:  # MMSA's own loader does this for the audio only
            seq = np.where(np.isneginf(seq), 0.0, seq)
        out.append(seq if len(seq) else None)
    return out


def _read_part(part, split_name, trim, corpus, path):
    required = ["id", "text", "audio", "vision", "regression_labels"]
    missing = [k for k in required if k not in part]
    if missing:
        raise ValueError(
            f"{corpus}: the {split_name!r} part of {path} lacks the keys {missing}; "
            f"expected MMSA's keys {required} (plus raw_text, *_lengths, ...)."
        )
    ids = [_text(i) for i in part["id"]]
    n = len(ids)
    for key in ("text", "audio", "vision", "regression_labels"):
        if len(part[key]) != n:
            raise ValueError(
                f"{corpus}: {split_name}[{key!r}] of {path} has {len(part[key])} "
                f"rows; 'id' has {n}."
            )
    text_len = _text_lengths(part, n)
    data = {}
    if "raw_text" in part:
        data["transcript"] = [_text(t) for t in part["raw_text"]]
    n_steps = np.asarray(part["text"]).shape[1]
    for col, key in _MODALITY_KEYS.items():
        block = np.asarray(part[key])
        if block.ndim != 3:
            raise ValueError(
                f"{corpus}: {split_name}[{key!r}] of {path} has shape "
                f"{block.shape}; expected (n, T, d)."
            )
        if col == "text":
            lengths = text_len
        elif _LENGTH_KEYS[col] in part:
            lengths = np.asarray(part[_LENGTH_KEYS[col]])
        elif block.shape[1] == n_steps:
            lengths = text_len  # aligned files: modalities share the word steps
        else:
            lengths = None
        data[col] = _cells(block, lengths, trim, col == "audio")
    frame = raw_frame(data)
    targets = {"score": np.asarray(part["regression_labels"], dtype=float).ravel()}
    for m in "TAV":
        key = f"regression_labels_{m}"
        if key in part:
            targets[f"score_{m}"] = np.asarray(part[key], dtype=float).ravel()
    if "classification_labels" in part:
        targets["classification"] = np.asarray(part["classification_labels"]).ravel()
    if "annotations" in part:
        targets["annotation"] = [_text(a) for a in part["annotations"]]
    meta = pd.DataFrame(targets)
    meta["id"] = ids
    meta["split"] = SPLIT_CODES[split_name]
    return frame, meta


def load_mmsa(
    path,
    *,
    allow_pickle=False,
    scale="mosi",
    trim=True,
    subset=None,
    sha256=None,
    corpus=None,
):
    """Load an MMSA processed pickle (CMU-MOSI, CMU-MOSEI or CH-SIMS).

    The file is a pickled dict ``{"train": part, "valid": part, "test": part}``;
    each part is a dict with ``id`` (``"<video>$_$<clip>"``), ``raw_text``,
    ``text`` (n, T, d), ``audio`` (n, T_a, d_a), ``vision`` (n, T_v, d_v),
    ``regression_labels`` and, depending on the release, ``text_bert``,
    ``audio_lengths``, ``vision_lengths``, ``classification_labels``,
    ``annotations`` and CH-SIMS's ``regression_labels_T/A/V``.

    Read more in the :ref:`dataset card <mosi>`.

    Parameters
    ----------
    path : str or path-like
        The ``.pkl`` file.
    allow_pickle : bool, default=False
        Must be True: the file is a pickle, and unpickling can run code.
    scale : {"mosi", "sims"}, default="mosi"
        Score convention for the derived tasks (see :func:`sentiment_tasks`).
    trim : bool, default=True
        Cut each sequence to its true length where the file gives it; a
        sequence of length 0 becomes ``None`` (a missing modality).
    subset : {"train", "valid", "test"} or list of them, default=None
        Parts to load; None loads all three.
    sha256 : str, default=None
        Expected SHA-256 of the file.
    corpus : str, default=None
        Corpus name used in the description.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame with ``transcript`` (when released),
        ``text``, ``audio`` and ``video`` ``(T, d)`` cells; target : ndarray --
        the score; targets : DataFrame -- native labels and derived tasks;
        groups : video ids; ids : segment ids; split : ndarray of int (-1
        train, 0 valid, 1 test); feature_names; DESCR.

    See Also
    --------
    load_mosi_mmsa, load_mosei_mmsa, load_sims_mmsa : the same with the
        release's file names under ``data_home``.

    Examples
    --------
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_mmsa
    >>> part = {"id": ["v1$_$1", "v1$_$2"], "raw_text": ["good", "bad"],
    ...         "text": np.ones((2, 4, 8)), "audio": np.ones((2, 6, 5)),
    ...         "vision": np.ones((2, 5, 3)), "audio_lengths": [6, 2],
    ...         "vision_lengths": [5, 1], "regression_labels": [1.8, -0.6]}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "unaligned_50.pkl")
    ...     pickle.dump({"train": part, "valid": part, "test": part}, open(p, "wb"))
    ...     mosi = load_mmsa(p, allow_pickle=True, subset="train")
    >>> mosi.frame.loc[1, "audio"].shape, mosi.groups.tolist()
    ((2, 5), ['v1', 'v1'])
    """
    name = f"MMSA pickle ({corpus or 'unknown corpus'})"
    where = _resolve_path(path, None, "", "an MMSA processed .pkl file", name)
    verify_checksum(where, _checksum_for(sha256, where))
    if scale not in ("mosi", "sims"):
        raise ValueError(f"scale must be 'mosi' or 'sims'; got {scale!r}.")
    wanted = _subset_list(subset)
    obj = _load_pickle(where, allow_pickle=allow_pickle, corpus=name)
    if not isinstance(obj, dict) or not set(wanted) <= set(obj):
        found = sorted(obj) if isinstance(obj, dict) else type(obj).__name__
        raise ValueError(
            f"{name}: {where} should hold a dict with the parts {wanted}; found "
            f"{found}."
        )
    parts = [_read_part(obj[s], s, trim, name, where) for s in wanted]
    frame = pd.concat([f for f, _ in parts], ignore_index=True)
    meta = pd.concat([m for _, m in parts], ignore_index=True)
    ids = meta.pop("id").to_numpy(dtype=object)
    split = meta.pop("split").to_numpy(dtype=int)
    targets = pd.concat([meta, sentiment_tasks(meta["score"], scale=scale)], axis=1)
    return _make_bunch(
        frame,
        target=meta["score"].to_numpy(),
        targets=targets,
        groups=np.array([i.split("$_$")[0] for i in ids], dtype=object),
        split=split,
        descr=_descr(corpus, scale),
        ids=ids,
    )


def _load_release(corpus, path, data_home, aligned, **kwargs):
    folder, names = _FILES[corpus]
    if aligned not in names:
        raise ValueError(
            f"MMSA releases no {'aligned' if aligned else 'unaligned'} file for "
            f"{folder}; use aligned={not aligned}."
        )
    file_name = names[aligned]
    where = _resolve_path(
        path,
        data_home,
        f"{folder}/Processed",
        f"MMSA's {folder}/Processed/{file_name}",
        f"MMSA {folder}",
    )
    file = _find_file(
        where, [file_name], f"MMSA {folder}", f"MMSA's processed {file_name}"
    )
    scale = "sims" if corpus == "sims" else "mosi"
    return load_mmsa(file, scale=scale, corpus=corpus, **kwargs)


_RELEASE_PARAMS = """\
data_home : str or path-like, default=None
    See :func:`get_data_home`.
aligned : bool, default=False
    Which release to read.
allow_pickle : bool, default=False
    Must be True: the file is a pickle, and unpickling can run code.
trim : bool, default=True
    Cut each sequence to its true length where the file gives it.
subset : {"train", "valid", "test"} or list of them, default=None
    Parts to load.
sha256 : str, default=None
    Expected SHA-256 of the file.

Returns
-------
data : Bunch
    See :func:`load_mmsa`."""


@fill_doc(release_params=_RELEASE_PARAMS)
def load_mosi_mmsa(
    path=None,
    *,
    data_home=None,
    aligned=False,
    allow_pickle=False,
    trim=True,
    subset=None,
    sha256=None,
):
    """Load MMSA's processed CMU-MOSI pickle from its release layout.

    Looks for ``MOSI/Processed/<file>`` under ``data_home`` (or in the
    folder ``path``), with ``<file>`` ``aligned_50.pkl`` or ``unaligned_50.pkl``. See :func:`load_mmsa` for the
    format and the returned Bunch.

    Read more in the :ref:`dataset card <mosi>`.

    Parameters
    ----------
    path : str or path-like, default=None
        The pickle or the folder holding it; None uses
        ``<data_home>/MOSI/Processed``.
    %(release_params)s

    Examples
    --------
    >>> from skmer.datasets import load_mosi_mmsa
    >>> load_mosi_mmsa(data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    FileNotFoundError: MMSA MOSI: ... does not exist ...
    """
    return _load_release(
        "mosi",
        path,
        data_home,
        aligned,
        allow_pickle=allow_pickle,
        trim=trim,
        subset=subset,
        sha256=sha256,
    )


@fill_doc(release_params=_RELEASE_PARAMS)
def load_mosei_mmsa(
    path=None,
    *,
    data_home=None,
    aligned=False,
    allow_pickle=False,
    trim=True,
    subset=None,
    sha256=None,
):
    """Load MMSA's processed CMU-MOSEI pickle from its release layout.

    Looks for ``MOSEI/Processed/<file>`` under ``data_home`` (or in the
    folder ``path``), with ``<file>`` ``aligned_50.pkl`` or ``unaligned_50.pkl``. See :func:`load_mmsa` for the
    format and the returned Bunch.

    Read more in the :ref:`dataset card <mosei>`.

    Parameters
    ----------
    path : str or path-like, default=None
        The pickle or the folder holding it; None uses
        ``<data_home>/MOSEI/Processed``.
    %(release_params)s

    Examples
    --------
    >>> from skmer.datasets import load_mosei_mmsa
    >>> load_mosei_mmsa(data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    FileNotFoundError: MMSA MOSEI: ... does not exist ...
    """
    return _load_release(
        "mosei",
        path,
        data_home,
        aligned,
        allow_pickle=allow_pickle,
        trim=trim,
        subset=subset,
        sha256=sha256,
    )


@fill_doc(release_params=_RELEASE_PARAMS)
def load_sims_mmsa(
    path=None,
    *,
    data_home=None,
    aligned=False,
    allow_pickle=False,
    trim=True,
    subset=None,
    sha256=None,
):
    """Load MMSA's processed CH-SIMS pickle from its release layout.

    Looks for ``SIMS/Processed/<file>`` under ``data_home`` (or in the
    folder ``path``), with ``<file>`` ``unaligned_39.pkl`` (the only release). See :func:`load_mmsa` for the
    format and the returned Bunch.

    Read more in the :ref:`dataset card <sims>`.

    Parameters
    ----------
    path : str or path-like, default=None
        The pickle or the folder holding it; None uses
        ``<data_home>/SIMS/Processed``.
    %(release_params)s

    Examples
    --------
    >>> from skmer.datasets import load_sims_mmsa
    >>> load_sims_mmsa(data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    FileNotFoundError: MMSA SIMS: ... does not exist ...
    """
    return _load_release(
        "sims",
        path,
        data_home,
        aligned,
        allow_pickle=allow_pickle,
        trim=trim,
        subset=subset,
        sha256=sha256,
    )
