"""Shared machinery of the corpus loaders: paths, checksums, pickles, Bunches.

Every loader of :mod:`skmer.datasets` reads files the user already has; none
downloads anything. The helpers here give all loaders the same behaviour:

* ``data_home`` resolution (:func:`get_data_home`) and a clear
  ``FileNotFoundError`` naming the expected file and folder;
* optional SHA-256 verification (:func:`verify_checksum`);
* a pickle-safety guard: a pickle is only opened with ``allow_pickle=True``,
  since unpickling a file can run arbitrary code;
* one Bunch layout (:func:`_make_bunch`) and one split encoding
  (:data:`SPLIT_CODES`).
"""

import hashlib
import os
import pickle
import pickletools
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

#: Integer code of each official split in a loader's ``split`` vector.
#: ``-1`` (train) is the value :class:`sklearn.model_selection.PredefinedSplit`
#: keeps in every training fold; ``0`` (valid) and ``1`` (test) are test folds.
SPLIT_CODES = {"train": -1, "valid": 0, "test": 1}

_SPLIT_DOC = """\
Split encoding: ``split`` holds -1 for the official training rows, 0 for the
validation rows and 1 for the test rows. ``PredefinedSplit(split)`` therefore
gives one fold per held-out part; to tune on the validation set, select the
rows with ``split < 1`` and use ``PredefinedSplit(split[split < 1])`` (train vs
valid), then score once on the rows with ``split == 1``."""


def get_data_home(data_home=None):
    """Folder where skmer looks for corpus files the user has put there.

    skmer never downloads a corpus: this is only where the loaders look when
    they are given no explicit ``path``. The folder is ``data_home`` if given,
    else the ``SKMER_DATA`` environment variable, else ``~/skmer_data``. It is
    not created.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Explicit folder.

    Returns
    -------
    data_home : pathlib.Path
        The folder (``~`` expanded).

    Examples
    --------
    >>> from skmer.datasets import get_data_home
    >>> str(get_data_home("/data/mer"))
    '/data/mer'
    """
    if data_home is None:
        data_home = os.environ.get("SKMER_DATA", os.path.join("~", "skmer_data"))
    return Path(data_home).expanduser()


def file_sha256(path, *, chunk_size=1 << 20):
    """SHA-256 hex digest of a file, read in chunks.

    Parameters
    ----------
    path : str or path-like
        File to hash.
    chunk_size : int, default=1 MiB
        Bytes read at a time.

    Returns
    -------
    digest : str
        64 lower-case hex characters.

    Examples
    --------
    >>> import tempfile, os
    >>> from skmer.datasets import file_sha256
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "a.txt")
    ...     _ = open(p, "wb").write(b"abc")
    ...     file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path, sha256):
    """Check a file against a SHA-256 digest; raise ``ValueError`` on mismatch.

    Parameters
    ----------
    path : str or path-like
        File to check.
    sha256 : str or None
        Expected hex digest (case-insensitive). ``None`` checks nothing.

    Returns
    -------
    path : pathlib.Path
        The checked path.

    Raises
    ------
    ValueError
        When the digest differs (the file is corrupted, truncated or another
        release); the message gives both digests.

    Examples
    --------
    >>> import tempfile, os
    >>> from skmer.datasets import verify_checksum
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "a.txt")
    ...     _ = open(p, "wb").write(b"abc")
    ...     verify_checksum(p, "0" * 64)
    Traceback (most recent call last):
    ...
    ValueError: SHA-256 mismatch for ...a.txt: expected 000..., got ba7816bf...
    """
    path = Path(path)
    if sha256 is None:
        return path
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise ValueError(f"sha256 must be a 64-character hex digest; got {sha256!r}.")
    got = file_sha256(path)
    if got != sha256.lower():
        raise ValueError(
            f"SHA-256 mismatch for {path}: expected {sha256.lower()}, got {got}. "
            "The file is corrupted, truncated or from another release."
        )
    return path


def _checksum_for(sha256, path):
    """The digest to check for ``path``: a str, or a dict keyed by file name."""
    if isinstance(sha256, dict):
        return sha256.get(Path(path).name)
    return sha256


def _resolve_path(path, data_home, subdir, expected, corpus):
    """Path of a corpus file or folder; clear error when it does not exist.

    ``path`` (explicit) wins; else ``<data_home>/<subdir>``. ``expected``
    describes what should be there, for the error message.
    """
    if path is None:
        path = get_data_home(data_home) / subdir
        origin = f"data_home ({get_data_home(data_home)})"
    else:
        path = Path(path).expanduser()
        origin = "path"
    if not path.exists():
        raise FileNotFoundError(
            f"{corpus}: {path} does not exist (from {origin}). Expected {expected}. "
            "skmer never downloads corpora: obtain the files from the corpus "
            "owners (see the dataset card in the documentation) and pass their "
            "location with path= or data_home=."
        )
    return path


def _find_file(folder, names, corpus, what):
    """First existing file among ``names`` in ``folder`` (or ``folder`` itself)."""
    folder = Path(folder)
    if folder.is_file():
        return folder
    for name in names:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"{corpus}: none of {list(names)} found in {folder}; expected {what}."
    )


def _check_allow_pickle(allow_pickle, path, corpus):
    if allow_pickle is not True:
        raise ValueError(
            f"{corpus}: {path} is a Python pickle. Unpickling a file can run "
            "arbitrary code, so skmer only opens pickles from sources you trust "
            "when you pass allow_pickle=True."
        )


def _pickle_encoding(path, corpus):
    """The decoding of Python 2 ``str`` objects a pickle needs, found without running it.

    ``pickletools.genops`` only parses the opcodes, so the payload is unpickled
    once, with the right encoding: ``"latin1"`` when the pickle holds a Python 2
    byte string that is not ASCII (Python 2 str objects and NumPy arrays),
    ``"ASCII"`` otherwise.
    """
    try:
        with open(path, "rb") as fh:
            for opcode, arg, _ in pickletools.genops(fh):
                if opcode.name in _PY2_STRINGS and not arg.isascii():
                    return "latin1"
    except ValueError as exc:
        raise ValueError(
            f"{corpus}: {path} is not a readable pickle (truncated or another "
            f"format): {exc!r}"
        ) from exc
    return "ASCII"


_PY2_STRINGS = {"STRING", "BINSTRING", "SHORT_BINSTRING"}


def _load_pickle(path, *, allow_pickle, corpus, encoding=None):
    """Unpickle ``path`` after the safety guard.

    ``encoding=None`` reads the opcodes first (without running them) and uses
    ``"latin1"``, the encoding that reads Python 2 era pickles (str objects and
    NumPy arrays) correctly, when the file holds non-ASCII Python 2 strings;
    the file is unpickled once.
    """
    _check_allow_pickle(allow_pickle, path, corpus)
    if encoding is None:
        encoding = _pickle_encoding(path, corpus)
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh, encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{corpus}: could not decode the pickle {path} with encoding "
            f"{encoding!r}: {exc}"
        ) from exc
    except (pickle.UnpicklingError, EOFError) as exc:
        raise ValueError(
            f"{corpus}: {path} is not a readable pickle (truncated or another "
            f"format): {exc!r}"
        ) from exc


def _subset_list(subset):
    """The split names a loader's ``subset`` asks for (all three for None)."""
    if subset is None:
        return list(SPLIT_CODES)
    wanted = [subset] if isinstance(subset, str) else list(subset)
    bad = [s for s in wanted if s not in SPLIT_CODES]
    if bad or not wanted:
        raise ValueError(
            f"subset must be among {list(SPLIT_CODES)}; got {bad or wanted}."
        )
    return wanted


def _split_files(where, subset, corpus):
    """``[(file, split name)]`` of the ``<split>.npz`` files a loader reads.

    ``where`` is one file (its split from its name, "train" otherwise; a
    ``subset`` that excludes it is an error) or a folder (the files of the
    splits ``subset`` asks for that exist there).
    """
    wanted = _subset_list(subset)
    if where.is_file():
        split_name = where.stem if where.stem in SPLIT_CODES else "train"
        if subset is not None and split_name not in wanted:
            raise ValueError(
                f"{corpus}: {where} holds the {split_name!r} split (from its "
                f"name), not subset={subset!r}; pass its folder to choose splits."
            )
        return [(where, split_name)]
    return [(where / f"{s}.npz", s) for s in wanted if (where / f"{s}.npz").is_file()]


def _split_codes(names, corpus):
    """Integer split vector from split names ('train', 'valid', 'test')."""
    names = np.asarray(names, dtype=object)
    unknown = sorted(set(names.tolist()) - set(SPLIT_CODES))
    if unknown:
        raise ValueError(
            f"{corpus}: unknown split names {unknown}; expected {list(SPLIT_CODES)}."
        )
    return np.array([SPLIT_CODES[n] for n in names], dtype=int)


def _folds_to_split(ids, folds, corpus):
    """Split vector from ``folds = {"train": ids, "valid": ids, "test": ids}``.

    Rows whose id is in no fold get -2 (neither train nor held out); an id in
    two folds is an error.
    """
    if not isinstance(folds, dict):
        raise TypeError(
            f"{corpus}: folds must be a dict {{'train': ids, 'valid': ids, "
            f"'test': ids}}; got {type(folds).__name__}."
        )
    bad = sorted(set(folds) - set(SPLIT_CODES))
    if bad:
        raise ValueError(
            f"{corpus}: folds has unknown keys {bad}; expected {list(SPLIT_CODES)}."
        )
    where = {}
    for name, members in folds.items():
        if isinstance(members, str | bytes):
            raise TypeError(
                f"{corpus}: folds[{name!r}] must be a list of ids; got the single "
                f"{type(members).__name__} {members!r}."
            )
        for member in map(_text, members):
            if member in where and where[member] != name:
                raise ValueError(
                    f"{corpus}: id {member!r} is in both the {where[member]!r} and "
                    f"the {name!r} folds."
                )
            where[member] = name
    return np.array([SPLIT_CODES.get(where.get(_text(i)), -2) for i in ids], dtype=int)


def sentiment_tasks(score, *, scale="mosi"):
    """The derived classification tasks of a sentiment score.

    Parameters
    ----------
    score : array-like of shape (n_samples,)
        Sentiment scores: in [-3, 3] for ``scale="mosi"`` (CMU-MOSI, CMU-MOSEI),
        in [-1, 1] for ``scale="sims"`` (CH-SIMS). A NaN score raises a
        ``ValueError`` (its class would be undefined).
    scale : {"mosi", "sims"}, default="mosi"
        Which convention to follow.

    Returns
    -------
    tasks : DataFrame
        ``"mosi"``: ``binary`` (1 where ``score >= 0``, the "Has0" A2 task),
        ``binary_nonzero`` (1 where ``score > 0``, 0 where ``< 0``, -1 where the
        score is exactly 0, which that task leaves out), ``class7``
        (``round(clip(score, -3, 3))`` in -3..3) and ``class5``
        (``round(clip(score, -2, 2))``). ``"sims"``: ``binary`` (1 where
        ``score > 0``), ``class3`` (bins (-1, -0.1], (-0.1, 0.1], (0.1, 1]) and
        ``class5`` (bins at -0.7, -0.1, 0.1, 0.7), the cut points MMSA uses.

    Examples
    --------
    >>> from skmer.datasets import sentiment_tasks
    >>> sentiment_tasks([-2.6, 0.0, 0.4, 3.2])
       binary  binary_nonzero  class7  class5
    0       0               0      -3      -2
    1       1              -1       0       0
    2       1               1       0       0
    3       1               1       3       2
    """
    score = np.asarray(score, dtype=float).ravel()
    if np.isnan(score).any():
        raise ValueError(
            f"score holds NaN at positions {np.flatnonzero(np.isnan(score))[:5].tolist()}"
            "; the derived tasks need a score for every row."
        )
    if scale == "mosi":
        nonzero = np.where(score > 0, 1, np.where(score < 0, 0, -1))
        return pd.DataFrame(
            {
                "binary": (score >= 0).astype(int),
                "binary_nonzero": nonzero.astype(int),
                "class7": np.round(np.clip(score, -3, 3)).astype(int),
                "class5": np.round(np.clip(score, -2, 2)).astype(int),
            }
        )
    if scale == "sims":
        s = np.clip(score, -1, 1)
        return pd.DataFrame(
            {
                "binary": (s > 0).astype(int),
                "class3": np.digitize(s, [-0.1, 0.1], right=True).astype(int),
                "class5": np.digitize(s, [-0.7, -0.1, 0.1, 0.7], right=True).astype(
                    int
                ),
            }
        )
    raise ValueError(f"scale must be 'mosi' or 'sims'; got {scale!r}.")


def _make_bunch(
    frame,
    *,
    target,
    targets,
    groups,
    split,
    descr,
    target_names=None,
    **extra,
):
    """The Bunch every corpus loader returns (one layout for all)."""
    frame = frame.reset_index(drop=True)
    targets = None if targets is None else targets.reset_index(drop=True)
    return Bunch(
        frame=frame,
        data=frame,
        target=target,
        targets=targets,
        target_names=target_names,
        groups=None if groups is None else np.asarray(groups, dtype=object),
        split=split,
        feature_names=list(frame.columns),
        DESCR=descr,
        **extra,
    )


def _text(value):
    """An id or a text as ``str``: bytes (Python 2 era files) are decoded.

    UTF-8 first, Latin-1 for bytes that are not UTF-8; numbers become their
    decimal string, so that ids compare equal whatever type a file stored.
    """
    if isinstance(value, bytes | np.bytes_):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(value).decode("latin1")
    return str(value)
