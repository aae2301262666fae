"""The seed's SVM and random-forest baselines as documented pipelines.

The seed's protocol for non-sequential baselines: pool each modality's
word-aligned ``(T, d)`` sequence over time (or take the utterance-level vector
as it is), concatenate the modalities (early fusion, missing blocks imputed),
standardise, and fit an SVM or a random forest.
"""

from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

from skmer.compose import ModalityEncoder
from skmer.encoders import SequencePooling, VectorEncoder
from skmer.fusion._early import (
    EarlyFusionClassifier,
    EarlyFusionRegressor,
)

_TASKS = ("classification", "regression")


def _pipeline(
    modalities, task, item, stats, skip_zero_steps, estimator, random_state=None
):
    if task not in _TASKS:
        raise ValueError(f"task must be one of {_TASKS}; got {task!r}.")
    if item not in ("sequence", "vector"):
        raise ValueError(f"item must be 'sequence' or 'vector'; got {item!r}.")
    if isinstance(modalities, str) or not modalities:
        raise ValueError(
            f"modalities must be a non-empty list of column names; got {modalities!r}."
        )
    if item == "sequence":
        encoders = {
            m: SequencePooling(stats=list(stats), skip_zero_steps=skip_zero_steps)
            for m in modalities
        }
    else:
        encoders = {m: VectorEncoder() for m in modalities}
    fusion = EarlyFusionClassifier if task == "classification" else EarlyFusionRegressor
    return Pipeline(
        [
            ("encode", ModalityEncoder(encoders)),
            ("fuse", fusion(estimator, missing="indicator", random_state=random_state)),
        ]
    )


def make_svm_baseline(
    modalities,
    *,
    task="classification",
    item="sequence",
    stats=("mean", "std"),
    skip_zero_steps=False,
    C=1.0,
    kernel="rbf",
    gamma="scale",
):
    """Build the seed's SVM baseline: pooled modalities, early fusion, SVM.

    Parameters
    ----------
    modalities : list of str
        Modality columns of the raw DataFrame.
    task : {"classification", "regression"}, default="classification"
        ``SVC`` or ``SVR``.
    item : {"sequence", "vector"}, default="sequence"
        Cells are ``(T, d)`` sequences pooled with
        :class:`~skmer.encoders.SequencePooling`, or utterance-level vectors
        (:class:`~skmer.encoders.VectorEncoder`).
    stats : tuple of str, default=("mean", "std")
        Pooling statistics over time (``item="sequence"``).
    skip_zero_steps : bool, default=False
        Drop all-zero (padding) steps before pooling.
    C : float, default=1.0
        SVM regularisation.
    kernel : str, default="rbf"
        SVM kernel.
    gamma : {"scale", "auto"} or float, default="scale"
        RBF kernel width.

    Returns
    -------
    pipeline : Pipeline
        ``ModalityEncoder`` -> ``EarlyFusion…(StandardScaler + SVM,
        missing="indicator")``; tune it with ``fuse__estimator__svc__C`` (or
        ``…__svr__C``).

    See Also
    --------
    make_rf_baseline : the random-forest baseline.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_classification
    >>> from skmer.fusion import make_svm_baseline
    >>> X, y = make_multimodal_classification(
    ...     n_samples=80, output="sequences", random_state=0)
    >>> svm = make_svm_baseline(["text", "audio", "video"]).fit(X, y)
    >>> svm.score(X, y) > 0.8
    True
    """
    svm = (
        SVC(C=C, kernel=kernel, gamma=gamma)
        if task == "classification"
        else SVR(C=C, kernel=kernel, gamma=gamma)
    )
    return _pipeline(
        modalities,
        task,
        item,
        stats,
        skip_zero_steps,
        make_pipeline(StandardScaler(), svm),
    )


def make_rf_baseline(
    modalities,
    *,
    task="classification",
    item="sequence",
    stats=("mean", "std"),
    skip_zero_steps=False,
    n_estimators=200,
    max_features="sqrt",
    random_state=None,
):
    """Build the seed's random-forest baseline: pooled modalities, early fusion, RF.

    Parameters
    ----------
    modalities : list of str
        Modality columns of the raw DataFrame.
    task : {"classification", "regression"}, default="classification"
        ``RandomForestClassifier`` or ``RandomForestRegressor``.
    item : {"sequence", "vector"}, default="sequence"
        ``(T, d)`` sequences pooled over time, or utterance-level vectors.
    stats : tuple of str, default=("mean", "std")
        Pooling statistics over time (``item="sequence"``).
    skip_zero_steps : bool, default=False
        Drop all-zero (padding) steps before pooling.
    n_estimators : int, default=200
        Trees.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features tried per split.
    random_state : int, RandomState instance or None, default=None
        Seeds the forest (through the fusion step's ``random_state``).

    Returns
    -------
    pipeline : Pipeline
        ``ModalityEncoder`` -> ``EarlyFusion…(RandomForest…,
        missing="indicator")``.

    See Also
    --------
    make_svm_baseline : the SVM baseline.

    Examples
    --------
    >>> from skmer.datasets import make_multimodal_regression
    >>> from skmer.fusion import make_rf_baseline
    >>> X, y = make_multimodal_regression(
    ...     n_samples=60, output="sequences", random_state=0)
    >>> rf = make_rf_baseline(["text", "audio"], task="regression", n_estimators=20,
    ...                       random_state=0).fit(X, y)
    >>> rf.predict(X[:2]).shape
    (2,)
    """
    cls = RandomForestClassifier if task == "classification" else RandomForestRegressor
    rf = cls(
        n_estimators=n_estimators, max_features=max_features, random_state=random_state
    )
    return _pipeline(modalities, task, item, stats, skip_zero_steps, rf, random_state)
