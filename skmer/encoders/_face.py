"""Face encoder: facial landmark geometry and action-unit statistics over time."""

import os
import re
from numbers import Real

import numpy as np
import pandas as pd

from skmer.base import BaseModalityEncoder
from skmer.encoders._common import (
    as_float_array,
    check_stats,
    functionals,
    stat_names,
)
from skmer.utils._sklearn_compat import Interval, StrOptions

#: Geometric features of the 68-point iBUG scheme (after normalisation).
IBUG68_FEATURES = (
    "eye_open_right",
    "eye_open_left",
    "brow_raise_right",
    "brow_raise_left",
    "brow_gap",
    "mouth_width",
    "mouth_open",
    "lip_height",
    "smile",
    "nose_mouth",
    "jaw_drop",
    "lip_corner_angle_right",
    "lip_corner_angle_left",
    "head_roll",
)
_AU_RE = re.compile(r"^AU(\d+)(_r)?$")
_AU_STATS = ("mean", "std", "max", "active", "speed")


def _dist(P, a, b):
    return np.linalg.norm(P[:, a] - P[:, b], axis=-1)


def _angle(P, at, a, b):
    u, v = P[:, a] - P[:, at], P[:, b] - P[:, at]
    cos = (u * v).sum(-1) / (
        np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1) + 1e-12
    )
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def normalise_ibug68(L):
    """Centre on the eye midpoint, rotate the eye line horizontal, scale by the IOD."""
    right_eye, left_eye = L[:, 36:42].mean(1), L[:, 42:48].mean(1)
    d = left_eye - right_eye
    iod = np.linalg.norm(d, axis=-1)
    if np.any(iod <= 0):
        raise ValueError("landmarks with zero inter-ocular distance")
    roll = np.arctan2(d[:, 1], d[:, 0])
    c, s = np.cos(-roll), np.sin(-roll)
    R = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)  # (T, 2, 2)
    centre = 0.5 * (right_eye + left_eye)
    P = np.einsum("tij,tkj->tki", R, L - centre[:, None]) / iod[:, None, None]
    return P, np.degrees(roll)


def ibug68_geometry(L):
    """The 14 :data:`IBUG68_FEATURES` per frame of ``(T, 68, 2)`` landmarks."""
    P, roll = normalise_ibug68(L)
    re_c, le_c = P[:, 36:42].mean(1), P[:, 42:48].mean(1)
    mouth_centre_y = 0.5 * (P[:, 51, 1] + P[:, 57, 1])
    cols = [
        0.5 * (_dist(P, 37, 41) + _dist(P, 38, 40)),
        0.5 * (_dist(P, 43, 47) + _dist(P, 44, 46)),
        np.linalg.norm(P[:, 19] - re_c, axis=-1),
        np.linalg.norm(P[:, 24] - le_c, axis=-1),
        _dist(P, 21, 22),
        _dist(P, 48, 54),
        _dist(P, 62, 66),
        _dist(P, 51, 57),
        mouth_centre_y - 0.5 * (P[:, 48, 1] + P[:, 54, 1]),  # image y points down
        _dist(P, 33, 51),
        _dist(P, 27, 8),
        _angle(P, 48, 50, 58),
        _angle(P, 54, 52, 56),
        roll,
    ]
    return np.stack(cols, axis=1), P


def _generic_geometry(L):
    centred = L - L.mean(axis=1, keepdims=True)
    scale = np.sqrt((centred**2).sum(-1).mean(-1))
    if np.any(scale <= 0):
        raise ValueError("landmarks collapsed to one point")
    P = centred / scale[:, None, None]
    return P.reshape(P.shape[0], -1), P


def _check_au_table(table, columns, index):
    """An AU table needs frames and finite intensities."""
    if table.shape[0] == 0:
        raise ValueError(
            f"Item {index}: the action-unit table has no rows (frames); give at "
            "least one frame, or None for a missing face."
        )
    bad = ~np.isfinite(table)
    if bad.any():
        frame, col = np.argwhere(bad)[0]
        kind = "NaN" if np.isnan(table[frame, col]) else "infinity"
        raise ValueError(
            f"Item {index}: AU intensities contain {kind} (column {columns[col]!r}, "
            f"frame {frame}); clean the tracker output first."
        )


class FaceEncoder(BaseModalityEncoder):
    """Facial geometry, expression dynamics and action-unit statistics.

    Each item describes one face video (or a single frame) by the output of a
    face tracker such as OpenFace or py-feat:

    * an array of landmarks ``(T, n_landmarks, 2)`` (or ``(n_landmarks, 2)``);
    * a DataFrame (or the path of a CSV file) with one row per frame, holding
      landmark columns ``x_0 .. x_{L-1}``, ``y_0 .. y_{L-1}`` and/or
      action-unit intensity columns ``AU01_r`` (OpenFace) or ``AU01`` (py-feat);
    * a dict ``{"landmarks": array, "aus": DataFrame}``.

    Landmark features: with the 68-point iBUG scheme, each frame is centred
    on the eye midpoint, rotated so that the eyes are level and scaled by the
    inter-ocular distance; the 14 geometric features ``eye_open_right/left``,
    ``brow_raise_right/left``, ``brow_gap``, ``mouth_width``, ``mouth_open``,
    ``lip_height``, ``smile`` (mouth-corner lift above the mouth centre),
    ``nose_mouth``, ``jaw_drop``, ``lip_corner_angle_right/left`` (degrees)
    and ``head_roll`` (degrees) are summarised with ``stats`` over frames
    (``<stat>_<feature>``). Other schemes use the normalised coordinates
    ``x<k>``/``y<k>`` (centred, unit RMS radius) instead. Dynamics:
    ``landmark_speed_mean``/``_std``/``_max``, the mean speed of the normalised
    landmarks in units per second.

    AU features, per action unit ``AU<k>``: ``mean``, ``std``, ``max``,
    ``active`` (fraction of frames with intensity >= ``au_threshold``) and
    ``speed`` (mean absolute change per second), named ``AU<k>_<stat>``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    source : {"auto", "landmarks", "aus", "both"}, default="auto"
        What to encode; ``"auto"`` uses whatever the first item holds.
    landmark_scheme : {"auto", "ibug68", "generic"}, default="auto"
        ``"auto"`` uses ``"ibug68"`` for 68 landmarks and ``"generic"``
        otherwise.
    fps : float, default=30.0
        Frame rate, for the speeds.
    stats : list of str, default=("mean", "std")
        Functionals of the geometric features, among those of
        :class:`SequencePooling` (``"mean"``, ``"std"``, ``"min"``, ``"max"``,
        ``"median"``, ``"iqr"``, ``"first"``, ``"last"``, ``"slope"``).
    au_threshold : float, default=1.0
        Intensity from which an AU counts as active (OpenFace intensities run
        0-5; use about 0.5 for py-feat's 0-1 scale).

    Attributes
    ----------
    source_ : tuple of str
        Parts encoded (``"landmarks"``, ``"aus"``).
    n_landmarks_ : int or None
        Landmarks per frame.
    au_names_ : list of str
        Action units encoded (``AU01``, ...).
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    GazeEncoder : eye movements.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.encoders import FaceEncoder
    >>> aus = pd.DataFrame({"AU06_r": [0.0, 2.0, 4.0], "AU12_r": [1.0, 1.0, 1.0]})
    >>> enc = FaceEncoder(fps=1.0).fit([aus, None])
    >>> z = enc.transform([aus])[0]
    >>> {n: round(float(v), 3) for n, v in zip(enc.get_feature_names_out()[:5], z)}
    {'AU06_mean': 2.0, 'AU06_std': 1.633, 'AU06_max': 4.0, 'AU06_active': 0.667, 'AU06_speed': 2.0}
    """

    _parameter_constraints: dict = {
        "source": [StrOptions({"auto", "landmarks", "aus", "both"})],
        "landmark_scheme": [StrOptions({"auto", "ibug68", "generic"})],
        "fps": [Interval(Real, 0, None, closed="neither")],
        "stats": [list, tuple],
        "au_threshold": [Real],
    }

    def __init__(
        self,
        *,
        source="auto",
        landmark_scheme="auto",
        fps=30.0,
        stats=("mean", "std"),
        au_threshold=1.0,
    ):
        self.source = source
        self.landmark_scheme = landmark_scheme
        self.fps = fps
        self.stats = stats
        self.au_threshold = au_threshold

    def _check_item(self, item, index):
        landmarks = aus = None
        if isinstance(item, str | os.PathLike):
            if not os.path.exists(item):
                raise ValueError(f"Item {index}: file {str(item)!r} does not exist.")
            item = pd.read_csv(item, skipinitialspace=True)
        if isinstance(item, dict):
            unknown = set(item) - {"landmarks", "aus"}
            if unknown:
                raise ValueError(
                    f"Item {index}: unknown keys {sorted(unknown)}; "
                    "expected 'landmarks' and/or 'aus'."
                )
            landmarks, aus = item.get("landmarks"), item.get("aus")
            if aus is not None and not isinstance(aus, pd.DataFrame):
                raise TypeError(
                    f"Item {index}: 'aus' must be a DataFrame with AU columns."
                )
        elif isinstance(item, pd.DataFrame):
            frame = item.rename(columns=lambda c: str(c).strip())
            xs = sorted(
                (c for c in frame if re.fullmatch(r"x_\d+", c)),
                key=lambda c: int(c[2:]),
            )
            if xs:
                ys = [f"y_{c[2:]}" for c in xs]
                if any(y not in frame for y in ys):
                    raise ValueError(
                        f"Item {index}: landmark columns x_k lack their y_k."
                    )
                landmarks = np.stack(
                    [frame[xs].to_numpy(float), frame[ys].to_numpy(float)], -1
                )
            aus = frame
        else:
            landmarks = item
        if landmarks is not None:
            landmarks = as_float_array(
                landmarks,
                index,
                (2, 3),
                "landmarks (T, n_landmarks, 2) or (n_landmarks, 2)",
            )
            if landmarks.ndim == 2:
                landmarks = landmarks[None]
            if landmarks.shape[-1] != 2:
                raise ValueError(
                    f"Item {index}: landmarks have {landmarks.shape[-1]} coordinates; "
                    "expected 2 (x, y)."
                )
        if aus is not None:
            cols = {}
            for c in aus.columns:
                m = _AU_RE.match(str(c).strip())
                if m:
                    key = f"AU{int(m.group(1)):02d}"
                    if key in cols:
                        raise ValueError(
                            f"Item {index}: columns {cols[key]!r} and {c!r} both hold "
                            f"the intensity of {key}; keep one of them."
                        )
                    cols[key] = c
            if cols:
                table = aus[list(cols.values())].to_numpy(dtype=float)
                _check_au_table(table, list(cols.values()), index)
                aus = pd.DataFrame(table, columns=list(cols))
            else:
                aus = None
        if landmarks is None and aus is None:
            raise ValueError(
                f"Item {index} holds neither landmarks nor action-unit columns "
                "(AU01_r / AU01)."
            )
        if hasattr(self, "source_"):  # fitted: the item must match the fit
            self._check_item_fitted(landmarks, aus, index)
        return landmarks, aus

    def _fit(self, items, y):
        self._stats = check_stats(self.stats)
        lm0, au0 = items[0]
        if self.source == "auto":
            source = tuple(
                p for p, v in (("landmarks", lm0), ("aus", au0)) if v is not None
            )
        elif self.source == "both":
            source = ("landmarks", "aus")
        else:
            source = (self.source,)
        n_lm, au_names = None, []
        if "landmarks" in source:
            if lm0 is None:
                raise ValueError("source needs landmarks but the first item has none.")
            n_lm = lm0.shape[1]
        if "aus" in source:
            if au0 is None:
                raise ValueError(
                    "source needs action units but the first item has none."
                )
            au_names = list(au0.columns)
        for i, (lm, au) in enumerate(items):
            if n_lm is not None and (lm is None or lm.shape[1] != n_lm):
                raise ValueError(f"Present item {i} does not hold {n_lm} landmarks.")
            if au_names and (au is None or list(au.columns) != au_names):
                raise ValueError(f"Present item {i} does not hold the AUs {au_names}.")
        scheme = self.landmark_scheme
        if scheme == "auto":
            scheme = "ibug68" if n_lm == 68 else "generic"
        if scheme == "ibug68" and n_lm not in (None, 68):
            raise ValueError(
                f"landmark_scheme='ibug68' needs 68 landmarks; got {n_lm}."
            )
        self.source_, self.n_landmarks_, self.au_names_ = source, n_lm, au_names
        self._scheme = scheme
        return self

    def _check_item_fitted(self, lm, au, index):
        if "landmarks" in self.source_ and (
            lm is None or lm.shape[1] != self.n_landmarks_
        ):
            raise ValueError(
                f"Item {index} does not hold {self.n_landmarks_} landmarks."
            )
        if "aus" in self.source_ and (au is None or list(au.columns) != self.au_names_):
            raise ValueError(f"Item {index} does not hold the AUs {self.au_names_}.")

    def _transform(self, items):
        rows = []
        for index, (lm, au) in enumerate(items):
            row = []
            if "landmarks" in self.source_:
                try:
                    geo, P = (
                        ibug68_geometry(lm)
                        if self._scheme == "ibug68"
                        else _generic_geometry(lm)
                    )
                except ValueError as exc:
                    raise ValueError(f"Present item {index}: {exc}.") from exc
                row.append(functionals(geo, self._stats))
                speed = (
                    np.linalg.norm(np.diff(P, axis=0), axis=-1).mean(-1) * self.fps
                    if P.shape[0] > 1
                    else np.zeros(1)
                )
                row.append([speed.mean(), speed.std(), speed.max()])
            if "aus" in self.source_:
                A = au.to_numpy()
                speed = (
                    np.abs(np.diff(A, axis=0)).mean(0) * self.fps
                    if A.shape[0] > 1
                    else np.zeros(A.shape[1])
                )
                stats = np.stack(
                    [
                        A.mean(0),
                        A.std(0),
                        A.max(0),
                        (A >= self.au_threshold).mean(0),
                        speed,
                    ],
                    1,
                )
                row.append(stats.ravel())
            rows.append(
                np.concatenate([np.asarray(r, dtype=float).ravel() for r in row])
            )
        return np.vstack(rows)

    def _feature_names(self):
        names = []
        if "landmarks" in self.source_:
            geo = (
                IBUG68_FEATURES
                if self._scheme == "ibug68"
                else [f"{a}{k}" for k in range(self.n_landmarks_) for a in "xy"]
            )
            names += stat_names(self._stats, geo)
            names += ["landmark_speed_mean", "landmark_speed_std", "landmark_speed_max"]
        names += [f"{au}_{s}" for au in self.au_names_ for s in _AU_STATS]
        return names
