"""
==================================
Grid search over fusion strategies
==================================

Early, late and hybrid fusion are interchangeable pipeline steps, so one
``GridSearchCV`` compares them, and their parameters, on the same folds.
"""

# %%
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skmer.datasets import make_multimodal_classification
from skmer.fusion import (
    EarlyFusionClassifier,
    HybridFusionClassifier,
    LateFusionClassifier,
)

X, y = make_multimodal_classification(
    n_samples=600,
    n_classes=3,
    class_sep=0.5,
    complementary=0.3,
    missing_rate=0.3,
    random_state=0,
)
pipe = Pipeline([("fuse", LateFusionClassifier())])
grid = [
    {"fuse": [EarlyFusionClassifier()], "fuse__missing": ["impute", "indicator"]},
    {
        "fuse": [LateFusionClassifier(random_state=0)],
        "fuse__method": ["soft", "hard", "weighted", "variance", "stacking"],
    },
    {
        "fuse": [HybridFusionClassifier(random_state=0)],
        "fuse__method": ["soft", "weighted"],
    },
]
search = GridSearchCV(pipe, grid, cv=StratifiedKFold(5, shuffle=True, random_state=0))
search.fit(X, y)

# %%
results = pd.DataFrame(search.cv_results_)
results["model"] = [
    f"{type(p['fuse']).__name__.replace('FusionClassifier', '')} "
    f"{p.get('fuse__method', p.get('fuse__missing'))}"
    for p in results["params"]
]
results = results.sort_values("mean_test_score")
fig, ax = plt.subplots(figsize=(6, 4))
ax.barh(results["model"], results["mean_test_score"], xerr=results["std_test_score"])
ax.set_xlabel("cross-validated accuracy")
ax.set_xlim(0.4, 0.8)
fig.tight_layout()
print("best:", search.best_params_)
