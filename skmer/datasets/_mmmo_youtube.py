"""ICT-MMMO and YouTube opinion segments: word-aligned COVAREP and FACET steps."""

import numpy as np
import pandas as pd

from skmer.datasets._base import (
    _SPLIT_DOC,
    SPLIT_CODES,
    _checksum_for,
    _make_bunch,
    _resolve_path,
    _split_files,
    _subset_list,
    verify_checksum,
)
from skmer.utils._missing import raw_frame

_MODALITIES = ("audio", "video")

_COMMON = """\
Per segment, 20 word-aligned steps of COVAREP acoustic features (74-d,
``audio``) and FACET facial features (36-d, ``video``), each cell a ``(T, d)``
sequence. Many steps are all-zero padding: with ``drop_zero_steps=True`` (the
default) they are removed, and a cell whose steps are all padding is missing
(``None``). No speaker or video ids are released with these files, so
``groups`` is None.
"""

_DESCR = {
    "mmmo": f"""\
ICT-MMMO (Wollmer et al., 2013), segment level
==============================================

Movie-review videos. {_COMMON}
Targets: ``rating`` (native, in [1, 5]) and ``binary`` (rating > 3, the task
used in the literature).

{_SPLIT_DOC}
""",
    "youtube": f"""\
YouTube opinion dataset (Morency et al., 2011), segment level
=============================================================

Product-review and opinion videos. {_COMMON}
Target: the sentiment class (0 negative, 1 neutral, 2 positive) decoded from
the released one-hot ``y``.

{_SPLIT_DOC}
""",
}


def _sequence_cells(block, drop_zero_steps):
    cells = []
    for seq in block:
        seq = np.asarray(seq, dtype=float)
        if drop_zero_steps:
            seq = seq[np.any(seq != 0, axis=1)]
            cells.append(seq if len(seq) else None)
        else:
            cells.append(seq)
    return cells


def _load_segments(corpus, path, data_home, subset, drop_zero_steps, sha256):
    name = {"mmmo": "ICT-MMMO", "youtube": "YouTube"}[corpus]
    where = _resolve_path(
        path,
        data_home,
        corpus,
        "a folder with train.npz (optionally valid.npz, test.npz) holding "
        "'audio' (n, T, 74), 'video' (n, T, 36) and 'y'",
        name,
    )
    wanted = _subset_list(subset)
    files = _split_files(where, subset, name)
    if not files:
        raise FileNotFoundError(
            f"{name}: no {[f'{s}.npz' for s in wanted]} in {where}."
        )
    frames, ys, splits, ids = [], [], [], []
    for file, split_name in files:
        verify_checksum(file, _checksum_for(sha256, file))
        with np.load(file, allow_pickle=False) as npz:
            missing = [k for k in (*_MODALITIES, "y") if k not in npz.files]
            if missing:
                raise ValueError(
                    f"{name}: {file} lacks the keys {missing}; expected 'audio', "
                    "'video' and 'y'."
                )
            blocks = {m: npz[m] for m in _MODALITIES}
            y = npz["y"]
        for m, block in blocks.items():
            if block.ndim != 3 or len(block) != len(y):
                raise ValueError(
                    f"{name}: key {m!r} of {file} has shape {block.shape}; expected "
                    f"(n, T, d) with n = {len(y)}."
                )
        frames.append(
            raw_frame(
                {m: _sequence_cells(b, drop_zero_steps) for m, b in blocks.items()}
            )
        )
        ys.append(y)
        splits.append(np.full(len(y), SPLIT_CODES[split_name]))
        ids.extend(f"{split_name}_{k}" for k in range(len(y)))
    frame = pd.concat(frames, ignore_index=True)
    return frame, np.concatenate(ys), np.concatenate(splits), np.array(ids, object)


def load_mmmo(
    path=None, *, data_home=None, subset=None, drop_zero_steps=True, sha256=None
):
    """Load the ICT-MMMO segment features (word-aligned COVAREP and FACET).

    Reads ``train.npz`` and, when present, ``valid.npz`` / ``test.npz``, each
    with ``audio`` (n, T, 74), ``video`` (n, T, 36) and ``y`` (n,), the
    sentiment rating in [1, 5]. Files are read with ``allow_pickle=False``.

    Read more in the :ref:`dataset card <mmmo>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder with the split files, or one ``.npz`` file. None uses
        ``<data_home>/mmmo``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    subset : {"train", "valid", "test"} or list of them, default=None
        Splits to load; None loads every split file present. When ``path``
        is one ``.npz`` file, a subset that excludes its split is an error.
    drop_zero_steps : bool, default=True
        Remove all-zero padding steps; an all-padding cell becomes ``None``.
    sha256 : str or dict, default=None
        Expected SHA-256 of the file, or ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame with ``audio`` and ``video`` ``(T, d)`` cells;
        target : ndarray -- the rating; targets : DataFrame -- ``rating`` and
        ``binary`` (rating > 3); groups : None; ids : ``"<split>_<k>"``, the
        row's position in its split file; split : ndarray of int (-1
        train, 0 valid, 1 test); feature_names; DESCR.

    See Also
    --------
    load_youtube : the same layout for the YouTube opinion dataset.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_mmmo
    >>> audio = np.zeros((2, 4, 74)); audio[0, 2:] = 1.0
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     np.savez(os.path.join(tmp, "train.npz"), audio=audio,
    ...              video=np.ones((2, 4, 36)), y=np.array([4.5, 2.0]))
    ...     mmmo = load_mmmo(tmp)
    >>> mmmo.frame.loc[0, "audio"].shape, mmmo.frame.loc[1, "audio"]
    ((2, 74), None)
    >>> mmmo.targets["binary"].tolist()
    [1, 0]
    """
    frame, y, split, ids = _load_segments(
        "mmmo", path, data_home, subset, drop_zero_steps, sha256
    )
    y = np.asarray(y, dtype=float)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"ICT-MMMO: 'y' has shape {y.shape}; expected one rating per segment (n,)."
        )
    targets = pd.DataFrame({"rating": y, "binary": (y > 3).astype(int)})
    return _make_bunch(
        frame,
        target=y,
        targets=targets,
        groups=None,
        split=split,
        descr=_DESCR["mmmo"],
        ids=ids,
    )


def load_youtube(
    path=None, *, data_home=None, subset=None, drop_zero_steps=True, sha256=None
):
    """Load the YouTube opinion dataset segment features.

    Same layout as :func:`load_mmmo`; ``y`` is one-hot over the three classes
    negative, neutral, positive and is decoded to class indices.

    Read more in the :ref:`dataset card <youtube>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder with the split files, or one ``.npz`` file. None uses
        ``<data_home>/youtube``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    subset : {"train", "valid", "test"} or list of them, default=None
        Splits to load; None loads every split file present. When ``path``
        is one ``.npz`` file, a subset that excludes its split is an error.
    drop_zero_steps : bool, default=True
        Remove all-zero padding steps; an all-padding cell becomes ``None``.
    sha256 : str or dict, default=None
        Expected SHA-256 of the file, or ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame with ``audio`` and ``video`` ``(T, d)``
        cells; target : ndarray of int in {0, 1, 2}; targets : DataFrame --
        ``sentiment``; target_names : ``["negative", "neutral", "positive"]``;
        groups : None; ids : ``"<split>_<k>"``; split : ndarray of int;
        feature_names; DESCR.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_youtube
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     np.savez(os.path.join(tmp, "valid.npz"), audio=np.ones((2, 3, 74)),
    ...              video=np.ones((2, 3, 36)), y=np.eye(3)[[2, 0]])
    ...     yt = load_youtube(tmp)
    >>> yt.target.tolist(), yt.split.tolist()
    ([2, 0], [0, 0])
    """
    frame, y, split, ids = _load_segments(
        "youtube", path, data_home, subset, drop_zero_steps, sha256
    )
    y = np.asarray(y)
    if y.ndim != 2 or y.shape[1] != 3:
        raise ValueError(f"YouTube: 'y' has shape {y.shape}; expected one-hot (n, 3).")
    not_one_hot = ~(np.isin(y, (0, 1)).all(axis=1) & (y.sum(axis=1) == 1))
    if not_one_hot.any():
        rows = np.flatnonzero(not_one_hot)
        raise ValueError(
            f"YouTube: 'y' is not one-hot in rows {rows[:5].tolist()} (e.g. "
            f"{y[rows[0]].tolist()}); expected exactly one 1 per row."
        )
    target = np.argmax(y, axis=1)
    return _make_bunch(
        frame,
        target=target,
        targets=pd.DataFrame({"sentiment": target}),
        groups=None,
        split=split,
        descr=_DESCR["youtube"],
        ids=ids,
        target_names=["negative", "neutral", "positive"],
    )
