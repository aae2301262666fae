import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from skmer.datasets import (
    make_multimodal_classification,
    make_multimodal_regression,
    simulate_missing,
)
from skmer.fusion import LateFusionClassifier


def _block(X, m):
    return X[[c for c in X.columns if c.startswith(m + "__")]]


def test_deterministic_and_shapes():
    a = make_multimodal_classification(n_samples=50, missing_rate=0.2, random_state=3)
    b = make_multimodal_classification(n_samples=50, missing_rate=0.2, random_state=3)
    pd.testing.assert_frame_equal(a[0], b[0])
    assert (a[1] == b[1]).all()
    X, y = make_multimodal_classification(
        n_samples=50, modalities={"eeg": 4, "face": 6}, n_classes=4
    )
    assert list(X.columns)[:5] == ["eeg__0", "eeg__1", "eeg__2", "eeg__3", "face__0"]
    assert set(np.unique(y)) <= {0, 1, 2, 3}


def test_informativeness_orders_unimodal_accuracy():
    X, y = make_multimodal_classification(
        n_samples=600,
        informativeness={"text": 1.0, "audio": 0.5, "video": 0.0},
        random_state=0,
    )
    acc = {
        m: cross_val_score(LogisticRegression(), _block(X, m), y).mean()
        for m in ["text", "audio", "video"]
    }
    assert acc["text"] > acc["audio"] > acc["video"]
    assert acc["video"] < 0.6


def test_complementary_signal_needs_fusion():
    X, y = make_multimodal_classification(
        n_samples=1200,
        informativeness=1.0,
        class_sep=0.8,
        complementary=1.0,
        random_state=0,
    )
    single = max(
        cross_val_score(LogisticRegression(), _block(X, m), y).mean()
        for m in ["text", "audio", "video"]
    )
    fused = cross_val_score(LateFusionClassifier(), X, y).mean()
    assert fused > single + 0.05


def test_interaction_is_not_additively_separable():
    X, y = make_multimodal_classification(
        n_samples=800, interaction=True, random_state=0
    )
    assert cross_val_score(LogisticRegression(), X, y).mean() < 0.65
    prod = (X["text__0"] * X["audio__0"]).to_numpy()
    assert ((prod > 0).astype(int) == y).all()


def test_inconsistency_hurts_single_modality():
    kw = dict(n_samples=800, informativeness=1.0, class_sep=0.6, random_state=0)
    X0, y0 = make_multimodal_classification(**kw)
    X1, y1 = make_multimodal_classification(inconsistency=0.9, **kw)
    a0 = cross_val_score(LogisticRegression(), _block(X0, "text"), y0).mean()
    a1 = cross_val_score(LogisticRegression(), _block(X1, "text"), y1).mean()
    assert a1 < a0 - 0.1


def test_mcar_rates_and_every_row_keeps_a_modality():
    X, _ = make_multimodal_classification(
        n_samples=4000, missing_rate={"audio": 0.3, "video": 0.5}, random_state=0
    )
    miss = {m: _block(X, m).isna().all(axis=1) for m in ["text", "audio", "video"]}
    assert miss["text"].mean() == 0
    assert (
        abs(miss["audio"].mean() - 0.3) < 0.03
        and abs(miss["video"].mean() - 0.5) < 0.03
    )
    assert not (miss["text"] & miss["audio"] & miss["video"]).any()


def test_block_pattern_misses_at_most_one_modality():
    X, _ = make_multimodal_classification(
        n_samples=2000, missing_rate=0.2, missing_pattern="block", random_state=0
    )
    n_missing = sum(
        _block(X, m).isna().all(axis=1).astype(int) for m in ["text", "audio", "video"]
    )
    assert n_missing.max() == 1
    assert abs((n_missing == 1).mean() - 0.6) < 0.04
    with pytest.raises(ValueError, match="missing rates must sum to at most 1"):
        make_multimodal_classification(missing_rate=0.5, missing_pattern="block")


def test_vectors_and_sequences_outputs():
    X, y = make_multimodal_classification(
        n_samples=30, output="vectors", missing_rate=0.3, random_state=0
    )
    assert list(X.columns) == ["text", "audio", "video"]
    present = X["audio"].dropna()
    assert present.iloc[0].shape == (10,)
    S, _ = make_multimodal_classification(
        n_samples=30, output="sequences", seq_length=(3, 6), random_state=0
    )
    lengths = {cell.shape[0] for cell in S["video"]}
    assert min(lengths) >= 3 and max(lengths) <= 6 and len(lengths) > 1
    F, _ = make_multimodal_classification(n_samples=30, random_state=0)
    assert np.allclose(
        S["video"].iloc[0].mean(axis=0), F.filter(like="video__").iloc[0]
    )


def test_regression_targets_and_errors():
    X, y = make_multimodal_regression(n_samples=100, n_targets=3, random_state=0)
    assert y.shape == (100, 3)
    Xi, yi = make_multimodal_regression(
        n_samples=100, interaction=True, target_noise=0.0, random_state=0
    )
    assert np.allclose(yi, Xi["text__0"] * Xi["audio__0"])
    with pytest.raises(
        ValueError, match="interaction=True needs two modalities and n_targets=1"
    ):
        make_multimodal_regression(interaction=True, n_targets=2)
    with pytest.raises(ValueError, match="informativeness names unknown modalities"):
        make_multimodal_regression(informativeness={"gait": 1.0})
    with pytest.raises(ValueError, match="must be a positive number of features"):
        make_multimodal_regression(modalities={"a": 0})


def test_simulate_missing_on_encoded_raw_and_arrays():
    X, _ = make_multimodal_classification(n_samples=2000, random_state=0)
    Xm = simulate_missing(X, {"video": 0.5}, random_state=0)
    assert abs(_block(Xm, "video").isna().all(axis=1).mean() - 0.5) < 0.04
    assert not _block(Xm, "text").isna().any().any()
    assert not X.isna().any().any(), "the input must not be modified"
    raw, _ = make_multimodal_classification(
        n_samples=500, output="vectors", random_state=0
    )
    rm = simulate_missing(raw, 0.9, random_state=0)
    assert (rm.isna().sum(axis=1) < 3).all(), "keep_one leaves every row a modality"
    arr = simulate_missing(
        X.to_numpy(), {"a": 1.0}, modalities={"a": [0, 1], "b": [2]}, random_state=0
    )
    assert np.isnan(arr[:, :2]).all() and not np.isnan(arr[:, 2]).any()
    with pytest.raises(ValueError, match="rates names unknown modalities"):
        simulate_missing(X, {"gait": 0.1})


def test_parameters_that_would_be_ignored_or_misread_are_errors():
    # "a__b" columns would be read back as modality "a"
    with pytest.raises(ValueError, match="modality name 'a__b' must not contain '__'"):
        make_multimodal_classification(modalities={"a__b": 2, "c": 2})
    with pytest.raises(ValueError, match="must be a positive number of features"):
        make_multimodal_classification(modalities={"a": True, "b": 2})
    # negative informativeness was accepted through a dict or a list only
    for bad in ({"text": -1.0}, [1.0, -0.5, 1.0]):
        with pytest.raises(ValueError, match="informativeness must be >= 0"):
            make_multimodal_regression(n_samples=5, informativeness=bad)
    # weights / inconsistency were silently ignored with interaction=True
    with pytest.raises(ValueError, match="no effect with interaction=True"):
        make_multimodal_classification(interaction=True, weights=[0.9, 0.1])
    with pytest.raises(ValueError, match="no effect with interaction=True"):
        make_multimodal_classification(interaction=True, inconsistency=0.5)
    # float lengths were truncated by randint
    with pytest.raises(ValueError, match=r"seq_length must be \(min, max\) integers"):
        make_multimodal_classification(output="sequences", seq_length=(2.5, 4))
    # one modality: mcar kept every row (rate ignored), block emptied rows
    for pattern in ("mcar", "block"):
        with pytest.raises(ValueError, match="needs at least two modalities"):
            make_multimodal_regression(
                modalities={"eeg": 3}, missing_rate=0.5, missing_pattern=pattern
            )
    X, _ = make_multimodal_regression(
        n_samples=5, modalities={"eeg": 3}, random_state=0
    )
    assert X.shape == (5, 3) and not X.isna().any().any()


def test_simulate_missing_list_input_and_non_str_columns():
    out = simulate_missing(
        [[1.0, 2.0], [3.0, 4.0]], {"a": 1.0}, modalities={"a": [0], "b": [1]}
    )
    assert isinstance(out, np.ndarray) and np.isnan(out[:, 0]).all()
    raw = pd.DataFrame({0: [np.ones(2)] * 4, 1: [np.zeros(2)] * 4})
    out = simulate_missing(raw, {0: 1.0}, random_state=0)
    assert out[0].isna().all() and out[1].notna().all()
