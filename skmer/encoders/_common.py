"""Shared helpers of the modality encoders: item checks and statistical functionals."""

import numpy as np

from skmer.utils._optional import import_optional

#: Statistical functionals over time, shared by every encoder that pools frames.
STATS = ("mean", "std", "min", "max", "median", "iqr", "first", "last", "slope")


def check_stats(stats, param="stats"):
    """Validate a list of functional names; return it as a tuple."""
    stats = tuple(stats)
    bad = [s for s in stats if s not in STATS]
    if bad or not stats:
        raise ValueError(
            f"{param} must be a non-empty list of {list(STATS)}; got {list(stats)}."
        )
    if len(set(stats)) != len(stats):
        raise ValueError(f"{param} has repeated entries: {list(stats)}.")
    return stats


def functionals(frames, stats):
    """Statistics over time of a ``(T, d)`` frame matrix, NaN-aware.

    NaN frames (e.g. unvoiced pitch frames) are ignored; a column without any
    finite value, or an empty matrix, gives 0 for every statistic so that a
    present item always has a finite row. Returns a vector ordered
    ``stat-major`` (all columns of the first statistic, then the next...).
    """
    frames = np.asarray(frames, dtype=float)
    if frames.ndim == 1:
        frames = frames[:, None]
    if frames.shape[0] and np.all(np.isfinite(frames)):
        return np.concatenate([_finite_stat(frames, s) for s in stats])
    out = []
    for s in stats:
        col = np.zeros(frames.shape[1])
        for j in range(frames.shape[1]):
            v = frames[:, j]
            v = v[np.isfinite(v)]
            if v.size == 0:
                continue
            if s == "mean":
                col[j] = v.mean()
            elif s == "std":
                col[j] = v.std()
            elif s == "min":
                col[j] = v.min()
            elif s == "max":
                col[j] = v.max()
            elif s == "median":
                col[j] = np.median(v)
            elif s == "iqr":
                q75, q25 = np.percentile(v, [75, 25])
                col[j] = q75 - q25
            elif s == "first":
                col[j] = v[0]
            elif s == "last":
                col[j] = v[-1]
            elif s == "slope":
                col[j] = _slope(frames[:, j])
        out.append(col)
    return np.concatenate(out) if out else np.zeros(0)


def _finite_stat(frames, s):
    """One statistic of every column of a non-empty, all-finite frame matrix."""
    if s == "iqr":
        q75, q25 = np.percentile(frames, [75, 25], axis=0)
        return q75 - q25
    if s == "first":
        return frames[0].copy()
    if s == "last":
        return frames[-1].copy()
    if s == "slope":
        t = np.arange(frames.shape[0], dtype=float)
        tc = t - t.mean()
        denom = tc @ tc
        if denom == 0:
            return np.zeros(frames.shape[1])
        return tc @ (frames - frames.mean(axis=0)) / denom
    return getattr(np, s)(frames, axis=0)


def _slope(v):
    t = np.arange(v.size, dtype=float)
    keep = np.isfinite(v)
    t, v = t[keep], v[keep]
    if v.size < 2:
        return 0.0
    tc = t - t.mean()
    return float(tc @ (v - v.mean()) / (tc @ tc))


def stat_names(stats, names):
    """Feature names matching :func:`functionals`: ``"<stat>_<name>"``."""
    return [f"{s}_{n}" for s in stats for n in names]


def as_float_array(item, index, ndims, what, *, allow_nan=False):
    """Convert an item to a float array with an accepted number of dimensions."""
    if isinstance(item, str | bytes):
        raise TypeError(f"Item {index} is a string; expected {what}.")
    try:
        arr = np.asarray(item, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"Item {index} is not numeric ({type(item).__name__}); expected {what}."
        ) from exc
    ndims = (ndims,) if isinstance(ndims, int) else tuple(ndims)
    if arr.ndim not in ndims:
        raise ValueError(f"Item {index} has shape {arr.shape}; expected {what}.")
    if arr.size == 0:
        raise ValueError(f"Item {index} is empty; expected {what}.")
    bad = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    if bad.any():
        raise ValueError(
            f"Item {index} contains NaN or infinity; mark a missing item with None "
            "or clean its values first."
        )
    return arr


def load_audio(item, index, sr):
    """A mono float waveform from an array or an audio file path (resampled to sr)."""
    import os

    if isinstance(item, str | os.PathLike):
        librosa = import_optional("librosa", "audio")
        if not os.path.exists(item):
            raise ValueError(f"Item {index}: audio file {str(item)!r} does not exist.")
        y, _ = librosa.load(item, sr=sr, mono=True)
        return np.asarray(y, dtype=float)
    y = as_float_array(item, index, 1, "a 1-D waveform or an audio file path")
    return y
