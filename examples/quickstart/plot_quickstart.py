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
    n_samples=400, n_classes=3, class_sep=0.5, output="sequences",
    missing_rate=0.3, random_state=0,
)
groups = np.arange(len(y)) % 20  # e.g. the speaker of each utterance
print(X_raw.head())

# %%
# Encode each modality, fuse late
# -------------------------------
# Each encoder is fitted on the present cells of its column; late fusion lets a
# missing modality abstain per row.
mer = Pipeline([
    ("encode", ModalityEncoder({m: SequencePooling(stats=["mean", "std"]) for m in X_raw})),
    ("fuse", LateFusionClassifier(method="weighted", random_state=0)),
])
scores = cross_validate(mer, X_raw, y, groups=groups, cv=GroupKFold(5),
                        scoring=mer_scoring("classification"))
for name in ["wa", "ua", "weighted_f1"]:
    print(f"{name}: {scores['test_' + name].mean():.3f}")

# %%
# How much did each modality count?
mer.fit(X_raw, y)
print(mer["fuse"].modality_weights_)
