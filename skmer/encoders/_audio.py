"""Speech and audio encoders: librosa descriptors, openSMILE sets, log-mel spectrograms."""

import warnings
from numbers import Integral, Real

import numpy as np

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import (
    check_stats,
    functionals,
    load_audio,
    stat_names,
)
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval, StrOptions

_EPS = 1e-10


def log_mel_spectrogram(y, sr, *, n_mels=64, n_fft=1024, hop_length=256, fmax=None):
    """Log-mel spectrogram of a waveform (dB), as fed to the learned encoders.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Mono waveform.
    sr : int
        Sample rate in Hz.
    n_mels : int, default=64
        Number of mel bands.
    n_fft : int, default=1024
        FFT size (reduced to the signal length for shorter signals).
    hop_length : int, default=256
        Hop between frames, in samples.
    fmax : float, default=None
        Highest mel frequency; None is ``sr / 2``.

    Returns
    -------
    S : ndarray of shape (n_mels, n_frames)
        ``librosa.power_to_db`` of the mel power spectrogram (ref 1.0,
        ``top_db=80``).

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import log_mel_spectrogram
    >>> y = np.sin(2 * np.pi * 440 * np.arange(8000) / 16000)
    >>> log_mel_spectrogram(y, 16000, n_mels=32).shape
    (32, 32)
    """
    librosa = import_optional("librosa", "audio")
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"y must be a non-empty 1-D waveform; got shape {y.shape}.")
    n_fft = int(min(n_fft, max(16, 2 ** int(np.floor(np.log2(max(y.size, 16)))))))
    S = librosa.feature.melspectrogram(
        y=y, sr=sr, n_mels=n_mels, n_fft=n_fft, hop_length=hop_length, fmax=fmax
    )
    return librosa.power_to_db(S, ref=1.0, top_db=80.0)


class AudioEncoder(BaseModalityEncoder):
    """Prosodic and spectral descriptors of speech/audio, with functionals (librosa).

    Each item is a mono waveform (1-D array sampled at ``sr``) or the path of an
    audio file (read and resampled to ``sr`` by librosa). Frame-level
    low-level descriptors are computed with librosa and summarised over time
    with statistical functionals (``stats``); unvoiced frames are left out of
    the pitch statistics.

    Frame descriptors (``<stat>_<descriptor>``): ``f0`` (pitch in Hz, YIN or
    pYIN), ``log_energy`` (frame RMS in dB), ``zcr`` (zero-crossing rate),
    ``spectral_centroid`` and ``spectral_rolloff`` (Hz), ``spectral_flux``
    (L2 norm of the frame-to-frame change of the normalised magnitude
    spectrum), ``mfcc<k>`` for ``k < n_mfcc`` and, with ``deltas``,
    ``delta_mfcc<k>``. Utterance features: ``voiced_fraction``; ``jitter``
    (mean absolute difference of consecutive voiced pitch periods over the mean
    period) and ``shimmer`` (same on the frame RMS amplitudes of voiced frames)
    -- frame-level approximations of Praat's local jitter/shimmer, which
    work on individual glottal cycles; ``duration`` in seconds.

    With ``pitch_method="yin"`` a frame is voiced when its energy is within
    ``voicing_db`` dB of the loudest frame; ``"pyin"`` uses pYIN's own voicing
    decision (more robust, much slower; its first call compiles numba code).

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    sr : int, default=16000
        Sample rate of array items (file items are resampled to it).
    n_mfcc : int, default=13
        Number of MFCCs.
    deltas : bool, default=True
        Add the MFCC deltas.
    pitch_method : {"yin", "pyin"}, default="yin"
        Pitch tracker.
    fmin, fmax : float, default=65.0, 600.0
        Pitch search range in Hz.
    voicing_db : float, default=30.0
        Voicing threshold of ``"yin"`` (dB below the loudest frame).
    frame_length : int, default=1024
        Analysis frame in samples.
    hop_length : int, default=256
        Hop between frames in samples.
    stats : list of str, default=("mean", "std", "min", "max")
        Functionals among ``"mean"``, ``"std"``, ``"min"``, ``"max"``,
        ``"median"``, ``"iqr"``, ``"first"``, ``"last"`` and ``"slope"`` (the
        set :class:`SequencePooling` takes).

    Attributes
    ----------
    descriptors_ : list of str
        Frame-level descriptor names.
    n_features_out_ : int
        ``len(stats) * len(descriptors_) + 4``.

    See Also
    --------
    OpenSmileEncoder : the standard eGeMAPS / ComParE feature sets.
    log_mel_spectrogram : input of :class:`SpectrogramCNNEncoder`.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import AudioEncoder
    >>> sr = 16000
    >>> tone = 0.5 * np.sin(2 * np.pi * 220 * np.arange(sr // 2) / sr)
    >>> enc = AudioEncoder(sr=sr, n_mfcc=4).fit([tone, None])
    >>> f0 = enc.transform([tone])[0, list(enc.get_feature_names_out()).index("mean_f0")]
    >>> bool(abs(f0 - 220) < 5)
    True
    """

    _parameter_constraints: dict = {
        "sr": [Interval(Integral, 1, None, closed="left")],
        "n_mfcc": [Interval(Integral, 1, None, closed="left")],
        "deltas": ["boolean"],
        "pitch_method": [StrOptions({"yin", "pyin"})],
        "fmin": [Interval(Real, 0, None, closed="neither")],
        "fmax": [Interval(Real, 0, None, closed="neither")],
        "voicing_db": [Interval(Real, 0, None, closed="neither")],
        "frame_length": [Interval(Integral, 16, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "stats": [list, tuple],
    }

    def __init__(
        self,
        *,
        sr=16000,
        n_mfcc=13,
        deltas=True,
        pitch_method="yin",
        fmin=65.0,
        fmax=600.0,
        voicing_db=30.0,
        frame_length=1024,
        hop_length=256,
        stats=("mean", "std", "min", "max"),
    ):
        self.sr = sr
        self.n_mfcc = n_mfcc
        self.deltas = deltas
        self.pitch_method = pitch_method
        self.fmin = fmin
        self.fmax = fmax
        self.voicing_db = voicing_db
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.stats = stats

    def _check_item(self, item, index):
        y = load_audio(item, index, self.sr)
        if y.size < self.frame_length:
            raise ValueError(
                f"Item {index} has {y.size} samples, fewer than frame_length="
                f"{self.frame_length}."
            )
        return y

    def _fit(self, items, y):
        self._stats = check_stats(self.stats)
        if self.fmin >= self.fmax or self.fmax >= self.sr / 2:
            raise ValueError(
                f"Need fmin < fmax < sr / 2; got fmin={self.fmin}, fmax={self.fmax}, "
                f"sr={self.sr}."
            )
        if self.sr / self.fmin >= self.frame_length - 1:
            raise ValueError(
                f"frame_length={self.frame_length} cannot hold one period of fmin="
                f"{self.fmin} Hz at sr={self.sr}; use frame_length >= "
                f"{int(np.ceil(self.sr / self.fmin)) + 1} or a higher fmin."
            )
        librosa = import_optional("librosa", "audio")
        self._mel_basis = librosa.filters.mel(sr=self.sr, n_fft=self.frame_length)
        if self.n_mfcc > self._mel_basis.shape[0]:
            raise ValueError(
                f"n_mfcc={self.n_mfcc} exceeds the {self._mel_basis.shape[0]} mel bands "
                "the MFCCs are computed from."
            )
        names = [
            "f0",
            "log_energy",
            "zcr",
            "spectral_centroid",
            "spectral_rolloff",
            "spectral_flux",
        ]
        names += [f"mfcc{k}" for k in range(self.n_mfcc)]
        if self.deltas:
            names += [f"delta_mfcc{k}" for k in range(self.n_mfcc)]
        self.descriptors_ = names
        return self

    def _frames(self, y):
        librosa = import_optional("librosa", "audio")
        sr, n, hop = self.sr, self.frame_length, self.hop_length
        S = np.abs(librosa.stft(y, n_fft=n, hop_length=hop))
        rms = librosa.feature.rms(S=S, frame_length=n, hop_length=hop)[0]
        log_energy = 20 * np.log10(rms + _EPS)
        if self.pitch_method == "pyin":
            f0, voiced, _ = librosa.pyin(
                y, fmin=self.fmin, fmax=self.fmax, sr=sr, frame_length=n, hop_length=hop
            )
            voiced = np.asarray(voiced, dtype=bool)
        else:
            f0 = librosa.yin(
                y, fmin=self.fmin, fmax=self.fmax, sr=sr, frame_length=n, hop_length=hop
            )
            voiced = log_energy > log_energy.max() - self.voicing_db
            voiced &= rms > 1e-6
        m = min(f0.size, S.shape[1])
        f0, voiced, S, rms, log_energy = (
            f0[:m],
            voiced[:m],
            S[:, :m],
            rms[:m],
            log_energy[:m],
        )
        f0 = np.where(voiced, f0, np.nan)
        zcr = librosa.feature.zero_crossing_rate(y, frame_length=n, hop_length=hop)[0][
            :m
        ]
        centroid = librosa.feature.spectral_centroid(S=S, sr=sr, n_fft=n)[0]
        rolloff = librosa.feature.spectral_rolloff(S=S, sr=sr, n_fft=n)[0]
        P = S / (S.sum(axis=0, keepdims=True) + _EPS)
        flux = np.r_[0.0, np.sqrt((np.diff(P, axis=1) ** 2).sum(axis=0))]
        mel = self._mel_basis @ S**2  # = librosa.feature.melspectrogram(S=S**2)
        mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=self.n_mfcc)
        cols = [f0, log_energy, zcr, centroid, rolloff, flux, *mfcc]
        if self.deltas:
            width = min(9, m if m % 2 else m - 1)
            if width >= 3:
                cols += list(librosa.feature.delta(mfcc, width=width))
            else:
                cols += list(np.zeros_like(mfcc))
        return np.vstack(cols).T, voiced, rms

    def _transform(self, items):
        librosa = import_optional("librosa", "audio")
        rows = []
        for index, y in enumerate(items):
            try:
                frames, voiced, rms = self._frames(y)
            except (librosa.util.exceptions.ParameterError, ValueError) as exc:
                raise ValueError(
                    f"Present item {index} (largest magnitude {np.abs(y).max():.3g}): "
                    f"the audio features cannot be computed ({exc}); if the values "
                    "overflow, rescale the waveform."
                ) from exc
            f0 = frames[:, 0]
            rows.append(
                np.concatenate(
                    [
                        functionals(frames, self._stats),
                        [
                            voiced.mean(),
                            _perturbation(1.0 / f0[voiced]),
                            _perturbation(rms[voiced]),
                            y.size / self.sr,
                        ],
                    ]
                )
            )
        return np.vstack(rows)

    def _feature_names(self):
        return stat_names(self._stats, self.descriptors_) + [
            "voiced_fraction",
            "jitter",
            "shimmer",
            "duration",
        ]


def _perturbation(values):
    """Mean absolute difference of consecutive values over their mean (0 if < 2)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2 or values.mean() <= 0:
        return 0.0
    return float(np.abs(np.diff(values)).mean() / values.mean())


_OPENSMILE_SETS = ("eGeMAPSv02", "GeMAPSv01b", "ComParE_2016", "emobase")


class OpenSmileEncoder(BaseModalityEncoder):
    """openSMILE's standard acoustic feature sets (eGeMAPS, ComParE...) per item.

    Wraps the `opensmile <https://audeering.github.io/opensmile-python/>`_
    package, which ships the configurations of the standard sets (no
    download): eGeMAPS v02 (88 functionals; Eyben et al. 2016, the
    recommended minimal set for affective computing), GeMAPS v01b (62),
    ComParE 2016 (6373, the Interspeech challenge baseline) and emobase (988).
    Each item is a waveform at ``sr`` or an audio file path.

    Features: openSMILE's own functional names (e.g.
    ``F0semitoneFrom27.5Hz_sma3nz_amean``).

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    feature_set : {"eGeMAPSv02", "GeMAPSv01b", "ComParE_2016", "emobase"}, \
            default="eGeMAPSv02"
        The openSMILE feature set (functionals level).
    sr : int, default=16000
        Sample rate of array items (file items are resampled to it).

    Attributes
    ----------
    feature_names_ : list of str
        openSMILE's feature names.
    n_features_out_ : int
        Number of functionals of the set.

    See Also
    --------
    AudioEncoder : librosa descriptors with configurable functionals.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import OpenSmileEncoder
    >>> rng = np.random.RandomState(0)
    >>> Z = OpenSmileEncoder().fit_transform([rng.normal(size=8000), None])
    >>> Z.shape
    (2, 88)
    """

    _parameter_constraints: dict = {
        "feature_set": [StrOptions(set(_OPENSMILE_SETS))],
        "sr": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, feature_set="eGeMAPSv02", *, sr=16000):
        self.feature_set = feature_set
        self.sr = sr

    def _check_item(self, item, index):
        return load_audio(item, index, self.sr)

    def _smile(self):
        smile = getattr(self, "_smile_cache", None)
        if smile is None:
            opensmile = import_optional("opensmile", "audio")
            smile = opensmile.Smile(
                feature_set=getattr(opensmile.FeatureSet, self.feature_set),
                feature_level=opensmile.FeatureLevel.Functionals,
            )
            self._smile_cache = smile
        return smile

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_smile_cache", None)
        return state

    def _fit(self, items, y):
        self._smile_cache = None
        self.feature_names_ = list(self._smile().feature_names)
        return self

    def _transform(self, items):
        smile = self._smile()
        rows = []
        for index, y in enumerate(items):
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Segment too short")
                row = smile.process_signal(y.astype(np.float32), self.sr)
            row = row.to_numpy(dtype=float)[0]
            if np.isnan(row).all():
                # openSMILE fills a too-short segment with NaN, which would be
                # read as a missing modality
                raise ValueError(
                    f"Present item {index} ({y.size} samples, {y.size / self.sr:.3f} s) "
                    "is too short for openSMILE; mark it missing (None) or give a "
                    "longer waveform."
                )
            rows.append(row)
        return np.vstack(rows)

    def _feature_names(self):
        return self.feature_names_
