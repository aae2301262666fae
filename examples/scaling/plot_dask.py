"""
======================================
Scaling a fusion grid search with Dask
======================================

skmer parallelises through joblib, so a grid search over fusion choices scales
past one machine with joblib's Dask backend and no code change. Here a local
cluster stands in for a real one; point ``Client`` at your scheduler's address
to use many machines.
"""

# %%
import joblib
from distributed import Client, LocalCluster
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skmer.datasets import make_multimodal_classification
from skmer.fusion import (
    EarlyFusionClassifier,
    HybridFusionClassifier,
    LateFusionClassifier,
)

X, y = make_multimodal_classification(n_samples=400, missing_rate=0.3, random_state=0)
search = GridSearchCV(
    Pipeline([("fuse", LateFusionClassifier())]),
    {
        "fuse": [
            EarlyFusionClassifier(),
            LateFusionClassifier(method="weighted"),
            HybridFusionClassifier(),
        ]
    },
    cv=3,
    n_jobs=-1,
)

with (
    LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster,
    Client(cluster),
):
    with joblib.parallel_backend("dask"):
        search.fit(X, y)
print(search.best_params_, round(search.best_score_, 3))
