"""Eye-movement encoder: I-VT fixations and saccades, blinks, pupil statistics."""

from numbers import Real

import numpy as np
import pandas as pd

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import as_float_array
from skmer.utils._sklearn_compat import Interval, StrOptions

GAZE_FEATURES = (
    "duration",
    "missing_fraction",
    "blink_count",
    "blink_rate",
    "blink_duration_mean",
    "fixation_count",
    "fixation_rate",
    "fixation_duration_mean",
    "fixation_duration_std",
    "fixation_dispersion_mean",
    "saccade_count",
    "saccade_rate",
    "saccade_amplitude_mean",
    "saccade_peak_velocity_mean",
    "velocity_mean",
)
PUPIL_FEATURES = ("pupil_mean", "pupil_std", "pupil_min", "pupil_max", "pupil_slope")


def _runs(mask):
    """(start, stop) index pairs of the runs of True in a boolean vector."""
    padded = np.r_[False, mask, False].astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2]))


class GazeEncoder(BaseModalityEncoder):
    """Fixations, saccades, blinks and pupil size from raw eye-tracker samples.

    Each item is one recording of gaze samples: an array ``(n_samples, 3|4)``
    with columns ``t`` (seconds, increasing), ``x``, ``y`` (gaze position,
    ideally in degrees of visual angle) and optionally ``pupil``, or a
    DataFrame with those column names. Samples lost by the tracker are NaN
    (in ``x``/``y``, or a NaN or non-positive ``pupil``); a run of lost
    samples lasting between ``min_blink`` and ``max_blink`` seconds is a
    blink. Fixations and saccades follow the velocity-threshold algorithm
    I-VT (Salvucci & Goldberg 2000): samples whose point-to-point velocity is
    below ``velocity_threshold`` belong to fixations (kept when they last at
    least ``min_fixation``), the others to saccades.

    Features: ``duration`` (s), ``missing_fraction``, ``blink_count``,
    ``blink_rate`` (per minute), ``blink_duration_mean`` (s),
    ``fixation_count``, ``fixation_rate`` (per s), ``fixation_duration_mean``/
    ``_std`` (s), ``fixation_dispersion_mean`` (x range + y range),
    ``saccade_count``, ``saccade_rate`` (per s), ``saccade_amplitude_mean``,
    ``saccade_peak_velocity_mean``, ``velocity_mean``; with a pupil column
    also ``pupil_mean``, ``pupil_std``, ``pupil_min``, ``pupil_max`` and
    ``pupil_slope`` (per s). Statistics of an event type that did not occur
    are 0.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    velocity_threshold : float, default=30.0
        I-VT threshold in position units per second (30 deg/s is customary).
    min_fixation : float, default=0.06
        Shortest fixation in seconds.
    min_blink, max_blink : float, default=0.05, 0.5
        Duration range of a blink in seconds (shorter losses are noise, longer
        ones are track loss).
    pupil : {"auto", True, False}, default="auto"
        Use the pupil column; ``"auto"`` uses it when the first item has one.

    Attributes
    ----------
    pupil_ : bool
        Whether pupil features are computed.
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    FaceEncoder : facial landmarks and action units.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import GazeEncoder
    >>> t = np.arange(0, 2, 0.01)
    >>> x = np.where(t < 1, 0.0, 10.0)          # one saccade at t = 1 s
    >>> rec = np.c_[t, x, np.zeros_like(t)]
    >>> enc = GazeEncoder().fit([rec, None])
    >>> z = dict(zip(enc.get_feature_names_out(), enc.transform([rec])[0]))
    >>> int(z["fixation_count"]), int(z["saccade_count"]), int(z["blink_count"])
    (2, 1, 0)
    """

    _parameter_constraints: dict = {
        "velocity_threshold": [Interval(Real, 0, None, closed="neither")],
        "min_fixation": [Interval(Real, 0, None, closed="left")],
        "min_blink": [Interval(Real, 0, None, closed="left")],
        "max_blink": [Interval(Real, 0, None, closed="neither")],
        "pupil": ["boolean", StrOptions({"auto"})],
    }

    def __init__(
        self,
        *,
        velocity_threshold=30.0,
        min_fixation=0.06,
        min_blink=0.05,
        max_blink=0.5,
        pupil="auto",
    ):
        self.velocity_threshold = velocity_threshold
        self.min_fixation = min_fixation
        self.min_blink = min_blink
        self.max_blink = max_blink
        self.pupil = pupil

    def _check_item(self, item, index):
        if isinstance(item, pd.DataFrame):
            missing = [c for c in ("t", "x", "y") if c not in item.columns]
            if missing:
                raise ValueError(f"Item {index} lacks gaze columns {missing}.")
            cols = ["t", "x", "y"] + (["pupil"] if "pupil" in item.columns else [])
            item = item[cols].to_numpy(dtype=float)
        arr = as_float_array(
            item,
            index,
            2,
            "gaze samples (n_samples, 3|4): t, x, y[, pupil]",
            allow_nan=True,
        )
        if arr.shape[1] not in (3, 4):
            raise ValueError(
                f"Item {index} has {arr.shape[1]} columns; expected t, x, y[, pupil]."
            )
        if getattr(self, "pupil_", False) and arr.shape[1] < 4:
            raise ValueError(
                f"Item {index} has no pupil column; the encoder was fitted with pupil "
                "features."
            )
        t = arr[:, 0]
        if arr.shape[0] < 2 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
            raise ValueError(
                f"Item {index}: the time column must hold at least 2 finite, strictly "
                "increasing values."
            )
        return arr

    def _fit(self, items, y):
        if self.min_blink >= self.max_blink:
            raise ValueError(
                f"min_blink={self.min_blink} must be below max_blink={self.max_blink}."
            )
        has = items[0].shape[1] == 4
        use = has if self.pupil == "auto" else bool(self.pupil)
        if use and any(a.shape[1] < 4 for a in items):
            raise ValueError("pupil features need a pupil column in every item.")
        self.pupil_ = use
        return self

    def _describe(self, arr):
        t, x, y = arr[:, 0], arr[:, 1], arr[:, 2]
        lost = ~(np.isfinite(x) & np.isfinite(y))
        if arr.shape[1] == 4:
            p = arr[:, 3]
            lost |= ~np.isfinite(p) | (p <= 0)
        dt = float(np.median(np.diff(t)))
        duration = t[-1] - t[0] + dt
        blinks = []
        for a, b in _runs(lost):
            length = t[b - 1] - t[a] + dt
            if self.min_blink <= length <= self.max_blink:
                blinks.append(length)
        # I-VT on consecutive valid samples
        valid = np.flatnonzero(~lost)
        fix_d, fix_disp, sac_amp, sac_peak, vel = [], [], [], [], np.zeros(0)
        n_sacc = 0
        if valid.size >= 2:
            gap = np.diff(valid) == 1
            vel_all = np.hypot(np.diff(x[valid]), np.diff(y[valid])) / np.diff(t[valid])
            vel = vel_all[gap]
            # label each interval between consecutive valid samples
            is_fast = (vel_all >= self.velocity_threshold) & gap
            is_slow = (vel_all < self.velocity_threshold) & gap
            for a, b in _runs(is_slow):
                i0, i1 = valid[a], valid[b]
                if t[i1] - t[i0] >= self.min_fixation:
                    fix_d.append(t[i1] - t[i0])
                    seg = slice(i0, i1 + 1)
                    fix_disp.append(np.ptp(x[seg]) + np.ptp(y[seg]))
            for a, b in _runs(is_fast):
                i0, i1 = valid[a], valid[b]
                n_sacc += 1
                sac_amp.append(np.hypot(x[i1] - x[i0], y[i1] - y[i0]))
                sac_peak.append(vel_all[a:b].max())
        row = [
            duration,
            lost.mean(),
            len(blinks),
            len(blinks) / duration * 60,
            np.mean(blinks) if blinks else 0.0,
            len(fix_d),
            len(fix_d) / duration,
            np.mean(fix_d) if fix_d else 0.0,
            np.std(fix_d) if fix_d else 0.0,
            np.mean(fix_disp) if fix_disp else 0.0,
            n_sacc,
            n_sacc / duration,
            np.mean(sac_amp) if sac_amp else 0.0,
            np.mean(sac_peak) if sac_peak else 0.0,
            vel.mean() if vel.size else 0.0,
        ]
        if self.pupil_:
            p = arr[~lost, 3]
            if p.size == 0:
                row += [0.0] * 5
            else:
                # least-squares slope against the samples' own times, so that
                # track losses do not compress the time axis
                tc = t[~lost] - t[~lost].mean()
                slope = float(tc @ (p - p.mean()) / (tc @ tc)) if p.size > 1 else 0.0
                row += [p.mean(), p.std(), p.min(), p.max(), slope]
        return row

    def _transform(self, items):
        return np.asarray([self._describe(a) for a in items], dtype=float)

    def _feature_names(self):
        return list(GAZE_FEATURES) + (list(PUPIL_FEATURES) if self.pupil_ else [])
