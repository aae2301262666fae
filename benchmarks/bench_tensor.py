"""Tensor fusion (TFN, LMF) vs attention vs late fusion: accuracy, time per epoch, size.

Two experiments, all estimators seeded:

1. **Interaction data** — ``make_multimodal_classification(interaction=True)``
   with three 8-feature modalities: the class is the sign of the product of
   the first features of text and audio, a multiplicative cross-modal
   interaction that additive late fusion cannot represent. Every net embeds
   each modality in 64 dimensions, so TFN fuses 3 x 64-d embeddings into a
   65^3 = 274,625-d tensor; TFN and LMF have a linear output layer on the
   fused representation (LMF is then exactly a rank-r TFN with a 64-d output
   and a linear layer). Stratified 2-fold CV.
2. **CMU-MOSI** (bc-LSTM utterance features, ``score >= 0``): 5-fold
   ``GroupKFold`` by ``video_id`` (speaker-independent), A2 and weighted F1;
   32-d embeddings, a 32-unit head, dropout 0.3, weight decay 1e-4.

Time per epoch is the mean of skorch's per-epoch durations; the ratio column
divides TFN's time per epoch by each model's (same process, same threads).

    python benchmarks/bench_tensor.py [--device cuda] [--threads 1] [--quick]
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold

from skmer.datasets import make_multimodal_classification
from skmer.fusion import (
    AttentionFusionClassifier,
    LateFusionClassifier,
    TensorFusionClassifier,
)

HERE = Path(__file__).resolve().parent
MOSI = HERE.parent.parent / "shared" / "data" / "mosi" / "train.npz"
MODALITIES = ["text", "audio", "video"]


def models(device, epochs, dim, lr, head=(), weight_decay=0.0, dropout=0.1):
    common = {
        "max_epochs": epochs,
        "lr": lr,
        "batch_size": 64,
        "device": device,
        "hidden_sizes": (dim,),
        "head_hidden_sizes": head,
        "dropout": dropout,
        "weight_decay": weight_decay,
        "random_state": 0,
    }
    return {
        "TFN": TensorFusionClassifier(**common),
        "LMF r=4": TensorFusionClassifier(rank=4, fusion_size=64, **common),
        "LMF r=8": TensorFusionClassifier(rank=8, fusion_size=64, **common),
        "attention": AttentionFusionClassifier(fusion_size=64, **common),
        "gated": AttentionFusionClassifier(fusion="gated", fusion_size=64, **common),
        "late (soft)": LateFusionClassifier(random_state=0),
    }


def evaluate(est, X, y, splits):
    pred = np.empty_like(y)
    fit_s, epoch_s, n_params = 0.0, [], None
    for train, test in splits:
        t0 = time.perf_counter()
        fitted = clone(est).fit(X.iloc[train], y[train])
        fit_s += time.perf_counter() - t0
        pred[test] = fitted.predict(X.iloc[test])
        if hasattr(fitted, "net_"):
            epoch_s.extend(fitted.net_.history[:, "dur"])
            n_params = fitted.n_parameters_
    return {
        "acc": 100 * accuracy_score(y, pred),
        "F1": 100 * f1_score(y, pred, average="weighted"),
        "fit_s": fit_s,
        "epoch_s": float(np.mean(epoch_s)) if epoch_s else float("nan"),
        "params": n_params,
    }


def table(rows):
    base = next((r["epoch_s"] for r in rows if r["model"] == "TFN"), float("nan"))
    head = (
        f"{'model':<12}{'acc %':>8}{'F1 %':>8}{'fit s':>9}{'s/epoch':>10}"
        f"{'TFN/this':>10}{'params':>11}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = base / r["epoch_s"] if np.isfinite(r["epoch_s"]) else float("nan")
        params = "-" if r["params"] is None else f"{r['params']:,}"
        ep = "-" if not np.isfinite(r["epoch_s"]) else f"{r['epoch_s']:.3f}"
        rt = "-" if not np.isfinite(ratio) else f"{ratio:.1f}x"
        lines.append(
            f"{r['model']:<12}{r['acc']:>8.1f}{r['F1']:>8.1f}{r['fit_s']:>9.1f}"
            f"{ep:>10}{rt:>10}{params:>11}"
        )
    return "\n".join(lines)


def load_mosi(path):
    with np.load(path, allow_pickle=False) as d:
        blocks = [
            pd.DataFrame(
                d[m].astype(float), columns=[f"{m}__{i}" for i in range(d[m].shape[1])]
            )
            for m in MODALITIES
        ]
        return pd.concat(blocks, axis=1), (d["score"] >= 0).astype(int), d["video_id"]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cpu", help='torch device, e.g. "cuda"')
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch CPU threads (default 1: the machine is shared)",
    )
    parser.add_argument("--n", type=int, default=2000, help="interaction data rows")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--data", default=str(MOSI))
    parser.add_argument("--quick", action="store_true", help="fewer rows and epochs")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    n, epochs = (800, 10) if args.quick else (args.n, args.epochs)
    print(
        f"torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} "
        "CPU thread(s)"
    )

    X, y = make_multimodal_classification(
        n_samples=n,
        interaction=True,
        modalities={m: 8 for m in MODALITIES},
        random_state=0,
    )
    splits = list(StratifiedKFold(2, shuffle=True, random_state=0).split(X, y))
    rows = [
        {"model": name, **evaluate(est, X, y, splits)}
        for name, est in models(args.device, epochs, 64, 3e-3).items()
    ]
    print(
        f"\n1. Interaction data: {n} rows, 3 modalities x 8 features, "
        f"embeddings 3 x 64-d, {epochs} epochs, 2-fold CV"
    )
    print(table(rows))
    small = models(args.device, epochs, 16, 3e-3)
    rows = [
        {"model": name, **evaluate(small[name], X, y, splits)}
        for name in ("TFN", "LMF r=4", "attention", "gated")
    ]
    print(
        f"\n1b. The same data, embeddings 3 x 16-d (TFN tensor 17^3), {epochs} epochs"
    )
    print(table(rows))

    if Path(args.data).exists():
        X, y, groups = load_mosi(args.data)
        splits = list(GroupKFold(5).split(X, y, groups))
        ep = 10 if args.quick else 20
        rows = [
            {"model": name, **evaluate(est, X, y, splits)}
            for name, est in models(
                args.device, ep, 32, 1e-3, head=(32,), weight_decay=1e-4, dropout=0.3
            ).items()
        ]
        print(
            f"\n2. CMU-MOSI train ({len(X)} utterances, {len(np.unique(groups))} videos), "
            f"A2 (score >= 0), 5-fold GroupKFold by video, embeddings 32-d, {ep} epochs"
        )
        print(table(rows))
    else:
        print(f"\n2. CMU-MOSI skipped: {args.data} not found")


if __name__ == "__main__":
    main()
