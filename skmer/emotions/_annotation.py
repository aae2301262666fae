"""Annotation aggregation: votes, label distributions, rater reliability, agreement.

Ratings are an ``(n_items, n_raters)`` array of labels; a missing rating is
``None`` or NaN. Continuous annotation (FeelTrace-style traces) is turned into
per-window labels by :func:`traces_to_windows`.
"""

import numbers
import warnings

import numpy as np
from sklearn.utils import Bunch, check_random_state


def _is_missing(value):
    return value is None or (isinstance(value, float | np.floating) and np.isnan(value))


def _ratings(ratings, param="ratings"):
    arr = np.asarray(ratings, dtype=object)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{param} must be a non-empty 2-D array (n_items, n_raters); got shape "
            f"{np.shape(ratings)}."
        )
    missing = np.vectorize(_is_missing, otypes=[bool])(arr)
    return arr, missing


def _label_set(arr, missing, labels):
    present = arr[~missing]
    if labels is None:
        seen = set(present.tolist())
        try:
            labels = sorted(seen)
        except TypeError:
            labels = sorted(seen, key=str)
        labels = np.asarray(labels, dtype=object)
    else:
        labels = np.asarray(list(labels), dtype=object)
        known = set(labels.tolist())
        unknown = sorted({str(v) for v in present.tolist() if v not in known})
        if unknown:
            raise ValueError(
                f"ratings hold labels {unknown[:5]} that are not in labels."
            )
    if len(labels) == 0:
        raise ValueError("ratings hold no rating at all (every entry is missing).")
    return labels


def _counts(arr, missing, labels):
    index = {lab: j for j, lab in enumerate(labels.tolist())}
    counts = np.zeros((arr.shape[0], len(labels)))
    rows, cols = np.nonzero(~missing)
    for r, c in zip(rows, cols):
        counts[r, index[arr[r, c]]] += 1
    return counts


def label_distribution(ratings, *, labels=None, smoothing=0.0):
    """Per-item label distributions from several raters' labels.

    The share of raters who gave each label, the target of label distribution
    learning (e.g. Emotion6, Flickr-LDL, Twitter-LDL).

    Parameters
    ----------
    ratings : array-like of shape (n_items, n_raters)
        One label per rater; None or NaN for a missing rating.
    labels : array-like, default=None
        The label set and its column order; None uses the sorted labels seen.
    smoothing : float, default=0.0
        Additive (Laplace) count added to every label before normalising.

    Returns
    -------
    distribution : ndarray of shape (n_items, n_labels)
        Rows sum to 1.
    labels : ndarray
        The column labels.

    Examples
    --------
    >>> from skmer.emotions import label_distribution
    >>> dist, labels = label_distribution([["joy", "joy", "fear", None]])
    >>> labels.tolist(), dist.round(3).tolist()
    (['fear', 'joy'], [[0.333, 0.667]])
    """
    if not (isinstance(smoothing, numbers.Real) and smoothing >= 0):
        raise ValueError(f"smoothing must be a non-negative number; got {smoothing!r}.")
    arr, missing = _ratings(ratings)
    labels = _label_set(arr, missing, labels)
    counts = _counts(arr, missing, labels) + smoothing
    totals = counts.sum(axis=1, keepdims=True)
    empty = np.flatnonzero(totals[:, 0] == 0)
    if empty.size:
        raise ValueError(
            f"Items {empty[:10].tolist()} have no rating; their distribution is undefined."
        )
    return counts / totals, labels


def majority_vote(
    ratings, *, labels=None, tie="random", abstain_label=None, random_state=None
):
    """Majority vote of raters, with an explicit policy for ties.

    Parameters
    ----------
    ratings : array-like of shape (n_items, n_raters)
        One label per rater; None or NaN for a missing rating.
    labels : array-like, default=None
        The label set, in priority order for ``tie="first"``; None uses the
        sorted labels seen.
    tie : {"random", "first", "abstain", "raise"}, default="random"
        What a tie between the most voted labels gives: one of them at random
        (seeded by ``random_state``), the first in ``labels`` order,
        ``abstain_label``, or a ``ValueError`` naming the tied items.
    abstain_label : object, default=None
        Label of tied (``tie="abstain"``) and unrated items.
    random_state : int, RandomState instance or None, default=None
        Seeds the random tie breaking.

    Returns
    -------
    labels : ndarray of shape (n_items,)
        The winning label of each item.

    Examples
    --------
    >>> from skmer.emotions import majority_vote
    >>> votes = [["joy", "joy", "anger"], ["joy", "anger", None]]
    >>> majority_vote(votes, tie="first").tolist()
    ['joy', 'anger']
    >>> majority_vote(votes, tie="abstain", abstain_label="tie").tolist()
    ['joy', 'tie']
    """
    if tie not in ("random", "first", "abstain", "raise"):
        raise ValueError(
            f"tie must be one of 'random', 'first', 'abstain', 'raise'; got {tie!r}."
        )
    arr, missing = _ratings(ratings)
    labels = _label_set(arr, missing, labels)
    counts = _counts(arr, missing, labels)
    rng = check_random_state(random_state)
    out = np.empty(arr.shape[0], dtype=object)
    top = counts.max(axis=1, keepdims=True)
    winners = (counts == top) & (top > 0)
    tied = np.flatnonzero(winners.sum(axis=1) > 1)
    if tie == "raise" and tied.size:
        raise ValueError(
            f"Items {tied[:10].tolist()} have tied majority votes and tie='raise'."
        )
    for i in range(arr.shape[0]):
        cands = np.flatnonzero(winners[i])
        if cands.size == 0 or (cands.size > 1 and tie == "abstain"):
            out[i] = abstain_label
        elif cands.size == 1 or tie == "first":
            out[i] = labels[cands[0]]
        else:
            out[i] = labels[rng.choice(cands)]
    return _as_label_array(out)


def _as_label_array(out):
    try:
        kinds = {type(v) for v in out}
        if len(kinds) == 1 and out.size:
            return np.asarray(out.tolist())
    except (TypeError, ValueError):
        pass
    return out


def dawid_skene(ratings, *, labels=None, max_iter=100, tol=1e-6, smoothing=0.01):
    """Dawid-Skene aggregation of noisy labels by rater reliability (EM).

    Each rater ``r`` has a confusion matrix ``pi[r, true, given]``; the true
    label of each item is latent. EM alternates the posterior of the true labels
    (E step) with the class priors and confusion matrices (M step), starting
    from the raters' vote shares. Reliable raters end up weighing more than
    noisy ones, unlike a majority vote.

    Parameters
    ----------
    ratings : array-like of shape (n_items, n_raters)
        One label per rater; None or NaN for a missing rating.
    labels : array-like, default=None
        The label set; None uses the sorted labels seen.
    max_iter : int, default=100
        Maximum number of EM iterations.
    tol : float, default=1e-6
        Stop when the log-likelihood improves by less than this.
    smoothing : float, default=0.01
        Pseudo-count added to each confusion-matrix cell (keeps unseen
        confusions possible).

    Returns
    -------
    result : Bunch
        ``labels`` (the predicted true label of each item), ``posterior``
        (n_items, n_labels), ``classes`` (the label set), ``priors``
        (n_labels,), ``confusion`` (n_raters, n_labels, n_labels; rows = true
        label), ``log_likelihood``, ``n_iter``.

    References
    ----------
    Dawid, A. P. & Skene, A. M. (1979). Maximum likelihood estimation of observer
    error-rates using the EM algorithm. Applied Statistics, 28(1), 20-28.

    Examples
    --------
    >>> from skmer.emotions import dawid_skene
    >>> votes = [["a", "a", "b"], ["b", "b", "a"], ["a", "a", "a"], ["b", "b", "b"]]
    >>> dawid_skene(votes).labels.tolist()
    ['a', 'b', 'a', 'b']
    """
    if not (isinstance(max_iter, numbers.Integral) and max_iter >= 1):
        raise ValueError(f"max_iter must be a positive integer; got {max_iter!r}.")
    arr, missing = _ratings(ratings)
    labels = _label_set(arr, missing, labels)
    index = {lab: j for j, lab in enumerate(labels.tolist())}
    n, n_raters = arr.shape
    k = len(labels)
    # one-hot ratings: onehot[i, r, l] = 1 when rater r gave item i label l
    onehot = np.zeros((n, n_raters, k))
    rows, cols = np.nonzero(~missing)
    onehot[rows, cols, [index[v] for v in arr[rows, cols]]] = 1.0
    counts = onehot.sum(axis=1)
    rated = counts.sum(axis=1) > 0
    T = np.where(
        rated[:, None], counts / np.maximum(counts.sum(axis=1, keepdims=True), 1), 1 / k
    )
    previous = -np.inf
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is reported)
        priors = T.mean(axis=0)
        conf = np.einsum("ij,irl->rjl", T, onehot) + smoothing
        conf /= conf.sum(axis=2, keepdims=True)
        with np.errstate(divide="ignore"):  # a label no item has gets prior 0
            log_prior = np.log(priors)
        log_post = log_prior[None] + np.einsum("irl,rjl->ij", onehot, np.log(conf))
        norm = np.logaddexp.reduce(log_post, axis=1, keepdims=True)
        T = np.exp(log_post - norm)
        ll = float(norm.sum())
        if ll - previous < tol:
            break
        previous = ll
    return Bunch(
        labels=_as_label_array(labels[T.argmax(axis=1)]),
        posterior=T,
        classes=labels,
        priors=priors,
        confusion=conf,
        log_likelihood=ll,
        n_iter=n_iter,
    )


def fleiss_kappa(ratings, *, labels=None, counts=False):
    """Fleiss' kappa: chance-corrected agreement of a fixed number of raters.

    Parameters
    ----------
    ratings : array-like
        ``(n_items, n_raters)`` labels (no missing rating: every item needs the
        same number of raters), or, with ``counts=True``, an
        ``(n_items, n_labels)`` table of how many raters gave each label.
    labels : array-like, default=None
        The label set (ignored with ``counts=True``).
    counts : bool, default=False
        Whether ``ratings`` is already a count table.

    Returns
    -------
    kappa : float
        1 for perfect agreement, 0 for chance-level agreement.

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    Psychological Bulletin, 76(5), 378-382.

    Examples
    --------
    >>> from skmer.emotions import fleiss_kappa
    >>> round(fleiss_kappa([["a", "a"], ["b", "b"], ["a", "b"]]), 3)
    0.333
    """
    if counts:
        table = np.asarray(ratings, dtype=float)
        if table.ndim != 2 or np.any(table < 0):
            raise ValueError(
                "With counts=True, ratings must be a non-negative 2-D count table."
            )
    else:
        arr, missing = _ratings(ratings)
        if missing.any():
            rows = np.flatnonzero(missing.any(axis=1))
            raise ValueError(
                f"Fleiss' kappa needs every item rated by every rater; items "
                f"{rows[:10].tolist()} miss ratings. Use krippendorff_alpha for "
                "incomplete ratings."
            )
        table = _counts(arr, missing, _label_set(arr, missing, labels))
    m = table.sum(axis=1)
    if np.any(m != m[0]) or m[0] < 2:
        raise ValueError(
            "Fleiss' kappa needs the same number (>= 2) of ratings per item; got "
            f"{sorted(set(m.tolist()))[:5]}."
        )
    m = m[0]
    p_j = table.sum(axis=0) / table.sum()
    P_i = ((table**2).sum(axis=1) - m) / (m * (m - 1))
    P_bar, P_e = P_i.mean(), (p_j**2).sum()
    if P_e == 1:
        return 1.0
    return float((P_bar - P_e) / (1 - P_e))


def krippendorff_alpha(ratings, *, level="nominal"):
    """Krippendorff's alpha: agreement of any number of raters, missing allowed.

    ``alpha = 1 - D_o / D_e`` from the coincidence matrix of the values paired
    within items, with the difference function of the measurement ``level``.

    Parameters
    ----------
    ratings : array-like of shape (n_items, n_raters)
        One value per rater; None or NaN for a missing rating. Items with fewer
        than two ratings are not pairable and are ignored.
    level : {"nominal", "ordinal", "interval", "ratio"}, default="nominal"
        Level of measurement; anything but ``"nominal"`` needs numeric values.

    Returns
    -------
    alpha : float

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
    Annenberg School for Communication, University of Pennsylvania.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import krippendorff_alpha
    >>> nan = np.nan
    >>> ratings = np.array([
    ...     [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...     [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]).T
    >>> round(krippendorff_alpha(ratings, level="nominal"), 3)
    0.743
    >>> round(krippendorff_alpha(ratings, level="interval"), 3)
    0.849
    """
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ValueError(
            "level must be one of 'nominal', 'ordinal', 'interval', 'ratio'; got "
            f"{level!r}."
        )
    arr, missing = _ratings(ratings)
    values = _label_set(arr, missing, None)
    if level != "nominal":
        try:
            values = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"level={level!r} needs numeric ratings.") from None
        values = np.unique(values)
    index = {v: j for j, v in enumerate(values.tolist())}
    k = len(values)
    o = np.zeros((k, k))
    for i in range(arr.shape[0]):
        vals = [
            index[float(v) if level != "nominal" else v] for v in arr[i][~missing[i]]
        ]
        m = len(vals)
        if m < 2:
            continue
        c = np.bincount(vals, minlength=k).astype(float)
        o += (np.outer(c, c) - np.diag(c)) / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n == 0:
        raise ValueError("No item has two or more ratings; alpha is undefined.")
    if level == "nominal":
        delta = 1.0 - np.eye(k)
    elif level == "interval":
        delta = (values[:, None] - values[None]) ** 2
    elif level == "ratio":
        s = values[:, None] + values[None]
        delta = np.divide(
            (values[:, None] - values[None]) ** 2,
            s**2,
            out=np.zeros((k, k)),
            where=s != 0,
        )
    else:
        cum = np.cumsum(n_c)
        lo, hi = (
            np.minimum.outer(np.arange(k), np.arange(k)),
            np.maximum.outer(np.arange(k), np.arange(k)),
        )
        delta = (cum[hi] - (cum[lo] - n_c[lo]) - (n_c[lo] + n_c[hi]) / 2) ** 2
    d_o = (o * delta).sum() / n
    d_e = (np.outer(n_c, n_c) * delta).sum() / (n * (n - 1))
    if d_e == 0:
        return 1.0
    return float(1 - d_o / d_e)


def rescale_ratings(ratings, *, from_range, to_range=(-1.0, 1.0)):
    """Linearly rescale Likert / SAM ratings, e.g. SAM's 1-9 onto ``[-1, 1]``.

    Parameters
    ----------
    ratings : array-like
        Ratings on ``from_range`` (NaN passes through as a missing rating).
    from_range : tuple of (float, float)
        ``(low, high)`` of the rating scale: ``(1, 9)`` for the 9-point
        Self-Assessment Manikin (Bradley & Lang, 1994), ``(1, 5)`` or ``(1, 7)``
        for Likert items, ``(-3, 3)`` for CMU-MOSI sentiment.
    to_range : tuple of (float, float), default=(-1.0, 1.0)
        The target scale.

    Returns
    -------
    rescaled : ndarray of float, same shape as ``ratings``

    Examples
    --------
    >>> from skmer.emotions import rescale_ratings
    >>> rescale_ratings([1, 3, 5, 7, 9], from_range=(1, 9)).tolist()
    [-1.0, -0.5, 0.0, 0.5, 1.0]
    """
    r = np.asarray(ratings, dtype=float)
    lo, hi = (float(v) for v in from_range)
    tlo, thi = (float(v) for v in to_range)
    if not hi > lo:
        raise ValueError(
            f"from_range must be (low, high) with low < high; got {from_range!r}."
        )
    outside = np.flatnonzero(((r < lo) | (r > hi)).ravel())
    if outside.size:
        raise ValueError(
            f"ratings {r.ravel()[outside[:5]].tolist()} lie outside from_range "
            f"{from_range!r}."
        )
    return tlo + (r - lo) * (thi - tlo) / (hi - lo)


def traces_to_windows(
    traces, *, sr, window, hop=None, lag=0.0, statistic="mean", combine="mean"
):
    """Continuous annotation traces (FeelTrace-style) -> per-window labels.

    Windows ``[t, t + window)`` start every ``hop`` seconds; each annotator's
    label for a window is the ``statistic`` of their trace over
    ``[t + lag, t + window + lag)``, compensating the annotator's reaction lag
    (annotations trail the stimulus by roughly 2-5 s in RECOLA/SEWA-style
    studies). Windows whose shifted span runs past the end of the trace are
    dropped. NaN samples of a trace are ignored.

    Parameters
    ----------
    traces : array-like of shape (n_frames,) or (n_frames, n_annotators)
        Trace values sampled at ``sr`` Hz from time 0.
    sr : float
        Sampling rate of the traces in Hz.
    window : float
        Window length in seconds.
    hop : float, default=None
        Step between window starts in seconds; None uses ``window``.
    lag : float, default=0.0
        Annotator lag in seconds (>= 0).
    statistic : {"mean", "median"}, default="mean"
        Per-annotator summary of the trace within a window.
    combine : {"mean", "median"} or None, default="mean"
        How annotators are combined; None keeps one column per annotator.

    Returns
    -------
    starts : ndarray of shape (n_windows,)
        Window start times in seconds (in stimulus time, before the lag).
    labels : ndarray of shape (n_windows,) or (n_windows, n_annotators)

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.emotions import traces_to_windows
    >>> trace = np.r_[np.zeros(4), np.ones(4)]     # 8 samples at 2 Hz = 4 s
    >>> traces_to_windows(trace, sr=2, window=2)[1].tolist()
    [0.0, 1.0]
    >>> traces_to_windows(trace, sr=2, window=1, lag=1)[1].tolist()
    [0.0, 1.0, 1.0]
    """
    tr = np.asarray(traces, dtype=float)
    one_d = tr.ndim == 1
    if one_d:
        tr = tr[:, None]
    if tr.ndim != 2 or tr.shape[0] == 0:
        raise ValueError(
            f"traces must be (n_frames,) or (n_frames, n_annotators); got {np.shape(traces)}."
        )
    for name, value in (("sr", sr), ("window", window)):
        if not (isinstance(value, numbers.Real) and value > 0):
            raise ValueError(f"{name} must be a positive number; got {value!r}.")
    hop = window if hop is None else hop
    if not (isinstance(hop, numbers.Real) and hop > 0):
        raise ValueError(f"hop must be a positive number; got {hop!r}.")
    if not (isinstance(lag, numbers.Real) and lag >= 0):
        raise ValueError(f"lag must be a non-negative number of seconds; got {lag!r}.")
    if statistic not in ("mean", "median"):
        raise ValueError(f"statistic must be 'mean' or 'median'; got {statistic!r}.")
    if combine not in ("mean", "median", None):
        raise ValueError(f"combine must be 'mean', 'median' or None; got {combine!r}.")
    n_frames = tr.shape[0]
    duration = n_frames / sr
    starts = np.arange(0.0, duration - window - lag + 1e-9, hop)
    if starts.size == 0:
        raise ValueError(
            f"The traces last {duration:g} s, too short for one window of {window:g} s "
            f"after a lag of {lag:g} s."
        )
    stat = np.nanmean if statistic == "mean" else np.nanmedian
    out = np.full((starts.size, tr.shape[1]), np.nan)
    for w, t in enumerate(starts):
        a = int(round((t + lag) * sr))
        b = min(max(int(round((t + lag + window) * sr)), a + 1), n_frames)
        seg = tr[a:b]
        ok = ~np.isnan(seg).all(axis=0)
        if ok.any():
            out[w, ok] = stat(seg[:, ok], axis=0)
    if combine is None:
        return starts, out[:, 0] if one_d else out
    comb = np.nanmean if combine == "mean" else np.nanmedian
    with warnings.catch_warnings():
        # a window no annotator covered stays NaN (all-NaN slice warning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return starts, comb(out, axis=1)
