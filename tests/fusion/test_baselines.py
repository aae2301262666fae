"""The SVM and RF baseline pipelines over raw sequences."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV

from skmer.fusion import make_rf_baseline, make_svm_baseline
from tests.sequence._tasks import temporal_task


@pytest.fixture(scope="module")
def temporal():
    return temporal_task(60, 0), temporal_task(80, 1)


@pytest.mark.parametrize("factory", [make_svm_baseline, make_rf_baseline])
def test_baselines_are_tunable_pipelines(factory, temporal):
    (X, y), (Xt, yt) = temporal
    pipe = factory(["audio", "video"])
    Xv = pd.DataFrame({m: [a.mean(axis=0) for a in X[m]] for m in X})
    assert factory(["audio", "video"], item="vector").fit(Xv, y).predict(Xv).shape == (
        60,
    )
    reg = factory(["audio"], task="regression").fit(X, y.astype(float))
    assert reg.predict(Xt).dtype.kind == "f"
    step = "svc__C" if factory is make_svm_baseline else "max_depth"
    search = GridSearchCV(pipe, {f"fuse__estimator__{step}": [1, 2]}, cv=2).fit(X, y)
    assert search.best_estimator_.predict(Xt).shape == (80,)
    if (
        factory is make_rf_baseline
    ):  # the seed reaches the forest through the fusion step
        a, b = (
            factory(["audio"], n_estimators=5, random_state=1).fit(X, y) for _ in "ab"
        )
        np.testing.assert_array_equal(a.predict_proba(Xt), b.predict_proba(Xt))
    with pytest.raises(ValueError, match="task must be one of"):
        factory(["audio"], task="ranking")
    with pytest.raises(ValueError, match="modalities must be a non-empty list"):
        factory("audio")
