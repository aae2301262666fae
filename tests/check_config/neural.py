"""Common-check settings of the neural fusion estimators (tensor, attention),
and the expected failure every estimator trained in mini-batches by the skorch
core shares (DANNClassifier's instance is set in ``adaptation.py``)."""

from skmer.fusion import (
    AttentionFusionClassifier,
    AttentionFusionRegressor,
    TensorFusionClassifier,
    TensorFusionRegressor,
)
from tests.check_config import nan_block_failures

# small nets, few epochs and a larger learning rate keep the checks fast
_FAST = {
    "max_epochs": 8,
    "lr": 0.02,
    "hidden_sizes": (8,),
    "head_hidden_sizes": (16,),
    "dropout": 0.0,
    "random_state": 0,
}

INSTANCES = {
    "TensorFusionClassifier": [TensorFusionClassifier(**_FAST)],
    "TensorFusionRegressor": [TensorFusionRegressor(**_FAST)],
    "AttentionFusionClassifier": [AttentionFusionClassifier(**_FAST)],
    "AttentionFusionRegressor": [AttentionFusionRegressor(**_FAST)],
}


SAMPLE_WEIGHT_EQUIVALENCE = (
    "mini-batch training: weighting a row by k is the weighted mean of each "
    "batch loss, which equals repeating the row k times only in expectation "
    "(the repeated rows fall into other batches and change the batch count)"
)

EXPECTED_FAILED = {
    name: {
        **nan_block_failures(),
        "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_EQUIVALENCE,
    }
    for name in INSTANCES
}
# DANN trains in mini-batches on the same core since it takes sample_weight
EXPECTED_FAILED["DANNClassifier"] = {
    "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_EQUIVALENCE
}
