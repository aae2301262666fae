"""
===================================================
Emotion models, annotations and label distributions
===================================================

From noisy rater annotations to training targets, between categorical and
dimensional emotion models, and label distribution learning with a fusion
estimator's features.
"""

# %%
# Several raters, one label: majority vote vs Dawid-Skene
# -------------------------------------------------------
# One careful rater and two noisy ones. Dawid-Skene learns each rater's
# confusion matrix and recovers the truth better than the vote.
import matplotlib.pyplot as plt
import numpy as np

from skmer.emotions import (
    ClassifierLDL,
    category_to_dimensions,
    dawid_skene,
    dimensions_to_category,
    fleiss_kappa,
    label_distribution,
    majority_vote,
)

rng = np.random.RandomState(0)
truth = rng.choice(["anger", "happiness", "sadness"], size=400)
noisy = [
    np.where(
        rng.rand(400) < 0.45, rng.choice(["anger", "happiness", "sadness"], 400), truth
    )
    for _ in range(2)
]
ratings = np.column_stack([truth, *noisy])
vote_accuracy = np.mean(majority_vote(ratings, random_state=0) == truth)
ds_accuracy = np.mean(dawid_skene(ratings).labels == truth)
print("majority vote accuracy:", vote_accuracy)
print("Dawid-Skene accuracy:  ", ds_accuracy)
print("Fleiss' kappa:", round(fleiss_kappa(ratings), 3))

# %%
# Categories on the valence-arousal plane, and back
# -------------------------------------------------
labels = ["anger", "fear", "happiness", "sadness", "surprise", "disgust"]
va = category_to_dimensions(labels, space="va")
back, confidence = dimensions_to_category(va, space="va")
print(dict(zip(labels, zip(back, confidence.round(2)))))
fig, ax = plt.subplots()
ax.scatter(va[:, 0], va[:, 1])
for (v, a), name in zip(va, labels):
    ax.annotate(name, (v, a))
ax.axhline(0, color="0.8")
ax.axvline(0, color="0.8")
ax.set_xlabel("valence")
ax.set_ylabel("arousal")

# %%
# Label distribution learning from the raters' votes
# --------------------------------------------------
# Each sample's target is the distribution of its raters' labels; a
# classifier-based LDL learner predicts distributions for new samples.
from sklearn.linear_model import LogisticRegression  # noqa: E402

from skmer.datasets import make_multimodal_classification  # noqa: E402
from skmer.metrics import intersection_similarity  # noqa: E402

X, y = make_multimodal_classification(
    n_samples=400, n_classes=3, class_sep=0.6, random_state=0
)
names = np.array(["anger", "happiness", "sadness"])
votes = np.column_stack(
    [np.where(rng.rand(400) < 0.3, rng.choice(names, 400), names[y]) for _ in range(5)]
)
D, classes = label_distribution(votes)
ldl = ClassifierLDL(LogisticRegression(max_iter=1000)).fit(X[:300], D[:300])
print(
    "held-out intersection similarity:",
    round(intersection_similarity(D[300:], ldl.predict(X[300:])), 3),
)
