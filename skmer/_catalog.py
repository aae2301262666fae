"""The catalog of fusion strategies compared by the CLI, the demo and benchmarks.

One place lists every fusion strategy the package offers, with settings that
run in seconds on a few thousand rows, so that ``skmer demo``, ``skmer
benchmark`` and the scripts in ``benchmarks/`` compare the same candidates.
"""

from skmer.fusion import (
    EarlyFusionClassifier,
    EarlyFusionRegressor,
    HybridFusionClassifier,
    HybridFusionRegressor,
    LateFusionClassifier,
    LateFusionRegressor,
)


def fusion_catalog(task="classification", *, random_state=0, neural=True):
    """Named fusion estimators for a task, one per strategy.

    Parameters
    ----------
    task : {"classification", "regression"}, default="classification"
        Which estimators to return.
    random_state : int, default=0
        Seeds every estimator.
    neural : bool, default=True
        Include the torch-based fusion estimators (slower to fit).

    Returns
    -------
    catalog : dict of str to estimator
        Unfitted estimators keyed by a short strategy name.

    Examples
    --------
    >>> from skmer._catalog import fusion_catalog
    >>> "late-stacking" in fusion_catalog("classification")
    True
    """
    rs = random_state
    if task == "classification":
        cat = {
            "early": EarlyFusionClassifier(missing="indicator", random_state=rs),
            "late-soft": LateFusionClassifier(method="soft", random_state=rs),
            "late-hard": LateFusionClassifier(method="hard", random_state=rs),
            "late-weighted": LateFusionClassifier(method="weighted", random_state=rs),
            "late-variance": LateFusionClassifier(method="variance", random_state=rs),
            "late-stacking": LateFusionClassifier(method="stacking", random_state=rs),
            "hybrid": HybridFusionClassifier(method="weighted", random_state=rs),
        }
    elif task == "regression":
        cat = {
            "early": EarlyFusionRegressor(missing="indicator", random_state=rs),
            "late-average": LateFusionRegressor(method="average", random_state=rs),
            "late-median": LateFusionRegressor(method="median", random_state=rs),
            "late-weighted": LateFusionRegressor(method="weighted", random_state=rs),
            "late-variance": LateFusionRegressor(method="variance", random_state=rs),
            "late-stacking": LateFusionRegressor(method="stacking", random_state=rs),
            "hybrid": HybridFusionRegressor(method="weighted", random_state=rs),
        }
    else:
        raise ValueError(f"task must be 'classification' or 'regression'; got {task!r}.")
    return cat
