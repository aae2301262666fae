"""Annotation aggregation: hand-computed votes, distributions and agreement."""

import numpy as np
import pytest

from skmer.emotions import (
    dawid_skene,
    fleiss_kappa,
    krippendorff_alpha,
    label_distribution,
    majority_vote,
    rescale_ratings,
    traces_to_windows,
)

VOTES = [
    ["joy", "joy", "anger"],  # clear majority
    ["joy", "anger", None],  # tie joy/anger, one missing
    ["fear", np.nan, "fear"],  # NaN = missing
    [None, None, None],  # unrated
]


def test_majority_vote_tie_policies():
    assert majority_vote(VOTES, tie="first").tolist() == ["joy", "anger", "fear", None]
    assert (
        majority_vote(VOTES, tie="first", labels=["joy", "anger", "fear"]).tolist()[1]
        == "joy"
    )
    out = majority_vote(VOTES, tie="abstain", abstain_label="?")
    assert out.tolist() == ["joy", "?", "fear", "?"]
    with pytest.raises(ValueError, match=r"Items \[1\] have tied majority votes"):
        majority_vote(VOTES, tie="raise")
    with pytest.raises(ValueError, match="tie must be one of"):
        majority_vote(VOTES, tie="coin")
    draws = {
        majority_vote([["a", "b"]], tie="random", random_state=s)[0] for s in range(30)
    }
    assert draws == {"a", "b"}
    same = [majority_vote([["a", "b"]] * 5, random_state=3).tolist() for _ in range(2)]
    assert same[0] == same[1]


def test_majority_vote_numeric_labels():
    assert majority_vote([[1, 1, 2], [3, 2, 3]]).tolist() == [1, 3]


def test_label_distribution_hand_computed():
    dist, labels = label_distribution(VOTES[:3])
    assert labels.tolist() == ["anger", "fear", "joy"]
    np.testing.assert_allclose(dist, [[1 / 3, 0, 2 / 3], [0.5, 0, 0.5], [0, 1, 0]])
    dist, _ = label_distribution([["a", "a"]], labels=["a", "b"], smoothing=1)
    np.testing.assert_allclose(dist, [[0.75, 0.25]])
    with pytest.raises(ValueError, match=r"Items \[3\] have no rating"):
        label_distribution(VOTES)
    with pytest.raises(ValueError, match="not in labels"):
        label_distribution([["a", "c"]], labels=["a", "b"])
    with pytest.raises(ValueError, match="non-empty 2-D"):
        label_distribution(np.empty((0, 2)))


def test_dawid_skene_beats_majority_with_one_reliable_rater():
    rng = np.random.RandomState(0)
    truth = rng.randint(0, 2, size=300)
    reliable = truth.copy()
    noisy = [np.where(rng.rand(300) < 0.4, 1 - truth, truth) for _ in range(2)]
    ratings = np.column_stack([reliable, *noisy])
    mv = majority_vote(ratings, tie="first")
    ds = dawid_skene(ratings)
    assert np.mean(mv == truth) < 0.9
    assert np.mean(ds.labels == truth) == 1.0
    # the reliable rater is estimated as the more accurate one
    accuracy = [np.diag(c).mean() for c in ds.confusion]
    assert accuracy[0] > max(accuracy[1:]) + 0.1
    np.testing.assert_allclose(ds.posterior.sum(axis=1), 1)
    assert ds.classes.tolist() == [0, 1]


def test_dawid_skene_missing_ratings_and_errors():
    res = dawid_skene(
        [["a", None, "a"], ["b", "b", None], [None, "a", "a"]], max_iter=5
    )
    assert res.labels.tolist() == ["a", "b", "a"]
    assert res.n_iter <= 5
    with pytest.raises(ValueError, match="max_iter must be a positive integer"):
        dawid_skene([["a"]], max_iter=0)


def test_dawid_skene_label_no_item_has_is_quiet():
    # regression: a label of ``labels`` that no rater used gave prior 0 and a
    # "divide by zero encountered in log" RuntimeWarning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = dawid_skene([["a", "a"], ["a", "b"]], labels=["a", "b", "c"])
    assert res.labels.tolist() == ["a", "a"]
    assert res.posterior[:, 2].tolist() == [0.0, 0.0]


def test_fleiss_kappa_wikipedia_example():
    # Fleiss (1971) worked example as reproduced on Wikipedia: kappa = 0.210
    table = np.array(
        [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
    )
    assert round(fleiss_kappa(table, counts=True), 3) == 0.210
    # the same data as raw ratings
    ratings = np.array([np.repeat(np.arange(5), row) for row in table])
    assert fleiss_kappa(ratings) == pytest.approx(fleiss_kappa(table, counts=True))
    assert fleiss_kappa([["a", "a"], ["b", "b"]]) == 1.0
    with pytest.raises(ValueError, match="miss ratings"):
        fleiss_kappa([["a", None], ["b", "b"]])
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[2, 0], [1, 0]], counts=True)


def test_krippendorff_alpha_reference_values():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the
    # 4 observers x 12 units example with missing values.
    nan = np.nan
    ratings = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
        ]
    ).T
    assert round(krippendorff_alpha(ratings, level="nominal"), 3) == 0.743
    assert round(krippendorff_alpha(ratings, level="ordinal"), 3) == 0.815
    assert round(krippendorff_alpha(ratings, level="interval"), 3) == 0.849
    assert round(krippendorff_alpha(ratings, level="ratio"), 3) == 0.797
    assert krippendorff_alpha([["a", "a"], ["b", "b"]]) == 1.0
    with pytest.raises(ValueError, match="needs numeric ratings"):
        krippendorff_alpha([["a", "b"]], level="interval")
    with pytest.raises(ValueError, match="No item has two or more ratings"):
        krippendorff_alpha([[1, None], [None, 2]])
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha([[1, 1]], level="ratiox")


def test_rescale_sam_and_likert():
    np.testing.assert_allclose(
        rescale_ratings([1, 5, 9], from_range=(1, 9)), [-1, 0, 1]
    )
    np.testing.assert_allclose(
        rescale_ratings([[-3, 3]], from_range=(-3, 3), to_range=(0, 1)), [[0, 1]]
    )
    assert np.isnan(rescale_ratings([np.nan], from_range=(1, 5))[0])
    with pytest.raises(ValueError, match="outside from_range"):
        rescale_ratings([0], from_range=(1, 5))
    with pytest.raises(ValueError, match="low < high"):
        rescale_ratings([1], from_range=(5, 1))


def test_traces_to_windows_with_lag():
    sr = 10
    t = np.arange(100) / sr  # 10 s at 10 Hz
    stimulus = (t >= 4).astype(float)  # the emotion starts at 4 s
    lagged = np.column_stack(
        [
            np.r_[np.zeros(20), stimulus[:-20]],  # 2 s late
            np.r_[np.zeros(20), stimulus[:-20]],
        ]
    )
    starts, raw = traces_to_windows(lagged, sr=sr, window=2)
    assert starts.tolist() == [0, 2, 4, 6, 8]
    assert raw.tolist() == [0, 0, 0, 1, 1]  # shifted by the lag
    starts, fixed = traces_to_windows(lagged, sr=sr, window=2, lag=2)
    assert starts.tolist() == [0, 2, 4, 6]  # the last window runs past the end
    assert fixed.tolist() == [0, 0, 1, 1]
    _, per = traces_to_windows(lagged, sr=sr, window=5, combine=None)
    assert per.shape == (2, 2)
    _, med = traces_to_windows(
        np.array([0, 0, 1, 5.0]), sr=1, window=4, statistic="median"
    )
    assert med.tolist() == [0.5]
    _, ann = traces_to_windows(np.array([[1.0, np.nan], [3.0, np.nan]]), sr=1, window=2)
    assert ann.tolist() == [2.0]


def test_traces_to_windows_errors():
    with pytest.raises(ValueError, match="sr must be a positive number"):
        traces_to_windows(np.zeros(10), sr=0, window=1)
    with pytest.raises(ValueError, match="lag must be a non-negative"):
        traces_to_windows(np.zeros(10), sr=1, window=1, lag=-1)
    with pytest.raises(ValueError, match="too short for one window"):
        traces_to_windows(np.zeros(10), sr=1, window=5, lag=6)
