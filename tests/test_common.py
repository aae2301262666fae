"""scikit-learn's estimator checks over every public skmer estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmer.utils.discovery import all_estimators
from tests.check_config import load

INSTANCES, EXPECTED_FAILED = load()


def _instances():
    for name, cls in all_estimators():
        yield from (INSTANCES[name] if name in INSTANCES else [cls()])


def _expected_failed(estimator):
    return EXPECTED_FAILED.get(type(estimator).__name__, {})


ESTIMATORS = list(_instances())


def test_every_estimator_is_covered():
    names = {type(e).__name__ for e in ESTIMATORS}
    assert names == {name for name, _ in all_estimators()}


def test_expected_failures_name_known_estimators():
    known = {name for name, _ in all_estimators()}
    assert set(EXPECTED_FAILED) <= known
    for checks in EXPECTED_FAILED.values():
        assert all(isinstance(reason, str) and reason for reason in checks.values())


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_docstring_has_example(estimator):
    doc = type(estimator).__doc__ or ""
    assert "Examples" in doc and ">>>" in doc, (
        "public estimators need a runnable example"
    )
