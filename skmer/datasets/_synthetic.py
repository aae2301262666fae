"""Synthetic multimodal emotion data with known structure and missing modalities.

Each modality ``m`` has ``d_m`` features: ``x_m = s_m * sep * signal_m + noise``,
where ``signal_m`` is the sample's class centroid (classification) or a linear
map of its latent targets (regression) in that modality, and ``s_m`` the
modality's informativeness. Options add complementary signal (a sample's signal
sits in one modality only), cross-modal interactions (the target is a product of
two modalities' features), inconsistency (a modality shows another class) and
missing modalities (MCAR or block patterns).
"""

import numbers

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from skmer.fusion._base import SEP, _is_raw_frame, resolve_modalities
from skmer.utils._missing import raw_frame
from skmer.utils._sklearn_compat import Interval, StrOptions, validate_params

DEFAULT_MODALITIES = {"text": 20, "audio": 10, "video": 15}
DEFAULT_INFORMATIVENESS = {"text": 1.0, "audio": 0.7, "video": 0.5}


def _per_modality(value, names, what, default=None):
    if value is None:
        value = default
    if isinstance(value, dict):
        unknown = set(value) - set(names)
        if unknown:
            raise ValueError(f"{what} names unknown modalities {sorted(unknown)}.")
        return {n: float(value.get(n, 0.0)) for n in names}
    if isinstance(value, numbers.Real):
        return {n: float(value) for n in names}
    value = list(value)
    if len(value) != len(names):
        raise ValueError(f"{what} has {len(value)} values for {len(names)} modalities.")
    return {n: float(v) for n, v in zip(names, value)}


def _missing_mask(n, names, rates, pattern, keep_one, rng):
    """(n, n_modalities) bool mask of missing blocks."""
    r = np.array([rates[m] for m in names])
    if np.any((r < 0) | (r > 1)):
        raise ValueError(f"missing rates must lie in [0, 1]; got {rates}.")
    if pattern == "mcar":
        miss = rng.random_sample((n, len(names))) < r
        if keep_one:
            everything = miss.all(axis=1)
            keep = rng.randint(len(names), size=everything.sum())
            miss[np.flatnonzero(everything), keep] = False
        return miss
    if r.sum() > 1:
        raise ValueError(
            "pattern='block' gives each row at most one missing modality, so the "
            f"missing rates must sum to at most 1; got {r.sum():.3f}."
        )
    choice = rng.choice(len(names) + 1, size=n, p=np.append(r, 1 - r.sum()))
    return choice[:, None] == np.arange(len(names))[None, :]


def _to_cells(blocks, miss, output, seq_length, rng):
    """Assemble the modality blocks into the requested DataFrame."""
    names = list(blocks)
    if output == "features":
        frames = []
        for j, m in enumerate(names):
            b = blocks[m].copy()
            b[miss[:, j]] = np.nan
            cols = [f"{m}{SEP}{i}" for i in range(b.shape[1])]
            frames.append(pd.DataFrame(b, columns=cols))
        return pd.concat(frames, axis=1)
    data = {}
    t_min, t_max = seq_length
    for j, m in enumerate(names):
        cells = []
        for i, vec in enumerate(blocks[m]):
            if miss[i, j]:
                cells.append(None)
            elif output == "vectors":
                cells.append(vec)
            else:
                t = rng.randint(t_min, t_max + 1)
                # steps scatter around the row's vector, so pooling by mean over
                # time recovers it; the steps' spread is the features' noise
                steps = vec + rng.standard_normal((t, vec.size))
                steps += vec - steps.mean(axis=0)
                cells.append(steps)
        data[m] = cells
    return raw_frame(data)


_COMMON = {
    "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
    "modalities": [dict, None],
    "informativeness": [
        dict,
        "array-like",
        Interval(numbers.Real, 0, None, closed="left"),
        None,
    ],
    "interaction": ["boolean"],
    "complementary": [Interval(numbers.Real, 0, 1, closed="both")],
    "noise": [Interval(numbers.Real, 0, None, closed="left")],
    "missing_rate": [dict, "array-like", Interval(numbers.Real, 0, 1, closed="both")],
    "missing_pattern": [StrOptions({"mcar", "block"})],
    "output": [StrOptions({"features", "vectors", "sequences"})],
    "seq_length": [tuple],
    "random_state": ["random_state"],
}


def _generate(
    n_samples, signal_of, modalities, informativeness, complementary, noise, rng
):
    """Blocks of features from per-modality signals."""
    names = list(modalities)
    s = _per_modality(
        informativeness,
        names,
        "informativeness",
        {n: DEFAULT_INFORMATIVENESS.get(n, 1.0) for n in names},
    )
    negative = {m: v for m, v in s.items() if not v >= 0}
    if negative:
        raise ValueError(f"informativeness must be >= 0 per modality; got {negative}.")
    # with `complementary`, a fraction of the samples carry their signal in one
    # randomly chosen modality only
    active = np.ones((n_samples, len(names)), dtype=bool)
    comp = rng.random_sample(n_samples) < complementary
    only = rng.randint(len(names), size=n_samples)
    active[comp] = np.arange(len(names))[None, :] == only[comp, None]
    blocks = {}
    for j, m in enumerate(names):
        d = modalities[m]
        sig = signal_of(m, d) * s[m] * active[:, j : j + 1]
        blocks[m] = sig + noise * rng.standard_normal((n_samples, d))
    return blocks


def _check_modalities(modalities):
    modalities = dict(DEFAULT_MODALITIES if modalities is None else modalities)
    for name, d in modalities.items():
        if isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1:
            raise ValueError(
                f"modalities[{name!r}] must be a positive number of features; got {d!r}."
            )
        if SEP in str(name):
            # "<modality>__<feature>" columns would be read back as another modality
            raise ValueError(
                f"modality name {name!r} must not contain {SEP!r}, the separator "
                "of the '<modality>__<feature>' column names."
            )
    if len(modalities) < 1:
        raise ValueError("modalities must name at least one modality.")
    return modalities


def _finish(blocks, n_samples, missing_rate, missing_pattern, output, seq_length, rng):
    names = list(blocks)
    rates = _per_modality(missing_rate, names, "missing_rate")
    if len(names) == 1 and any(rates.values()):
        raise ValueError(
            "missing_rate > 0 needs at least two modalities: every row keeps at "
            "least one modality, so a single modality can never be missing."
        )
    miss = _missing_mask(n_samples, names, rates, missing_pattern, True, rng)
    if (
        len(seq_length) != 2
        or not all(
            isinstance(t, numbers.Integral) and not isinstance(t, bool)
            for t in seq_length
        )
        or not 1 <= seq_length[0] <= seq_length[1]
    ):
        raise ValueError(
            f"seq_length must be (min, max) integers with 1 <= min <= max; got "
            f"{seq_length}."
        )
    return _to_cells(blocks, miss, output, seq_length, rng)


@validate_params(
    {
        **_COMMON,
        "n_classes": [Interval(numbers.Integral, 2, None, closed="left")],
        "class_sep": [Interval(numbers.Real, 0, None, closed="left")],
        "inconsistency": [Interval(numbers.Real, 0, 1, closed="both")],
        "weights": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def make_multimodal_classification(
    n_samples=500,
    *,
    n_classes=2,
    modalities=None,
    informativeness=None,
    class_sep=0.3,
    complementary=0.0,
    interaction=False,
    inconsistency=0.0,
    noise=1.0,
    weights=None,
    missing_rate=0.0,
    missing_pattern="mcar",
    output="features",
    seq_length=(5, 20),
    random_state=None,
):
    """Generate a multimodal emotion classification problem.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=500
        Number of rows.
    n_classes : int, default=2
        Number of emotion classes.
    modalities : dict, default=None
        ``{name: n_features}``; None gives ``{"text": 20, "audio": 10,
        "video": 15}``. Names must not contain ``"__"``.
    informativeness : dict, array-like or float, default=None
        Signal strength per modality (>= 0), 0 for pure noise; None gives text
        1.0, audio 0.7, video 0.5 (1.0 for other names).
    class_sep : float, default=0.3
        Scale of the class centroids (each a random unit-variance vector).
    complementary : float in [0, 1], default=0.0
        Fraction of samples whose class signal sits in one randomly chosen
        modality only, so that no single modality can classify every sample.
    interaction : bool, default=False
        If True the class depends on the product of the first features of the
        first two modalities (quantile bins of ``x_a[0] * x_b[0]``): a
        multiplicative cross-modal interaction that additive fusion cannot model.
        The centroid signal is then off, so ``weights`` and ``inconsistency``
        must stay at their defaults.
    inconsistency : float in [0, 1], default=0.0
        Fraction of samples where one random modality shows another class's
        signal (modalities that disagree).
    noise : float, default=1.0
        Standard deviation of the Gaussian noise of every feature.
    weights : array-like of shape (n_classes,), default=None
        Class proportions; None means balanced.
    missing_rate : float, dict or array-like, default=0.0
        Probability that a modality is missing in a row, overall or per modality.
        A positive rate needs at least two modalities.
    missing_pattern : {"mcar", "block"}, default="mcar"
        ``"mcar"``: each modality missing independently, but every row keeps at
        least one modality. ``"block"``: each row misses at most one modality,
        modality ``m`` with probability ``missing_rate[m]`` (rates sum to <= 1).
    output : {"features", "vectors", "sequences"}, default="features"
        ``"features"``: the encoded DataFrame with ``"<modality>__<i>"`` columns
        and all-NaN blocks for missing modalities; ``"vectors"``: a raw
        DataFrame, one column per modality, cells 1-D arrays or None;
        ``"sequences"``: cells ``(T, d)`` arrays of random length whose mean over
        time is the row's feature vector.
    seq_length : tuple (min, max), default=(5, 20)
        Range of sequence lengths (integers) for ``output="sequences"``.
    random_state : int, RandomState instance or None, default=None
        Makes the data reproducible.

    Returns
    -------
    X : DataFrame of shape (n_samples, n_columns)
        Features or raw cells, per ``output``.
    y : ndarray of shape (n_samples,)
        Class labels ``0 .. n_classes - 1``.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(
    ...     n_samples=100, missing_rate=0.3, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((100, 45), [0, 1])
    >>> X_raw, y = make_multimodal_classification(
    ...     n_samples=10, output="sequences", random_state=0)
    >>> list(X_raw.columns), X_raw.loc[0, "text"].shape[1]
    (['text', 'audio', 'video'], 20)
    """
    rng = check_random_state(random_state)
    modalities = _check_modalities(modalities)
    names = list(modalities)
    p = None if weights is None else np.asarray(weights, dtype=float)
    if p is not None:
        if p.shape != (n_classes,) or np.any(p < 0) or p.sum() <= 0:
            raise ValueError(
                f"weights must hold {n_classes} non-negative proportions; got {weights}."
            )
        p = p / p.sum()
    if interaction:
        if len(names) < 2:
            raise ValueError("interaction=True needs at least two modalities.")
        if weights is not None or inconsistency > 0:
            # the classes are then quantile bins of a product (balanced) and no
            # modality shows a class signal that could disagree
            raise ValueError(
                "weights and inconsistency have no effect with interaction=True; "
                "leave them at None and 0."
            )
        y = None
    else:
        y = rng.choice(n_classes, size=n_samples, p=p)
    shown = None if y is None else y.copy()
    flip = rng.random_sample(n_samples) < inconsistency
    flip_mod = rng.randint(len(names), size=n_samples)
    centroids = {
        m: rng.standard_normal((n_classes, d)) * class_sep
        for m, d in modalities.items()
    }

    def signal_of(m, d):
        if shown is None:
            return np.zeros((n_samples, d))
        j = names.index(m)
        cls = shown.copy()
        sel = flip & (flip_mod == j)
        cls[sel] = (cls[sel] + rng.randint(1, n_classes, size=sel.sum())) % n_classes
        return centroids[m][cls]

    blocks = _generate(
        n_samples, signal_of, modalities, informativeness, complementary, noise, rng
    )
    if interaction:
        a, b = names[0], names[1]
        z = blocks[a][:, 0] * blocks[b][:, 0]
        if n_classes == 2:
            y = (z > 0).astype(int)
        else:
            edges = np.quantile(z, np.linspace(0, 1, n_classes + 1)[1:-1])
            y = np.searchsorted(edges, z)
    X = _finish(
        blocks, n_samples, missing_rate, missing_pattern, output, seq_length, rng
    )
    return X, y


@validate_params(
    {
        **_COMMON,
        "n_targets": [Interval(numbers.Integral, 1, None, closed="left")],
        "target_noise": [Interval(numbers.Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_multimodal_regression(
    n_samples=500,
    *,
    n_targets=1,
    modalities=None,
    informativeness=None,
    complementary=0.0,
    interaction=False,
    noise=1.0,
    target_noise=0.1,
    missing_rate=0.0,
    missing_pattern="mcar",
    output="features",
    seq_length=(5, 20),
    random_state=None,
):
    """Generate a multimodal emotion regression problem (e.g. valence/arousal).

    The targets are latent standard-normal scores (``n_targets`` of them, e.g.
    3 for valence/arousal/dominance); each modality shows a random linear map of
    them scaled by its informativeness, plus noise.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=500
        Number of rows.
    n_targets : int, default=1
        Number of continuous targets.
    modalities : dict, default=None
        ``{name: n_features}``; None gives text 20, audio 10, video 15.
    informativeness : dict, array-like or float, default=None
        Signal strength per modality (>= 0); None gives text 1.0, audio 0.7,
        video 0.5.
    complementary : float in [0, 1], default=0.0
        Fraction of samples whose signal sits in one random modality only.
    interaction : bool, default=False
        If True the (single) target is ``x_a[0] * x_b[0]`` of the first two
        modalities plus noise, a multiplicative cross-modal interaction.
    noise : float, default=1.0
        Standard deviation of the feature noise.
    target_noise : float, default=0.1
        Standard deviation of noise added to the targets.
    missing_rate : float, dict or array-like, default=0.0
        Probability that a modality is missing in a row; a positive rate needs
        at least two modalities.
    missing_pattern : {"mcar", "block"}, default="mcar"
        See :func:`make_multimodal_classification`.
    output : {"features", "vectors", "sequences"}, default="features"
        See :func:`make_multimodal_classification`.
    seq_length : tuple (min, max), default=(5, 20)
        Range of sequence lengths (integers) for ``output="sequences"``.
    random_state : int, RandomState instance or None, default=None
        Makes the data reproducible.

    Returns
    -------
    X : DataFrame of shape (n_samples, n_columns)
    y : ndarray of shape (n_samples,) or (n_samples, n_targets)

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> X, y = make_multimodal_regression(n_samples=50, n_targets=3, random_state=0)
    >>> X.shape, y.shape
    ((50, 45), (50, 3))
    """
    rng = check_random_state(random_state)
    modalities = _check_modalities(modalities)
    names = list(modalities)
    if interaction and (len(names) < 2 or n_targets != 1):
        raise ValueError("interaction=True needs two modalities and n_targets=1.")
    z = rng.standard_normal((n_samples, n_targets))
    maps = {m: rng.standard_normal((n_targets, d)) for m, d in modalities.items()}

    def signal_of(m, d):
        if interaction:
            return np.zeros((n_samples, d))
        return z @ maps[m]

    blocks = _generate(
        n_samples, signal_of, modalities, informativeness, complementary, noise, rng
    )
    if interaction:
        z = blocks[names[0]][:, :1] * blocks[names[1]][:, :1]
    y = z + target_noise * rng.standard_normal(z.shape)
    X = _finish(
        blocks, n_samples, missing_rate, missing_pattern, output, seq_length, rng
    )
    return X, (y.ravel() if n_targets == 1 else y)


@validate_params(
    {
        "X": ["array-like"],
        "rates": [dict, Interval(numbers.Real, 0, 1, closed="both")],
        "modalities": [dict, None],
        "pattern": [StrOptions({"mcar", "block"})],
        "keep_one": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def simulate_missing(
    X, rates, *, modalities=None, pattern="mcar", keep_one=True, random_state=None
):
    """Remove modalities from rows at random, for robustness studies.

    Works on both data shapes: a raw DataFrame (one column per modality; removed
    cells become None) and encoded features (a DataFrame with
    ``"<modality>__<feature>"`` columns or an array with ``modalities``; removed
    blocks become NaN). Cells already missing stay missing.

    Parameters
    ----------
    X : DataFrame or array-like
        Raw multimodal DataFrame or encoded features (an array-like that is
        not a DataFrame is returned as a float ndarray).
    rates : float or dict
        Probability of removing each modality from a row, overall or
        ``{modality: rate}`` (modalities left out keep all rows).
    modalities : dict, default=None
        Layout of encoded ndarray input (see :func:`skmer.fusion.resolve_modalities`).
    pattern : {"mcar", "block"}, default="mcar"
        Independent removal per modality, or at most one removed per row.
    keep_one : bool, default=True
        With ``"mcar"``, never remove the last modality of a row that has one.
    random_state : int, RandomState instance or None, default=None
        Makes the removal reproducible.

    Returns
    -------
    X_missing : same type as X
        A copy with modalities removed.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification, simulate_missing
    >>> X, y = make_multimodal_classification(n_samples=1000, random_state=0)
    >>> Xm = simulate_missing(X, {"video": 0.5}, random_state=0)
    >>> round(float(Xm["video__0"].isna().mean()), 1)
    0.5
    """
    rng = check_random_state(random_state)
    if not isinstance(X, pd.DataFrame | np.ndarray):
        X = np.asarray(X, dtype=float)  # a list of rows: an encoded array
    raw = _is_raw_frame(X, modalities)
    if raw:
        layout = {str(c): c for c in X.columns}
        if isinstance(rates, dict):  # keyed by the column labels or their str
            rates = {str(k): v for k, v in rates.items()}
    else:
        names = list(X.columns) if isinstance(X, pd.DataFrame) else None
        arr = np.asarray(X, dtype=float)
        layout = resolve_modalities(modalities, names, arr.shape[1])
    mods = list(layout)
    if isinstance(rates, dict):
        unknown = set(rates) - set(mods)
        if unknown:
            raise ValueError(
                f"rates names unknown modalities {sorted(unknown)}; X has {mods}."
            )
    rate = _per_modality(rates, mods, "rates")
    miss = _missing_mask(len(X), mods, rate, pattern, False, rng)
    if raw:
        from skmer.utils._missing import missing_mask

        already = np.column_stack([missing_mask(X[layout[m]].tolist()) for m in mods])
    else:
        already = np.column_stack(
            [np.isnan(arr[:, layout[m]]).all(axis=1) for m in mods]
        )
    if keep_one and pattern == "mcar":
        lost_all = (miss | already).all(axis=1) & ~already.all(axis=1)
        for i in np.flatnonzero(lost_all):
            candidates = np.flatnonzero(~already[i])
            miss[i, rng.choice(candidates)] = False
    out = X.copy()
    for j, m in enumerate(mods):
        rows = np.flatnonzero(miss[:, j])
        if raw:
            col = out.columns.get_loc(layout[m])
            out[layout[m]] = out[layout[m]].astype(object)
            for r in rows:
                out.iat[r, col] = None
        elif isinstance(out, pd.DataFrame):
            out.iloc[rows, layout[m]] = np.nan
        else:
            out = out.astype(float)
            out[np.ix_(rows, layout[m])] = np.nan
    return out
