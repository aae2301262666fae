"""Common-check settings of the end-to-end sequence models (skmer.sequence).

These estimators read the raw DataFrame of sequence (or utterance-vector, or
text) cells and declare ``two_d_array=False``, so scikit-learn runs only its
input-independent checks on them; skmer's own suite
(``skmer.utils.estimator_checks.check_sequence_estimator``, run in
tests/sequence/test_checks.py) checks their behaviour.
"""

from skmer.sequence import (
    ContextualLSTMClassifier,
    ContextualLSTMRegressor,
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
    TriModalHMMClassifier,
)

_FAST = {"hidden_size": 4, "max_epochs": 2, "random_state": 0}

INSTANCES = {
    cls.__name__: [cls(**_FAST)]
    for cls in (
        ContextualLSTMClassifier,
        ContextualLSTMRegressor,
        MemoryFusionNetworkClassifier,
        MemoryFusionNetworkRegressor,
        MultiAttentionRecurrentNetworkClassifier,
        MultiAttentionRecurrentNetworkRegressor,
        MultiViewLSTMClassifier,
        MultiViewLSTMRegressor,
    )
}
INSTANCES["TriModalHMMClassifier"] = [TriModalHMMClassifier(n_iter=2, random_state=0)]

# FT and MAG need a local model directory; the checks that run on estimators
# without 2-D input never fit, so the path is not read (behaviour tests build a
# tiny BERT: tests/sequence/test_transformer.py).
for _cls in (
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
):
    INSTANCES[_cls.__name__] = [
        _cls("local-model-directory", max_epochs=1, random_state=0)
    ]

EXPECTED_FAILED = {}
