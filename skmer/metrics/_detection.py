"""Localisation metrics of emotion detection: events, temporal IoU, event F1.

An *event* is a run of consecutive segments (frames, windows, sentences) of one
sequence carrying one emotion: ``(sequence, start, end, label)`` with ``end``
exclusive, in segment units. Events are a DataFrame with those columns (plus
``score`` for detections) or a list of tuples.
"""

import numbers

import numpy as np
import pandas as pd

EVENT_COLUMNS = ["sequence", "start", "end", "label"]


def _events(events, param):
    if isinstance(events, pd.DataFrame):
        missing = [c for c in EVENT_COLUMNS if c not in events.columns]
        if missing:
            raise ValueError(
                f"{param} lacks the columns {missing}; events need {EVENT_COLUMNS}."
            )
        df = events
    else:
        rows = list(events)
        if any(len(r) < 4 for r in rows):
            raise ValueError(f"{param} must hold (sequence, start, end, label) tuples.")
        df = pd.DataFrame([tuple(r)[:4] for r in rows], columns=EVENT_COLUMNS)
    bad = df.index[df["end"] <= df["start"]]
    if len(bad):
        raise ValueError(
            f"{param} has events with end <= start at rows {list(bad[:5])}."
        )
    return df


def labels_to_events(labels, groups=None, *, background=None, scores=None):
    """Runs of equal per-segment labels -> events.

    Parameters
    ----------
    labels : array-like of shape (n_segments,)
        Label of each segment, in order within each sequence.
    groups : array-like of shape (n_segments,), default=None
        Sequence id of each segment; None makes all segments one sequence ``0``.
        Segments of a sequence keep their relative order.
    background : object, default=None
        The "no emotion" label; its runs are not events.
    scores : array-like of shape (n_segments,), default=None
        Per-segment confidence; an event's ``score`` is its mean.

    Returns
    -------
    events : DataFrame
        Columns ``sequence``, ``start``, ``end`` (exclusive), ``label``, ``score``;
        positions count segments within their sequence.

    Examples
    --------
    >>> from skmer.metrics import labels_to_events
    >>> labels_to_events(["n", "joy", "joy", "n", "fear"], background="n")[
    ...     ["start", "end", "label"]].values.tolist()
    [[1, 3, 'joy'], [4, 5, 'fear']]
    """
    labels = np.asarray(labels, dtype=object).ravel()
    n = labels.size
    groups = np.zeros(n, dtype=int) if groups is None else np.asarray(groups).ravel()
    scores = np.ones(n) if scores is None else np.asarray(scores, dtype=float).ravel()
    if groups.size != n or scores.size != n:
        raise ValueError(
            f"labels has {n} segments but groups has {groups.size} and scores {scores.size}."
        )
    rows = []
    for g in pd.unique(groups):
        idx = np.flatnonzero(groups == g)
        lab, sc = labels[idx], scores[idx]
        start = 0
        for i in range(1, idx.size + 1):
            if i == idx.size or lab[i] != lab[start]:
                if background is None or lab[start] != background:
                    rows.append((g, start, i, lab[start], float(sc[start:i].mean())))
                start = i
    return pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "score"])


def temporal_iou(a, b):
    """Intersection over union of two ``(start, end)`` intervals.

    Parameters
    ----------
    a, b : tuple of (float, float)
        Intervals with ``end > start``.

    Returns
    -------
    iou : float

    Examples
    --------
    >>> from skmer.metrics import temporal_iou
    >>> temporal_iou((0, 4), (2, 6))
    0.333...
    """
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return float(inter / union) if union > 0 else 0.0


def event_detection_scores(
    true_events, pred_events, *, iou_threshold=0.5, match_label=True
):
    """Event-level precision, recall and F1 of detected emotion segments.

    A detection matches a true event of the same sequence (and label, with
    ``match_label``) when their temporal IoU reaches ``iou_threshold``; each
    true event matches at most one detection (greedy, best IoU first).

    Parameters
    ----------
    true_events, pred_events : DataFrame or list of tuples
        Events ``(sequence, start, end, label)``.
    iou_threshold : float, default=0.5
        Minimum IoU of a match, in ``(0, 1]``.
    match_label : bool, default=True
        Whether a match also needs equal labels (False: localisation only).

    Returns
    -------
    scores : dict
        ``precision``, ``recall``, ``f1``, ``mean_iou`` (of the matches) and the
        counts ``n_true``, ``n_pred``, ``n_matched``.

    Examples
    --------
    >>> from skmer.metrics import event_detection_scores
    >>> true = [(0, 2, 6, "joy"), (1, 0, 3, "fear")]
    >>> pred = [(0, 3, 6, "joy"), (1, 5, 8, "fear")]
    >>> event_detection_scores(true, pred)["f1"]
    0.5
    """
    if not (isinstance(iou_threshold, numbers.Real) and 0 < iou_threshold <= 1):
        raise ValueError(f"iou_threshold must be in (0, 1]; got {iou_threshold!r}.")
    t = _events(true_events, "true_events")
    p = _events(pred_events, "pred_events")
    pairs = []
    for i, tr in enumerate(t.itertuples(index=False)):
        for j, pr in enumerate(p.itertuples(index=False)):
            if tr.sequence != pr.sequence or (match_label and tr.label != pr.label):
                continue
            iou = temporal_iou((tr.start, tr.end), (pr.start, pr.end))
            if iou >= iou_threshold:
                pairs.append((iou, i, j))
    used_t, used_p, ious = set(), set(), []
    for iou, i, j in sorted(pairs, reverse=True):
        if i not in used_t and j not in used_p:
            used_t.add(i)
            used_p.add(j)
            ious.append(iou)
    m = len(ious)
    precision = m / len(p) if len(p) else 0.0
    recall = m / len(t) if len(t) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "mean_iou": float(np.mean(ious)) if ious else 0.0,
        "n_true": len(t),
        "n_pred": len(p),
        "n_matched": m,
    }


def localization_accuracy(true_events, locations, *, match_label=True):
    """Share of sequences whose located segment lies inside a true event.

    For "which sentence of the document carries the emotion": ``locations``
    gives one segment per sequence (e.g. from
    :meth:`skmer.emotions.EmotionSegmentDetector.locate`).

    Parameters
    ----------
    true_events : DataFrame or list of tuples
        Events ``(sequence, start, end, label)``.
    locations : DataFrame or list of tuples
        ``(sequence, segment, label)`` per sequence (columns of those names).
    match_label : bool, default=True
        Whether the label must match too.

    Returns
    -------
    accuracy : float
        Over the sequences that have a true event.

    Examples
    --------
    >>> from skmer.metrics import localization_accuracy
    >>> localization_accuracy([(0, 2, 4, "joy"), (1, 0, 1, "fear")],
    ...                       [(0, 3, "joy"), (1, 2, "fear")])
    0.5
    """
    t = _events(true_events, "true_events")
    if isinstance(locations, pd.DataFrame):
        missing = [
            c for c in ("sequence", "segment", "label") if c not in locations.columns
        ]
        if missing:
            raise ValueError(
                f"locations lacks the columns {missing}; it needs sequence, segment, label."
            )
        loc = locations[["sequence", "segment", "label"]]
    else:
        loc = pd.DataFrame(
            [tuple(r)[:3] for r in locations], columns=["sequence", "segment", "label"]
        )
    dup = pd.unique(loc["sequence"][loc["sequence"].duplicated()])
    if len(dup):
        raise ValueError(
            f"locations has several rows for the sequences {dup[:5].tolist()}; it needs "
            "one segment per sequence."
        )
    found = {s: (seg, lab) for s, seg, lab in loc.itertuples(index=False)}
    sequences = pd.unique(t["sequence"])
    if not len(sequences):
        raise ValueError("true_events is empty; localisation accuracy is undefined.")
    hits = 0
    for s in sequences:
        if s not in found:
            continue
        seg, lab = found[s]
        ev = t[t["sequence"] == s]
        inside = (ev["start"] <= seg) & (seg < ev["end"])
        if match_label:
            inside &= ev["label"] == lab
        hits += bool(inside.any())
    return hits / len(sequences)
