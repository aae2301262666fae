"""CORAL on wide blocks: skmer's row-span CORAL vs skada's d x d ``CORALAdapter``.

Usage::

    python benchmarks/bench_coral.py [--rows 30] [--features 500 1000 2000 10000]
        [--skada-max 2000]

Both sides fit on ``rows`` rows (half source, half target) and map them; skada
forms and eigen-decomposes two d x d covariances (O(d^3) time, O(d^2)
memory), skmer works in the span of the rows (O(n^2 d) time, O(n d) memory).
skada runs only up to ``--skada-max`` features (10 000 would need minutes and
800 MB per matrix). One BLAS thread; the table shows the median of 3 runs and
the ratio skada / skmer.
"""

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from skmer.adaptation._coral import CORALAdapter  # noqa: E402


def _median_time(fit_map, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fit_map()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument(
        "--features", type=int, nargs="+", default=[500, 1000, 2000, 10000]
    )
    parser.add_argument("--skada-max", type=int, default=2000)
    args = parser.parse_args()
    rng = np.random.RandomState(0)
    half = args.rows // 2
    sd = np.r_[np.ones(half, dtype=int), -np.ones(args.rows - half, dtype=int)]
    print(f"{'features':>8} {'skada s':>9} {'skmer s':>9} {'ratio':>7}")
    for d in args.features:
        X = rng.normal(size=(args.rows, d))
        ours = _median_time(
            lambda X=X: (
                CORALAdapter().fit(X, sample_domain=sd).transform(X, sample_domain=sd)
            )
        )
        if d <= args.skada_max:
            import skada

            theirs = _median_time(
                lambda X=X: (
                    skada.CORALAdapter()
                    .fit(X, sample_domain=sd)
                    .transform(X, sample_domain=sd, allow_source=True)
                )
            )
            print(f"{d:8d} {theirs:9.3f} {ours:9.4f} {theirs / ours:6.0f}x")
        else:
            print(f"{d:8d} {'-':>9} {ours:9.4f} {'-':>7}")


if __name__ == "__main__":
    main()
