"""
==========================================
From a corpus to an evaluated MER system
==========================================

The whole research workflow in one script: load a corpus with its standard
split, encode each modality with a :class:`~skmer.compose.ModalityEncoder`,
compare fusion strategies with a speaker-independent grid search scored with
the MER metrics (:func:`~skmer.metrics.mer_scoring`), score the chosen system
once on held-out speakers, measure how it degrades when a modality goes
missing, and save it with ``skops`` to load it back safely.

The script uses the real CMU-MOSI features of the bc-LSTM paper when the
files are available (``$SKMER_DATA/mosi`` or a ``shared/data/mosi`` folder
next to the project) and a synthetic corpus of the same shape otherwise.
Read more in the user guide chapter :ref:`corpus_to_system`.
"""

# %%
# A corpus, its speakers and its standard split
# ---------------------------------------------
# :func:`~skmer.datasets.load_mosi_bclstm` returns the raw frame (one column
# per modality), the targets of the MOSI protocol, the video (= speaker) of
# each utterance and the official split (``-1`` train, ``0`` validation).
#
# The released text-CNN and 3D-CNN embeddings were trained on the training
# labels, so model selection by cross-validation inside ``train`` would be
# leaky for them; the raw transcript and the openSMILE audio functionals
# learned nothing from the labels, so we build the system from those two.
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmer.datasets import (
    get_data_home,
    load_mosi_bclstm,
    make_multimodal_classification,
    standard_folds,
)
from skmer.encoders import TfidfLSAEncoder, VectorEncoder


def find_mosi():
    """The folder of the bc-LSTM CMU-MOSI files, or None."""
    here = Path(globals().get("__file__", "plot_corpus_to_system.py")).resolve()
    candidates = [get_data_home() / "mosi"]
    candidates += [folder / "shared" / "data" / "mosi" for folder in here.parents]
    return next((c for c in candidates if (c / "train.npz").is_file()), None)


folder = find_mosi()
if folder is not None:
    mosi = load_mosi_bclstm(folder)
    X, y = mosi.frame[["transcript", "audio"]], mosi.targets["binary"].to_numpy()
    groups, split = mosi.groups, mosi.split
    encoders = {
        "transcript": TfidfLSAEncoder(n_components=50, random_state=0),
        "audio": make_pipeline(VectorEncoder(), StandardScaler()),
    }
else:  # a synthetic stand-in: 40 speakers, 10 % of the cells missing
    X, y = make_multimodal_classification(
        n_samples=600,
        class_sep=0.25,
        missing_rate=0.1,
        output="vectors",
        random_state=0,
    )
    groups = np.array([f"speaker{i % 40}" for i in range(len(y))])
    split = np.where(np.arange(len(y)) % 40 < 32, -1, 0)  # 8 held-out speakers
    encoders = {m: VectorEncoder() for m in X.columns}

train, valid = split == -1, split == 0
print("corpus:", "CMU-MOSI (bc-LSTM features)" if folder is not None else "synthetic")
print(
    f"train: {train.sum()} rows of {len(set(groups[train]))} speakers; "
    f"valid: {valid.sum()} rows of {len(set(groups[valid]))} unseen speakers"
)

# %%
# This bc-LSTM split is speaker-independent, but it is not the
# CMU-MultimodalSDK's standard folds of MOSI, which ship with skmer: compare
# results only within one split.
sdk = standard_folds("CMU-MOSI")
print("SDK standard folds (videos):", {part: len(ids) for part, ids in sdk.items()})
print(
    "training videos of this split in the SDK test fold:",
    len(set(groups[train]) & set(sdk["test"])),
)

# %%
# One encoder per modality, then a fusion step
# --------------------------------------------
# Each encoder is fitted on the present cells of its column only and writes
# NaN rows for the missing ones; the fusion step reads the named blocks.
from sklearn.pipeline import Pipeline

from skmer.compose import ModalityEncoder
from skmer.fusion import (
    EarlyFusionClassifier,
    HybridFusionClassifier,
    LateFusionClassifier,
)

mer = Pipeline(
    [("encode", ModalityEncoder(encoders)), ("fuse", LateFusionClassifier())]
)

# %%
# A speaker-grouped grid over fusion strategies
# ---------------------------------------------
# ``GroupKFold`` keeps every speaker's utterances in one fold, so each
# candidate is scored on speakers it never saw. :func:`~skmer.metrics.mer_scoring`
# gives the metrics of the task (WA, UA, weighted F1); ``refit="ua"`` picks the
# best unweighted accuracy.
from sklearn.model_selection import GridSearchCV, GroupKFold

from skmer.metrics import mer_scoring

grid = [
    {"fuse": [EarlyFusionClassifier()]},
    {
        "fuse": [LateFusionClassifier(random_state=0)],
        "fuse__method": ["soft", "weighted"],
    },
    {"fuse": [HybridFusionClassifier(random_state=0)]},
]
search = GridSearchCV(
    mer, grid, cv=GroupKFold(4), scoring=mer_scoring("classification"), refit="ua"
)
search.fit(X[train], y[train], groups=groups[train])

results = pd.DataFrame(search.cv_results_)
results.index = [
    type(p["fuse"]).__name__.replace("FusionClassifier", "")
    + " "
    + p.get("fuse__method", "")
    for p in results["params"]
]
print(results[["mean_test_wa", "mean_test_ua", "mean_test_weighted_f1"]].round(3))
print("selected:", search.best_estimator_["fuse"])

# %%
# One score on the held-out speakers
# ----------------------------------
# The grid refitted the selected system on all training rows; it is scored
# once on the validation speakers, with the same metrics.
best = search.best_estimator_
held_out = {
    name: scorer(best, X[valid], y[valid])
    for name, scorer in mer_scoring("classification").items()
}
print("held-out speakers:", {name: round(v, 3) for name, v in held_out.items()})

# %%
# Robustness to a missing modality
# --------------------------------
# :func:`~skmer.inspection.missing_modality_curve` refits the system on each
# grouped training fold and removes each modality from a growing fraction of
# the test rows: a late-fusion system degrades gracefully towards the score of
# the remaining modality.
from sklearn.base import clone

from skmer.inspection import MissingModalityDisplay, missing_modality_curve

curve = missing_modality_curve(
    clone(best),
    X[train],
    y[train],
    groups=groups[train],
    cv=GroupKFold(4),
    rates=[0.0, 0.5, 1.0],
    scoring="ua",
    random_state=0,
)
display = MissingModalityDisplay(
    curve.rates,
    curve.mean,
    curve.std,
    curve.modalities,
    estimator_name="selected system",
).plot()
display.ax_.set_ylabel("unweighted accuracy (grouped CV)")
for name, scores in zip(curve.modalities, curve.mean):
    print(f"UA without {name}:", np.round(scores, 3).tolist())

# %%
# Save with skops, load back
# --------------------------
# ``skops.io`` loads only the types you trust, and never runs code from the
# file. :func:`skops.io.get_untrusted_types` lists the types of the file that
# are not trusted by default; for skmer systems they are skmer's own classes,
# plus a few scikit-learn and NumPy helpers (``sklearn.utils._bunch.Bunch``,
# ``numpy.dtype``). Review the list, then pass it as ``trusted``.
import tempfile

import skops.io as sio

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "mer_system.skops"
    sio.dump(best, path)
    untrusted = sio.get_untrusted_types(file=path)
    print("types to trust:", *untrusted, sep="\n  ")
    assert all(
        t.split(".")[0] in {"skmer", "sklearn", "numpy", "scipy", "builtins"}
        for t in untrusted
    )
    loaded = sio.load(path, trusted=untrusted)
same = np.array_equal(loaded.predict(X[valid]), best.predict(X[valid]))
print("loaded system predicts the same:", same)
