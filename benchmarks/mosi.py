"""Every fusion strategy on CMU-MOSI (bc-LSTM utterance features), grouped CV.

Binary task ``score >= 0`` for A2 / weighted F1 (classifiers) and the score
itself for MAE / Pearson correlation (regressors of the same strategy), 5-fold
``GroupKFold`` by ``video_id`` (speaker-independent), per fusion strategy and
per single modality; then again with 30 % and 50 % of rows missing text, audio
or video (removed at random from train and test rows alike).

    python benchmarks/mosi.py [--data ../shared/data/mosi/train.npz] [--markdown]
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error
from sklearn.model_selection import GroupKFold

from skmer._catalog import fusion_catalog
from skmer.datasets import simulate_missing
from skmer.metrics import pearson_correlation

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "mosi" / "train.npz"
MODALITIES = ["text", "audio", "video"]


def load(path):
    with np.load(path, allow_pickle=False) as d:
        blocks = [
            pd.DataFrame(d[m].astype(float), columns=[f"{m}__{i}" for i in range(d[m].shape[1])])
            for m in MODALITIES
        ]
        return pd.concat(blocks, axis=1), d["score"].astype(float), d["video_id"]


def models(X, neural):
    clf = fusion_catalog("classification", random_state=0, neural=neural)
    reg = fusion_catalog("regression", random_state=0, neural=neural)
    pairs = {}
    for name in clf:
        # regression strategies share the classifier's name where one exists
        reg_name = {"late-soft": "late-average", "late-hard": "late-median"}.get(name, name)
        if reg_name in reg:
            pairs[name] = (clf[name], reg[reg_name])
    for m in MODALITIES:
        only = {m: [c for c in X.columns if c.startswith(f"{m}__")]}
        pairs[f"only-{m}"] = (
            clone(clf["early"]).set_params(modalities=only),
            clone(reg["early"]).set_params(modalities=only),
        )
    return pairs


def evaluate(clf, reg, X, score, groups, cv):
    y = (score >= 0).astype(int)
    preds, reg_preds, t0 = np.empty(len(y), dtype=int), np.empty(len(y)), time.perf_counter()
    for train, test in cv.split(X, y, groups):
        preds[test] = clone(clf).fit(X.iloc[train], y[train]).predict(X.iloc[test])
        reg_preds[test] = clone(reg).fit(X.iloc[train], score[train]).predict(X.iloc[test])
    return {
        "A2": 100 * accuracy_score(y, preds),
        "F1": 100 * f1_score(y, preds, average="weighted"),
        "MAE": mean_absolute_error(score, reg_preds),
        "Corr": pearson_correlation(score, reg_preds),
        "time_s": time.perf_counter() - t0,
    }


def fmt(rows, markdown):
    cols = list(rows[0])
    lines = []
    if markdown:
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
    for r in rows:
        vals = [f"{r[c]:.3f}" if c in ("MAE", "Corr") else f"{r[c]:.1f}" if isinstance(r[c], float) else str(r[c]) for c in cols]
        lines.append(("| " + " | ".join(vals) + " |") if markdown else "  ".join(f"{v:>14}" for v in vals))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--neural", action="store_true", help="include torch-based fusions")
    parser.add_argument("--rates", default="0.3,0.5")
    args = parser.parse_args()
    X, score, groups = load(args.data)
    cv = GroupKFold(5)
    pairs = models(X, args.neural)
    print(f"CMU-MOSI train: {len(X)} utterances, {len(np.unique(groups))} videos, 5-fold GroupKFold by video")
    rows = []
    for name, (clf, reg) in pairs.items():
        rows.append({"model": name, **evaluate(clf, reg, X, score, groups, cv)})
    print("\nNo missing modality:")
    print(fmt(rows, args.markdown))
    fused = [r for r in rows if not r["model"].startswith("only-")]
    best_f = max(fused, key=lambda r: r["A2"])
    best_u = max((r for r in rows if r["model"].startswith("only-")), key=lambda r: r["A2"])
    print(f"\nbest fusion {best_f['model']} A2 {best_f['A2']:.1f} vs best single modality "
          f"{best_u['model']} A2 {best_u['A2']:.1f}")
    clean = {r["model"]: r["A2"] for r in rows}
    rates = [float(r) for r in args.rates.split(",")]
    rng_seed = 0
    for m in MODALITIES:
        for rate in rates:
            Xm = simulate_missing(X, {m: rate}, random_state=rng_seed)
            miss_rows = []
            for name, (clf, reg) in pairs.items():
                if name.startswith("only-"):
                    continue
                r = evaluate(clf, reg, Xm, score, groups, cv)
                miss_rows.append({"model": name, **r, "dA2": r["A2"] - clean[name]})
            print(f"\n{rate:.0%} of rows missing {m}:")
            print(fmt(miss_rows, args.markdown))


if __name__ == "__main__":
    main()
