import numpy as np
import pandas as pd
import pytest
import sklearn

from skmer.datasets import make_multimodal_regression
from skmer.fusion import (
    EarlyFusionRegressor,
    HybridFusionRegressor,
    LateFusionClassifier,
    LateFusionRegressor,
    modality_presence,
    normalize_weights,
    resolve_modalities,
)


def test_resolve_from_prefixed_columns_keeps_order():
    layout = resolve_modalities(None, ["b__x", "a__y", "b__z"], 3)
    assert list(layout) == ["b", "a"]
    assert layout["b"].tolist() == [0, 2]


def test_resolve_unprefixed_is_one_modality():
    assert list(resolve_modalities(None, ["f0", "f1"], 2)) == ["X"]
    assert resolve_modalities(None, None, 4)["X"].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "spec, expected",
    [
        (slice(1, 3), [1, 2]),
        ([0, -1], [0, 3]),
        ([True, False, False, True], [0, 3]),
    ],
)
def test_resolve_explicit_specs(spec, expected):
    assert resolve_modalities({"m": spec}, None, 4)["m"].tolist() == expected


def test_resolve_column_names():
    layout = resolve_modalities({"m": ["c", "a"]}, ["a", "b", "c"], 3)
    assert layout["m"].tolist() == [2, 0]


@pytest.mark.parametrize(
    "modalities, names, match",
    [
        ({"m": [7]}, None, r"modalities\['m'\] has column indices \[7\] out of range"),
        ({"m": ["zz"]}, ["a", "b"], r"names columns not in X: \['zz'\]"),
        ({"m": ["a"]}, None, "X has no column names"),
        ({"m": slice(5, 9)}, None, "selects no column"),
        ({}, None, "non-empty dict"),
    ],
)
def test_resolve_errors(modalities, names, match):
    with pytest.raises(ValueError, match=match):
        resolve_modalities(modalities, names, 4)


@pytest.mark.parametrize("spec", [1.5, None, [0, 1.0]])
def test_resolve_non_index_spec_is_a_clear_type_error(spec):
    # a scalar that is not an int used to fail inside list() with
    # "'float' object is not iterable"
    with pytest.raises(TypeError, match=r"modalities\['m'\] must be a slice"):
        resolve_modalities({"m": spec}, None, 4)


def test_resolve_mixed_prefixes_is_an_error():
    with pytest.raises(ValueError, match="mixes modality-prefixed columns"):
        resolve_modalities(None, ["a__x", "plain"], 2)


def test_presence_and_partial_nan_error():
    X = np.array([[1.0, 2.0, 3.0], [np.nan, np.nan, 4.0], [np.nan, 1.0, 2.0]])
    layout = {"audio": np.array([0, 1]), "text": np.array([2])}
    with pytest.raises(
        ValueError,
        match=r"Modality 'audio' has NaN inside a present block in rows \[2\]",
    ):
        modality_presence(X, layout)
    assert modality_presence(X[:2], layout).tolist() == [[True, True], [False, True]]


def test_normalize_weights():
    assert normalize_weights({"a": 0.0, "b": 0.0}) == {"a": 0.5, "b": 0.5}
    assert normalize_weights({"a": 2.0, "b": 6.0}) == {"a": 0.25, "b": 0.75}


def test_fusion_rejects_modality_missing_everywhere():
    X = pd.DataFrame({"a__0": [1.0, 2.0, 3.0, 4.0], "b__0": [np.nan] * 4})
    with pytest.raises(
        ValueError, match="Modality 'b' is missing .* in every training row"
    ):
        LateFusionClassifier().fit(X, [0, 1, 0, 1])


def test_fusion_reports_partial_nan_with_modality_name():
    X = pd.DataFrame({"a__0": [1.0, np.nan, 3.0, 4.0], "a__1": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(
        ValueError, match="Modality 'a' has NaN inside a present block in rows \\[1\\]"
    ):
        LateFusionClassifier().fit(X, [0, 1, 0, 1])


@pytest.mark.parametrize(
    "fusion", [EarlyFusionRegressor, LateFusionRegressor, HybridFusionRegressor]
)
def test_sample_weight_with_metadata_routing_enabled(fusion):
    # pipelines under routing used to reject the "<step>__sample_weight" arguments
    X, y = make_multimodal_regression(n_samples=60, missing_rate=0.2, random_state=0)
    sw = np.random.RandomState(0).rand(60)
    expected = fusion(random_state=0).fit(X, y, sample_weight=sw).predict(X)
    with sklearn.config_context(enable_metadata_routing=True):
        routed = fusion(random_state=0).fit(X, y, sample_weight=sw).predict(X)
    np.testing.assert_allclose(routed, expected)


# -- issue 19: nothing silent about the layout, clear errors -------------------------
def test_layout_leaving_columns_out_errors_drops_or_passes_through():
    from skmer.fusion import EarlyFusionClassifier, HybridFusionClassifier

    X = np.random.RandomState(0).normal(size=(40, 5))
    y = np.arange(40) % 2
    for cls in [LateFusionClassifier, HybridFusionClassifier, EarlyFusionClassifier]:
        with pytest.raises(
            ValueError, match=r"leaves 3 of the 5 columns .*\[2, 3, 4\]"
        ):
            cls(modalities={"a": [0], "b": [1]}).fit(X, y)
        dropped = cls(modalities={"a": [0], "b": [1]}, remainder="drop").fit(X, y)
        assert list(dropped.modalities_) == ["a", "b"]
        passed = cls(modalities={"a": [0], "b": [1]}, remainder="passthrough").fit(X, y)
        assert passed.modalities_["remainder"].tolist() == [2, 3, 4]
        assert set(passed.modality_weights_) == {"a", "b", "remainder"}
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(5)])
    with pytest.raises(ValueError, match=r"\['c2', 'c3', 'c4'\]"):
        LateFusionClassifier(modalities={"a": ["c0"], "b": ["c1"]}).fit(frame, y)
    with pytest.raises(ValueError, match="already has one"):
        LateFusionClassifier(
            modalities={"remainder": [0]}, remainder="passthrough"
        ).fit(X, y)


def test_plain_array_without_layout_warns_single_modality():
    from skmer.fusion._base import SingleModalityWarning

    X = np.random.RandomState(0).normal(size=(30, 4))
    y = np.arange(30) % 2
    with pytest.warns(
        SingleModalityWarning, match="4 columns are fused as one modality 'X'"
    ):
        LateFusionClassifier().fit(X, y)
    with pytest.warns(SingleModalityWarning, match="not named <modality>__<feature>"):
        LateFusionClassifier().fit(pd.DataFrame(X, columns=list("abcd")), y)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", SingleModalityWarning)
        LateFusionClassifier(modalities={"X": slice(None)}).fit(X, y)
        LateFusionClassifier().fit(
            pd.DataFrame(X, columns=["m__a", "m__b", "n__a", "n__b"]), y
        )


@pytest.mark.parametrize(
    "raw",
    [
        pd.DataFrame({"text": ["so happy", None, "sad"], "audio": [1.0, 2.0, 3.0]}),
        pd.DataFrame({"audio": [np.ones(3), np.zeros(3), None]}),
    ],
)
def test_raw_frame_points_to_modality_encoder(raw):
    from skmer.fusion import EarlyFusionClassifier, HybridFusionClassifier

    for cls in [LateFusionClassifier, HybridFusionClassifier, EarlyFusionClassifier]:
        with pytest.raises(
            ValueError, match=r"X column '\w+' holds a raw item .*ModalityEncoder"
        ):
            cls().fit(raw, [0, 1, 0])


@pytest.mark.parametrize(
    "weight, match",
    [
        ([1.0, -1.0, 1.0, 1.0], "Negative values .* `sample_weight`"),
        ([1.0, np.nan, 1.0, 1.0], "sample_weight contains NaN"),
        ([1.0, np.inf, 1.0, 1.0], "sample_weight contains infinity"),
        ([0.0, 0.0, 0.0, 0.0], "Sample weights must contain at least one non-zero"),
    ],
)
def test_bad_sample_weight_is_a_clear_error(weight, match):
    from skmer.fusion import EarlyFusionClassifier, HybridFusionClassifier

    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.2], [0.3, 0.9]])
    for cls in [LateFusionClassifier, HybridFusionClassifier, EarlyFusionClassifier]:
        with pytest.raises(ValueError, match=match):
            cls(modalities={"a": [0], "b": [1]}).fit(
                X, [0, 1, 0, 1], sample_weight=weight
            )


# -- the delegation mixin ----------------------------------------------------------
def test_delegating_mixin_follows_the_estimator():
    from sklearn.svm import SVC

    from skmer.datasets import make_multimodal_classification
    from skmer.fusion import EarlyFusionClassifier

    X, y = make_multimodal_classification(n_samples=60, random_state=0)
    svc = EarlyFusionClassifier(SVC())
    assert hasattr(svc, "decision_function") and not hasattr(svc, "predict_proba")
    svc.fit(X, y)
    assert svc.classes_.tolist() == [0, 1]
    assert svc.decision_function(X).shape == (60,)
    default = EarlyFusionClassifier().fit(X, y)
    assert hasattr(default, "predict_proba")
    np.testing.assert_allclose(default.predict_proba(X).sum(axis=1), 1.0)
