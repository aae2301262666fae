"""Rerun every benchmark and rewrite its tables in benchmarks/README.md.

Each benchmark is a script of this folder listed in ``BENCHMARKS`` with its
arguments; its standard output replaces the text between the markers
``<!-- BEGIN name -->`` and ``<!-- END name -->`` of README.md (a missing
section is appended). Run from anywhere:

    python benchmarks/run_all.py                 # everything
    python benchmarks/run_all.py mosi graph      # some of them
    python benchmarks/run_all.py --list
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"

# name: (script, arguments). Peers (MKLpy, snfpy) are looked for by the
# scripts themselves in the benchmark virtual environments of ../shared/PEERS.md.
BENCHMARKS = {
    "mosi": ("mosi.py", []),
    "training": ("bench_training.py", []),
    "coral": ("bench_coral.py", []),
    "kernel": ("bench_kernel.py", []),
    "graph": ("bench_graph.py", []),
    "tensor": ("bench_tensor.py", []),
    "seed_table": ("seed_table.py", []),
    "emotions": ("bench_emotions.py", []),
    "encoders": ("bench_encoders.py", []),
    "adaptation": ("bench_adaptation.py", []),
}


def replace_section(text, name, body):
    """Put ``body`` between the markers of section ``name`` of ``text``."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n```\n{body.rstrip()}\n```\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), flags=re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + f"\n\n## {name}\n\n{block}\n"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument(
        "--list", action="store_true", help="list the benchmarks and exit"
    )
    args = parser.parse_args(argv)
    if args.list:
        for name, (script, extra) in BENCHMARKS.items():
            print(f"{name:12s} python benchmarks/{script} {' '.join(extra)}")
        return 0
    names = args.names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmarks {unknown}; choose from {list(BENCHMARKS)}")
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    failed = []
    for name in names:
        script, extra = BENCHMARKS[name]
        cmd = [sys.executable, str(HERE / script), *extra]
        print(f"running {name}: {' '.join(cmd[1:])}", file=sys.stderr)
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True)
        took = time.perf_counter() - t0
        if run.returncode != 0:
            failed.append(name)
            print(run.stderr[-3000:], file=sys.stderr)
            continue
        body = f"$ python benchmarks/{script} {' '.join(extra)}\n{run.stdout}\n({took:.0f} s)"
        text = replace_section(text, name, body)
        README.write_text(text)
    if failed:
        print(f"failed: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
