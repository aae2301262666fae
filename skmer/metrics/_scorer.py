"""Scorers of the MER metrics, usable in ``scoring=`` (alone or in dicts)."""

from sklearn.metrics import f1_score, make_scorer
from sklearn.metrics import get_scorer as sklearn_get_scorer
from sklearn.metrics import get_scorer_names as sklearn_get_scorer_names

from skmer.metrics._classification import (
    acc2_score,
    acc5_score,
    acc7_score,
    binary_f1_score,
    unweighted_accuracy,
    weighted_accuracy,
)
from skmer.metrics._ldl import LDL_SCORERS
from skmer.metrics._multilabel import MULTILABEL_SCORERS
from skmer.metrics._regression import (
    concordance_correlation_coefficient,
    pearson_correlation,
)

# Scorers by name. Sentiment scorers (acc2, acc5, acc7, binary_f1) read the
# predictions of a regressor of sentiment scores.
_SCORERS = {
    "acc2": make_scorer(acc2_score),
    "acc2_nonzero": make_scorer(acc2_score, exclude_zero=True),
    "acc5": make_scorer(acc5_score),
    "acc7": make_scorer(acc7_score),
    "binary_f1": make_scorer(binary_f1_score),
    "binary_f1_nonzero": make_scorer(binary_f1_score, exclude_zero=True),
    "ccc": make_scorer(concordance_correlation_coefficient),
    "pearson": make_scorer(pearson_correlation),
    "ua": make_scorer(unweighted_accuracy),
    "wa": make_scorer(weighted_accuracy),
    "weighted_f1": make_scorer(f1_score, average="weighted"),
    **LDL_SCORERS,
    **MULTILABEL_SCORERS,
}

_SETS = {
    "sentiment": [
        "acc2",
        "acc2_nonzero",
        "binary_f1",
        "acc7",
        "neg_mean_absolute_error",
        "pearson",
    ],
    "classification": ["wa", "ua", "weighted_f1"],
    "dimensional": ["ccc", "pearson", "neg_mean_absolute_error"],
    "ldl": [
        "neg_chebyshev",
        "neg_clark",
        "neg_canberra",
        "neg_kl_divergence",
        "cosine",
        "intersection",
    ],
    "multilabel": ["subset_accuracy", "neg_hamming_loss", "f1_micro", "f1_macro"],
}


def get_scorer(scoring):
    """Return a scorer by name: skmer's MER scorers or any of scikit-learn's.

    Parameters
    ----------
    scoring : str or callable
        A name from :func:`get_scorer_names`, or a callable returned as is.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, greater is better.

    Examples
    --------
    >>> from skmer.metrics import get_scorer
    >>> get_scorer("ccc")
    make_scorer(concordance_correlation_coefficient, response_method='predict')
    """
    if callable(scoring):
        return scoring
    if scoring in _SCORERS:
        return _SCORERS[scoring]
    try:
        return sklearn_get_scorer(scoring)
    except ValueError:
        raise ValueError(
            f"{scoring!r} is not a known scorer; skmer's are {sorted(_SCORERS)}, "
            "and every name of sklearn.metrics.get_scorer_names()."
        ) from None


def get_scorer_names():
    """Names accepted by :func:`get_scorer`: skmer's and scikit-learn's.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from skmer.metrics import get_scorer_names
    >>> "acc7" in get_scorer_names() and "accuracy" in get_scorer_names()
    True
    """
    return sorted(set(_SCORERS) | set(sklearn_get_scorer_names()))


def mer_scoring(task="sentiment"):
    """A multi-metric ``scoring`` dict of the metrics a MER task reports.

    Parameters
    ----------
    task : {"sentiment", "classification", "dimensional", "ldl", "multilabel"}, \
default="sentiment"
        ``"sentiment"``: A2 (both variants), binary weighted F1, A7, MAE and
        Pearson correlation of a sentiment-score regressor (MOSI/MOSEI
        protocol); ``"classification"``: WA, UA and weighted F1 of an emotion
        classifier (IEMOCAP/MELD protocol); ``"dimensional"``: CCC, Pearson and
        MAE of valence/arousal regression; ``"ldl"``: the six label-distribution
        measures (Chebyshev, Clark, Canberra, KL, cosine, intersection) of an
        LDL learner; ``"multilabel"``: subset accuracy, Hamming loss, micro and
        macro F1 of a multi-label classifier.

    Returns
    -------
    scoring : dict of str to callable
        For ``cross_validate(..., scoring=...)`` or ``GridSearchCV``.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import cross_validate
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.metrics import mer_scoring
    >>> X, y = make_multimodal_regression(n_samples=100, random_state=0)
    >>> res = cross_validate(Ridge(), X, y, scoring=mer_scoring("dimensional"))
    >>> sorted(k for k in res if k.startswith("test_"))
    ['test_ccc', 'test_neg_mean_absolute_error', 'test_pearson']
    """
    if task not in _SETS:
        raise ValueError(f"task must be one of {sorted(_SETS)}; got {task!r}.")
    return {name: get_scorer(name) for name in _SETS[task]}
