"""CMU-MOSI utterance-level features of the bc-LSTM paper (Poria et al., 2017)."""

import numpy as np
import pandas as pd

from skmer.datasets._base import (
    _SPLIT_DOC,
    SPLIT_CODES,
    _checksum_for,
    _load_pickle,
    _make_bunch,
    _resolve_path,
    _split_files,
    _subset_list,
    _text,
    sentiment_tasks,
    verify_checksum,
)
from skmer.utils._missing import raw_frame

_CORPUS = "CMU-MOSI (bc-LSTM features)"
_KEYS = ("utterance_id", "video_id", "transcript", "text", "audio", "video", "score")
_VECTORS = ("text", "audio", "video")

_DESCR = f"""\
CMU-MOSI, utterance level, bc-LSTM features
===========================================

Opinion videos from YouTube (Zadeh et al., 2016); one row per utterance with a
sentiment score in [-3, 3]. Features of the bc-LSTM paper (Poria et al., ACL
2017): a 100-d text-CNN embedding (``text``), 73 openSMILE functionals
(``audio``), a 100-d 3D-CNN embedding (``video``) and the transcript
(``transcript``, a raw text modality). Every cell is present.

Targets: ``score`` (native) and the derived ``binary`` (score >= 0),
``binary_nonzero``, ``class7`` and ``class5`` tasks. Groups: ``video_id`` (one
speaker per video). The bc-LSTM speaker-independent split (62 / 31 videos)
differs from the CMU-MultimodalSDK standard folds of MOSI.

{_SPLIT_DOC}
"""


_DESCR_PICKLE = f"""\
CMU-MOSI, utterance level, bc-LSTM release pickles
==================================================

The bc-LSTM repository's ``text.pickle``, ``audio.pickle`` and ``video.pickle``
(Poria et al., ACL 2017): video-level arrays padded to the longest video,
unpadded here to one row per utterance with ``text``, ``audio`` and ``video``
vectors. Target: the class label stored in the release (binary sentiment for
the MOSI files). Groups: the video, named by its position in the release
(``train_<k>``, ``test_<k>``), since the release carries no ids.

{_SPLIT_DOC}
"""


_DESCR_CSV = f"""\
CMU-MOSI, utterance level, bc-LSTM utterance CSVs
=================================================

The utterance-level CSV files the bc-LSTM code (Poria et al., ACL 2017) builds
its pickles from: ``transcripts.csv`` (utterance ids ``<video>_<index>``, and
the transcript when the file has a second column), ``text_train.csv`` /
``text_test.csv`` (first column: the row of ``transcripts.csv`` of each
utterance, in the order of the feature files) and
``<modality>/<modality>_{{train,test}}0.csv`` for ``text``, ``audio`` and
``video`` (feature columns, then the label). One row per utterance.

Targets: the label column -- the sentiment score with its derived tasks
(``binary``, ``class7``, ...) when it holds non-integer values, else the class
label (``label``). Groups: the video id. Split: the release's speaker-
independent train / test parts.

{_SPLIT_DOC}
"""


def _read_npz(path, split_name, sha256):
    verify_checksum(path, _checksum_for(sha256, path))
    with np.load(path, allow_pickle=False) as npz:
        missing = [k for k in _KEYS if k not in npz.files]
        if missing:
            raise ValueError(
                f"{_CORPUS}: {path} lacks the keys {missing}; expected the keys "
                f"{list(_KEYS)} (n utterances each)."
            )
        arrays = {k: npz[k] for k in _KEYS}
    n = len(arrays["score"])
    for key, arr in arrays.items():
        if len(arr) != n:
            raise ValueError(
                f"{_CORPUS}: key {key!r} of {path} has {len(arr)} rows; "
                f"'score' has {n}."
            )
        if key in _VECTORS and arr.ndim != 2:
            raise ValueError(
                f"{_CORPUS}: key {key!r} of {path} has shape {arr.shape}; expected "
                "(n, d) feature vectors."
            )
    frame = raw_frame(
        {
            "transcript": [_text(t) for t in arrays["transcript"]],
            **{m: [row.astype(float) for row in arrays[m]] for m in _VECTORS},
        }
    )
    meta = pd.DataFrame(
        {
            "utterance_id": [_text(i) for i in arrays["utterance_id"]],
            "video_id": [_text(i) for i in arrays["video_id"]],
            "score": arrays["score"].astype(float),
            "split": SPLIT_CODES[split_name],
        }
    )
    return frame, meta


def load_mosi_bclstm(
    path=None, *, data_home=None, subset=None, allow_pickle=False, sha256=None
):
    """Load the CMU-MOSI utterance-level features of bc-LSTM (``.npz``).

    Reads ``train.npz`` and, when present, ``valid.npz`` and ``test.npz`` from a
    folder (or one given ``.npz`` file). Each file holds the NumPy arrays
    ``utterance_id``, ``video_id``, ``transcript`` (str), ``text`` (n, 100),
    ``audio`` (n, 73), ``video`` (n, 100) and ``score`` (n,); it is read with
    ``allow_pickle=False``. Nothing is downloaded.

    A folder holding instead the bc-LSTM utterance CSVs (``transcripts.csv``,
    ``text_train.csv``, ``text_test.csv`` and
    ``<modality>/<modality>_{train,test}0.csv`` for ``text``, ``audio``,
    ``video``; the layout the bc-LSTM code's ``create_data.py`` reads, with no
    header rows) is read as one row per utterance: ids from
    ``transcripts.csv`` (its second column, when present, is the
    transcript), features from the modality files, whose last column is the
    label -- the score when it has non-integer values (with the derived
    tasks), else a class label (``targets["label"]``).

    A folder holding instead the bc-LSTM repository's own ``text.pickle``,
    ``audio.pickle`` and ``video.pickle`` is read too (with
    ``allow_pickle=True``): each is the tuple ``(train_data, train_label,
    test_data, test_label, maxlen, train_length, test_length)`` of
    video-level arrays padded to ``maxlen`` utterances. That release has no
    ids, transcripts or scores: rows are the unpadded utterances, ``groups``
    the video (``"train_<k>"``/``"test_<k>"``) and the target its class label.

    Read more in the :ref:`dataset card <mosi_bclstm>`.

    Parameters
    ----------
    path : str or path-like, default=None
        A folder holding ``train.npz`` (and optionally ``valid.npz``,
        ``test.npz``), or one ``.npz`` file (its split is taken from its name),
        or a folder of the CSV or ``.pickle`` release.
        None uses ``<data_home>/mosi``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    subset : {"train", "valid", "test"} or list of them, default=None
        Splits to load; None loads every split file present. When ``path``
        is one ``.npz`` file, a subset that excludes its split is an error.
    allow_pickle : bool, default=False
        Needed only for the ``.pickle`` release: unpickling can run code.
    sha256 : str or dict, default=None
        Expected SHA-256 of the file, or ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        Dictionary-like object with: ``frame`` (also ``data``), a DataFrame
        with the modality columns ``transcript`` (str), ``text``, ``audio`` and
        ``video`` (1-D float vectors); ``target``, the sentiment score in
        [-3, 3]; ``targets``, a DataFrame with ``score``, ``binary``,
        ``binary_nonzero``, ``class7`` and ``class5`` (see
        :func:`sentiment_tasks`); ``groups``, the video id of each utterance;
        ``split`` (-1 train, 0 valid, 1 test); ``ids``, the utterance ids
        ``<video>_<index>``; ``feature_names``, the modality columns; and
        ``DESCR``.

    See Also
    --------
    load_cmu_mosi_csd : the SDK's computational sequences of CMU-MOSI.
    load_mmsa : MMSA's processed CMU-MOSI pickles.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_mosi_bclstm
    >>> rng = np.random.RandomState(0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     np.savez(os.path.join(tmp, "train.npz"),
    ...              utterance_id=np.array(["v1_1", "v1_2", "v2_1"]),
    ...              video_id=np.array(["v1", "v1", "v2"]),
    ...              transcript=np.array(["GREAT FILM", "BORING", "OK"]),
    ...              text=rng.rand(3, 100), audio=rng.rand(3, 73),
    ...              video=rng.rand(3, 100), score=np.array([2.4, -1.2, 0.0]))
    ...     mosi = load_mosi_bclstm(tmp)
    >>> mosi.frame.columns.tolist()
    ['transcript', 'text', 'audio', 'video']
    >>> mosi.targets["binary"].tolist(), mosi.groups.tolist()
    ([1, 0, 1], ['v1', 'v1', 'v2'])
    """
    where = _resolve_path(
        path,
        data_home,
        "mosi",
        "a folder with train.npz (optionally valid.npz, test.npz) or one .npz file",
        _CORPUS,
    )
    wanted = _subset_list(subset)
    if where.is_dir() and not (where / "train.npz").is_file():
        if (where / "transcripts.csv").is_file():
            return _load_csvs(where, wanted, sha256)
        if all((where / f"{m}.pickle").is_file() for m in _VECTORS):
            return _load_pickles(where, wanted, allow_pickle, sha256)
    files = _split_files(where, subset, _CORPUS)
    if not files:
        raise FileNotFoundError(
            f"{_CORPUS}: no {[f'{s}.npz' for s in wanted]} in {where}; expected "
            "the bc-LSTM utterance files train.npz (and optionally valid.npz, "
            "test.npz)."
        )
    parts = [_read_npz(p, s, sha256) for p, s in files]
    frame = pd.concat([f for f, _ in parts], ignore_index=True)
    meta = pd.concat([m for _, m in parts], ignore_index=True)
    score = meta["score"].to_numpy()
    targets = pd.concat([meta[["score"]], sentiment_tasks(score, scale="mosi")], axis=1)
    return _make_bunch(
        frame,
        target=score,
        targets=targets,
        groups=meta["video_id"].to_numpy(),
        split=meta["split"].to_numpy(),
        descr=_DESCR,
        ids=meta["utterance_id"].to_numpy(dtype=object),
    )


def _read_headerless_csv(file, sha256, what):
    if not file.is_file():
        raise FileNotFoundError(
            f"{_CORPUS}: {file.name} not found in {file.parent}; the bc-LSTM CSV "
            f"release needs it ({what})."
        )
    verify_checksum(file, _checksum_for(sha256, file))
    return pd.read_csv(file, header=None)


def _load_csvs(folder, wanted, sha256):
    """The bc-LSTM utterance CSVs (the input of its ``create_data.py``)."""
    parts = [p for p in ("train", "test") if p in wanted]
    if not parts:
        raise ValueError(
            f"{_CORPUS}: the CSV release has only train and test parts; got "
            f"subset={wanted}."
        )
    transcripts = _read_headerless_csv(
        folder / "transcripts.csv", sha256, "utterance ids"
    )
    utt_ids = transcripts[0].astype(str).to_numpy()
    rows = {m: [] for m in _VECTORS}
    index, split, labels = [], [], []
    for part in parts:
        order = _read_headerless_csv(
            folder / f"text_{part}.csv", sha256, "the utterance order"
        )[0].to_numpy()
        bad = [int(i) for i in order if not 0 <= i < len(utt_ids)]
        if bad:
            raise ValueError(
                f"{_CORPUS}: text_{part}.csv names rows {bad[:5]} that "
                f"transcripts.csv ({len(utt_ids)} rows) does not have."
            )
        part_labels = None
        for m in _VECTORS:
            file = folder / m / f"{m}_{part}0.csv"
            values = _read_headerless_csv(file, sha256, f"{m} features").to_numpy(
                dtype=float
            )
            if len(values) != len(order):
                raise ValueError(
                    f"{_CORPUS}: {m}/{file.name} has {len(values)} rows; "
                    f"text_{part}.csv lists {len(order)} utterances."
                )
            if part_labels is None:
                part_labels = values[:, -1]
            elif not np.array_equal(part_labels, values[:, -1]):
                raise ValueError(
                    f"{_CORPUS}: the labels (last column) of {m}/{file.name} "
                    f"differ from those of text/text_{part}0.csv."
                )
            rows[m].extend(values[:, :-1])
        index.extend(order.astype(int).tolist())
        split.extend([SPLIT_CODES[part]] * len(order))
        labels.extend(part_labels.tolist())
    repeated = sorted(set(utt_ids[pd.Index(index)[pd.Index(index).duplicated()]]))
    if repeated:
        raise ValueError(
            f"{_CORPUS}: the utterances {repeated[:5]} are listed more than once in "
            f"text_{{train,test}}.csv; each utterance belongs to one row and split."
        )
    columns = {}
    if transcripts.shape[1] > 1:
        columns["transcript"] = [
            None if pd.isna(t) else str(t) for t in transcripts[1].to_numpy()[index]
        ]
    frame = raw_frame({**columns, **{m: rows[m] for m in _VECTORS}})
    labels = np.asarray(labels, dtype=float)
    if np.all(labels == np.round(labels)):
        target = labels.astype(int)
        targets = pd.DataFrame({"label": target})
    else:
        target = labels
        targets = pd.concat(
            [pd.DataFrame({"score": labels}), sentiment_tasks(labels, scale="mosi")],
            axis=1,
        )
    ids = utt_ids[index]
    return _make_bunch(
        frame,
        target=target,
        targets=targets,
        groups=np.array([i.rsplit("_", 1)[0] for i in ids], dtype=object),
        split=np.array(split, dtype=int),
        descr=_DESCR_CSV,
        ids=ids.astype(object),
    )


def _load_pickles(folder, wanted, allow_pickle, sha256):
    """The bc-LSTM repository's video-level ``<modality>.pickle`` release."""
    blocks, labels, lengths = {}, None, None
    for m in _VECTORS:
        file = folder / f"{m}.pickle"
        verify_checksum(file, _checksum_for(sha256, file))
        obj = _load_pickle(file, allow_pickle=allow_pickle, corpus=_CORPUS)
        if not isinstance(obj, tuple | list) or len(obj) != 7:
            raise ValueError(
                f"{_CORPUS}: {file} should hold the tuple (train_data, train_label, "
                "test_data, test_label, maxlen, train_length, test_length)."
            )
        tr, tr_y, te, te_y, _, tr_len, te_len = obj
        parts = {"train": (tr, tr_y, tr_len), "test": (te, te_y, te_len)}
        blocks[m] = {k: np.asarray(v[0], dtype=float) for k, v in parts.items()}
        m_labels = {k: np.asarray(v[1]) for k, v in parts.items()}
        m_lengths = {k: np.asarray(v[2], dtype=int) for k, v in parts.items()}
        if lengths is None:
            labels, lengths = m_labels, m_lengths
        elif any(not np.array_equal(lengths[k], m_lengths[k]) for k in lengths):
            raise ValueError(
                f"{_CORPUS}: {file} has other video lengths than text.pickle; the "
                "three modality files must come from one release."
            )
    rows = {m: [] for m in _VECTORS}
    groups, split, target = [], [], []
    for part in ("train", "test"):
        if part not in wanted:
            continue
        for k, n_utt in enumerate(lengths[part]):
            for m in _VECTORS:
                rows[m].extend(blocks[m][part][k, :n_utt])
            groups.extend([f"{part}_{k}"] * n_utt)
            split.extend([SPLIT_CODES[part]] * n_utt)
            target.extend(labels[part][k, :n_utt].astype(int).tolist())
    if not target:
        raise ValueError(
            f"{_CORPUS}: the .pickle release has only train and test parts; "
            f"got subset={wanted}."
        )
    frame = raw_frame({m: rows[m] for m in _VECTORS})
    target = np.array(target, dtype=int)
    return _make_bunch(
        frame,
        target=target,
        targets=pd.DataFrame({"label": target}),
        groups=np.array(groups, dtype=object),
        split=np.array(split, dtype=int),
        descr=_DESCR_PICKLE,
        ids=np.array(
            [f"{g}_{i}" for g, i in zip(groups, _positions(groups))], dtype=object
        ),
    )


def _positions(groups):
    seen = {}
    out = []
    for g in groups:
        out.append(seen.get(g, 0))
        seen[g] = out[-1] + 1
    return out
