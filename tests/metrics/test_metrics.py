import numpy as np
import pytest
from sklearn.model_selection import cross_validate

from skmer.datasets import make_multimodal_classification, make_multimodal_regression
from skmer.fusion import LateFusionClassifier, LateFusionRegressor
from skmer.metrics import (
    acc2_score,
    acc5_score,
    acc7_score,
    binary_f1_score,
    concordance_correlation_coefficient,
    get_scorer,
    get_scorer_names,
    mer_scoring,
    pearson_correlation,
    unweighted_accuracy,
    weighted_accuracy,
)


def test_sentiment_accuracies_by_hand():
    t = np.array([-3.0, -1.2, 0.0, 0.4, 2.6])
    p = np.array([-2.4, 0.3, -0.1, 1.6, 3.5])
    # non-negative vs negative: right on rows 0, 3, 4; excluding the zero: 3 of 4
    assert acc2_score(t, p) == pytest.approx(3 / 5)
    assert acc2_score(t, p, exclude_zero=True) == pytest.approx(3 / 4)
    # rounded clipped classes: t -> [-3,-1,0,0,3], p -> [-2,0,0,2,3]
    assert acc7_score(t, p) == pytest.approx(2 / 5)
    # clipped to [-2,2]: t -> [-2,-1,0,0,2], p -> [-2,0,0,2,2]
    assert acc5_score(t, p) == pytest.approx(3 / 5)


def test_binary_f1_matches_sklearn():
    from sklearn.metrics import f1_score

    t = np.array([-1.0, -2.0, 1.0, 2.0, 0.5, -0.5])
    p = np.array([-1.0, 1.0, 1.0, -2.0, 0.5, -0.5])
    assert binary_f1_score(t, p) == pytest.approx(
        f1_score(t >= 0, p >= 0, average="weighted")
    )


def test_ua_wa():
    y = ["a", "a", "a", "b"]
    assert unweighted_accuracy(y, ["a", "a", "a", "a"]) == 0.5
    assert weighted_accuracy(y, ["a", "a", "b", "b"]) == 0.75


def test_ccc_and_pearson():
    rng = np.random.RandomState(0)
    t = rng.normal(size=200)
    t -= t.mean()
    assert concordance_correlation_coefficient(t, t) == pytest.approx(1.0)
    assert pearson_correlation(t, 2 * t + 1) == pytest.approx(1.0)
    # CCC penalises a scale change, Pearson does not
    assert concordance_correlation_coefficient(t, 2 * t + 1) < 0.7
    # by hand: t=[0,2], p=[1,1]: cov 0 -> ccc 0; t=[0,2], p=[0,1]: 2*0.5/(1+0.25+0.25)
    assert concordance_correlation_coefficient([0.0, 2.0], [0.0, 1.0]) == pytest.approx(
        2 / 3
    )
    assert pearson_correlation([1.0, 2.0, 3.0], [5.0, 5.0, 5.0]) == 0.0
    two = np.column_stack([t, -t])
    raw = concordance_correlation_coefficient(
        two, np.column_stack([t, t]), multioutput="raw_values"
    )
    assert raw == pytest.approx([1.0, -1.0])


@pytest.mark.parametrize(
    "func, args, match",
    [
        (acc2_score, ([0.0, 1.0], [1.0]), "inconsistent numbers of samples"),
        (acc2_score, ([np.nan], [1.0]), "must be finite"),
        (acc7_score, (["neg", "pos"], [1.0, -1.0]), "must be numeric sentiment scores"),
        (acc2_score, ([0.0, 0.0], [1.0, 1.0]), "Every y_true is 0"),
        (pearson_correlation, ([1.0], [1.0]), "at least two samples"),
        (
            concordance_correlation_coefficient,
            ([[1.0, 2.0]] * 3, [1.0, 2.0, 3.0]),
            "shapes? ",
        ),
    ],
)
def test_metric_errors(func, args, match):
    kwargs = {"exclude_zero": True} if "Every" in match else {}
    with pytest.raises(ValueError, match=match):
        func(*args, **kwargs)


def test_scorers_in_cross_validate_multi_metric():
    X, y = make_multimodal_regression(n_samples=150, random_state=0)
    res = cross_validate(
        LateFusionRegressor(), X, y * 1.5, scoring=mer_scoring("sentiment"), cv=3
    )
    assert {
        "test_acc2",
        "test_acc7",
        "test_pearson",
        "test_neg_mean_absolute_error",
    } <= set(res)
    assert res["test_acc2"].mean() > 0.7
    Xc, yc = make_multimodal_classification(n_samples=150, random_state=0)
    res = cross_validate(
        LateFusionClassifier(), Xc, yc, scoring=mer_scoring("classification"), cv=3
    )
    assert res["test_ua"].mean() > 0.6


def test_get_scorer():
    assert "acc2_nonzero" in get_scorer_names() and "roc_auc" in get_scorer_names()
    assert get_scorer("accuracy") is not None
    with pytest.raises(ValueError, match="'nope' is not a known scorer"):
        get_scorer("nope")
    with pytest.raises(ValueError, match="task must be one of"):
        mer_scoring("ldl-ish")


def test_sentiment_metrics_match_mmsa_eval_mosi_regression():
    # MMSA's eval_mosi_regression: Has0 uses >= 0, Non0 drops true zeros and uses
    # > 0, A5/A7 clip to [-2, 2] / [-3, 3] then np.round (half to even)
    from sklearn.metrics import f1_score

    t = np.array([0.0, 0.0, -0.4, 2.5, -3.4, 1.6, 0.6, -2.5, 3.0, -1.2])
    p = np.array([0.0, -0.1, 0.0, 2.6, -2.2, 1.4, -0.6, -1.5, 3.4, 0.2])
    nz = t != 0
    assert acc2_score(t, p) == np.mean((t >= 0) == (p >= 0)) == 0.6
    assert (
        acc2_score(t, p, exclude_zero=True)
        == np.mean((t[nz] > 0) == (p[nz] > 0))
        == 0.75
    )
    assert binary_f1_score(t, p) == pytest.approx(
        f1_score(t >= 0, p >= 0, average="weighted")
    )
    assert binary_f1_score(t, p, exclude_zero=True) == pytest.approx(
        f1_score(t[nz] > 0, p[nz] > 0, average="weighted")
    )
    # A7: rounded t = [0 0 -0 2 -3 2 1 -2 3 -1], p = [0 -0 0 3 -2 1 -1 -2 3 0]
    assert acc7_score(t, p) == 0.5
    # A5: t -> [0 0 -0 2 -2 2 1 -2 2 -1], p -> [0 -0 0 2 -2 1 -1 -2 2 0]
    assert acc5_score(t, p) == 0.7
