"""Graph fusion benchmark: SNF against snfpy, the sparse path, CMU-MOSI.

Usage::

    python benchmarks/bench_graph.py snf [DIR]  # dense SNF vs snfpy, n = 2000/4000
    python benchmarks/bench_graph.py transductive  # label spreading vs snfpy's
    python benchmarks/bench_graph.py sparse [10000,100000] [exact,approximate] [learned]
        # sparse path; filters: sizes, neighbour searches, methods
    python benchmarks/bench_graph.py mosi     # MOSI train -> valid, each method

snfpy (LGPL) is never imported here: it runs in its own virtual environment
(``PEERS_OLD``, default /tmp/peers-old) through a subprocess that reads our
affinities from .npy files in /tmp. Build it as ``../shared/PEERS.md`` says::

    python3 -m venv /tmp/peers-old
    /tmp/peers-old/bin/pip install numpy scipy scikit-learn==1.5.2 snfpy==0.2.2

Every timed configuration runs in a fresh subprocess (so its peak resident
memory is its own, and ours pays numba's start-up there), single-threaded
(``OMP_NUM_THREADS=1`` for snfpy's BLAS, ``n_jobs=1`` for ours); times are CPU
seconds (``time.process_time``), the steadier figure on a shared machine.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

PEERS_OLD = os.environ.get("PEERS_OLD", "/tmp/peers-old/bin/python")
_ENV = {
    **os.environ,
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}

_PEER_CODE = """
import json, resource, sys, time
import numpy as np
import snf
affs = [np.load(p) for p in sys.argv[2:]]
t0 = time.process_time()
W = snf.snf(*affs, K=20, t=20, alpha=1.0)
t = time.process_time() - t0
np.save(sys.argv[1], W)
print(json.dumps({"time": t, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _child(payload):
    """Run one configuration in a subprocess; return its JSON result."""
    out = subprocess.run(
        [sys.executable, __file__, "_child", json.dumps(payload)],
        check=True,
        capture_output=True,
        text=True,
        env=_ENV,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _views(n, seed=0):
    from skmer.datasets import make_multimodal_classification

    X, y = make_multimodal_classification(
        n_samples=n,
        modalities={"a": 20, "b": 10},
        class_sep=0.6,
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
        t0 = time.process_time()
        W = snf_dense(
            affs,
            np.ones((n, len(affs)), bool),
            n_neighbors=20,
            n_iter=20,
            alpha=1.0,
            n_jobs=1,
        )
        t = time.process_time() - t0
        np.save(payload["out"], W)
        res = {"time": t}
    elif kind == "sparse":
        from skmer.fusion import GraphFusionClassifier

        n, n_test = payload["n"], payload["n_test"]
        X, y = _views(n + n_test, seed=1)
        Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]
        clf = GraphFusionClassifier(
            n_neighbors=payload["k"],
            method=payload["method"],
            dense=False,
            neighbors=payload["neighbors"],
        )
        t0 = time.process_time()
        clf.fit(Xtr, ytr)
        t_fit = time.process_time() - t0
        t0 = time.process_time()
        acc = float((clf.predict(Xte) == yte).mean())
        t_pred = time.process_time() - t0
        # baseline in the same process: the bare exact kNN searches of fit and
        # predict (scikit-learn), which the graph construction cannot avoid
        from sklearn.neighbors import NearestNeighbors

        t0 = time.process_time()
        for name in clf.modalities_:
            cols = [c for c in X.columns if c.startswith(f"{name}__")]
            nn = NearestNeighbors(n_neighbors=payload["k"]).fit(Xtr[cols])
            nn.kneighbors()
            nn.kneighbors(Xte[cols])
        t_knn = time.process_time() - t0
        res = {
            "fit": t_fit,
            "predict": t_pred,
            "acc": acc,
            "knn": t_knn,
            "nnz_per_row": clf.graph_.nnz / n,
            "searches": "/".join(g.neighbors for g in clf.graphs_),
        }
    elif kind == "transductive":
        res = _transductive(payload)
    else:
        raise ValueError(kind)
    res["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(res))


def bench_snf(sizes=(2000, 4000), workdir=None):
    """Dense SNF of both libraries on the same affinities.

    ``workdir`` keeps the affinities and snfpy's results; a rerun with the same
    directory reuses snfpy's result of a size when its affinity files are
    unchanged (snfpy takes minutes at n = 4000), and re-times skmer.
    """
    from skmer.fusion._graph_utils import ModalityGraph

    print(
        "## Dense SNF: skmer vs snfpy 0.2.2 on the same affinities (K=20, t=20), "
        "CPU seconds, one thread"
    )
    print(
        "| n | snfpy CPU s | snfpy peak RSS | skmer CPU s | skmer peak RSS | speed-up | "
        "max abs diff |"
    )
    print("|---|---|---|---|---|---|---|")
    tmp = workdir or tempfile.mkdtemp(prefix="bench_graph_", dir="/tmp")
    os.makedirs(tmp, exist_ok=True)
    for n in sizes:
        X, _ = _views(n)
        paths = []
        for name in ("a", "b"):
            block = X.filter(like=f"{name}__").to_numpy()
            block = (block - block.mean(0)) / block.std(0)
            g = ModalityGraph(
                block,
                np.arange(n),
                n,
                n_neighbors=20,
                affinity="scaled_exponential",
                mu=0.5,
                n_jobs=None,
            )
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
            run = subprocess.run(
                [PEERS_OLD, "-c", _PEER_CODE, peer_out, *paths],
                check=True,
                capture_output=True,
                text=True,
                env=_ENV,
            )
            peer = json.loads(run.stdout.strip().splitlines()[-1])
            with open(peer_json, "w") as f:
                json.dump(peer, f)
        diff = float(np.abs(np.load(ours_out) - np.load(peer_out)).max())
        print(
            f"| {n} | {peer['time']:.1f} | {peer['rss'] / 2**20:.2f} GB | "
            f"{ours['time']:.2f} | {ours['rss'] / 2**20:.2f} GB | "
            f"{peer['time'] / ours['time']:.1f}x | {diff:.1e} |",
            flush=True,
        )


_PEER_LP = """
import json, sys
import numpy as np
from snf.compute import _label_prop
W = np.load(sys.argv[1]); Y = np.load(sys.argv[2])
F = _label_prop(W, Y, t=1000)
print(json.dumps({"pred": F.argmax(axis=1).tolist()}))
"""


def _peers_data(n, n_classes=4, seed=0):
    """PEERS.md's synthetic data: 3 views of 300/74/35 features."""
    from skmer.datasets import make_multimodal_classification

    X, y = make_multimodal_classification(
        n_samples=n,
        n_classes=n_classes,
        modalities={"text": 300, "audio": 74, "video": 35},
        informativeness={"text": 1.0, "audio": 0.6, "video": 0.0},
        class_sep=0.3,
        random_state=seed,
    )
    return X, np.asarray(y)


def _transductive(payload):
    from skmer.fusion import GraphFusionClassifier

    n, n_unl = payload["n"], payload["n_unlabelled"]
    X, y = _peers_data(n)
    y_semi = y.copy()
    y_semi[:n_unl] = -1
    clf = GraphFusionClassifier(method="snf", dense=True).fit(X, y_semi)
    np.save(payload["W"], clf.graph_)
    classes, codes = np.unique(y, return_inverse=True)
    Y = np.zeros((n, classes.size))
    Y[np.arange(n_unl, n), codes[n_unl:]] = 1.0
    np.save(payload["Y"], Y)
    inductive = GraphFusionClassifier(method="snf", dense=True).fit(
        X[n_unl:], y[n_unl:]
    )
    learned = GraphFusionClassifier(method="learned").fit(X, y_semi)
    return {
        "ours": float((clf.transduction_[:n_unl] == y[:n_unl]).mean()),
        "inductive": float((inductive.predict(X[:n_unl]) == y[:n_unl]).mean()),
        "learned": float((learned.transduction_[:n_unl] == y[:n_unl]).mean()),
        "codes": codes[:n_unl].tolist(),
    }


def bench_transductive(n=1500, n_unlabelled=500):
    """Label spreading on the dense SNF graph vs snfpy's propagation on it."""
    print(
        f"## Transductive accuracy on the same fused matrix (PEERS data: 3 views of "
        f"300/74/35 features, 4 classes; {n} rows, the first {n_unlabelled} "
        "unlabelled; K=20)"
    )
    print(
        "| skmer label spreading (snf, dense) | snfpy `_label_prop` on the same "
        "graph_ | skmer inductive predict (snf) | skmer transductive, "
        "method='learned' |"
    )
    print("|---|---|---|---|")
    tmp = tempfile.mkdtemp(prefix="bench_graph_", dir="/tmp")
    W, Y = os.path.join(tmp, "W.npy"), os.path.join(tmp, "Y.npy")
    ours = _child(
        {"kind": "transductive", "n": n, "n_unlabelled": n_unlabelled, "W": W, "Y": Y}
    )
    run = subprocess.run(
        [PEERS_OLD, "-c", _PEER_LP, W, Y],
        check=True,
        capture_output=True,
        text=True,
        env=_ENV,
    )
    pred = np.array(json.loads(run.stdout.strip().splitlines()[-1])["pred"])
    peer = float((pred[:n_unlabelled] == np.array(ours["codes"])).mean())
    print(
        f"| {ours['ours']:.3f} | {peer:.3f} | {ours['inductive']:.3f} | "
        f"{ours['learned']:.3f} |",
        flush=True,
    )


_SPARSE_CONFIGS = (
    (10_000, "snf", "exact"),
    (10_000, "average", "exact"),
    (10_000, "learned", "exact"),
    (100_000, "snf", "exact"),
    (100_000, "average", "exact"),
    (100_000, "learned", "exact"),
    (10_000, "learned", "approximate"),
    (100_000, "learned", "approximate"),
)


def bench_sparse(configs=_SPARSE_CONFIGS, n_test=1000, k=20):
    """Fit + predict of the sparse path; ``neighbors="approximate"`` needs faiss."""
    print(
        f"## Sparse path: fit n rows + predict {n_test} (2 views of 20/10 dims, 2 "
        f"classes, k={k}), CPU seconds, one thread"
    )
    print(
        "| n | method | neighbors (per view) | fit CPU s | predict CPU s | total CPU "
        "s | bare exact kNN searches CPU s | total / kNN | peak RSS | graph nnz/row "
        "| accuracy |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, method, neighbors in configs:
        r = _child(
            {
                "kind": "sparse",
                "n": n,
                "n_test": n_test,
                "k": k,
                "method": method,
                "neighbors": neighbors,
            }
        )
        total = r["fit"] + r["predict"]
        print(
            f"| {n} | {method} | {r['searches']} | {r['fit']:.1f} | "
            f"{r['predict']:.1f} | "
            f"{total:.1f} | {r['knn']:.1f} | {total / r['knn']:.2f} | "
            f"{r['rss'] / 2**20:.2f} GB | {r['nnz_per_row']:.1f} | "
            f"{r['acc']:.3f} |",
            flush=True,
        )


_MOSI = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "mosi")


def bench_mosi(data=_MOSI):
    """Each graph method fitted on MOSI train, scored on valid (unseen speakers)."""
    import pandas as pd

    from skmer.fusion import GraphFusionClassifier, GraphFusionRegressor

    def load(split):
        d = np.load(os.path.join(data, f"{split}.npz"))
        X = pd.concat(
            [
                pd.DataFrame(
                    d[m].astype(float),
                    columns=[f"{m}__{i}" for i in range(d[m].shape[1])],
                )
                for m in ("text", "audio", "video")
            ],
            axis=1,
        )
        return X, d["score"].astype(float)

    Xtr, str_ = load("train")
    Xva, sva = load("valid")
    print(
        "## CMU-MOSI: fit on train (1447 utterances), score on valid (265, unseen "
        "speakers); released text-CNN / openSMILE / 3D-CNN features"
    )
    print(
        "| method | A2 (classifier) | modality weights | fit CPU s | MAE (regressor) "
        "| Corr (regressor) |"
    )
    print("|---|---|---|---|---|---|")
    for method in ("learned", "snf", "average"):
        t0 = time.process_time()
        clf = GraphFusionClassifier(method=method).fit(Xtr, (str_ >= 0).astype(int))
        t = time.process_time() - t0
        acc = clf.score(Xva, (sva >= 0).astype(int))
        pred = GraphFusionRegressor(method=method).fit(Xtr, str_).predict(Xva)
        w = {k: round(v, 3) for k, v in clf.modality_weights_.items()}
        print(
            f"| {method} | {acc:.3f} | {w} | {t:.1f} | "
            f"{np.abs(pred - sva).mean():.3f} | {np.corrcoef(pred, sva)[0, 1]:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "_child":
        _run_child(json.loads(sys.argv[2]))
    elif what == "snf":
        bench_snf(workdir=sys.argv[2] if len(sys.argv) > 2 else None)
    elif what == "sparse":
        sizes = [int(v) for v in sys.argv[2].split(",")] if len(sys.argv) > 2 else None
        searches = sys.argv[3].split(",") if len(sys.argv) > 3 else None
        methods = sys.argv[4].split(",") if len(sys.argv) > 4 else None
        print(f"# uptime: {_uptime()}")
        bench_sparse(
            [
                c
                for c in _SPARSE_CONFIGS
                if (sizes is None or c[0] in sizes)
                and (searches is None or c[2] in searches)
                and (methods is None or c[1] in methods)
            ]
        )
        print(f"# uptime: {_uptime()}")
    elif what == "transductive":
        bench_transductive()
    elif what == "mosi":
        bench_mosi()
    else:
        print(f"# uptime: {_uptime()}")
        bench_snf()
        bench_transductive()
        bench_sparse()
        bench_mosi()
        print(f"# uptime: {_uptime()}")
