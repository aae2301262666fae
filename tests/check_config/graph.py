"""Common-check settings of the graph fusion estimators."""

from tests.check_config import nan_block_failures

_WEIGHT_IS_NOT_A_COPY = (
    "sample_weight weights each row's label (its label mass, or its edges to the "
    "unlabelled rows); a repeated row also changes the kNN graphs (it takes "
    "neighbour slots of other rows), which no weight can reproduce"
)

EXPECTED_FAILED = {
    "GraphFusionClassifier": {
        **nan_block_failures(),
        "check_sample_weight_equivalence_on_dense_data": _WEIGHT_IS_NOT_A_COPY,
        "check_classifiers_classes": (
            "the check uses -1 as a class label; -1 marks unlabelled rows "
            "(scikit-learn's semi-supervised convention), so GraphFusionClassifier "
            "learns only from the rows labelled 1"
        ),
    },
    "GraphFusionRegressor": {
        **nan_block_failures(),
        "check_sample_weight_equivalence_on_dense_data": _WEIGHT_IS_NOT_A_COPY,
    },
}
