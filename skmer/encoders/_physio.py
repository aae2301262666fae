"""Peripheral physiology encoder (EDA, ECG, PPG/BVP, respiration, skin temperature)."""

import warnings
from numbers import Real

import numpy as np
import pandas as pd

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import _slope, as_float_array
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval

_HRV = ("MeanNN", "SDNN", "RMSSD", "pNN50")

#: Features of each signal type, in output order.
SIGNAL_FEATURES = {
    "ecg": ("hr_mean", "hr_std", "hr_min", "hr_max", *(f"hrv_{h}" for h in _HRV)),
    "ppg": ("hr_mean", "hr_std", "hr_min", "hr_max", *(f"hrv_{h}" for h in _HRV)),
    "eda": (
        "tonic_mean",
        "tonic_std",
        "tonic_slope",
        "phasic_std",
        "scr_count",
        "scr_rate",
        "scr_amplitude_mean",
        "scr_amplitude_max",
    ),
    "rsp": ("rate_mean", "rate_std", "amplitude_mean", "amplitude_std", "n_breaths"),
    "temp": ("mean", "std", "min", "max", "slope"),
}


def _hr_and_hrv(nk, peaks, sr, n, index, name):
    peaks = np.asarray(peaks, dtype=int)
    if peaks.size < 3:
        raise ValueError(
            f"Present item {index}: found {peaks.size} {name} beats; heart rate and HRV need "
            "at least 3 (is the signal long enough and sampling_rate right?)."
        )
    rate = nk.signal_rate(peaks, sampling_rate=sr, desired_length=n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hrv = nk.hrv_time(peaks, sampling_rate=sr)
    hrv_vals = [float(hrv[f"HRV_{h}"].iloc[0]) for h in _HRV]
    bad = [f"hrv_{h}" for h, v in zip(_HRV, hrv_vals) if not np.isfinite(v)]
    if bad:
        raise ValueError(
            f"Present item {index}: NeuroKit2 could not compute {bad} from its "
            f"{peaks.size} {name} beats (is the signal long enough and "
            "sampling_rate right?)."
        )
    return [rate.mean(), rate.std(), rate.min(), rate.max(), *hrv_vals]


def _signal_features(kind, x, sr, index):
    """Features of one signal of one kind, in SIGNAL_FEATURES order."""
    if kind == "temp":
        return [x.mean(), x.std(), x.min(), x.max(), _slope(x) * sr]
    nk = import_optional("neurokit2", "physio")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "ecg":
            clean = nk.ecg_clean(x, sampling_rate=sr)
            _, info = nk.ecg_peaks(clean, sampling_rate=sr)
            return _hr_and_hrv(nk, info["ECG_R_Peaks"], sr, x.size, index, "ECG")
        if kind == "ppg":
            clean = nk.ppg_clean(x, sampling_rate=sr)
            info = nk.ppg_findpeaks(clean, sampling_rate=sr)
            return _hr_and_hrv(nk, info["PPG_Peaks"], sr, x.size, index, "PPG")
        if kind == "eda":
            sig, info = nk.eda_process(x, sampling_rate=sr)
            tonic = sig["EDA_Tonic"].to_numpy()
            amps = np.asarray(info["SCR_Amplitude"], dtype=float)
            amps = amps[np.isfinite(amps)]
            duration_min = x.size / sr / 60
            return [
                tonic.mean(),
                tonic.std(),
                _slope(tonic) * sr,
                sig["EDA_Phasic"].std(),
                amps.size,
                amps.size / duration_min,
                amps.mean() if amps.size else 0.0,
                amps.max() if amps.size else 0.0,
            ]
        # rsp
        sig, info = nk.rsp_process(x, sampling_rate=sr)
        n_breaths = np.asarray(info["RSP_Peaks"]).size
        if n_breaths < 2:
            raise ValueError(
                f"Present item {index}: found {n_breaths} breath(s); respiration features "
                "need at least 2 (is the signal long enough?)."
            )
        rate, amp = sig["RSP_Rate"].to_numpy(), sig["RSP_Amplitude"].to_numpy()
        return [
            np.nanmean(rate),
            np.nanstd(rate),
            np.nanmean(amp),
            np.nanstd(amp),
            n_breaths,
        ]


class PhysioEncoder(BaseModalityEncoder):
    """Features of peripheral physiological signals, processed with NeuroKit2.

    Each item holds one recording of the signals named in ``signals``: a 1-D
    array when there is one signal, otherwise a dict / DataFrame with one
    entry per signal, or a 2-D array ``(n_signals, n_samples)`` in ``signals``
    order. All signals of an item share ``sampling_rate``; lengths may differ
    between items.

    Features per signal (``<signal>_<feature>``):

    * ``ecg`` (NeuroKit2 cleaning and R-peak detection) and ``ppg`` / BVP
      (systolic peaks): heart rate in bpm ``hr_mean``, ``hr_std``, ``hr_min``,
      ``hr_max`` and time-domain HRV ``hrv_MeanNN``, ``hrv_SDNN``,
      ``hrv_RMSSD`` (ms), ``hrv_pNN50`` (%);
    * ``eda`` / GSR (``eda_process``: tonic/phasic decomposition, SCR peaks):
      ``tonic_mean``, ``tonic_std``, ``tonic_slope`` (per second),
      ``phasic_std``, ``scr_count``, ``scr_rate`` (per minute),
      ``scr_amplitude_mean``, ``scr_amplitude_max`` (both 0 when the
      recording has no SCR);
    * ``rsp`` (``rsp_process``): breathing ``rate_mean``, ``rate_std`` (breaths
      per minute), ``amplitude_mean``, ``amplitude_std``, ``n_breaths``;
    * ``temp`` (skin temperature): ``mean``, ``std``, ``min``, ``max``,
      ``slope`` (per second).

    A recording too short for its features (fewer than 3 heart beats or 2
    breaths) raises a ValueError naming the item.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    signals : str or list of str, default="ecg"
        Signal kinds among ``"ecg"``, ``"ppg"``, ``"eda"``, ``"rsp"``,
        ``"temp"`` (``"bvp"`` is read as ``"ppg"``, ``"gsr"`` as ``"eda"``).
    sampling_rate : float, default=1000
        Sampling rate in Hz.

    Attributes
    ----------
    signals_ : list of str
        Normalised signal kinds.
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    EEGBandEncoder : central nervous system signals.

    Examples
    --------
    >>> import neurokit2 as nk
    >>> from skmer.encoders import PhysioEncoder
    >>> ecg = nk.ecg_simulate(duration=10, sampling_rate=250, heart_rate=72,
    ...                       random_state=0)
    >>> enc = PhysioEncoder("ecg", sampling_rate=250).fit([ecg, None])
    >>> hr = enc.transform([ecg])[0, 0]
    >>> bool(abs(hr - 72) < 3)
    True
    """

    _parameter_constraints: dict = {
        "signals": [str, list, tuple],
        "sampling_rate": [Interval(Real, 0, None, closed="neither")],
    }

    _ALIASES = {"bvp": "ppg", "gsr": "eda", "resp": "rsp", "skt": "temp"}

    def __init__(self, signals="ecg", *, sampling_rate=1000):
        self.signals = signals
        self.sampling_rate = sampling_rate

    def _names(self):
        names = [self.signals] if isinstance(self.signals, str) else list(self.signals)
        return names

    def _check_item(self, item, index):
        names = self._names()
        if isinstance(item, dict | pd.DataFrame):
            missing = [n for n in names if n not in item]
            if missing:
                raise ValueError(f"Item {index} has no signal {missing[0]!r}.")
            arrays = [item[n] for n in names]
        elif len(names) == 1:
            arrays = [item]
        else:
            arr = as_float_array(item, index, 2, f"a ({len(names)}, n_samples) array")
            if arr.shape[0] != len(names):
                raise ValueError(
                    f"Item {index} has {arr.shape[0]} rows for signals {names}."
                )
            arrays = list(arr)
        out = [as_float_array(a, index, 1, "a 1-D signal") for a in arrays]
        for a in out:
            if a.size < 2 * self.sampling_rate:
                raise ValueError(
                    f"Item {index} lasts {a.size / self.sampling_rate:.2f} s; "
                    "physiological features need at least 2 s."
                )
        return out

    def _fit(self, items, y):
        kinds = [self._ALIASES.get(n.lower(), n.lower()) for n in self._names()]
        bad = [k for k in kinds if k not in SIGNAL_FEATURES]
        if bad or not kinds or len(set(self._names())) != len(kinds):
            raise ValueError(
                f"signals must be distinct kinds among {sorted(SIGNAL_FEATURES)} "
                f"(or aliases {sorted(self._ALIASES)}); got {self.signals!r}."
            )
        if any(k != "temp" for k in kinds):
            import_optional("neurokit2", "physio")
        self.signals_ = kinds
        return self

    def _transform(self, items):
        rows = []
        for index, arrays in enumerate(items):
            row = []
            for kind, x in zip(self.signals_, arrays):
                row += _signal_features(kind, x, self.sampling_rate, index)
            rows.append(row)
        return np.asarray(rows, dtype=float)

    def _feature_names(self):
        names = self._names()
        return [
            f"{n}_{f}" for n, k in zip(names, self.signals_) for f in SIGNAL_FEATURES[k]
        ]
