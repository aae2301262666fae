"""
=========================================
A multimodal emotion recognition pipeline
=========================================

From a raw DataFrame with one column per modality (some cells missing) to a
cross-validated fusion model, with scikit-learn's own tools.
"""

# %%
# Raw multimodal data
# -------------------
# Each cell holds a ``(T, d)`` sequence of frame features; ``None`` marks a
# modality missing for that sample (30 % of each modality here).
import numpy as np
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import Pipeline

from skmer.compose import ModalityEncoder
from skmer.datasets import make_multimodal_classification
from skmer.encoders import SequencePooling
from skmer.fusion import LateFusionClassifier
from skmer.metrics import mer_scoring

X_raw, y = make_multimodal_classification(
    n_samples=400,
    n_classes=3,
    class_sep=0.5,
    output="sequences",
    missing_rate=0.3,
    random_state=0,
)
groups = np.arange(len(y)) % 20  # e.g. the speaker of each utterance
print(X_raw.head())

# %%
# Encode each modality, fuse late
# -------------------------------
# Each encoder is fitted on the present cells of its column; late fusion lets a
# missing modality abstain per row.
mer = Pipeline(
    [
        (
            "encode",
            ModalityEncoder({m: SequencePooling(stats=["mean", "std"]) for m in X_raw}),
        ),
        ("fuse", LateFusionClassifier(method="weighted", random_state=0)),
    ]
)
scores = cross_validate(
    mer,
    X_raw,
    y,
    groups=groups,
    cv=GroupKFold(5),
    scoring=mer_scoring("classification"),
    return_estimator=True,
)
# WA: share of rows classified correctly; UA: recall averaged over classes;
# F1: F1 averaged over classes weighted by their size
for name, label in [("wa", "WA"), ("ua", "UA"), ("weighted_f1", "F1")]:
    fold_scores = scores["test_" + name]
    print(f"{label}: {fold_scores.mean():.3f} ± {fold_scores.std():.3f}")

# %%
# How much did each modality count?
# ----------------------------------
# Each fold's model learned its own modality weights (summing to 1); their mean
# over the folds needs no refit.
weights = [model["fuse"].modality_weights_ for model in scores["estimator"]]
print({m: round(float(np.mean([w[m] for w in weights])), 2) for m in weights[0]})
