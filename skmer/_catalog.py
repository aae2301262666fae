"""The catalog of fusion strategies compared by the CLI, the demo and benchmarks.

One place lists every fusion strategy the package offers, with settings that
run in seconds on a few thousand rows, so that ``skmer demo``, ``skmer
benchmark`` and the scripts in ``benchmarks/`` compare the same candidates.
"""

from skmer.fusion import (
    AttentionFusionClassifier,
    AttentionFusionRegressor,
    EarlyFusionClassifier,
    EarlyFusionRegressor,
    GraphFusionClassifier,
    GraphFusionRegressor,
    HybridFusionClassifier,
    HybridFusionRegressor,
    LateFusionClassifier,
    LateFusionRegressor,
    MultipleKernelClassifier,
    MultipleKernelRegressor,
    TensorFusionClassifier,
    TensorFusionRegressor,
)

# small nets and few epochs: a fusion of a few thousand rows fits in seconds
_NEURAL = {"max_epochs": 25, "lr": 0.01, "batch_size": 64, "hidden_sizes": (8,),
           "head_hidden_sizes": (16,), "fusion_size": 16}


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
            "kernel-alignment": MultipleKernelClassifier(method="alignment", random_state=rs),
            "kernel-easymkl": MultipleKernelClassifier(method="easymkl", random_state=rs),
            "graph-snf": GraphFusionClassifier(method="snf", random_state=rs),
            "graph-learned": GraphFusionClassifier(method="learned", random_state=rs),
        }
        neural_models = {
            "tensor-tfn": TensorFusionClassifier(random_state=rs, **_NEURAL),
            "tensor-lmf": TensorFusionClassifier(rank=4, random_state=rs, **_NEURAL),
            "attention": AttentionFusionClassifier(random_state=rs, **_NEURAL),
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
            "kernel-alignment": MultipleKernelRegressor(method="alignment", random_state=rs),
            "graph-snf": GraphFusionRegressor(method="snf", random_state=rs),
            "graph-learned": GraphFusionRegressor(method="learned", random_state=rs),
        }
        neural_models = {
            "tensor-tfn": TensorFusionRegressor(random_state=rs, **_NEURAL),
            "tensor-lmf": TensorFusionRegressor(rank=4, random_state=rs, **_NEURAL),
            "attention": AttentionFusionRegressor(random_state=rs, **_NEURAL),
        }
    else:
        raise ValueError(f"task must be 'classification' or 'regression'; got {task!r}.")
    return {**cat, **neural_models} if neural else cat
