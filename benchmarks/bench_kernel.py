"""Multiple-kernel fusion: skmer vs MKLpy (EasyMKL, AverageMKL), Nystroem, MOSI.

Usage::

    python benchmarks/bench_kernel.py [--sizes 2000 5000 10000] [--classes 2 4]
        [--repeat 3] [--nystroem 50000] [--peers-python /tmp/peers/bin/python]
        [--skip-mosi] [--missing] [--cvxopt 1000 2000]

Every configuration runs in a fresh subprocess so that its peak memory (max RSS)
is its own. MKLpy (GPL) runs in its own virtual environment; nothing of it is
imported by skmer. Build it as ``../shared/PEERS.md`` says, or, reusing this
project's torch and scikit-learn instead of downloading them again::

    python3 -m venv /tmp/peers
    /tmp/peers/bin/pip install --no-deps MKLpy==0.6 cvxopt==1.3.3
    echo "$PWD/.venv/lib/python3.11/site-packages" \
        > /tmp/peers/lib/python3.11/site-packages/zz_skmer_venv.pth

Both sides get the same kernels: one RBF kernel per modality with the same gamma
(RBF kernels have a unit diagonal, so skmer's default normalisation leaves them
unchanged), SVC(C=1) as the learner, lambda = 0.1 for EasyMKL, one BLAS thread.
Fit time includes computing the training kernels on both sides; predict time
includes the test kernels. The "Gram floor" is the time scikit-learn's
``rbf_kernel`` takes to compute each modality's training Gram matrix once,
measured in the skmer worker before its fit. Each pair (skmer, MKLpy) runs
``--repeat`` times, alternating, and the table shows medians; on a shared
machine the CPU-time ratio (``time.process_time``) is the steadier figure.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

MODALITIES = {"text": 300, "audio": 74, "video": 35}
N_TEST = 1000
LAM = 0.1


def _uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _load(path, n):
    d = np.load(path)
    return (
        {m: d[f"tr_{m}"][:n] for m in MODALITIES},
        d["ytr"][:n],
        {m: d[f"te_{m}"] for m in MODALITIES},
        d["yte"],
        json.loads(str(d["gammas"])),
    )


# -- workers (one per subprocess) ----------------------------------------------------
def worker_mklpy(path, n, algo):
    import torch
    from MKLpy.algorithms import AverageMKL, EasyMKL
    from sklearn.metrics.pairwise import rbf_kernel
    from sklearn.svm import SVC

    torch.set_num_threads(1)
    tr, ytr, te, yte, gammas = _load(path, n)
    # warm-up on 40 rows: one-off imports and first-call costs are not timed
    warm = [torch.tensor(rbf_kernel(tr[m][:40], gamma=gammas[m])) for m in MODALITIES]
    EasyMKL(learner=SVC(C=1), lam=LAM).fit(warm, ytr[:40]).predict(warm)
    t0, c0 = time.perf_counter(), time.process_time()
    KL = [torch.tensor(rbf_kernel(tr[m], gamma=gammas[m])) for m in MODALITIES]
    if algo == "easymkl":
        model = EasyMKL(learner=SVC(C=1), lam=LAM)
    elif (
        algo == "easymkl-cvxopt"
    ):  # MKLpy's dense QP solver (its default for lam <= 0.01)
        model = EasyMKL(learner=SVC(C=1), lam=LAM, solver="cvxopt")
    else:
        model = AverageMKL(learner=SVC(C=1))
    model.fit(KL, ytr)
    t_fit, c_fit = time.perf_counter() - t0, time.process_time() - c0
    del KL
    t0 = time.perf_counter()
    KLte = [torch.tensor(rbf_kernel(te[m], tr[m], gamma=gammas[m])) for m in MODALITIES]
    pred = np.asarray(model.predict(KLte))
    t_pred = time.perf_counter() - t0
    # several classes: MKLpy learns one-vs-rest problems, each with its weights;
    # skmer's weights are the mean of the same per-problem weights
    sol = model.solution
    w = (
        np.mean([np.asarray(s_.weights) for s_ in sol.values()], axis=0)
        if isinstance(sol, dict)
        else sol.weights
    )
    return {
        "fit_s": t_fit,
        "fit_cpu": c_fit,
        "predict_s": t_pred,
        "acc": float(np.mean(pred == yte)),
        "weights": [float(v) for v in w],
        "peak_mb": _peak_mb(),
    }


def _frame(blocks):
    import pandas as pd

    return pd.concat(
        [
            pd.DataFrame(b, columns=[f"{m}__{i}" for i in range(b.shape[1])])
            for m, b in blocks.items()
        ],
        axis=1,
    )


def _gram_floor(tr, gammas):
    """CPU seconds of scikit-learn's rbf_kernel for each training Gram, once."""
    from sklearn.metrics.pairwise import rbf_kernel

    c0 = time.process_time()
    for m in MODALITIES:
        del_me = rbf_kernel(tr[m], gamma=gammas[m])
        del del_me
    return time.process_time() - c0


def worker_skmer(path, n, algo, approximation=None):
    from skmer.fusion import MultipleKernelClassifier

    tr, ytr, te, yte, gammas = _load(path, n)
    Xtr, Xte = _frame(tr), _frame(te)
    floor = _gram_floor(tr, gammas) if approximation is None else 0.0
    kernels = {m: ("rbf", {"gamma": gammas[m]}) for m in MODALITIES}
    clf = MultipleKernelClassifier(
        method=algo,
        kernels=kernels,
        lam=LAM,
        approximation=approximation,
        n_components=300,
        random_state=0,
    )
    # warm-up on 40 rows: one-off imports and first-call costs are not timed
    clf.fit(Xtr.iloc[:40], ytr[:40]).predict(Xtr.iloc[:40])
    t0, c0 = time.perf_counter(), time.process_time()
    clf.fit(Xtr, ytr)
    t_fit, c_fit = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    pred = clf.predict(Xte)
    t_pred = time.perf_counter() - t0
    return {
        "fit_s": t_fit,
        "fit_cpu": c_fit,
        "floor_cpu": floor,
        "predict_s": t_pred,
        "acc": float(np.mean(pred == yte)),
        "weights": clf.kernel_weights_.tolist(),
        "peak_mb": _peak_mb(),
        "n_support": int(getattr(clf, "support_", np.arange(0)).size),
    }


def worker_mosi(path):
    import pandas as pd
    from sklearn.model_selection import GroupKFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from skmer.fusion import MultipleKernelClassifier

    d = np.load(path)
    X = pd.concat(
        [
            pd.DataFrame(d[m], columns=[f"{m}__{i}" for i in range(d[m].shape[1])])
            for m in ("text", "audio", "video")
        ],
        axis=1,
    ).astype(float)
    y = (d["score"] >= 0).astype(int)
    groups = d["video_id"]
    cv = GroupKFold(n_splits=5)
    rows = {}
    models = {
        f"MultipleKernelClassifier(method={m!r})": make_pipeline(
            StandardScaler().set_output(transform="pandas"),
            MultipleKernelClassifier(method=m, random_state=0),
        )
        for m in ("average", "alignment", "easymkl", "lpmkl")
    }
    models["SVC(rbf) on text only"] = make_pipeline(StandardScaler(), SVC())
    for name, model in models.items():
        Xm = X.filter(like="text__") if "text only" in name else X
        t0 = time.perf_counter()
        res = cross_validate(model, Xm, y, groups=groups, cv=cv, return_estimator=True)
        w = None
        if "text only" not in name:
            ws = [e[-1].modality_weights_ for e in res["estimator"]]
            w = {k: float(np.mean([x[k] for x in ws])) for k in ws[0]}
        rows[name] = {
            "acc": float(res["test_score"].mean()),
            "std": float(res["test_score"].std()),
            "time_s": time.perf_counter() - t0,
            "weights": w,
        }
    return rows


# -- orchestration ---------------------------------------------------------------------
def _run(python, *args):
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    out = subprocess.run(
        [python, os.path.abspath(__file__), "--worker", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "?"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _make_data(n_train, path, n_classes=2):
    from skmer.datasets import make_multimodal_classification

    X, y = make_multimodal_classification(
        n_samples=n_train + N_TEST,
        n_classes=n_classes,
        modalities=MODALITIES,
        informativeness={"text": 1.0, "audio": 0.6, "video": 0.0},
        class_sep=0.15,
        random_state=0,
    )
    arrays, gammas = {}, {}
    for m in MODALITIES:
        b = X.filter(like=f"{m}__").to_numpy()
        arrays[f"tr_{m}"], arrays[f"te_{m}"] = b[N_TEST:], b[:N_TEST]
        gammas[m] = 1.0 / (b.shape[1] * b[N_TEST:].var())
    np.savez(path, ytr=y[N_TEST:], yte=y[:N_TEST], gammas=json.dumps(gammas), **arrays)


def missing_table():
    """Accuracy with missing modalities: completion vs dropping incomplete rows."""
    from skmer.datasets import make_multimodal_classification
    from skmer.fusion import MultipleKernelClassifier

    print("\n## Missing modalities (MCAR per modality): completion vs dropping rows\n")
    print(
        "n_train = 600, n_test = 2000, default modalities; test accuracy on all test "
        "rows (mean of 3 seeds)\n"
    )
    print(
        "| missing rate | complete train rows | renormalize | zero | drop incomplete "
        "rows |"
    )
    print("|---|---|---|---|---|")
    for rate in (0.2, 0.4, 0.6):
        acc = {"renormalize": [], "zero": [], "drop": []}
        frac = []
        for seed in range(3):
            X, y = make_multimodal_classification(
                n_samples=2600, missing_rate=rate, class_sep=0.25, random_state=seed
            )
            Xtr, ytr, Xte, yte = X.iloc[:600], y[:600], X.iloc[600:], y[600:]
            complete = ~Xtr.isna().any(axis=1).to_numpy()
            frac.append(complete.mean())
            for missing in ("renormalize", "zero"):
                clf = MultipleKernelClassifier(missing=missing).fit(Xtr, ytr)
                acc[missing].append(clf.score(Xte, yte))
            clf = MultipleKernelClassifier().fit(Xtr[complete], ytr[complete])
            acc["drop"].append(clf.score(Xte, yte))
        print(
            f"| {rate} | {np.mean(frac):.2f} | "
            + " | ".join(
                f"{np.mean(acc[k]):.3f}" for k in ("renormalize", "zero", "drop")
            )
            + " |"
        )


def _median_run(runs):
    """Per-field median of successful runs (weights from the first)."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    med = {
        k: float(np.median([r[k] for r in ok]))
        for k in ok[0]
        if isinstance(ok[0][k], float | int)
    }
    med["weights"] = ok[0]["weights"]
    return med


def peer_table(sizes, classes, methods, repeat, peers_python, tmp, skmer_python):
    """skmer vs MKLpy: medians of ``repeat`` alternating pairs, with ratios."""
    print(
        f"\n## skmer vs MKLpy (same RBF kernels, SVC(C=1), lam=0.1; medians of {repeat} "
        "alternating pairs)\n"
    )
    print(
        "| n | classes | method | skmer fit CPU s | MKLpy fit CPU s | **CPU ratio** | "
        "wall ratio | skmer fit / Gram floor | peak RSS MB skmer / MKLpy (ratio) | "
        "accuracy skmer / MKLpy | max abs weight diff |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for n_classes in classes:
            path = os.path.join(tmp, f"data_{n}_{n_classes}.npz")
            _make_data(n, path, n_classes)
            for ours in methods:
                runs_a, runs_b = [], []
                for _ in range(repeat):  # alternate, so both see the same load
                    runs_a.append(_run(skmer_python, "skmer", path, n, ours))
                    runs_b.append(_run(peers_python, "mklpy", path, n, ours))
                a, b = _median_run(runs_a), _median_run(runs_b)
                if "error" in a or "error" in b:
                    print(
                        f"| {n} | {n_classes} | {ours} | error: {a.get('error')} / "
                        f"{b.get('error')} |"
                    )
                    continue
                diff = np.max(np.abs(np.array(a["weights"]) - np.array(b["weights"])))
                print(
                    f"| {n} | {n_classes} | {ours} | {a['fit_cpu']:.2f} | "
                    f"{b['fit_cpu']:.2f} | **{b['fit_cpu'] / a['fit_cpu']:.1f}x** | "
                    f"{b['fit_s'] / a['fit_s']:.1f}x | "
                    f"{a['fit_cpu'] / a['floor_cpu']:.2f} ({a['floor_cpu']:.2f} s) | "
                    f"{a['peak_mb']:.0f} / {b['peak_mb']:.0f} "
                    f"({a['peak_mb'] / b['peak_mb']:.2f}) | "
                    f"{a['acc']:.3f} / {b['acc']:.3f} | {diff:.1e} |",
                    flush=True,
                )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 5000, 10000])
    ap.add_argument(
        "--classes",
        type=int,
        nargs="*",
        default=[2, 4],
        help="classes of the synthetic data (PEERS.md's reference runs use 4)",
    )
    ap.add_argument(
        "--methods",
        nargs="*",
        default=["easymkl"],
        help="MKL methods to compare (easymkl, average)",
    )
    ap.add_argument("--nystroem", type=int, default=50000)
    ap.add_argument(
        "--cvxopt",
        type=int,
        nargs="*",
        default=[],
        help="sizes at which to also time MKLpy's cvxopt solver",
    )
    ap.add_argument("--peers-python", default="/tmp/peers/bin/python")
    ap.add_argument(
        "--skmer-python",
        default=sys.executable,
        help="interpreter of the skmer side (e.g. another checkout's venv)",
    )
    ap.add_argument("--skip-mosi", action="store_true")
    ap.add_argument(
        "--missing", action="store_true", help="also print the missing-modality table"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="alternating (skmer, MKLpy) pairs per configuration; medians",
    )
    ap.add_argument(
        "--mosi",
        default=os.path.join(
            os.path.dirname(__file__), "..", "..", "shared", "data", "mosi", "train.npz"
        ),
    )
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench_kernel_")
    print(f"# {os.cpu_count()} CPUs; uptime: {_uptime()}")
    if args.sizes:
        peer_table(
            args.sizes,
            args.classes,
            args.methods,
            args.repeat,
            args.peers_python,
            tmp,
            args.skmer_python,
        )
        print(f"\n# uptime after the table: {_uptime()}")
    if args.cvxopt:
        print("\n## skmer EasyMKL vs MKLpy EasyMKL with solver='cvxopt' (dense QP)\n")
        print("| n | skmer fit s | MKLpy cvxopt fit s | ratio | max abs weight diff |")
        print("|---|---|---|---|---|")
        for n in args.cvxopt:
            path = os.path.join(tmp, f"data_{n}.npz")
            _make_data(n, path)
            a = _run(sys.executable, "skmer", path, n, "easymkl")
            b = _run(args.peers_python, "mklpy", path, n, "easymkl-cvxopt")
            if "error" in a or "error" in b:
                print(f"| {n} | error: {a.get('error')} / {b.get('error')} |")
                continue
            diff = np.max(np.abs(np.array(a["weights"]) - np.array(b["weights"])))
            print(
                f"| {n} | {a['fit_s']:.2f} | {b['fit_s']:.2f} | "
                f"{b['fit_s'] / a['fit_s']:.1f}x | {diff:.1e} |"
            )
            sys.stdout.flush()
    if args.nystroem:
        n = args.nystroem
        print(f"\n## Nystroem path (n_components=300 per kernel), n={n}\n")
        print(
            "| method | fit s | predict s (1000 rows) | peak RSS MB | accuracy | weights |"
        )
        print("|---|---|---|---|---|---|")
        path = os.path.join(tmp, f"data_{n}.npz")
        _make_data(n, path)
        for algo in ("alignment", "easymkl", "average"):
            r = _run(sys.executable, "skmer", path, n, algo, "nystroem")
            if "error" in r:
                print(f"| {algo} | error: {r['error']} |")
                continue
            print(
                f"| {algo} | {r['fit_s']:.1f} | {r['predict_s']:.2f} | {r['peak_mb']:.0f} "
                f"| {r['acc']:.3f} | {np.round(r['weights'], 3).tolist()} |"
            )
            sys.stdout.flush()
    if args.missing:
        missing_table()
    if not args.skip_mosi and os.path.exists(args.mosi):
        print(
            "\n## CMU-MOSI train, binary (score >= 0), 5-fold GroupKFold by video_id\n"
        )
        print("| model | accuracy | std | time s | modality weights |")
        print("|---|---|---|---|---|")
        res = _run(sys.executable, "mosi", os.path.abspath(args.mosi))
        if "error" in res:
            print(f"| error: {res['error']} |")
        for name, r in res.items() if "error" not in res else []:
            w = (
                ""
                if r["weights"] is None
                else {k: round(v, 3) for k, v in r["weights"].items()}
            )
            print(
                f"| {name} | {r['acc']:.3f} | {r['std']:.3f} | {r['time_s']:.1f} | {w} |"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "mklpy":
            out = worker_mklpy(rest[0], int(rest[1]), rest[2])
        elif kind == "skmer":
            out = worker_skmer(rest[0], int(rest[1]), rest[2], *(rest[3:] or [None]))
        else:
            out = worker_mosi(rest[0])
        print(json.dumps(out))
    else:
        main()
