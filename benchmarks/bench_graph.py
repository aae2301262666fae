"""Graph fusion benchmark: SNF against snfpy, the sparse path, CMU-MOSI.

Usage::

    python benchmarks/bench_graph.py snf [DIR]  # dense SNF vs snfpy, n = 1000/2000/4000
    python benchmarks/bench_graph.py sparse [10000,100000]  # sparse path
    python benchmarks/bench_graph.py mosi     # MOSI train, grouped 5-fold CV

snfpy (LGPL) is never imported here: it runs in its own virtual environment
(``PEERS_OLD``, default /tmp/peers-old, scikit-learn 1.5.2 + snfpy 0.2.2, see
shared/PEERS.md) through a subprocess that reads our affinities from .npy files
in /tmp. Every timed configuration runs in a fresh subprocess, so that its peak
resident memory is its own.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

PEERS_OLD = os.environ.get("PEERS_OLD", "/tmp/peers-old/bin/python")

_PEER_CODE = """
import json, resource, sys, time
import numpy as np
import snf
affs = [np.load(p) for p in sys.argv[2:]]
t0 = time.perf_counter()
W = snf.snf(*affs, K=20, t=20, alpha=1.0)
t = time.perf_counter() - t0
np.save(sys.argv[1], W)
print(json.dumps({"time": t, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _child(payload):
    """Run one configuration in a subprocess; return its JSON result."""
    out = subprocess.run(
        [sys.executable, __file__, "_child", json.dumps(payload)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _views(n, seed=0):
    from skmer.datasets import make_multimodal_classification

    X, y = make_multimodal_classification(
        n_samples=n, modalities={"a": 20, "b": 10}, class_sep=0.6,
        random_state=seed,
    )
    return X, np.asarray(y)


def _run_child(payload):
    import resource

    kind = payload["kind"]
    if kind == "snf_ours":
        from skmer.fusion._graph_utils import snf_dense

        affs = [np.load(p) for p in payload["affs"]]
        n = affs[0].shape[0]
        t0 = time.perf_counter()
        W = snf_dense(affs, np.ones((n, len(affs)), bool), n_neighbors=20,
                      n_iter=20, alpha=1.0, n_jobs=-1)  # snfpy's BLAS uses all cores too
        t = time.perf_counter() - t0
        np.save(payload["out"], W)
        res = {"time": t}
    elif kind == "sparse":
        from skmer.fusion import GraphFusionClassifier

        n, n_test = payload["n"], payload["n_test"]
        X, y = _views(n + n_test, seed=1)
        Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]
        clf = GraphFusionClassifier(
            n_neighbors=payload["k"], method=payload["method"], dense=False,
        )
        t0 = time.perf_counter()
        clf.fit(Xtr, ytr)
        t_fit = time.perf_counter() - t0
        t0 = time.perf_counter()
        acc = float((clf.predict(Xte) == yte).mean())
        t_pred = time.perf_counter() - t0
        # baseline in the same process: the bare exact kNN searches of fit and
        # predict (scikit-learn), which the graph construction cannot avoid
        from sklearn.neighbors import NearestNeighbors

        t0 = time.perf_counter()
        for name in clf.modalities_:
            cols = [c for c in X.columns if c.startswith(f"{name}__")]
            nn = NearestNeighbors(n_neighbors=payload["k"]).fit(Xtr[cols])
            nn.kneighbors()
            nn.kneighbors(Xte[cols])
        t_knn = time.perf_counter() - t0
        res = {"fit": t_fit, "predict": t_pred, "acc": acc, "knn": t_knn,
               "nnz_per_row": clf.graph_.nnz / n}
    else:
        raise ValueError(kind)
    res["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(res))


def bench_snf(sizes=(1000, 2000, 4000), workdir=None):
    """Dense SNF of both libraries on the same affinities.

    ``workdir`` keeps the affinities and snfpy's results; a rerun with the same
    directory reuses snfpy's result of a size when its affinity files are
    unchanged (snfpy takes minutes at n = 4000), and re-times skmer.
    """
    from skmer.fusion._graph_utils import ModalityGraph

    print("## Dense SNF: skmer vs snfpy 0.2.2 on the same affinities (K=20, t=20)")
    print("| n | snfpy s | snfpy peak RSS | skmer s | skmer peak RSS | speed-up | max abs diff |")
    print("|---|---|---|---|---|---|---|")
    tmp = workdir or tempfile.mkdtemp(prefix="bench_graph_", dir="/tmp")
    os.makedirs(tmp, exist_ok=True)
    for n in sizes:
        X, _ = _views(n)
        paths = []
        for name in ("a", "b"):
            block = X.filter(like=f"{name}__").to_numpy()
            block = (block - block.mean(0)) / block.std(0)
            g = ModalityGraph(block, np.arange(n), n, n_neighbors=20,
                              affinity="scaled_exponential", mu=0.5, n_jobs=None)
            aff = g.dense_affinity()
            p = os.path.join(tmp, f"aff_{name}_{n}.npy")
            if not (os.path.exists(p) and np.array_equal(np.load(p), aff)):
                np.save(p, aff)
                for stale in (f"peer_{n}.npy", f"peer_{n}.json"):
                    if os.path.exists(os.path.join(tmp, stale)):
                        os.remove(os.path.join(tmp, stale))
            paths.append(p)
        ours_out = os.path.join(tmp, f"ours_{n}.npy")
        peer_out = os.path.join(tmp, f"peer_{n}.npy")
        peer_json = os.path.join(tmp, f"peer_{n}.json")
        ours = _child({"kind": "snf_ours", "affs": paths, "out": ours_out})
        if os.path.exists(peer_json) and os.path.exists(peer_out):
            with open(peer_json) as f:
                peer = json.load(f)
        else:
            run = subprocess.run([PEERS_OLD, "-c", _PEER_CODE, peer_out, *paths],
                                 check=True, capture_output=True, text=True)
            peer = json.loads(run.stdout.strip().splitlines()[-1])
            with open(peer_json, "w") as f:
                json.dump(peer, f)
        diff = float(np.abs(np.load(ours_out) - np.load(peer_out)).max())
        print(f"| {n} | {peer['time']:.1f} | {peer['rss'] / 2**20:.2f} GB | "
              f"{ours['time']:.2f} | {ours['rss'] / 2**20:.2f} GB | "
              f"{peer['time'] / ours['time']:.1f}x | {diff:.1e} |", flush=True)


_SPARSE_CONFIGS = ((10_000, "snf"), (10_000, "average"), (10_000, "learned"),
                   (100_000, "snf"), (100_000, "average"), (100_000, "learned"))


def bench_sparse(configs=_SPARSE_CONFIGS):
    print("## Sparse path: fit + predict (2 views of 20/10 dims, 2 classes, k=10, "
          "10 % extra rows predicted)")
    print("| n | method | fit s | predict s | total s | bare kNN searches s | "
          "total / kNN | peak RSS | graph nnz/row | accuracy |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, method in configs:
        r = _child({"kind": "sparse", "n": n, "n_test": n // 10, "k": 10,
                    "method": method})
        total = r["fit"] + r["predict"]
        print(f"| {n} | {method} | {r['fit']:.1f} | {r['predict']:.1f} | "
              f"{total:.1f} | {r['knn']:.1f} | {total / r['knn']:.2f} | "
              f"{r['rss'] / 2**20:.2f} GB | {r['nnz_per_row']:.1f} | "
              f"{r['acc']:.3f} |", flush=True)


def bench_mosi():
    from mosi import DEFAULT, load  # benchmarks/mosi.py: the shared MOSI loader
    from sklearn.model_selection import GroupKFold, cross_validate

    from skmer.fusion import GraphFusionClassifier, LateFusionClassifier

    X, score, groups = load(DEFAULT)
    y = (score >= 0).astype(int)
    cv = GroupKFold(n_splits=5)
    print("## CMU-MOSI train (1447 utterances), binary score >= 0, "
          "5-fold CV grouped by video_id")
    print("| model | accuracy (A2) | CV time s | time vs late fusion |")
    print("|---|---|---|---|")
    models = {"LateFusionClassifier (soft)": LateFusionClassifier()}
    for method in ("snf", "average", "learned"):
        models[f"GraphFusionClassifier({method})"] = GraphFusionClassifier(
            method=method)
    models["LateFusionClassifier (soft), 30 % rows miss text"] = (
        LateFusionClassifier(), "missing")
    models["GraphFusionClassifier(learned), 30 % rows miss text"] = (
        GraphFusionClassifier(method="learned"), "missing")
    base = None
    for name, model in models.items():
        Xm = X
        if isinstance(model, tuple):
            from skmer.datasets import simulate_missing

            model = model[0]
            Xm = simulate_missing(X, {"text": 0.3}, random_state=0)
        t0 = time.perf_counter()
        res = cross_validate(model, Xm, y, groups=groups, cv=cv)
        t = time.perf_counter() - t0
        base = base or t
        print(f"| {name} | {res['test_score'].mean():.3f} ± "
              f"{res['test_score'].std():.3f} | {t:.1f} | {t / base:.2f}x |",
              flush=True)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "_child":
        _run_child(json.loads(sys.argv[2]))
    elif what == "snf":
        bench_snf(workdir=sys.argv[2] if len(sys.argv) > 2 else None)
    elif what == "sparse":
        sizes = [int(v) for v in sys.argv[2].split(",")] if len(sys.argv) > 2 else None
        bench_sparse() if sizes is None else bench_sparse(
            [c for c in _SPARSE_CONFIGS if c[0] in sizes])
    elif what == "mosi":
        bench_mosi()
    else:
        bench_snf()
        bench_sparse()
        bench_mosi()
