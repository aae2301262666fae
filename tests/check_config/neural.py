"""Common-check settings of the neural fusion estimators (tensor, attention)."""

from skmer.fusion import (
    AttentionFusionClassifier,
    AttentionFusionRegressor,
    TensorFusionClassifier,
    TensorFusionRegressor,
)

# small nets, few epochs and a larger learning rate keep the checks fast
_FAST = {"max_epochs": 8, "lr": 0.02, "hidden_sizes": (8,), "head_hidden_sizes": (16,),
         "dropout": 0.0, "random_state": 0}

INSTANCES = {
    "TensorFusionClassifier": [TensorFusionClassifier(**_FAST)],
    "TensorFusionRegressor": [TensorFusionRegressor(**_FAST)],
    "AttentionFusionClassifier": [AttentionFusionClassifier(**_FAST)],
    "AttentionFusionRegressor": [AttentionFusionRegressor(**_FAST)],
}

_NAN_BLOCKS = (
    "the check puts NaN into single features; skmer allows NaN only as a whole "
    "missing modality block and rejects partial NaN as a data error (DESIGN.md 1)"
)

EXPECTED_FAILED = {
    name: {
        "check_estimators_pickle": _NAN_BLOCKS,
        "check_estimators_pickle(readonly_memmap=True)": _NAN_BLOCKS,
    }
    for name in INSTANCES
}
