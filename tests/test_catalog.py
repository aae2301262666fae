"""The catalog of the CLI, demo and benchmarks is derived from skmer.fusion."""

import sys
import warnings

import numpy as np
import pytest
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils import get_tags

import skmer.fusion
from skmer._catalog import (
    NEURAL_PARAMS,
    fusion_catalog,
    fusion_classes,
    strategy_name,
    variants,
)
from skmer.fusion import BaseFusion, normalize_weights
from skmer.utils._sklearn_compat import StrOptions, _fit_context


class ToyFusionClassifier(ClassifierMixin, BaseFusion):
    """Predicts the majority class; weights by presence (a stand-in strategy)."""

    _parameter_constraints = {
        **BaseFusion._parameter_constraints,
        "method": [StrOptions({"first", "second"})],
    }

    def __init__(self, *, modalities=None, method="second", random_state=None):
        self.modalities = modalities
        self.method = method
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        X, y, present = self._validate_fusion_data(X, y, reset=True)
        self.classes_ = np.unique(y)
        self.modality_weights_ = normalize_weights(
            dict(zip(self.modalities_, present.mean(0)))
        )
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


class ToyTensorRegressor(RegressorMixin, BaseFusion):
    """A neural-looking regressor that declares its own catalog variants."""

    _catalog_variants = {"full": {}, "low-rank": {"rank": 2}}

    def __init__(
        self, *, modalities=None, rank=None, max_epochs=100, hidden_sizes=(64,)
    ):
        self.modalities = modalities
        self.rank = rank
        self.max_epochs = max_epochs
        self.hidden_sizes = hidden_sizes


class ToyRawSequenceClassifier(ClassifierMixin, BaseFusion):
    """Reads raw frames: not a fusion step, never in the catalog."""

    def __init__(self, *, columns=None):
        self.columns = columns

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        return tags


@pytest.fixture
def exported(monkeypatch):
    """Export the toy classes from skmer.fusion, as a new private module would."""
    toys = [ToyFusionClassifier, ToyTensorRegressor, ToyRawSequenceClassifier]
    for cls in toys:
        monkeypatch.setattr(skmer.fusion, cls.__name__, cls, raising=False)
    monkeypatch.setattr(
        skmer.fusion, "__all__", [*skmer.fusion.__all__, *(c.__name__ for c in toys)]
    )


def test_new_strategy_exported_from_fusion_enters_the_catalog(exported):
    catalog = fusion_catalog("classification", random_state=3)
    # one entry per option of `method`, the default first
    toy = [name for name in catalog if name.startswith("toy")]
    assert toy == ["toy-second", "toy-first"]
    assert catalog["toy-first"].method == "first"
    assert catalog["toy-first"].random_state == 3
    assert "toy-raw-sequence" not in catalog
    assert ToyFusionClassifier in fusion_classes("classification")
    assert ToyFusionClassifier not in fusion_classes("regression")


def test_new_strategy_is_usable_by_the_cli(exported, capsys):
    from skmer._cli import main

    assert (
        main(
            [
                "demo",
                "--n-samples",
                "60",
                "--cv",
                "2",
                "--quiet",
                "--fusion",
                "toy-first,late-soft",
            ]
        )
        == 0
    )
    assert "toy-first" in capsys.readouterr().out


def test_declared_variants_and_neural_settings(exported):
    assert variants(ToyTensorRegressor) == {
        "toy-tensor-full": {},
        "toy-tensor-low-rank": {"rank": 2},
    }
    catalog = fusion_catalog("regression", neural_params={"max_epochs": 3})
    low = catalog["toy-tensor-low-rank"]
    assert (
        low.rank == 2
        and low.max_epochs == 3
        and low.hidden_sizes == NEURAL_PARAMS["hidden_sizes"]
    )
    assert catalog["toy-tensor-full"].rank is None
    # estimators trained by gradient descent drop out with neural=False
    assert not any(
        n.startswith("toy-tensor") for n in fusion_catalog("regression", neural=False)
    )


def test_catalog_lists_every_public_fusion_estimator():
    for task, kind in [("classification", "classifier"), ("regression", "regressor")]:
        catalog = fusion_catalog(task)
        covered = {type(est) for est in catalog.values()}
        for name in skmer.fusion.__all__:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                obj = getattr(skmer.fusion, name)
            if not isinstance(obj, type) or not hasattr(obj, "fit"):
                continue
            try:
                tags = get_tags(obj())
            except TypeError:  # has required parameters
                continue
            if tags.estimator_type == kind and tags.input_tags.two_d_array:
                assert obj in covered, f"{name} is missing from the {task} catalog"
        # names used by the README, the CLI defaults and the benchmarks
        assert {
            "early",
            "late-weighted",
            "late-stacking",
            "tensor",
            "attention",
        } <= set(catalog)
        for est in catalog.values():
            assert get_tags(est).input_tags.two_d_array


def test_catalog_never_touches_the_moved_sequence_models():
    # end-to-end sequence models (raw frames) are no fusion step; reading the
    # catalog must not trigger the FutureWarning of their old skmer.fusion names
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        catalog = fusion_catalog("classification")
    assert not any("lstm" in name or "memory" in name for name in catalog)


def test_catalog_works_without_skmer_sequence(monkeypatch):
    # during the move, skmer.sequence may not exist yet
    monkeypatch.setitem(sys.modules, "skmer.sequence", None)
    assert "late-weighted" in fusion_catalog("classification")


def test_names_and_errors():
    assert strategy_name(ToyRawSequenceClassifier) == "toy-raw-sequence"
    assert strategy_name(skmer.fusion.MultipleKernelClassifier) == "multiple-kernel"
    with pytest.raises(
        ValueError, match="task must be 'classification' or 'regression'"
    ):
        fusion_catalog("ranking")
