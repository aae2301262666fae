"""EEG encoder: Welch band power, differential entropy, hemispheric asymmetry."""

import re
from numbers import Real

import numpy as np
from scipy.integrate import trapezoid
from scipy.signal import welch

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import as_float_array
from skmer.utils._sklearn_compat import Interval

#: The customary EEG bands in Hz (SEED / DEAP convention).
DEFAULT_BANDS = {
    "delta": (1.0, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 14.0),
    "beta": (14.0, 31.0),
    "gamma": (31.0, 50.0),
}
_FEATURES = ("psd", "de", "dasm", "rasm")


def _is_mne(item):
    return hasattr(item, "get_data") and hasattr(item, "info")


def _auto_pairs(ch_names):
    """10-20 symmetric pairs: odd-numbered (left) with the next even (right)."""
    pairs = []
    index = {name.upper(): name for name in ch_names}
    for name in ch_names:
        m = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
        if m and int(m.group(2)) % 2 == 1:
            right = f"{m.group(1)}{int(m.group(2)) + 1}".upper()
            if right in index:
                pairs.append((name, index[right]))
    return pairs


class EEGBandEncoder(BaseModalityEncoder):
    """Band power, differential entropy and asymmetry of EEG trials.

    Each item is one trial: an array ``(n_channels, n_samples)`` sampled at
    ``sfreq``, or an :class:`mne.Epochs` / :class:`mne.io.Raw` object (its
    sampling rate and channel names are read from ``info``; band powers of
    several epochs are averaged). The power spectral density is estimated per
    channel with Welch's method (:func:`scipy.signal.welch`) and integrated
    over each band, which gives the variance of the band-passed signal.

    Features (``<feature>_<band>_<channel or pair>``):

    * ``psd``: band power (``log10`` of it with ``log_power=True``);
    * ``de``: differential entropy ``0.5 * log(2 * pi * e * P)`` with ``P`` the
      band power -- the DE of a Gaussian signal of that band variance (Duan et
      al. 2013, the SEED features);
    * ``dasm``: ``DE(left) - DE(right)`` for each symmetric channel pair;
    * ``rasm``: ``DE(left) / DE(right)`` for each pair.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    sfreq : float, default=None
        Sampling rate of array items in Hz; required for arrays, read from
        ``info`` for MNE objects (must agree when both are given).
    bands : dict of str to (float, float), default=None
        ``{name: (low, high)}`` in Hz; None uses delta 1-4, theta 4-8, alpha
        8-14, beta 14-31 and gamma 31-50 Hz. Bands must lie below ``sfreq / 2``.
    features : list of {"psd", "de", "dasm", "rasm"}, default=None
        None uses ``psd`` and ``de``, plus ``dasm`` and ``rasm`` when channel
        pairs are known.
    ch_names : list of str, default=None
        Channel names of array items (for feature names and automatic pairs).
    pairs : list of (left, right), default=None
        Channel pairs (names or indices) of the asymmetry features; None pairs
        10-20 names automatically (``F3``-``F4``, ``C3``-``C4``, ...).
    window_sec : float, default=2.0
        Welch segment length in seconds (shortened to the trial length).
    log_power : bool, default=True
        Report ``log10`` band power for ``psd``.

    Attributes
    ----------
    sfreq_ : float
        Sampling rate used.
    ch_names_ : list of str
        Channel names.
    bands_ : dict
        Bands used.
    pairs_ : list of (int, int)
        Channel index pairs of the asymmetry features.
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    PhysioEncoder : peripheral physiological signals.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import EEGBandEncoder
    >>> rng = np.random.RandomState(0)
    >>> trials = [rng.normal(size=(2, 512)), None, rng.normal(size=(2, 700))]
    >>> enc = EEGBandEncoder(sfreq=128, ch_names=["F3", "F4"]).fit(trials)
    >>> enc.transform(trials).shape
    (3, 30)
    >>> enc.get_feature_names_out()[-1]
    'rasm_gamma_F3-F4'
    """

    _parameter_constraints: dict = {
        "sfreq": [Interval(Real, 0, None, closed="neither"), None],
        "bands": [dict, None],
        "features": [list, tuple, None],
        "ch_names": [list, tuple, None],
        "pairs": [list, None],
        "window_sec": [Interval(Real, 0, None, closed="neither")],
        "log_power": ["boolean"],
    }

    def __init__(
        self,
        *,
        sfreq=None,
        bands=None,
        features=None,
        ch_names=None,
        pairs=None,
        window_sec=2.0,
        log_power=True,
    ):
        self.sfreq = sfreq
        self.bands = bands
        self.features = features
        self.ch_names = ch_names
        self.pairs = pairs
        self.window_sec = window_sec
        self.log_power = log_power

    def _check_item(self, item, index):
        if _is_mne(item):
            sfreq = float(item.info["sfreq"])
            if self.sfreq is not None and not np.isclose(sfreq, self.sfreq):
                raise ValueError(
                    f"Item {index} is sampled at {sfreq} Hz but sfreq={self.sfreq}."
                )
            data = np.asarray(item.get_data(), dtype=float)
            if data.ndim == 2:
                data = data[None]
            names = list(item.ch_names)
        else:
            if self.sfreq is None:
                raise ValueError(
                    "sfreq is required for array EEG items (only MNE objects carry "
                    "their sampling rate)."
                )
            arr = as_float_array(item, index, 2, "an EEG trial (n_channels, n_samples)")
            data, sfreq, names = arr[None], float(self.sfreq), None
        if not np.all(np.isfinite(data)):
            raise ValueError(f"Item {index} contains NaN or infinity.")
        if data.shape[-1] < 8:
            raise ValueError(f"Item {index} has only {data.shape[-1]} samples.")
        expected = getattr(self, "ch_names_", None)
        if expected is not None:
            if data.shape[1] != len(expected):
                raise ValueError(
                    f"Item {index} has {data.shape[1]} channels; the encoder was "
                    f"fitted on {len(expected)}."
                )
            if names is not None and names != expected:
                raise ValueError(
                    f"Item {index} has channels {names[:5]}...; the encoder was "
                    f"fitted on {expected[:5]}..."
                )
            if not np.isclose(sfreq, self.sfreq_):
                raise ValueError(
                    f"Item {index} is sampled at {sfreq} Hz; the encoder was fitted "
                    f"at {self.sfreq_} Hz."
                )
        return data, sfreq, names

    def _fit(self, items, y):
        data, sfreq, names = items[0]
        n_ch = data.shape[1]
        for i, (d, s, nm) in enumerate(items):
            if d.shape[1] != n_ch or not np.isclose(s, sfreq) or nm != names:
                raise ValueError(
                    f"Present item {i} differs from the first in channels or "
                    "sampling rate; every trial must share the montage and sfreq."
                )
        if names is None:
            names = (
                [str(c) for c in self.ch_names]
                if self.ch_names is not None
                else [f"ch{c}" for c in range(n_ch)]
            )
        if len(names) != n_ch:
            raise ValueError(f"ch_names has {len(names)} names for {n_ch} channels.")
        bands = DEFAULT_BANDS if self.bands is None else self.bands
        for band, lim in bands.items():
            try:
                lo, hi = (float(v) for v in lim)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"bands[{band!r}] must be (low, high); got {lim!r}."
                ) from exc
            if not 0 <= lo < hi <= sfreq / 2:
                raise ValueError(
                    f"bands[{band!r}] = {lim!r} must satisfy 0 <= low < high <= "
                    f"sfreq / 2 = {sfreq / 2}."
                )
        pairs = self._resolve_pairs(names)
        features = self.features
        if features is None:
            features = ("psd", "de", "dasm", "rasm") if pairs else ("psd", "de")
        bad = [f for f in features if f not in _FEATURES]
        if bad or not features or len(set(features)) != len(features):
            raise ValueError(
                f"features must be a non-empty list of distinct {list(_FEATURES)}; "
                f"got {list(features)}."
            )
        if {"dasm", "rasm"} & set(features) and not pairs:
            raise ValueError(
                "features 'dasm'/'rasm' need channel pairs: pass pairs=[(left, "
                "right), ...] or 10-20 channel names (ch_names)."
            )
        self.sfreq_, self.ch_names_ = sfreq, names
        self.bands_ = {b: tuple(float(v) for v in lim) for b, lim in bands.items()}
        self.pairs_, self.features_ = pairs, tuple(features)
        return self

    def _resolve_pairs(self, names):
        if self.pairs is None:
            return [(names.index(a), names.index(b)) for a, b in _auto_pairs(names)]
        out = []
        for pair in self.pairs:
            idx = []
            for ch in pair:
                if isinstance(ch, str):
                    if ch not in names:
                        raise ValueError(
                            f"pairs: unknown channel {ch!r}; channels are {names}."
                        )
                    idx.append(names.index(ch))
                elif (
                    isinstance(ch, int | np.integer)
                    and not isinstance(ch, bool)
                    and 0 <= ch < len(names)
                ):
                    idx.append(int(ch))
                else:
                    raise ValueError(
                        f"pairs: bad channel {ch!r} for {len(names)} channels."
                    )
            if len(idx) != 2:
                raise ValueError(f"pairs entries must be (left, right); got {pair!r}.")
            out.append(tuple(idx))
        return out

    def _band_power(self, data, sfreq):
        """Band power ``(n_bands, n_channels)`` of a trial, averaged over epochs."""
        nperseg = int(min(data.shape[-1], round(self.window_sec * sfreq)))
        freqs, psd = welch(data, fs=sfreq, nperseg=nperseg, axis=-1)
        psd = psd.mean(axis=0)
        out = []
        for lo, hi in self.bands_.values():
            keep = (freqs >= lo) & (freqs <= hi)
            if keep.sum() < 2:
                raise ValueError(
                    f"Band ({lo}, {hi}) Hz holds fewer than 2 Welch frequency bins "
                    f"(resolution {freqs[1]:.3g} Hz); use longer trials or window_sec."
                )
            out.append(trapezoid(psd[:, keep], freqs[keep], axis=-1))
        return np.maximum(np.asarray(out), 1e-30)

    def _transform(self, items):
        rows = []
        left = [a for a, _ in self.pairs_]
        right = [b for _, b in self.pairs_]
        for data, sfreq, _ in items:
            power = self._band_power(data, sfreq)
            de = 0.5 * np.log(2 * np.pi * np.e * power)
            parts = []
            for f in self.features_:
                if f == "psd":
                    parts.append(np.log10(power) if self.log_power else power)
                elif f == "de":
                    parts.append(de)
                elif f == "dasm":
                    parts.append(de[:, left] - de[:, right])
                else:
                    parts.append(de[:, left] / de[:, right])
            rows.append(np.concatenate([p.ravel() for p in parts]))
        return np.vstack(rows)

    def _feature_names(self):
        names = []
        pair_names = [
            f"{self.ch_names_[a]}-{self.ch_names_[b]}" for a, b in self.pairs_
        ]
        for f in self.features_:
            cols = self.ch_names_ if f in ("psd", "de") else pair_names
            names += [f"{f}_{band}_{c}" for band in self.bands_ for c in cols]
        return names
