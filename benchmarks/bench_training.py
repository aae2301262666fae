"""Neural fusion training: skmer ``fit`` vs a plain PyTorch loop over the same module.

For TFN, LMF and attention fusion, one process times, in alternating pairs,

- **plain**: a hand-written PyTorch loop -- the estimator's own module
  (``skmer.nn.MultimodalFusionNet``), criterion (``skmer.nn.FusionLoss``),
  Adam, shuffled mini-batches sliced from tensors, one ``loss.item()`` per
  batch -- on the estimator's standardised inputs;
- **skmer**: ``clone(estimator).fit(X, y)`` end to end (validation,
  standardisation, seeding, skorch initialisation, training, divergence
  check),

with the same data, epochs, batch size and seed, and prints the medians and
their ratio (skmer / plain; the target is <= 1.25).

``--tail 64`` instead fits a TFN with 3 x 64-d embeddings (a 274,625-d fused
tensor, the case of ``bench_tensor.py``) for 2 epochs on ``--n`` rows and
prints the time ``fit`` spends after its last epoch (a callback stamps the
end of training), the peak RSS then and after, and the cost of the first
access to ``modality_weights_`` (computed lazily). Run it in its own process:
peak RSS is per process.

    OMP_NUM_THREADS=1 python benchmarks/bench_training.py [--n 2000] [--epochs 10]
        [--repeats 5] [--profile MODEL] [--tail DIM]

``--profile TFN`` prints the cProfile of one skmer fit instead (top 25 by
cumulative time).
"""

import argparse
import cProfile
import pstats
import resource
import statistics
import time

import numpy as np
import torch
from sklearn.base import clone
from skorch.callbacks import Callback

from skmer.datasets import make_multimodal_classification
from skmer.fusion import AttentionFusionClassifier, TensorFusionClassifier

COMMON = {
    "hidden_sizes": (16,),
    "head_hidden_sizes": (32,),
    "dropout": 0.1,
    "batch_size": 64,
    "lr": 1e-3,
    "random_state": 0,
}
MODELS = {
    "TFN": TensorFusionClassifier(**COMMON),
    "LMF r=4": TensorFusionClassifier(rank=4, fusion_size=32, **COMMON),
    "attention": AttentionFusionClassifier(fusion_size=32, **COMMON),
}


def plain_loop(est, X, y, epochs):
    """Train the estimator's module with a hand-written loop; return seconds."""
    from skmer.nn import FusionLoss

    ref = clone(est).set_params(max_epochs=1).fit(X, y)  # layout + standardisation
    inputs = ref._inputs(*ref._validate_fusion_data(X, reset=False)[::2])
    target = torch.as_tensor(ref.classes_.searchsorted(np.asarray(y)))
    t0 = time.perf_counter()
    torch.manual_seed(0)
    module = ref._build_module()
    tensors = {k: torch.as_tensor(v) for k, v in inputs.items()}
    criterion = FusionLoss()
    optimizer = torch.optim.Adam(module.parameters(), lr=est.lr)
    n, bs = len(target), est.batch_size
    module.train()
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, bs):
            idx = order[start : start + bs]
            out = module(**{k: v[idx] for k, v in tensors.items()})
            loss = criterion(out, target[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.item()
    return time.perf_counter() - t0


def skmer_fit(est, X, y, epochs):
    t0 = time.perf_counter()
    fitted = clone(est).set_params(max_epochs=epochs).fit(X, y)
    return time.perf_counter() - t0, fitted


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _TrainEnd(Callback):
    """Records the time and the peak RSS when training ends."""

    def on_train_end(self, net, **kwargs):
        type(self).at = (time.perf_counter(), _rss_mb())


def after_last_epoch(n, dim):
    """TFN with ``dim``-d embeddings: what ``fit`` costs after its last epoch."""
    X, y = make_multimodal_classification(
        n_samples=n, modalities={"text": 8, "audio": 8, "video": 8}, random_state=0
    )
    est = TensorFusionClassifier(
        hidden_sizes=(dim,),
        head_hidden_sizes=(),
        max_epochs=2,
        random_state=0,
        callbacks=[_TrainEnd()],
    )
    fitted = est.fit(X, y)
    done = time.perf_counter()
    end, peak_train = _TrainEnd.at
    print(
        f"TFN {3} x {dim}-d embeddings (fused size {(dim + 1) ** 3:,}), n={n}: "
        f"peak RSS at the end of training {peak_train:.0f} MB"
    )
    print(
        f"  fit after its last epoch: {done - end:.3f} s, peak RSS then "
        f"{_rss_mb():.0f} MB"
    )
    t0 = time.perf_counter()
    _ = fitted.modality_weights_
    print(
        f"  first modality_weights_ access: {time.perf_counter() - t0:.2f} s, peak RSS "
        f"then {_rss_mb():.0f} MB"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", choices=list(MODELS))
    parser.add_argument(
        "--tail",
        type=int,
        metavar="DIM",
        help="only time TFN after its last epoch, DIM-d embeddings",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.tail:
        after_last_epoch(args.n, args.tail)
        return
    X, y = make_multimodal_classification(
        n_samples=args.n,
        modalities={"text": 32, "audio": 16, "video": 16},
        missing_rate=0.1,
        random_state=0,
    )
    if args.profile:
        est = MODELS[args.profile]
        skmer_fit(est, X, y, 1)  # warm-up (imports)
        prof = cProfile.Profile()
        prof.enable()
        skmer_fit(est, X, y, args.epochs)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        return
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); "
        f"n={args.n}, 3 modalities (32/16/16 features), {args.epochs} epochs, "
        f"batch {COMMON['batch_size']}, medians of {args.repeats} alternating pairs"
    )
    head = f"{'model':<11}{'plain s':>9}{'skmer s':>9}{'skmer/plain':>13}"
    print(head + "\n" + "-" * len(head))
    for name, est in MODELS.items():
        skmer_fit(est, X, y, 1)
        plain, ours = [], []
        for _ in range(args.repeats):
            plain.append(plain_loop(est, X, y, args.epochs))
            ours.append(skmer_fit(est, X, y, args.epochs)[0])
        p, s = statistics.median(plain), statistics.median(ours)
        print(f"{name:<11}{p:>9.3f}{s:>9.3f}{s / p:>12.2f}x")


if __name__ == "__main__":
    main()
