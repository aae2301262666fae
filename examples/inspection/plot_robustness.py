"""
=======================================
Missing-modality robustness and weights
=======================================

How does a model degrade as test rows lose each modality, and which modality
did it rely on?
"""

# %%
from skmer.datasets import make_multimodal_classification
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier
from skmer.inspection import (
    MissingModalityDisplay,
    ModalityWeightsDisplay,
    permutation_importance_by_modality,
)

X, y = make_multimodal_classification(
    n_samples=600,
    informativeness={"text": 1.0, "audio": 0.6, "video": 0.2},
    class_sep=0.4,
    random_state=0,
)

# %%
# Robustness curves: the score as a growing fraction of test rows miss a
# modality. Late fusion loses little when the weak modality goes.
MissingModalityDisplay.from_estimator(
    LateFusionClassifier(method="weighted", random_state=0),
    X,
    y,
    rates=[0, 0.25, 0.5, 0.75, 1.0],
    cv=3,
    random_state=0,
)

# %%
# Learned modality weights, and block permutation importance of early fusion.
late = LateFusionClassifier(method="weighted", random_state=0).fit(X, y)
ModalityWeightsDisplay.from_estimator(late)
early = EarlyFusionClassifier().fit(X, y)
res = permutation_importance_by_modality(early, X, y, n_repeats=5, random_state=0)
print(dict(zip(res.modalities, res.importances_mean.round(3))))
