import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skmer.encoders import SequencePooling, VectorEncoder
from skmer.encoders._common import functionals
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

_RNG = np.random.RandomState(0)
VECTORS = [_RNG.normal(size=4) for _ in range(12)]
SEQUENCES = [_RNG.normal(size=(_RNG.randint(1, 9), 3)) for _ in range(12)]


@parametrize_with_encoder_checks(
    [
        (VectorEncoder(), VECTORS),
        (
            SequencePooling(
                stats=[
                    "mean",
                    "std",
                    "min",
                    "max",
                    "median",
                    "iqr",
                    "first",
                    "last",
                    "slope",
                ]
            ),
            SEQUENCES,
        ),
        (SequencePooling(skip_zero_steps=True), SEQUENCES),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def test_vector_encoder_names_and_errors():
    enc = VectorEncoder(feature_names=["a", "b"]).fit([np.ones(2), None])
    assert enc.get_feature_names_out().tolist() == ["a", "b"]
    with pytest.raises(
        ValueError, match="Item 1 has 3 features; the encoder was fitted on 2"
    ):
        enc.transform([np.ones(2), np.ones(3)])
    with pytest.raises(ValueError, match="item 1 has 3 features, earlier items 2"):
        VectorEncoder().fit([np.ones(2), np.ones(3)])
    with pytest.raises(ValueError, match="Item 0 contains NaN"):
        VectorEncoder().fit([np.array([1.0, np.nan])])
    with pytest.raises(
        ValueError, match="feature_names has 1 names for vectors of length 2"
    ):
        VectorEncoder(feature_names=["a"]).fit([np.ones(2)])
    with pytest.raises(
        TypeError, match="Item 0 is a string; expected a 1-D feature vector"
    ):
        VectorEncoder().fit(["text"])


def test_vector_encoder_accepts_2d_array_and_series():
    X = np.arange(6.0).reshape(3, 2)
    assert_allclose(VectorEncoder().fit_transform(X), X)
    s = pd.Series([np.ones(2), None])
    assert np.isnan(VectorEncoder().fit_transform(s)[1]).all()


def test_sequence_pooling_statistics_by_hand():
    seq = np.array([[1.0, 0.0], [2.0, 0.0], [4.0, 3.0]])
    enc = SequencePooling(stats=["mean", "min", "max", "first", "last", "slope"]).fit(
        [seq]
    )
    out = enc.transform([seq])[0]
    assert_allclose(out, [7 / 3, 1, 1, 0, 4, 3, 1, 0, 4, 3, 1.5, 1.5])
    assert enc.get_feature_names_out()[:3].tolist() == ["mean_0", "mean_1", "min_0"]


def test_sequence_pooling_shares_the_encoders_functionals():
    # one set of statistics for every frame-pooling encoder: the interquartile
    # range here, and first/last (first/last finite frame) in functionals
    seq = np.array([[1.0], [2.0], [4.0], [9.0], [10.0]])
    out = SequencePooling(stats=["median", "iqr"]).fit_transform([seq])[0]
    assert_allclose(out, [4.0, 9.0 - 2.0])
    with_nan = np.array([[np.nan, 1.0], [2.0, 5.0], [3.0, np.nan]])
    assert_allclose(functionals(with_nan, ("first", "last")), [2.0, 1.0, 3.0, 5.0])
    with pytest.raises(
        ValueError, match=r"stats must be a non-empty list of \[.*'iqr'"
    ):
        SequencePooling(stats=["mean", "range"]).fit([seq])
    with pytest.raises(ValueError, match="stats has repeated entries"):
        SequencePooling(stats=["mean", "mean"]).fit([seq])


def test_sequence_pooling_variable_lengths_and_single_step():
    out = SequencePooling(stats=["std", "slope"]).fit_transform(
        [np.ones((1, 2)), np.ones((5, 2))]
    )
    assert_allclose(out, 0.0)


def test_skip_zero_steps_drops_padding_and_all_padding_is_missing():
    padded = np.array([[0.0, 0.0], [1.0, 2.0], [0.0, 0.0], [3.0, 4.0]])
    enc = SequencePooling(stats=["mean"], skip_zero_steps=True).fit([padded])
    assert_allclose(enc.transform([padded]), [[2.0, 3.0]])
    assert np.isnan(enc.transform([np.zeros((4, 2))])).all()
    assert_allclose(
        SequencePooling(stats=["mean"]).fit_transform([padded]), [[1.0, 1.5]]
    )


def test_sequence_pooling_errors():
    with pytest.raises(ValueError, match="stats must be a non-empty list"):
        SequencePooling(stats=["mode"]).fit([np.ones((2, 2))])
    with pytest.raises(ValueError, match="Item 1 has shape"):
        SequencePooling().fit([np.ones((2, 2)), np.ones((2, 2, 2))])
    enc = SequencePooling().fit([np.ones((2, 2))])
    with pytest.raises(
        ValueError, match="Item 0 has 3 features per step; the encoder was fitted on 2"
    ):
        enc.transform([np.ones((2, 3))])
    with pytest.raises(ValueError, match="every item is missing"):
        SequencePooling().fit([None, None])


def test_refit_on_items_of_another_shape_starts_afresh():
    # regression: item checks compared against the previous fit's shape
    enc = VectorEncoder().fit([np.ones(3)])
    assert enc.fit([np.ones(4), None]).n_features_out_ == 4
    pool = SequencePooling(stats=["mean"]).fit([np.ones((3, 2))])
    assert_allclose(
        pool.fit([np.ones((2, 4))]).transform([np.ones((5, 4))]), np.ones((1, 4))
    )


def test_y_of_another_length_is_reported():
    with pytest.raises(ValueError, match="y has 2 entries for 3 items"):
        VectorEncoder().fit([np.ones(2), None, np.ones(2)], [0, 1])


def test_repeated_stats_or_feature_names_are_rejected():
    # regression: they gave duplicated output feature names
    with pytest.raises(ValueError, match="stats has repeated entries"):
        SequencePooling(stats=["mean", "mean"]).fit([np.ones((2, 2))])
    with pytest.raises(ValueError, match="feature_names has repeated names"):
        VectorEncoder(feature_names=["a", "a"]).fit([np.ones(2)])


def test_sequence_pooling_non_numeric_item_names_the_item():
    # regression: numpy's "could not convert string to float: 'a'" came through
    with pytest.raises(
        TypeError, match=r"Item 1 is not numeric \(list\); expected a \(T, d\) sequence"
    ):
        SequencePooling().fit([np.ones((2, 1)), [["a", "b"]]])


def test_overflowing_item_is_reported_not_encoded_as_inf():
    enc = SequencePooling(stats=["mean", "std"]).fit(SEQUENCES)
    huge = np.full((4, 3), 1e300)
    huge[0] = -1e300  # finite values whose variance overflows float64
    with pytest.raises(ValueError, match=r"item 2 gives non-finite features \['std_0'"):
        enc.transform([SEQUENCES[0], None, huge])
    # the same item scaled down is fine
    assert np.isfinite(enc.transform([huge / 1e290])).all()
