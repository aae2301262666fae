"""Robustness to missing modalities and per-modality importance."""

import numbers

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import Bunch, check_random_state

from skmer.datasets._synthetic import simulate_missing
from skmer.fusion._base import _is_raw_frame, resolve_modalities
from skmer.metrics._scorer import get_scorer
from skmer.utils._sklearn_compat import Interval, validate_params


def _layout_of(X, modalities):
    names = list(X.columns) if hasattr(X, "columns") else None
    n_features = X.shape[1]
    return resolve_modalities(modalities, names, n_features)


def _index(X, rows):
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def _fold_curve(
    estimator, X, y, train, test, modalities, names, rates, scorer, n_repeats, seed
):
    est = clone(estimator).fit(_index(X, train), y[train])
    Xt, yt = _index(X, test), y[test]
    rng = check_random_state(seed)
    scores = np.empty((len(names), len(rates), n_repeats))
    for i, name in enumerate(names):
        for j, rate in enumerate(rates):
            for r in range(n_repeats):
                Xm = simulate_missing(
                    Xt,
                    {name: rate},
                    modalities=modalities,
                    keep_one=False,
                    random_state=rng.randint(np.iinfo(np.int32).max),
                )
                scores[i, j, r] = scorer(est, Xm, yt)
    return scores.mean(axis=2)


@validate_params(
    {
        "estimator": [object],
        "X": ["array-like"],
        "y": ["array-like"],
        "groups": ["array-like", None],
        "modalities": [dict, None],
        "rates": ["array-like"],
        "which": [list, None],
        "scoring": [str, callable, None],
        "cv": ["cv_object"],
        "n_repeats": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def missing_modality_curve(
    estimator,
    X,
    y,
    *,
    groups=None,
    modalities=None,
    rates=(0.0, 0.25, 0.5, 0.75, 1.0),
    which=None,
    scoring=None,
    cv=5,
    n_repeats=1,
    n_jobs=None,
    random_state=None,
):
    """Score against the fraction of test rows that miss each modality.

    The robustness protocol popularised by MultiBench: the estimator is fitted
    on each training fold as given, and scored on the test fold after removing
    one modality from a fraction ``rate`` of its rows (:func:`simulate_missing`),
    for every modality in ``which`` and every rate.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    estimator : estimator
        An unfitted fusion estimator or pipeline.
    X : DataFrame or ndarray
        Encoded features (``"<modality>__<feature>"`` columns, or an array with
        ``modalities``) or a raw multimodal DataFrame for a pipeline that
        starts with a :class:`~skmer.compose.ModalityEncoder`.
    y : array-like of shape (n_samples,)
        Targets.
    groups : array-like of shape (n_samples,), default=None
        Group of each row (e.g. speaker), for a group splitter such as
        :class:`~sklearn.model_selection.GroupKFold` given as ``cv``.
    modalities : dict, default=None
        Layout of encoded ndarray input.
    rates : array-like of float in [0, 1], default=(0, 0.25, 0.5, 0.75, 1)
        Fractions of test rows from which the modality is removed.
    which : list of str, default=None
        Modalities to remove; None means every modality.
    scoring : str or callable, default=None
        Scorer name (skmer's or scikit-learn's) or callable; None uses the
        estimator's ``score``.
    cv : int, cross-validation generator or iterable, default=5
        Folds (see :func:`sklearn.model_selection.check_cv`).
    n_repeats : int, default=1
        Random removals averaged per rate.
    n_jobs : int, default=None
        Folds run in parallel (joblib).
    random_state : int, RandomState instance or None, default=None
        Seeds the removals.

    Returns
    -------
    result : Bunch
        ``rates`` (n_rates,), ``modalities`` (list of names), ``scores``
        (n_modalities, n_rates, n_splits), ``mean`` and ``std`` over splits
        (n_modalities, n_rates).

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import LateFusionClassifier
    >>> from skmer.inspection import missing_modality_curve
    >>> X, y = make_multimodal_classification(n_samples=200, random_state=0)
    >>> res = missing_modality_curve(LateFusionClassifier(), X, y, rates=[0, 1],
    ...                              which=["text"], cv=2, random_state=0)
    >>> res.scores.shape
    (1, 2, 2)
    >>> bool(res.mean[0, 0] >= res.mean[0, 1])
    True
    """
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or rates.size == 0 or np.any((rates < 0) | (rates > 1)):
        raise ValueError(
            f"rates must be a non-empty list of values in [0, 1]; got {rates}."
        )
    y = np.asarray(y)
    raw = _is_raw_frame(X, modalities)
    available = [str(c) for c in X.columns] if raw else list(_layout_of(X, modalities))
    names = available if which is None else list(which)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(
            f"which names unknown modalities {unknown}; X has {available}."
        )
    scorer = (
        get_scorer(scoring)
        if scoring is not None
        else (lambda est, X_, y_: est.score(X_, y_))
    )
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    seeds = check_random_state(random_state).randint(
        np.iinfo(np.int32).max, size=splitter.get_n_splits(X, y, groups)
    )
    per_fold = Parallel(n_jobs=n_jobs)(
        delayed(_fold_curve)(
            estimator,
            X,
            y,
            train,
            test,
            modalities,
            names,
            rates,
            scorer,
            n_repeats,
            seed,
        )
        for (train, test), seed in zip(splitter.split(X, y, groups), seeds)
    )
    scores = np.stack(per_fold, axis=-1)
    return Bunch(
        rates=rates,
        modalities=names,
        scores=scores,
        mean=scores.mean(axis=-1),
        std=scores.std(axis=-1),
    )


@validate_params(
    {
        "estimator": [object],
        "X": ["array-like"],
        "y": ["array-like"],
        "modalities": [dict, None],
        "scoring": [str, callable, None],
        "n_repeats": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def permutation_importance_by_modality(
    estimator,
    X,
    y,
    *,
    modalities=None,
    scoring=None,
    n_repeats=5,
    random_state=None,
):
    """Drop in score when one modality block is shuffled across rows.

    Like :func:`sklearn.inspection.permutation_importance`, but the columns of a
    modality move together (with their missing pattern), so the importance is
    that of the modality, not of single correlated features.

    Parameters
    ----------
    estimator : fitted estimator
        A fitted fusion estimator, or a pipeline over encoded or raw features.
    X : DataFrame or ndarray
        Encoded features to score on (``"<modality>__<feature>"`` columns, or an
        array with ``modalities``), or a raw multimodal DataFrame (one column
        per modality) for a pipeline that starts with a
        :class:`~skmer.compose.ModalityEncoder`.
    y : array-like of shape (n_samples,)
        Targets.
    modalities : dict, default=None
        Layout of ndarray input.
    scoring : str or callable, default=None
        Scorer; None uses the estimator's ``score``.
    n_repeats : int, default=5
        Shuffles per modality.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffles.

    Returns
    -------
    result : Bunch
        ``modalities``, ``importances`` (n_modalities, n_repeats),
        ``importances_mean``, ``importances_std`` and ``baseline_score``.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import EarlyFusionClassifier
    >>> from skmer.inspection import permutation_importance_by_modality
    >>> X, y = make_multimodal_classification(
    ...     n_samples=300, informativeness={"text": 1, "audio": 0, "video": 0},
    ...     random_state=0)
    >>> clf = EarlyFusionClassifier().fit(X, y)
    >>> res = permutation_importance_by_modality(clf, X, y, random_state=0)
    >>> res.modalities[res.importances_mean.argmax()]
    'text'
    """
    raw = _is_raw_frame(X, modalities)
    if raw:
        layout = {str(c): np.array([i]) for i, c in enumerate(X.columns)}
    else:
        layout = _layout_of(X, modalities)
    scorer = (
        get_scorer(scoring)
        if scoring is not None
        else (lambda est, X_, y_: est.score(X_, y_))
    )
    y = np.asarray(y)
    rng = check_random_state(random_state)
    base = scorer(estimator, X, y)
    # raw cells are objects (texts, arrays): shuffle them as they are
    values = np.asarray(X, dtype=object if raw else float)
    imp = np.empty((len(layout), n_repeats))
    for i, cols in enumerate(layout.values()):
        for r in range(n_repeats):
            shuffled = values.copy()
            perm = rng.permutation(values.shape[0])
            shuffled[:, cols] = values[perm][:, cols]
            Xs = (
                X.__class__(shuffled, columns=X.columns, index=X.index)
                if hasattr(X, "columns")
                else shuffled
            )
            imp[i, r] = base - scorer(estimator, Xs, y)
    return Bunch(
        modalities=list(layout),
        importances=imp,
        importances_mean=imp.mean(axis=1),
        importances_std=imp.std(axis=1),
        baseline_score=base,
    )
