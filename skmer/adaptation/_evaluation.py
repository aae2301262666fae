"""Cross-corpus evaluation: train on corpus A, adapt with unlabelled B, score on B."""

import inspect

import numpy as np
import pandas as pd
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.utils import Bunch


def _accepts_domain(estimator):
    try:
        return "sample_domain" in inspect.signature(estimator.fit).parameters
    except (TypeError, ValueError):
        return False


def _stack(a, b):
    if isinstance(a, pd.DataFrame):
        if not isinstance(b, pd.DataFrame) or list(a.columns) != list(b.columns):
            raise ValueError(
                "X_source and X_target must have the same columns, in the same order."
            )
        return pd.concat([a, b], ignore_index=True)
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(
            f"X_source and X_target must be 2-D with the same number of columns; got "
            f"shapes {a.shape} and {b.shape}."
        )
    return np.vstack([a, b])


def cross_corpus_score(
    estimator,
    X_source,
    y_source,
    X_target,
    y_target,
    *,
    scoring=None,
    adapt=True,
    source_domain=None,
):
    """Train on a source corpus, adapt with the unlabelled target, score on the target.

    When ``adapt`` is True and ``estimator.fit`` takes ``sample_domain`` (e.g.
    :class:`DomainAdaptationClassifier`, :class:`DANNClassifier`), it is fitted
    on the source and target rows together with skada's convention: source
    rows ``sample_domain > 0`` with their labels, target rows
    ``sample_domain = -1`` with masked labels (-1, or NaN for regressors). The
    target labels are only used for scoring. Otherwise (or with
    ``adapt=False``, the direct-transfer baseline) it is fitted on the source
    rows alone.

    Parameters
    ----------
    estimator : estimator
        Unfitted estimator (cloned).
    X_source, y_source : array-like or DataFrame, array-like
        Labelled source corpus (or corpora; see ``source_domain``).
    X_target, y_target : array-like or DataFrame, array-like
        Target corpus; ``y_target`` is used only to score.
    scoring : str or callable, default=None
        Scorer; None uses ``"balanced_accuracy"`` (unweighted accuracy, UA)
        for classifiers and the estimator's ``score`` (R²) otherwise.
    adapt : bool, default=True
        Give the estimator the unlabelled target rows.
    source_domain : array-like of shape (n_source,), default=None
        Positive domain ids of the source rows, to pass several source corpora
        (multi-source adaptation); None makes them one source domain (1).

    Returns
    -------
    result : Bunch
        ``score`` (on the target corpus), ``estimator`` (fitted) and
        ``adapted`` (whether the target rows were used in fit).

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.adaptation import DomainAdaptationClassifier, cross_corpus_score
    >>> from skmer.datasets import make_multimodal_classification
    >>> X, y = make_multimodal_classification(n_samples=300, random_state=0)
    >>> XA, yA, XB, yB = X[:150], y[:150], X[150:] * 2.0 + 1.0, y[150:]
    >>> res = cross_corpus_score(DomainAdaptationClassifier(), XA, yA, XB, yB)
    >>> res.adapted, 0.5 < res.score <= 1.0
    (True, True)
    """
    est = clone(estimator)
    n_src = len(y_source)
    if source_domain is None:
        source_domain = np.ones(n_src, dtype=int)
    source_domain = np.asarray(source_domain)
    if source_domain.shape != (n_src,) or np.any(source_domain <= 0):
        raise ValueError(
            "source_domain must hold one positive domain id per source row; got "
            f"shape {source_domain.shape}."
        )
    if scoring is None and is_classifier(est):
        scoring = "balanced_accuracy"
    scorer = check_scoring(est, scoring=scoring)
    adapted = bool(adapt and _accepts_domain(est))
    if adapted:
        n_tgt = len(y_target)
        X = _stack(X_source, X_target)
        y_src = np.asarray(y_source)
        mask = -1 if is_classifier(est) else np.nan
        masked = np.full(
            (n_tgt,) + y_src.shape[1:], mask, dtype=np.result_type(y_src, type(mask))
        )
        y = np.concatenate([y_src, masked])
        domain = np.concatenate([source_domain, -np.ones(n_tgt, dtype=int)])
        est.fit(X, y, sample_domain=domain)
    else:
        est.fit(X_source, y_source)
    return Bunch(
        score=float(scorer(est, X_target, y_target)), estimator=est, adapted=adapted
    )
