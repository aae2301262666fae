import numpy as np
import pytest

from skmer.base import BaseModalityEncoder, as_items
from skmer.utils import is_missing, missing_mask
from skmer.utils.discovery import all_estimators
from skmer.utils.estimator_checks import (
    check_encoder_missing_rows,
    check_encoder_row_independence,
)


def test_is_missing():
    assert is_missing(None) and is_missing(np.nan) and is_missing(float("nan"))
    assert (
        not is_missing(0.0)
        and not is_missing("")
        and not is_missing(np.array([np.nan]))
    )
    assert not is_missing(True)
    assert missing_mask([None, 1.0, "x", np.nan]).tolist() == [True, False, False, True]


def test_all_estimators_filters():
    names = [n for n, _ in all_estimators("regressor")]
    assert "LateFusionRegressor" in names and "LateFusionClassifier" not in names
    assert "ModalityEncoder" in [n for n, _ in all_estimators("transformer")]
    with pytest.raises(ValueError, match="type_filter must be one of"):
        all_estimators("clusterer")


def test_as_items_errors():
    with pytest.raises(TypeError, match="Expected a sequence of items"):
        as_items("abc")
    import pandas as pd

    with pytest.raises(
        ValueError, match="ModalityEncoder to encode several modality columns"
    ):
        as_items(pd.DataFrame({"a": [1], "b": [2]}))


class _RowDependent(BaseModalityEncoder):
    """An encoder whose output depends on the batch: it must fail the checks."""

    def _check_item(self, item, index):
        return np.asarray(item, dtype=float)

    def _transform(self, items):
        Z = np.vstack(items)
        return Z - Z.mean(axis=0)

    def _feature_names(self):
        return ["a", "b"]


class _NoNanRows(_RowDependent):
    def transform(self, X):
        return np.zeros((len(X), 2))


def test_encoder_checks_catch_broken_encoders():
    items = [np.arange(2.0) * i for i in range(8)]
    with pytest.raises(AssertionError):
        check_encoder_row_independence(_RowDependent(), items)
    with pytest.raises(AssertionError, match="missing items must give all-NaN rows"):
        check_encoder_missing_rows(_NoNanRows(), items)


def test_import_optional_tells_missing_from_broken(tmp_path, monkeypatch):
    from skmer.utils import import_optional

    with pytest.raises(
        ImportError, match=r'not installed.*pip install "skmer\[audio\]"'
    ):
        import_optional("skmer_no_such_module", "audio")
    # installed, but its own dependency is missing: saying "not installed" would lie
    (tmp_path / "skmer_broken_pkg.py").write_text("import skmer_absent_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(
        ImportError, match="installed but cannot be imported.*skmer_absent"
    ):
        import_optional("skmer_broken_pkg", "audio")
