"""
===========================================
Kernel, graph, tensor and attention fusion
===========================================

The model-based fusion families on data where each one's strength shows:
learned kernel weights ignore a noise modality, graph fusion propagates 10 %
of the labels, and tensor fusion models a multiplicative interaction between
modalities that additive late fusion cannot.
"""

# %%
# Multiple-kernel fusion learns which modality matters
# ----------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skmer.datasets import make_multimodal_classification
from skmer.fusion import (
    AttentionFusionClassifier,
    GraphFusionClassifier,
    LateFusionClassifier,
    MultipleKernelClassifier,
    TensorFusionClassifier,
)

X, y = make_multimodal_classification(
    n_samples=600,
    informativeness={"text": 1.0, "audio": 0.5, "video": 0.0},
    class_sep=0.5,
    missing_rate=0.2,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
mkl = MultipleKernelClassifier(method="alignment").fit(X_train, y_train)
print("MKL accuracy:", round(mkl.score(X_test, y_test), 3))
print(
    "kernel weights:",
    {n: round(float(w), 3) for n, w in zip(mkl.kernel_names_, mkl.kernel_weights_)},
)

# %%
# Graph fusion with 10 % of the labels
# ------------------------------------
# ``-1`` marks an unlabelled row; labels spread over the fused kNN graph, and
# rows missing a modality are reached through the other modalities' edges.
rng = np.random.RandomState(0)
y_semi = np.where(rng.rand(len(y_train)) < 0.1, y_train, -1)
graph = GraphFusionClassifier(method="learned", n_neighbors=10).fit(X_train, y_semi)
print("graph fusion, 10 % labels:", round(graph.score(X_test, y_test), 3))
print("modality weights:", {k: round(v, 2) for k, v in graph.modality_weights_.items()})

# %%
# Tensor fusion models cross-modal interactions
# ---------------------------------------------
# Here the label is the sign of a product of a text and an audio feature.
Xi, yi = make_multimodal_classification(
    n_samples=1500, interaction=True, random_state=0
)
Xi_train, Xi_test, yi_train, yi_test = train_test_split(Xi, yi, random_state=0)
models = {
    "late fusion": LateFusionClassifier(),
    "attention": AttentionFusionClassifier(max_epochs=20, lr=0.02, random_state=0),
    "LMF (rank 4)": TensorFusionClassifier(
        rank=4, max_epochs=20, lr=0.02, random_state=0
    ),
    "TFN": TensorFusionClassifier(max_epochs=20, lr=0.02, random_state=0),
}
scores = {
    name: m.fit(Xi_train, yi_train).score(Xi_test, yi_test)
    for name, m in models.items()
}
fig, ax = plt.subplots()
ax.bar(list(scores), list(scores.values()))
ax.axhline(0.5, color="0.5", ls="--")
ax.set_ylabel("test accuracy")
ax.set_title("A multiplicative interaction between modalities")
print({k: round(v, 3) for k, v in scores.items()})
