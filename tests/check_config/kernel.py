"""Common-check settings of the multiple-kernel fusion estimators."""

from tests.check_config.foundation import _NAN_BLOCKS

EXPECTED_FAILED = {
    name: {
        "check_estimators_pickle": _NAN_BLOCKS,
        "check_estimators_pickle(readonly_memmap=True)": _NAN_BLOCKS,
    }
    for name in ["MultipleKernelClassifier", "MultipleKernelRegressor"]
}
