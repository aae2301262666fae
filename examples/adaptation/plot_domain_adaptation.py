"""
=====================================================================
Cross-corpus adaptation, scarce labels, imbalance and personalisation
=====================================================================

Emotion recognisers trained on one corpus decay on another: microphones,
cameras, languages and annotators differ. :mod:`skmer.adaptation` handles
the usual troubles of multimodal emotion data, every one of them with missing
modalities left missing:

* **domain shift** -- align a labelled source corpus to an unlabelled target
  corpus per modality (CORAL, computed in the span of the rows) or
  adversarially (DANN); the domain of each row follows skada's
  ``sample_domain`` convention (positive = source, negative = target);
* **scarce labels** -- co-training across modalities;
* **imbalanced classes** -- a SMOTE that never invents a missing modality;
* **subjectivity** -- per-subject correction of a population model.
"""

# %%
# Two corpora with a shift
# ------------------------
# Corpus B measures the same emotions as corpus A, but every feature is
# rescaled and offset (different sensors and preprocessing). 20 % of the
# modality blocks are missing in both corpora.
import matplotlib.pyplot as plt
import numpy as np

from skmer.adaptation import (
    CoTrainingClassifier,
    DANNClassifier,
    DomainAdaptationClassifier,
    ModalitySMOTE,
    PersonalizedClassifier,
    cross_corpus_score,
)
from skmer.datasets import make_multimodal_classification
from skmer.fusion import LateFusionClassifier

X, y = make_multimodal_classification(
    n_samples=400, class_sep=0.6, missing_rate=0.2, random_state=1
)
rng = np.random.RandomState(1)
XA, yA = X.iloc[:200], y[:200]
XB = X.iloc[200:] * rng.uniform(0.3, 3, X.shape[1]) + rng.normal(0, 2, X.shape[1])
yB = y[200:]

# %%
# Train on A, adapt with unlabelled B, score on B
# ------------------------------------------------
# :func:`~skmer.adaptation.cross_corpus_score` fits on A plus the unlabelled
# rows of B (passed with ``sample_domain=-1`` and masked labels) and reports
# the unweighted accuracy (UA) on B. ``adapter="none"`` is direct transfer.
results = {
    "direct transfer": cross_corpus_score(
        DomainAdaptationClassifier(adapter="none"), XA, yA, XB, yB
    ).score,
    "CORAL per modality": cross_corpus_score(
        DomainAdaptationClassifier(adapter="coral"), XA, yA, XB, yB
    ).score,
    "CORAL fused": cross_corpus_score(
        DomainAdaptationClassifier(adapter="coral", level="fused"), XA, yA, XB, yB
    ).score,
    "DANN": cross_corpus_score(
        DANNClassifier(max_epochs=30, random_state=0), XA, yA, XB, yB
    ).score,
}
in_domain = cross_corpus_score(
    LateFusionClassifier(), XB.iloc[::2], yB[::2], XB.iloc[1::2], yB[1::2]
).score
for name, score in results.items():
    print(f"{name:>20}: UA on B = {score:.3f}")
print(f"{'B -> B (in-domain)':>20}: UA on B = {in_domain:.3f}")

fig, ax = plt.subplots(figsize=(6, 3))
ax.barh(list(results), list(results.values()), color="tab:blue")
ax.axvline(in_domain, color="k", ls="--", label="in-domain (half of B labelled)")
ax.set_xlabel("unweighted accuracy on corpus B")
ax.set_xlim(0.5, 1.0)
ax.legend(loc="lower right")
fig.tight_layout()

# %%
# Inside a grid search, ``sample_domain`` is routed metadata: enable routing
# and request it on the estimator::
#
#     import sklearn
#     sklearn.set_config(enable_metadata_routing=True)
#     clf = DomainAdaptationClassifier().set_fit_request(sample_domain=True)
#     GridSearchCV(clf, {"level": ["modality", "fused"]}).fit(X, y, sample_domain=d)

# %%
# Five percent of labels: co-training across modalities
# ------------------------------------------------------
# Each modality's classifier labels the unlabelled rows it is sure about for
# the other modalities. Unlabelled rows carry ``-1``.
X2, y2 = make_multimodal_classification(
    n_samples=500,
    modalities={"text": 10, "audio": 10},
    informativeness=1.0,
    class_sep=0.5,
    random_state=4,
)
labelled = np.zeros(300, dtype=bool)
labelled[rng.choice(300, 15, replace=False)] = True
y_semi = np.where(labelled, y2[:300], -1)
supervised = LateFusionClassifier().fit(X2[:300][labelled], y2[:300][labelled])
co = CoTrainingClassifier(max_iter=5, random_state=0).fit(X2[:300], y_semi)
print(f"15 labels, supervised late fusion: {supervised.score(X2[300:], y2[300:]):.3f}")
print(f"15 labels + 285 unlabelled, co-training: {co.score(X2[300:], y2[300:]):.3f}")

# %%
# Imbalanced emotions: over-sample without inventing modalities
# --------------------------------------------------------------
# imbalanced-learn's samplers reject NaN; :class:`~skmer.adaptation.ModalitySMOTE`
# interpolates only within the modalities both neighbours have, so a synthetic
# sample has exactly the modalities of the sample it was made from.
X3, y3 = make_multimodal_classification(
    n_samples=300, weights=[0.9, 0.1], missing_rate=0.3, random_state=0
)
X3r, y3r = ModalitySMOTE(random_state=0).fit_resample(X3, y3)
print("class counts before:", np.bincount(y3), "after:", np.bincount(y3r))
text = [c for c in X3.columns if c.startswith("text")]
print(
    "rows missing text before/after:",
    int(X3[text].isna().all(axis=1).sum()),
    int(X3r[text].isna().all(axis=1).sum()),
)

# %%
# Personalisation: a subject's own bias
# --------------------------------------
# Two subjects see the same stimuli; one reports the emotion far more often.
# No population model can know that from the features; a per-subject
# correction of the population's log-probabilities learns it.
X4, latent = make_multimodal_classification(
    n_samples=400, class_sep=0.8, random_state=2
)
subject = np.repeat([0, 1], 200)
y4 = np.where((subject == 1) & (rng.uniform(size=400) < 0.6), 1, latent)
train = np.arange(400) % 2 == 0
clf = PersonalizedClassifier(LateFusionClassifier(), random_state=0)
clf.fit(X4[train], y4[train], groups=subject[train])
test = ~train
print(f"population model: {clf.score(X4[test], y4[test]):.3f}")
print(
    f"personalised:     {np.mean(clf.predict(X4[test], groups=subject[test]) == y4[test]):.3f}"
)
