"""GridSearchCV over fusion choices runs on a Dask cluster via joblib."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skmer.datasets import make_multimodal_classification
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier

distributed = pytest.importorskip("distributed")


def test_grid_search_under_dask_backend_runs_on_the_workers():
    import joblib

    X, y = make_multimodal_classification(
        n_samples=200, missing_rate=0.3, random_state=0
    )
    grid = {
        "fuse": [
            EarlyFusionClassifier(),
            LateFusionClassifier(method="weighted", random_state=0),
        ]
    }
    pipe = Pipeline([("fuse", LateFusionClassifier())])
    local = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster) as client:
            workers = set(client.scheduler_info()["workers"])
            with distributed.get_task_stream(client) as stream:
                with joblib.parallel_backend("dask"):
                    remote = GridSearchCV(pipe, grid, cv=3, n_jobs=-1).fit(X, y)
    # the 2 candidates x 3 folds were fitted by the cluster's workers, not locally
    ran_on = {task["worker"] for task in stream.data}
    assert stream.data and ran_on <= workers
    n_fits = sum("fit_and_score" in str(task["key"]) for task in stream.data)
    assert n_fits >= 6, [task["key"] for task in stream.data]
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
