"""LDL metrics (Geng 2016) with hand-computed values, and their scorers."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from skmer.metrics import (
    canberra_distance,
    chebyshev_distance,
    clark_distance,
    cosine_similarity_score,
    get_scorer,
    get_scorer_names,
    intersection_similarity,
    kl_divergence,
    mer_scoring,
)

D = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])
P = np.array([[0.25, 0.75, 0.0], [0.2, 0.3, 0.5]])


def test_hand_computed_values():
    # row 1 against row 1 of P; row 2 is a perfect prediction (distance 0)
    assert chebyshev_distance(D, P) == pytest.approx(0.25 / 2)
    clark = np.sqrt((0.25 / 0.75) ** 2 + (0.25 / 1.25) ** 2)
    assert clark_distance(D, P) == pytest.approx(clark / 2)
    assert canberra_distance(D, P) == pytest.approx((0.25 / 0.75 + 0.25 / 1.25) / 2)
    kl = 0.5 * np.log(0.5 / 0.25) + 0.5 * np.log(0.5 / 0.75)
    assert kl_divergence(D, P) == pytest.approx(kl / 2)
    cos = (0.125 + 0.375) / (np.sqrt(0.5) * np.sqrt(0.625))
    assert cosine_similarity_score(D, P) == pytest.approx((cos + 1) / 2)
    assert intersection_similarity(D, P) == pytest.approx((0.75 + 1) / 2)


def test_perfect_and_disjoint_predictions():
    for f in (chebyshev_distance, clark_distance, canberra_distance, kl_divergence):
        assert f(D, D) == pytest.approx(0.0)
    assert cosine_similarity_score(D, D) == pytest.approx(1.0)
    assert intersection_similarity([[1, 0]], [[0, 1]]) == 0.0
    assert np.isfinite(kl_divergence([[1, 0]], [[0, 1]]))


def test_rows_are_normalised_and_errors():
    assert intersection_similarity([[2, 2]], [[1, 1]]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="y_true must be a 2-D array"):
        chebyshev_distance([0.5, 0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="y_pred must hold finite, non-negative"):
        chebyshev_distance([[0.5, 0.5]], [[1.5, -0.5]])
    with pytest.raises(ValueError, match=r"Rows \[0\] of y_true sum to 0"):
        chebyshev_distance([[0, 0]], [[0.5, 0.5]])
    with pytest.raises(ValueError, match="they must match"):
        chebyshev_distance([[0.5, 0.5]], [[0.2, 0.3, 0.5]])


def test_scorers_are_registered():
    names = get_scorer_names()
    for name in (
        "neg_chebyshev",
        "neg_clark",
        "neg_canberra",
        "neg_kl_divergence",
        "cosine",
        "intersection",
        "neg_hamming_loss",
        "subset_accuracy",
    ):
        assert name in names
    assert set(mer_scoring("ldl")) == {
        "neg_chebyshev",
        "neg_clark",
        "neg_canberra",
        "neg_kl_divergence",
        "cosine",
        "intersection",
    }

    class Fixed(BaseEstimator):
        def predict(self, X):
            return P

    assert get_scorer("neg_kl_divergence")(Fixed(), None, D) == pytest.approx(
        -kl_divergence(D, P)
    )
    assert get_scorer("intersection")(Fixed(), None, D) == pytest.approx(0.875)
    hamming = get_scorer("neg_hamming_loss")

    class Multi(BaseEstimator):
        def predict(self, X):
            return np.array([[1, 0], [1, 1]])

    assert hamming(Multi(), None, np.array([[1, 0], [0, 1]])) == pytest.approx(-0.25)
    assert (
        get_scorer("subset_accuracy")(Multi(), None, np.array([[1, 0], [0, 1]])) == 0.5
    )


def test_empty_distributions_raise():
    # regression: empty inputs returned NaN with a "Mean of empty slice" warning
    with pytest.raises(ValueError, match="y_true is empty"):
        kl_divergence(np.zeros((0, 3)), np.zeros((0, 3)))
