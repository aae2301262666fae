"""
===================================
Late fusion with missing modalities
===================================

A late-fusion vote where an absent modality abstains (its weight is
renormalised over the present ones) against imputing the missing block and
against dropping incomplete rows.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skmer.datasets import make_multimodal_classification, simulate_missing
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier

X, y = make_multimodal_classification(n_samples=1500, class_sep=0.4, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)

rates = [0.0, 0.2, 0.4, 0.6, 0.8]
scores = {
    "late fusion (abstain)": [],
    "early fusion (impute)": [],
    "drop incomplete rows": [],
}
for rate in rates:
    miss = {"text": rate, "audio": rate, "video": rate}
    Xtr = simulate_missing(X_train, miss, random_state=1)
    Xte = simulate_missing(X_test, miss, random_state=2)
    late = LateFusionClassifier(method="weighted", random_state=0).fit(Xtr, y_train)
    early = EarlyFusionClassifier().fit(Xtr, y_train)
    complete = ~Xtr.isna().any(axis=1).to_numpy()
    dropped = EarlyFusionClassifier().fit(Xtr[complete], y_train[complete])
    scores["late fusion (abstain)"].append(late.score(Xte, y_test))
    scores["early fusion (impute)"].append(early.score(Xte, y_test))
    scores["drop incomplete rows"].append(dropped.score(Xte, y_test))

# %%
fig, ax = plt.subplots()
for name, s in scores.items():
    ax.plot(rates, s, marker="o", label=name)
ax.set_xlabel("missing rate of each modality (train and test)")
ax.set_ylabel("test accuracy")
ax.legend()
print({k: np.round(v, 3).tolist() for k, v in scores.items()})
