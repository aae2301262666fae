"""DEAP preprocessed Python files (s01.dat ... s32.dat)."""

from pathlib import Path

import numpy as np
import pandas as pd

from skmer.datasets._base import (
    _checksum_for,
    _load_pickle,
    _make_bunch,
    _resolve_path,
    verify_checksum,
)
from skmer.utils._missing import raw_frame

#: The 40 channels of DEAP's preprocessed files, in file order: 32 EEG channels
#: (Geneva order) then 8 peripheral channels.
DEAP_CHANNELS = [
    "Fp1",
    "AF3",
    "F3",
    "F7",
    "FC5",
    "FC1",
    "C3",
    "T7",
    "CP5",
    "CP1",
    "P3",
    "P7",
    "PO3",
    "O1",
    "Oz",
    "Pz",
    "Fp2",
    "AF4",
    "Fz",
    "F4",
    "F8",
    "FC6",
    "FC2",
    "Cz",
    "C4",
    "T8",
    "CP6",
    "CP2",
    "P4",
    "P8",
    "PO4",
    "O2",
    "hEOG",
    "vEOG",
    "zEMG",
    "tEMG",
    "GSR",
    "Respiration",
    "Plethysmograph",
    "Temperature",
]
#: Channel indices of each modality column of :func:`load_deap`.
DEAP_MODALITIES = {
    "eeg": list(range(32)),
    "eog": [32, 33],
    "emg": [34, 35],
    "gsr": [36],
    "resp": [37],
    "ppg": [38],
    "temp": [39],
}
DEAP_RATINGS = ["valence", "arousal", "dominance", "liking"]
_SFREQ = 128.0
_BASELINE_S = 3.0
_N_SUBJECTS = 32

_DESCR = """\
DEAP (Koelstra et al., 2012), preprocessed Python release
=========================================================

32 participants watched 40 one-minute music-video excerpts while EEG (32
channels) and peripheral signals were recorded; the preprocessed release is
down-sampled to 128 Hz, EOG-artefact-removed and band-pass filtered 4-45 Hz,
with 63 s per trial (a 3 s pre-trial baseline, then 60 s). Trials are in the
order of the video (experiment id). One row per (participant, trial); each
modality cell is a ``(channels, samples)`` array: ``eeg`` (32), ``eog`` (hEOG,
vEOG), ``emg`` (zygomaticus, trapezius), ``gsr``, ``resp``, ``ppg``
(plethysmograph) and ``temp``.

Targets: the self-assessed ``valence``, ``arousal``, ``dominance`` and
``liking`` ratings (native, 1-9), plus ``valence_high`` / ``arousal_high``
(rating > threshold, 5 by default) and ``quadrant`` (0 LVLA, 1 LVHA, 2 HVLA,
3 HVHA). Groups: the participant (``"s01"`` ...), for subject-independent
(leave-one-subject-out) evaluation with ``LeaveOneGroupOut``/``GroupKFold``.
DEAP defines no official train/test split, so ``split`` is None.
"""


def load_deap(
    path=None,
    *,
    data_home=None,
    subjects=None,
    modalities=None,
    remove_baseline=False,
    threshold=5.0,
    allow_pickle=False,
    sha256=None,
):
    """Load the DEAP preprocessed Python files (``s01.dat`` ... ``s32.dat``).

    Each file is a Python 2 pickle of a dict with ``"data"`` (40 trials, 40
    channels, 8064 samples at 128 Hz) and ``"labels"`` (40 trials, 4 ratings).

    Read more in the :ref:`dataset card <deap>`.

    Parameters
    ----------
    path : str or path-like, default=None
        Folder with the ``sXX.dat`` files (``data_preprocessed_python``). None
        uses ``<data_home>/deap``.
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    subjects : list of int, default=None
        Distinct participants to load (1-32), in that order; None loads every
        ``sXX.dat`` present.
    modalities : str or list of str, default=None
        Modality columns among ``"eeg"``, ``"eog"``, ``"emg"``, ``"gsr"``,
        ``"resp"``, ``"ppg"``, ``"temp"``; None keeps all.
    remove_baseline : bool, default=False
        Drop the 3 s pre-trial baseline (the first 384 samples).
    threshold : float, default=5.0
        Ratings above it are "high" in the derived binary tasks.
    allow_pickle : bool, default=False
        Must be True: the files are pickles, and unpickling can run code.
    sha256 : dict, default=None
        Expected SHA-256 digests ``{file name: digest}``.

    Returns
    -------
    data : Bunch
        frame (= data) : DataFrame, one column per modality, cells
        ``(channels, samples)`` arrays; target : ndarray (n, 4) -- the ratings;
        targets : DataFrame -- ratings, ``valence_high``, ``arousal_high``,
        ``quadrant``; groups : participant ids; trials : trial index 1-40;
        ids : ``"<participant>_<trial>"`` (``"s01_01"``, ...);
        split : None; channel_names : ``{modality: [channel names]}``;
        sfreq : 128.0; feature_names; DESCR.

    Examples
    --------
    >>> import os, pickle, tempfile
    >>> import numpy as np
    >>> from skmer.datasets import load_deap
    >>> # 2 trials here to stay small; the release has 40 per participant
    >>> rec = {"data": np.zeros((2, 40, 8064)), "labels": np.full((2, 4), 7.0)}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     pickle.dump(rec, open(os.path.join(tmp, "s01.dat"), "wb"))
    ...     deap = load_deap(tmp, modalities=["eeg", "gsr"], allow_pickle=True,
    ...                      remove_baseline=True)
    >>> deap.frame.shape, deap.frame.loc[0, "eeg"].shape
    ((2, 2), (32, 7680))
    >>> int(deap.targets["quadrant"][0]), deap.groups[0]
    (3, 's01')
    """
    corpus = "DEAP"
    where = _resolve_path(
        path,
        data_home,
        "deap",
        "the folder data_preprocessed_python with s01.dat ... s32.dat",
        corpus,
    )
    if modalities is None:
        modalities = list(DEAP_MODALITIES)
    elif isinstance(modalities, str):
        modalities = [modalities]
    unknown = [m for m in modalities if m not in DEAP_MODALITIES]
    if unknown or not modalities:
        raise ValueError(
            f"modalities must be a non-empty list among {list(DEAP_MODALITIES)}; "
            f"got {list(modalities)}."
        )
    if subjects is None:
        files = sorted(Path(where).glob("s[0-9][0-9].dat"))
        if not files:
            raise FileNotFoundError(
                f"{corpus}: no sXX.dat files in {where}; expected DEAP's "
                "data_preprocessed_python folder (s01.dat ... s32.dat)."
            )
    else:
        subjects = np.ravel(subjects).tolist()
        bad = [
            s
            for s in subjects
            if isinstance(s, bool)
            or not isinstance(s, int)
            or not 1 <= s <= _N_SUBJECTS
        ]
        if bad or len(set(subjects)) != len(subjects) or not subjects:
            raise ValueError(
                f"subjects must lie in 1..{_N_SUBJECTS}, as distinct integers; "
                f"got {subjects}."
            )
        files = [Path(where) / f"s{int(s):02d}.dat" for s in subjects]
        absent = [f.name for f in files if not f.is_file()]
        if absent:
            raise FileNotFoundError(f"{corpus}: {absent} not found in {where}.")
    start = int(_BASELINE_S * _SFREQ) if remove_baseline else 0
    columns = {m: [] for m in modalities}
    ratings, groups, trials = [], [], []
    for file in files:
        verify_checksum(file, _checksum_for(sha256 or {}, file))
        rec = _load_pickle(file, allow_pickle=allow_pickle, corpus=corpus)
        if not isinstance(rec, dict) or not {"data", "labels"} <= set(rec):
            raise ValueError(
                f"{corpus}: {file} does not hold a dict with 'data' and 'labels'."
            )
        data, labels = np.asarray(rec["data"]), np.asarray(rec["labels"], dtype=float)
        if data.ndim != 3 or data.shape[1] != len(DEAP_CHANNELS):
            raise ValueError(
                f"{corpus}: 'data' of {file} has shape {data.shape}; expected "
                f"(trials, {len(DEAP_CHANNELS)}, samples)."
            )
        if labels.shape != (data.shape[0], 4):
            raise ValueError(
                f"{corpus}: 'labels' of {file} has shape {labels.shape}; expected "
                f"({data.shape[0]}, 4)."
            )
        if data.shape[2] <= start:
            raise ValueError(
                f"{corpus}: 'data' of {file} has {data.shape[2]} samples per trial; "
                f"remove_baseline=True drops the first {start} (3 s at 128 Hz) and "
                "would leave nothing."
            )
        for m in modalities:
            columns[m].extend(
                data[t, DEAP_MODALITIES[m], start:] for t in range(data.shape[0])
            )
        ratings.append(labels)
        groups.extend([file.stem] * data.shape[0])
        trials.extend(range(1, data.shape[0] + 1))
    ratings = np.vstack(ratings)
    targets = pd.DataFrame(ratings, columns=DEAP_RATINGS)
    hv = (ratings[:, 0] > threshold).astype(int)
    ha = (ratings[:, 1] > threshold).astype(int)
    targets["valence_high"] = hv
    targets["arousal_high"] = ha
    targets["quadrant"] = 2 * hv + ha
    frame = raw_frame(columns)
    return _make_bunch(
        frame,
        target=ratings,
        targets=targets,
        target_names=list(DEAP_RATINGS),
        groups=np.array(groups, dtype=object),
        split=None,
        descr=_DESCR,
        trials=np.array(trials),
        ids=np.array([f"{g}_{t:02d}" for g, t in zip(groups, trials)], dtype=object),
        channel_names={
            m: [DEAP_CHANNELS[i] for i in DEAP_MODALITIES[m]] for m in modalities
        },
        sfreq=_SFREQ,
    )
