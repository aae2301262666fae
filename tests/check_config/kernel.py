"""Common-check settings of the multiple-kernel fusion estimators."""

from tests.check_config import nan_block_failures

EXPECTED_FAILED = {
    name: nan_block_failures()
    for name in ["MultipleKernelClassifier", "MultipleKernelRegressor"]
}
