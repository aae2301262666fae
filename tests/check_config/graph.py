"""Common-check settings of the graph fusion estimators."""

_NAN_BLOCKS = (
    "the check puts NaN into single features; skmer allows NaN only as a whole "
    "missing modality block and rejects partial NaN as a data error (DESIGN.md 1)"
)

EXPECTED_FAILED = {
    "GraphFusionClassifier": {
        "check_estimators_pickle": _NAN_BLOCKS,
        "check_estimators_pickle(readonly_memmap=True)": _NAN_BLOCKS,
        "check_classifiers_classes": (
            "the check uses -1 as a class label; -1 marks unlabelled rows "
            "(scikit-learn's semi-supervised convention), so GraphFusionClassifier "
            "learns only from the rows labelled 1"
        ),
    },
    "GraphFusionRegressor": {
        "check_estimators_pickle": _NAN_BLOCKS,
        "check_estimators_pickle(readonly_memmap=True)": _NAN_BLOCKS,
    },
}
