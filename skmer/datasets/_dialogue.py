"""DialogueRNN-style IEMOCAP and MELD utterance feature pickles."""

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
    _text,
    verify_checksum,
)
from skmer.utils._missing import raw_frame

#: DialogueRNN's IEMOCAP label indices: hap, sad, neu, ang, exc, fru.
IEMOCAP_LABELS = ["happy", "sad", "neutral", "angry", "excited", "frustrated"]
#: MELD emotion indices of the DialogueRNN pickles.
MELD_EMOTIONS = ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"]
#: MELD sentiment indices of the DialogueRNN pickles.
MELD_SENTIMENTS = ["neutral", "positive", "negative"]

# The common 4-class IEMOCAP task: excited merged into happy, frustrated left out.
_IEMOCAP_4 = {0: 0, 1: 1, 2: 2, 3: 3, 4: 0, 5: -1}

_DESCR_IEMOCAP = f"""\
IEMOCAP (Busso et al., 2008), DialogueRNN utterance features
============================================================

Dyadic acted conversations of 10 actors in 5 sessions (one woman and one man
per session). One row per utterance: ``transcript`` (str), ``text`` (100-d
text-CNN), ``audio`` (100-d openSMILE-based) and ``video`` (512-d 3D-CNN)
vectors, as released with DialogueRNN (Majumder et al., AAAI 2019).

Targets: ``emotion`` (native, 0..5 = {", ".join(IEMOCAP_LABELS)}), ``class4``
(happy+excited, sad, neutral, angry; -1 for frustrated, which the 4-class task
leaves out). Groups: the dialogue; ``speakers`` is ``<session><M|F>`` and
``sessions`` the session, for leave-one-session-out CV. The pickle's own split
is sessions 1-4 (train) vs session 5 (test); ``utterance_index`` orders the
utterances of a dialogue for context models.

{_SPLIT_DOC}
"""

_DESCR_MELD = f"""\
MELD (Poria et al., ACL 2019), DialogueRNN utterance features
=============================================================

Multi-party dialogues from the TV series Friends. One row per utterance:
``transcript`` (str), ``text`` (GloVe/text-CNN vector) and ``audio`` (openSMILE-
based vector) as released in the DialogueRNN-style ``MELD_features_raw.pkl``;
this release has no visual features.

Targets: ``emotion`` (native, 0..6 = {", ".join(MELD_EMOTIONS)}) and
``sentiment`` (0..2 = {", ".join(MELD_SENTIMENTS)}). Groups: the dialogue;
``speakers`` the index of the speaker one-hot vector. The split is the pickle's
own train/test lists (its train list is used as given; MELD's dev dialogues are
not marked separately by this format).

{_SPLIT_DOC}
"""


def _ordered(vids):
    """Dialogue ids in file order; sets (unordered) are sorted for determinism."""
    if isinstance(vids, set | frozenset):
        try:
            return sorted(vids)
        except TypeError:
            return sorted(vids, key=str)
    return list(vids)


def _cell(value):
    return None if value is None else np.asarray(value, dtype=float).ravel()


def _unpack(obj, n_items, names, corpus, path):
    if not isinstance(obj, list | tuple) or len(obj) != n_items:
        raise ValueError(
            f"{corpus}: {path} holds {type(obj).__name__}"
            f"{f' of length {len(obj)}' if hasattr(obj, '__len__') else ''}; "
            f"expected the DialogueRNN tuple of {n_items} items ({', '.join(names)})."
        )
    return dict(zip(names, obj))


def _rows(parts, modal_keys, split_lists, corpus):
    """One row per utterance, dialogue by dialogue, train dialogues first."""
    records = []
    seen = {}
    for split_name, vids in split_lists:
        for vid in _ordered(vids):
            if vid in seen:
                raise ValueError(
                    f"{corpus}: dialogue {vid!r} is listed twice (in the "
                    f"{seen[vid]} and the {split_name} lists); its utterances "
                    "would be loaded twice."
                )
            seen[vid] = split_name
            if vid not in parts["videoIDs"]:
                raise ValueError(
                    f"{corpus}: dialogue {vid!r} of the {split_name} list has no "
                    "entry in videoIDs."
                )
            utt_ids = list(parts["videoIDs"][vid])
            for key in (
                "videoSpeakers",
                "videoLabels",
                "videoSentence",
                *modal_keys.values(),
            ):
                if len(parts[key][vid]) != len(utt_ids):
                    raise ValueError(
                        f"{corpus}: dialogue {vid!r} has {len(utt_ids)} utterance "
                        f"ids but {len(parts[key][vid])} entries in {key}."
                    )
            for k, utt in enumerate(utt_ids):
                rec = {
                    "dialogue": vid,
                    "utterance_id": utt,
                    "utterance_index": k,
                    "speaker": parts["videoSpeakers"][vid][k],
                    "split": SPLIT_CODES[split_name],
                    "transcript": _text(parts["videoSentence"][vid][k]),
                }
                for col, key in modal_keys.items():
                    rec[col] = _cell(parts[key][vid][k])
                records.append(rec)
    return records


def _int_labels(parts, key, records, corpus):
    """Class labels of the records as ints; a non-integer label is an error."""
    values = [parts[key][r["dialogue"]][r["utterance_index"]] for r in records]
    try:
        labels = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{corpus}: {key} holds non-numeric class labels, e.g. {values[:3]}."
        ) from exc
    if labels.shape != (len(records),) or np.any(labels != np.round(labels)):
        raise ValueError(
            f"{corpus}: {key} must hold one integer class index per utterance; "
            f"got e.g. {values[:3]}."
        )
    return labels.astype(int)


def _speaker_index(record, corpus):
    """The speaker of a MELD record: index of its one-hot vector (or an int)."""
    value = record["speaker"]
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.ndim == 1:
        if np.isin(arr, (0, 1)).all() and arr.sum() == 1:
            return int(np.argmax(arr))
    elif arr is not None and arr.ndim == 0 and arr == np.round(arr):
        return int(arr)
    raise ValueError(
        f"{corpus}: the speaker of utterance {record['utterance_index']} of "
        f"dialogue {record['dialogue']!r} is {value!r}; expected a one-hot vector "
        "(or a speaker index)."
    )


def _frame(records, columns):
    return raw_frame({c: [r[c] for r in records] for c in columns})


def load_iemocap_dialoguernn(
    path=None, *, data_home=None, allow_pickle=False, sha256=None
):
    """Load IEMOCAP utterance features from DialogueRNN's pickle.

    The file ``IEMOCAP_features_raw.pkl`` holds the tuple ``(videoIDs,
    videoSpeakers, videoLabels, videoText, videoAudio, videoVisual,
    videoSentence, trainVid, testVid)`` of dicts keyed by dialogue id, pickled
    under Python 2 (read with ``encoding="latin1"`` when needed).

    Read more in the :ref:`dataset card <iemocap>`.

    Parameters
    ----------
    path : str or path-like, default=None
        The pickle, or a folder holding ``IEMOCAP_features_raw.pkl``. None uses
        ``<data_home>/iemocap``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    allow_pickle : bool, default=False
        Must be True: the file is a pickle, and unpickling can run code.
    sha256 : str, default=None
        Expected SHA-256 of the file.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame with ``transcript``, ``text``, ``audio``,
        ``video`` columns (1-D vectors); target : ndarray of int (0..5);
        targets : DataFrame -- ``emotion``, ``class4``; target_names : list;
        groups : dialogue ids; speakers, sessions : ndarray of str;
        utterance_index : ndarray of int; ids : utterance ids; split : ndarray
        of int (-1 train, 1 test); feature_names; DESCR.

    Examples
    --------
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_iemocap_dialoguernn
    >>> d = "Ses01F_impro01"
    >>> parts = ({d: ["u0", "u1"]}, {d: ["M", "F"]}, {d: [4, 1]},
    ...          {d: [np.ones(100)] * 2}, {d: [np.ones(100)] * 2},
    ...          {d: [np.ones(512)] * 2}, {d: ["Hi!", "Oh no."]}, [d], [])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "IEMOCAP_features_raw.pkl")
    ...     pickle.dump(parts, open(p, "wb"))
    ...     iemo = load_iemocap_dialoguernn(p, allow_pickle=True)
    >>> iemo.targets["class4"].tolist(), iemo.speakers.tolist()
    ([0, 1], ['Ses01M', 'Ses01F'])
    """
    corpus = "IEMOCAP (DialogueRNN pickle)"
    where = _resolve_path(
        path, data_home, "iemocap", "the file IEMOCAP_features_raw.pkl", corpus
    )
    file = _find_file(
        where,
        ["IEMOCAP_features_raw.pkl"],
        corpus,
        "DialogueRNN's IEMOCAP_features_raw.pkl",
    )
    verify_checksum(file, _checksum_for(sha256, file))
    names = [
        "videoIDs",
        "videoSpeakers",
        "videoLabels",
        "videoText",
        "videoAudio",
        "videoVisual",
        "videoSentence",
        "trainVid",
        "testVid",
    ]
    parts = _unpack(
        _load_pickle(file, allow_pickle=allow_pickle, corpus=corpus),
        9,
        names,
        corpus,
        file,
    )
    records = _rows(
        parts,
        {"text": "videoText", "audio": "videoAudio", "video": "videoVisual"},
        [("train", parts["trainVid"]), ("test", parts["testVid"])],
        corpus,
    )
    labels = _int_labels(parts, "videoLabels", records, corpus)
    bad = labels[(labels < 0) | (labels >= len(IEMOCAP_LABELS))].tolist()
    if bad:
        raise ValueError(f"{corpus}: labels outside 0..5: {sorted(set(bad))}.")
    dialogues = np.array([_text(r["dialogue"]) for r in records], dtype=object)
    sessions = np.array([d[:5] for d in dialogues], dtype=object)
    speakers = np.array(
        [s + _text(r["speaker"]) for s, r in zip(sessions, records)], dtype=object
    )
    return _make_bunch(
        _frame(records, ["transcript", "text", "audio", "video"]),
        target=labels,
        targets=pd.DataFrame(
            {"emotion": labels, "class4": [_IEMOCAP_4[v] for v in labels]}
        ),
        target_names=list(IEMOCAP_LABELS),
        groups=dialogues,
        split=np.array([r["split"] for r in records], dtype=int),
        descr=_DESCR_IEMOCAP,
        speakers=speakers,
        sessions=sessions,
        utterance_index=np.array([r["utterance_index"] for r in records]),
        ids=np.array([_text(r["utterance_id"]) for r in records], dtype=object),
    )


def load_meld_dialoguernn(
    path=None, *, data_home=None, allow_pickle=False, sha256=None
):
    """Load MELD utterance features from a DialogueRNN-style pickle.

    The file ``MELD_features_raw.pkl`` holds the tuple ``(videoIDs,
    videoSpeakers, videoLabels, videoText, videoAudio, videoSentence, trainVid,
    testVid, videoSentiment)``: emotion labels third, sentiment labels last,
    speakers as one-hot vectors.

    Read more in the :ref:`dataset card <meld>`.

    Parameters
    ----------
    path : str or path-like, default=None
        The pickle, or a folder holding ``MELD_features_raw.pkl``. None uses
        ``<data_home>/meld``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    allow_pickle : bool, default=False
        Must be True: the file is a pickle, and unpickling can run code.
    sha256 : str, default=None
        Expected SHA-256 of the file.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame with ``transcript``, ``text`` and ``audio``
        columns; target : ndarray of int (emotion 0..6); targets : DataFrame --
        ``emotion``, ``sentiment``; target_names : emotion names;
        sentiment_names; groups : dialogue ids; speakers : ndarray of int;
        utterance_index; ids : ``"dia<dialogue>_utt<utterance>"``, MELD's clip
        names; split (-1 train, 1 test); feature_names; DESCR.

    Examples
    --------
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_meld_dialoguernn
    >>> parts = ({0: [0, 1]}, {0: [[1, 0], [0, 1]]}, {0: [4, 6]},
    ...          {0: [np.ones(600)] * 2}, {0: [np.ones(300)] * 2},
    ...          {0: ["Yay!", "Ugh."]}, [0], [], {0: [1, 2]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "MELD_features_raw.pkl")
    ...     pickle.dump(parts, open(p, "wb"))
    ...     meld = load_meld_dialoguernn(p, allow_pickle=True)
    >>> [meld.target_names[i] for i in meld.target], meld.speakers.tolist()
    (['joy', 'anger'], [0, 1])
    """
    corpus = "MELD (DialogueRNN pickle)"
    where = _resolve_path(
        path, data_home, "meld", "the file MELD_features_raw.pkl", corpus
    )
    file = _find_file(
        where,
        ["MELD_features_raw.pkl"],
        corpus,
        "the DialogueRNN-style MELD_features_raw.pkl",
    )
    verify_checksum(file, _checksum_for(sha256, file))
    names = [
        "videoIDs",
        "videoSpeakers",
        "videoLabels",
        "videoText",
        "videoAudio",
        "videoSentence",
        "trainVid",
        "testVid",
        "videoSentiment",
    ]
    parts = _unpack(
        _load_pickle(file, allow_pickle=allow_pickle, corpus=corpus),
        9,
        names,
        corpus,
        file,
    )
    records = _rows(
        parts,
        {"text": "videoText", "audio": "videoAudio"},
        [("train", parts["trainVid"]), ("test", parts["testVid"])],
        corpus,
    )
    emotion = _int_labels(parts, "videoLabels", records, corpus)
    sentiment = _int_labels(parts, "videoSentiment", records, corpus)
    for what, arr, k in (("emotion", emotion, 7), ("sentiment", sentiment, 3)):
        bad = arr[(arr < 0) | (arr >= k)].tolist()
        if bad:
            raise ValueError(
                f"{corpus}: {what} labels outside 0..{k - 1}: {sorted(set(bad))}."
            )
    speakers = np.array([_speaker_index(r, corpus) for r in records], dtype=int)
    return _make_bunch(
        _frame(records, ["transcript", "text", "audio"]),
        target=emotion,
        targets=pd.DataFrame({"emotion": emotion, "sentiment": sentiment}),
        target_names=list(MELD_EMOTIONS),
        groups=np.array([r["dialogue"] for r in records], dtype=object),
        split=np.array([r["split"] for r in records], dtype=int),
        descr=_DESCR_MELD,
        sentiment_names=list(MELD_SENTIMENTS),
        speakers=speakers,
        utterance_index=np.array([r["utterance_index"] for r in records]),
        # MELD's utterance ids restart at 0 in every dialogue: name the rows as
        # MELD names its clips, dia<dialogue>_utt<utterance>, so they are unique
        ids=np.array(
            [
                f"dia{_text(r['dialogue'])}_utt{_text(r['utterance_id'])}"
                for r in records
            ],
            dtype=object,
        ),
    )
