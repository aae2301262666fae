"""Settings for every test path (tests/, the docstrings of skmer/, doc/*.rst).

A doctest whose example needs an optional extra that is not installed is
reported as skipped, naming the extra, instead of failed: CI's minimum-versions
job installs only ``skmer[test]``. Any other error still fails the doctest.
"""

import doctest

import pytest
from _pytest.doctest import DoctestItem

# modules of skmer's optional extras (setup.cfg) that examples import directly
_OPTIONAL = {
    "dask",
    "distributed",
    "h5py",
    "hmmlearn",
    "librosa",
    "matplotlib",
    "mne",
    "neurokit2",
    "opensmile",
    "pyarrow",
    "sentence_transformers",
    "skada",
    "skimage",
    "soundfile",
    "transformers",
}


def _missing_extra(exc):
    """The reason to skip when ``exc`` says an optional extra is absent."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        if exc.name.split(".")[0] in _OPTIONAL:
            return f"optional dependency {exc.name!r} is not installed"
    if isinstance(exc, ImportError) and "optional dependency" in str(exc):
        return str(exc)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (isinstance(item, DoctestItem) and report.failed and call.excinfo):
        return
    failure = call.excinfo.value
    if not isinstance(failure, doctest.UnexpectedException):
        return
    reason = _missing_extra(failure.exc_info[1])
    if reason is not None:
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.reportinfo()[1] or 0,
            f"Skipped: {reason}",
        )
