"""Common-check settings of the neural fusion estimators (tensor, attention)."""

from skmer.fusion import (
    AttentionFusionClassifier,
    AttentionFusionRegressor,
    TensorFusionClassifier,
    TensorFusionRegressor,
)
from tests.check_config import nan_block_failures

# small nets, few epochs and a larger learning rate keep the checks fast
_FAST = {"max_epochs": 8, "lr": 0.02, "hidden_sizes": (8,), "head_hidden_sizes": (16,),
         "dropout": 0.0, "random_state": 0}

INSTANCES = {
    "TensorFusionClassifier": [TensorFusionClassifier(**_FAST)],
    "TensorFusionRegressor": [TensorFusionRegressor(**_FAST)],
    "AttentionFusionClassifier": [AttentionFusionClassifier(**_FAST)],
    "AttentionFusionRegressor": [AttentionFusionRegressor(**_FAST)],
}


EXPECTED_FAILED = {
    name: nan_block_failures()
    for name in INSTANCES
}
