import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline as ImbPipeline
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score

from skmer.adaptation import ModalitySMOTE
from skmer.datasets import make_multimodal_classification
from skmer.fusion import LateFusionClassifier


@pytest.fixture(scope="module")
def imbalanced():
    return make_multimodal_classification(
        n_samples=300,
        weights=[0.8, 0.15, 0.05],
        n_classes=3,
        missing_rate=0.3,
        class_sep=0.5,
        random_state=0,
    )


def _presence(X):
    blocks = {}
    for c in X.columns:
        blocks.setdefault(c.split("__")[0], []).append(c)
    return np.column_stack([X[cols].notna().all(axis=1) for cols in blocks.values()])


def test_balances_classes_and_keeps_originals(imbalanced):
    X, y = imbalanced
    Xr, yr = ModalitySMOTE(random_state=0).fit_resample(X, y)
    counts = np.bincount(yr)
    assert np.all(counts == counts.max())
    assert isinstance(Xr, pd.DataFrame) and list(Xr.columns) == list(X.columns)
    pd.testing.assert_frame_equal(
        Xr.iloc[: len(X)].reset_index(drop=True), X.reset_index(drop=True)
    )


def test_never_invents_a_modality(imbalanced):
    X, y = imbalanced
    Xr, yr = ModalitySMOTE(random_state=0).fit_resample(X, y)
    new = Xr.iloc[len(X) :]
    p_new = _presence(new)
    # no partial block: a block is either fully present or fully NaN
    np.testing.assert_array_equal(
        new.notna().to_numpy().sum(axis=1) > 0, p_new.any(axis=1)
    )
    # each synthetic row has exactly the modalities of an original row of its class,
    # and every present block lies on a segment between two same-class samples
    p_orig = _presence(X)
    patterns = {tuple(p) for p in p_orig}
    assert {tuple(p) for p in p_new} <= patterns
    assert p_new.sum() < p_new.size  # the data has missing blocks to preserve


def test_interpolates_between_same_class_neighbours():
    rng = np.random.RandomState(0)
    # class 1 lives on a line in modality a; modality b is constant per class
    t = rng.uniform(0, 1, 12)
    a = np.column_stack([t, 2 * t])
    b = np.tile([5.0, 5.0], (12, 1))
    X1 = np.hstack([a, b])
    X1[::3, 2:] = np.nan  # some rows miss modality b
    X0 = rng.normal(size=(40, 4)) - 10
    X = np.vstack([X0, X1])
    y = np.r_[np.zeros(40, int), np.ones(12, int)]
    sm = ModalitySMOTE(
        modalities={"a": [0, 1], "b": [2, 3]}, k_neighbors=3, random_state=0
    )
    Xr, yr = sm.fit_resample(X, y)
    new = Xr[52:]
    assert new.shape == (28, 4)
    np.testing.assert_allclose(new[:, 1], 2 * new[:, 0])  # stays on the line
    assert np.all((new[:, 0] >= t.min()) & (new[:, 0] <= t.max()))
    present_b = ~np.isnan(new[:, 2])
    np.testing.assert_allclose(new[present_b, 2:], 5.0)
    assert np.isnan(new[~present_b, 2:]).all() and (~present_b).any()


def test_only_present_modality_is_interpolated():
    # base rows lack b; neighbours have it: b must stay absent, a interpolated
    X = np.array(
        [
            [0.0, np.nan],
            [1.0, np.nan],
            [0.5, 3.0],
            [0.2, 3.0],
            [9.0, 9.0],
            [9.5, 9.1],
            [9.2, 9.3],
            [9.1, 9.9],
            [9.7, 9.4],
            [9.3, 9.2],
        ]
    )
    y = np.r_[np.ones(4, int), np.zeros(6, int)]
    Xr, yr = ModalitySMOTE(
        modalities={"a": [0], "b": [1]}, k_neighbors=3, random_state=0
    ).fit_resample(X, y)
    new = Xr[10:]
    assert len(new) == 2
    assert np.all((new[:, 0] >= 0) & (new[:, 0] <= 1))


def test_in_imblearn_pipeline_gridsearch(imbalanced):
    X, y = imbalanced
    pipe = ImbPipeline(
        [
            ("smote", ModalitySMOTE(random_state=0)),
            ("fuse", LateFusionClassifier(random_state=0)),
        ]
    )
    search = GridSearchCV(
        pipe,
        {"smote__k_neighbors": [3, 5]},
        scoring="balanced_accuracy",
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    )
    search.fit(X, y)
    assert search.best_score_ > 1 / 3
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    plain = cross_val_score(
        LateFusionClassifier(random_state=0), X, y, cv=cv, scoring="balanced_accuracy"
    ).mean()
    over = cross_val_score(pipe, X, y, cv=cv, scoring="balanced_accuracy").mean()
    assert over > plain  # unweighted accuracy improves on the imbalanced classes


def test_errors():
    X = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0], [5.0, 5.0]])
    with pytest.raises(ValueError, match="Class 1 has 1 sample"):
        ModalitySMOTE().fit_resample(X, [0, 0, 0, 1])
    X[1, 0] = np.nan
    with pytest.raises(ValueError, match="NaN inside a present block"):
        ModalitySMOTE(modalities={"m": [0, 1]}).fit_resample(X, [0, 0, 1, 1])
