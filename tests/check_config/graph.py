"""Common-check settings of the graph fusion estimators."""

from tests.check_config import nan_block_failures

EXPECTED_FAILED = {
    "GraphFusionClassifier": {
        **nan_block_failures(),
        "check_classifiers_classes": (
            "the check uses -1 as a class label; -1 marks unlabelled rows "
            "(scikit-learn's semi-supervised convention), so GraphFusionClassifier "
            "learns only from the rows labelled 1"
        ),
    },
    "GraphFusionRegressor": nan_block_failures(),
}
