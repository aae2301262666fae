"""Per-topic configuration of the common estimator checks.

Each module here may define

* ``INSTANCES``: ``{class name: [instance, ...]}`` for estimators that need
  constructor arguments or fast settings in the checks (default: ``Cls()``);
* ``EXPECTED_FAILED``: ``{class name: {check name: reason}}`` for checks an
  estimator is known to fail, each with the reason.

tests/test_common.py merges every module of this package.
"""

import importlib
import pkgutil

NAN_BLOCKS = (
    "the check puts NaN into single features; skmer allows NaN only as a whole "
    "missing modality block and rejects partial NaN as a data error (DESIGN.md 1)"
)


def nan_block_failures():
    """The expected failures every fusion estimator shares (see NAN_BLOCKS)."""
    return {
        "check_estimators_pickle": NAN_BLOCKS,
        "check_estimators_pickle(readonly_memmap=True)": NAN_BLOCKS,
    }


def load():
    instances, expected = {}, {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        instances.update(getattr(module, "INSTANCES", {}))
        for name, checks in getattr(module, "EXPECTED_FAILED", {}).items():
            expected.setdefault(name, {}).update(checks)
    return instances, expected
