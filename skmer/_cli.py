"""The ``skmer`` command line: demo, benchmark and robustness runs."""

import argparse
import fnmatch
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from skmer import __version__
from skmer.base import SEP

DESCRIPTION = """\
skmer: multi-modal emotion recognition with scikit-learn.

  skmer demo                  compare every fusion strategy on synthetic MER data
  skmer benchmark FILE ...    compare fusion strategies on your own table
  skmer robustness FILE ...   missing-modality robustness curves on your own table

Run 'skmer COMMAND --help' for the options of a command.
"""


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total, label, quiet=False):
        self.total, self.label, self.done = total, label, 0
        self.quiet = quiet or not total
        self.start = time.perf_counter()

    def step(self, what):
        self.done += 1
        if self.quiet:
            return
        width = 24
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.start
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done}/{self.total} {elapsed:5.1f}s {what[:30]:<30}"
        )
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _table(rows, columns):
    """Format rows (dicts) as a fixed-width text table."""
    cells = [[c for c in columns]] + [
        [f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in columns]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _weights_text(weights):
    return " ".join(f"{k}={v:.2f}" for k, v in weights.items())


# -- data loading ------------------------------------------------------------

def _parse_modalities(specs):
    out = {}
    for spec in specs or []:
        if "=" not in spec:
            raise SystemExit(
                f"error: --modality takes NAME=COLUMNS (glob patterns or keys, comma "
                f"separated); got {spec!r}."
            )
        name, cols = spec.split("=", 1)
        out[name] = [c for c in cols.split(",") if c]
    return out


def _as_float(values, what):
    """Numeric values as floats, or a CLI error naming the column."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SystemExit(f"error: {what} is not numeric ({exc}).") from None


def _checked_target(y, name):
    """The target, or a CLI error naming the rows where it is empty."""
    y = np.asarray(y)
    empty = pd.isna(y) if y.ndim == 1 else np.zeros(len(y), dtype=bool)
    if empty.any():
        raise SystemExit(
            f"error: the target {name!r} is empty in rows {np.flatnonzero(empty)[:10].tolist()}"
            f"{' ...' if empty.sum() > 10 else ''}; drop or label those rows."
        )
    return y


def load_table(path, *, target, group=None, modalities=None):
    """Read a user's ``.npz``, ``.csv`` or ``.parquet`` file into encoded features.

    Parameters
    ----------
    path : str or Path
        The file. In an ``.npz`` each modality is a 2-D array under its key; in
        a table each modality is a set of columns.
    target : str
        Key or column of the target.
    group : str, default=None
        Key or column of the groups (e.g. video or speaker ids).
    modalities : dict of str to list of str, default=None
        ``{name: [key or column glob, ...]}``. None takes every 2-D array of an
        ``.npz`` as a modality, or the ``"<modality>__<feature>"`` columns of a
        table.

    Returns
    -------
    X : DataFrame
        Encoded features with ``"<modality>__<feature>"`` columns.
    y : ndarray
        Targets.
    groups : ndarray or None
        Groups.
    """
    path = Path(path)
    if not path.exists():
        raise SystemExit(f"error: no file at {path}.")
    suffix = path.suffix.lower()
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        for key in [target] + ([group] if group else []):
            if key not in arrays:
                raise SystemExit(f"error: {path.name} has no array {key!r}; it has {sorted(arrays)}.")
        if not modalities:
            modalities = {
                k: [k] for k, a in arrays.items()
                if a.ndim == 2 and np.issubdtype(a.dtype, np.number) and k not in (target, group)
            }
        n_rows = len(arrays[target])
        blocks = []
        for name, keys in modalities.items():
            for key in keys:
                if key not in arrays:
                    raise SystemExit(f"error: modality {name!r}: {path.name} has no array {key!r}.")
                if key in (target, group):
                    raise SystemExit(
                        f"error: modality {name!r} uses {key!r}, the target or group array; "
                        "it cannot also be a feature."
                    )
                if arrays[key].ndim == 0 or len(arrays[key]) != n_rows:
                    raise SystemExit(
                        f"error: modality {name!r}: array {key!r} has shape "
                        f"{arrays[key].shape}; it needs one row per target value ({n_rows})."
                    )
                a = _as_float(arrays[key], f"modality {name!r}: array {key!r}")
                a = a.reshape(n_rows, -1)
                blocks.append(pd.DataFrame(a, columns=[f"{name}{SEP}{key}_{i}" for i in range(a.shape[1])]))
        X = pd.concat(blocks, axis=1)
        y = arrays[target]
        groups = arrays[group] if group else None
        if groups is not None and len(groups) != n_rows:
            raise SystemExit(
                f"error: group array {group!r} has {len(groups)} values; the target has {n_rows}."
            )
        return X, _checked_target(y, target), groups
    if suffix == ".csv":
        df = pd.read_csv(path)
    elif suffix in (".parquet", ".pq"):
        df = pd.read_parquet(path)
    else:
        raise SystemExit(f"error: {path.name}: expected a .npz, .csv or .parquet file.")
    for col in [target] + ([group] if group else []):
        if col not in df.columns:
            raise SystemExit(f"error: {path.name} has no column {col!r}.")
    if not modalities:
        prefixed = [c for c in df.columns if SEP in str(c)]
        if not prefixed:
            raise SystemExit(
                "error: say which columns are which modality with --modality NAME=GLOB "
                "(e.g. --modality audio='audio_*'), or name them '<modality>__<feature>'."
            )
        reserved = [c for c in prefixed if c in (target, group)]
        if reserved:
            raise SystemExit(
                f"error: the target/group column {reserved[0]!r} is named like a feature "
                "('<modality>__<feature>'); rename it or give the modalities with --modality."
            )
        X = pd.DataFrame({c: _as_float(df[c], f"column {c!r}") for c in prefixed})
    else:
        parts = []
        for name, patterns in modalities.items():
            cols = [c for c in df.columns if any(fnmatch.fnmatch(str(c), p) for p in patterns)]
            if not cols:
                raise SystemExit(f"error: modality {name!r}: no column matches {patterns}.")
            reserved = [c for c in cols if c in (target, group)]
            if reserved:
                raise SystemExit(
                    f"error: modality {name!r} matches the target/group column "
                    f"{reserved[0]!r}; it cannot also be a feature (narrow the pattern)."
                )
            parts.append(pd.DataFrame(
                {f"{name}{SEP}{c}": _as_float(df[c], f"modality {name!r}: column {c!r}")
                 for c in cols}
            ))
        X = pd.concat(parts, axis=1)
    y = _checked_target(df[target].to_numpy(), target)
    return X, y, (df[group].to_numpy() if group else None)


def _task_of(y, task):
    if task != "auto":
        return task
    y = np.asarray(y)
    if y.dtype.kind in "OUSb" or (y.dtype.kind in "iu" and np.unique(y).size <= 20):
        return "classification"
    return "regression"


def _cv(task, n_splits, groups, random_state):
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

    if groups is not None:
        return GroupKFold(n_splits)
    if task == "classification":
        return StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return KFold(n_splits, shuffle=True, random_state=random_state)


def _scoring(task):
    from skmer.metrics import mer_scoring

    if task == "classification":
        return mer_scoring("classification"), "wa"
    return {**mer_scoring("dimensional"), "r2": "r2"}, "ccc"


def _select(catalog, names):
    if not names:
        return catalog
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in catalog]
    if unknown:
        raise SystemExit(f"error: unknown fusion {unknown}; choose from {sorted(catalog)}.")
    return {n: catalog[n] for n in wanted}


# -- commands ------------------------------------------------------------------

def compare(X, y, *, task, groups=None, cv=5, fusions=None, random_state=0,
            n_jobs=None, quiet=False, unimodal=True, neural=True):
    """Grid-search every fusion strategy and return ranked rows of metrics.

    Parameters
    ----------
    X : DataFrame
        Encoded features with ``"<modality>__<feature>"`` columns.
    y : array-like
        Targets.
    task : {"classification", "regression"}
        The task.
    groups : array-like, default=None
        Groups for ``GroupKFold``.
    cv : int, default=5
        Number of folds.
    fusions : str, default=None
        Comma-separated catalog names; None runs them all.
    random_state : int, default=0
        Seeds estimators and folds.
    n_jobs : int, default=None
        Parallel fits in the grid search.
    quiet : bool, default=False
        No progress output.
    unimodal : bool, default=True
        Add one row per single modality (early fusion on that block alone).
    neural : bool, default=True
        Include the torch-based fusion estimators.

    Returns
    -------
    rows : list of dict
        One row per model, best first: mean CV metrics, fit time and the
        modality weights of the model refitted on all rows.
    search : GridSearchCV
        The fitted search.
    """
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline

    from skmer._catalog import fusion_catalog
    from skmer.fusion import resolve_modalities

    catalog = _select(fusion_catalog(task, random_state=random_state, neural=neural), fusions)
    candidates = dict(catalog)
    if unimodal:
        layout = resolve_modalities(None, list(X.columns), X.shape[1])
        base = fusion_catalog(task, random_state=random_state, neural=False)["early"]
        for name, cols in layout.items():
            candidates[f"only-{name}"] = clone(base).set_params(
                modalities={name: cols.tolist()}
            )
    scoring, refit = _scoring(task)
    names = list(candidates)
    pipe = Pipeline([("fuse", candidates[names[0]])])
    search = GridSearchCV(
        pipe,
        {"fuse": list(candidates.values())},
        scoring=scoring,
        refit=refit,
        cv=_cv(task, cv, groups, random_state),
        n_jobs=n_jobs,
        error_score="raise",
    )
    if not quiet:
        sys.stderr.write(
            f"GridSearchCV over {len(names)} models x {cv} folds "
            f"({len(X)} rows, task: {task}) ...\n"
        )
    t0 = time.perf_counter()
    search.fit(X, y, **({"groups": groups} if groups is not None else {}))
    if not quiet:
        sys.stderr.write(f"search done in {time.perf_counter() - t0:.1f}s\n")
    res = search.cv_results_
    progress = _Progress(len(names), "refit for weights", quiet)
    rows = []
    for i, name in enumerate(names):
        est = clone(candidates[name]).fit(X, y)
        progress.step(name)
        row = {"model": name}
        for metric in scoring:
            row[metric] = float(res[f"mean_test_{metric}"][i])
        row["fit_s"] = float(res["mean_fit_time"][i])
        row["weights"] = _weights_text(getattr(est, "modality_weights_", {}))
        rows.append(row)
    rows.sort(key=lambda r: -r[refit])
    return rows, search


def _save(fig, directory, name, fmt):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.{fmt}"
    fig.savefig(path, bbox_inches="tight")
    return path


def _figures(args, X, y, groups, task, best):
    if not args.figures:
        return
    from skmer.utils._optional import import_optional

    mpl = import_optional("matplotlib", "plot")
    mpl.use("Agg")
    from skmer.inspection import MissingModalityDisplay, ModalityWeightsDisplay

    fitted = best.fit(X, y)
    disp = ModalityWeightsDisplay.from_estimator(fitted)
    print(f"figure: {_save(disp.figure_, args.figures, 'modality_weights', args.format)}")
    splits = list(_cv(task, min(args.cv, 3), groups, args.random_state).split(X, y, groups))
    disp = MissingModalityDisplay.from_estimator(
        best, X, y, rates=[0, 0.25, 0.5, 0.75, 1.0], cv=splits, random_state=args.random_state,
    )
    print(f"figure: {_save(disp.figure_, args.figures, 'robustness', args.format)}")


def _print_rows(rows, title):
    print(title)
    print(_table(rows, list(rows[0])))


def cmd_demo(args):
    from skmer.datasets import make_multimodal_classification

    X, y = make_multimodal_classification(
        n_samples=args.n_samples, n_classes=args.n_classes, class_sep=0.5, complementary=0.3,
        missing_rate=args.missing_rate, random_state=args.random_state,
    )
    print(
        f"Synthetic MER data: {len(X)} rows, modalities text/audio/video, "
        f"{args.n_classes} classes, {args.missing_rate:.0%} of each modality missing (MCAR)."
    )
    rows, search = compare(
        X, y, task="classification", cv=args.cv, random_state=args.random_state,
        n_jobs=args.n_jobs, quiet=args.quiet, fusions=args.fusion, neural=not args.no_neural,
    )
    _print_rows(rows, "\nFusion strategies ranked by cross-validated WA (accuracy):")
    print(f"\nbest: {rows[0]['model']}")
    _figures(args, X, y, None, "classification", search.best_estimator_.steps[-1][1])
    return 0


def cmd_benchmark(args):
    X, y, groups = load_table(args.file, target=args.target, group=args.group,
                              modalities=_parse_modalities(args.modality))
    task = _task_of(y, args.task)
    if args.missing:
        from skmer.datasets import simulate_missing

        rates = dict(args.missing)
        X = simulate_missing(X, rates, random_state=args.random_state)
    print(f"{Path(args.file).name}: {len(X)} rows, {X.shape[1]} features, task: {task}")
    rows, search = compare(
        X, y, task=task, groups=groups, cv=args.cv, fusions=args.fusion,
        random_state=args.random_state, n_jobs=args.n_jobs, quiet=args.quiet,
        neural=not args.no_neural,
    )
    _print_rows(rows, "\nModels ranked by cross-validated score:")
    _figures(args, X, y, groups, task, search.best_estimator_.steps[-1][1])
    return 0


def cmd_robustness(args):
    from skmer._catalog import fusion_catalog
    from skmer.inspection import missing_modality_curve

    X, y, groups = load_table(args.file, target=args.target, group=args.group,
                              modalities=_parse_modalities(args.modality))
    task = _task_of(y, args.task)
    rates = list(args.rates)
    catalog = _select(fusion_catalog(task, random_state=args.random_state,
                                     neural=not args.no_neural), args.fusion or "late-weighted")
    cv = _cv(task, args.cv, groups, args.random_state)
    splits = list(cv.split(X, y, groups))
    rows = []
    progress = _Progress(len(catalog), "robustness", args.quiet)
    curves = {}
    for name, est in catalog.items():
        curve = missing_modality_curve(est, X, y, rates=rates, cv=splits,
                                       random_state=args.random_state)
        curves[name] = curve
        progress.step(name)
        for m, mean in zip(curve.modalities, curve.mean):
            rows.append({"model": name, "without": m,
                         **{f"{100 * r:g}%": float(v) for r, v in zip(rates, mean)}})
    _print_rows(rows, "\nScore against the fraction of test rows missing a modality:")
    if args.figures:
        from skmer.utils._optional import import_optional

        import_optional("matplotlib", "plot").use("Agg")
        from skmer.inspection import MissingModalityDisplay

        for name, curve in curves.items():
            disp = MissingModalityDisplay.from_curve(curve, estimator_name=name)
            print(f"figure: {_save(disp.figure_, args.figures, f'robustness_{name}', args.format)}")
    return 0


def _int_at_least(low):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}; got {value}")
        return value

    return parse


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1]; got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must lie in [0, 1]; got {value}")
    return value


def _fractions(text):
    rates = [_fraction(r) for r in text.split(",") if r.strip()]
    if not rates:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers in [0, 1]; got {text!r}")
    return rates


def _name_rate(text):
    name, sep, rate = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=RATE (e.g. audio=0.3); got {text!r}")
    return name, _fraction(rate)


def _data_args(p):
    p.add_argument("file", help="a .npz, .csv or .parquet file")
    p.add_argument("--target", required=True, help="key/column of the target")
    p.add_argument("--group", help="key/column of groups (speaker, video) for GroupKFold")
    p.add_argument(
        "--modality", action="append", metavar="NAME=COLUMNS",
        help="a modality and its columns (glob patterns) or .npz keys, comma separated; "
        "repeat per modality. Default: the '<modality>__<feature>' columns, or every "
        "2-D array of a .npz",
    )
    p.add_argument("--task", choices=["auto", "classification", "regression"], default="auto",
                   help="default: classification for labels, regression for scores")


def _common_args(p, fusion_default="all"):
    p.add_argument("--cv", type=_int_at_least(2), default=5,
                   help="number of folds, at least 2 (default: 5)")
    p.add_argument("--fusion",
                   help=f"comma-separated fusion strategies (default: {fusion_default})")
    p.add_argument("--no-neural", action="store_true", help="skip the torch-based fusions")
    p.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")
    p.add_argument("--n-jobs", type=int, default=None, help="parallel fits")
    p.add_argument("--figures", metavar="DIR", help="write figures to this folder")
    p.add_argument("--format", choices=["png", "svg"], default="png", help="figure format")
    p.add_argument("--quiet", action="store_true", help="no progress output")


def build_parser():
    """The argument parser of the ``skmer`` command."""
    parser = argparse.ArgumentParser(
        prog="skmer", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"skmer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="compare every fusion strategy on synthetic data",
                          description="Generate synthetic MER data with missing modalities, "
                          "grid-search every fusion strategy and print a ranked table.")
    demo.add_argument("--n-samples", type=_int_at_least(1), default=600,
                      help="rows (default: 600)")
    demo.add_argument("--n-classes", type=_int_at_least(2), default=3,
                      help="emotion classes (default: 3)")
    demo.add_argument("--missing-rate", type=_fraction, default=0.3,
                      help="fraction of rows missing each modality (default: 0.3)")
    _common_args(demo)
    demo.set_defaults(func=cmd_demo)

    bench = sub.add_parser("benchmark", help="compare fusion strategies on your data",
                           description="Cross-validate every fusion strategy and each single "
                           "modality on a table of pre-extracted features.")
    _data_args(bench)
    bench.add_argument("--missing", action="append", metavar="NAME=RATE", type=_name_rate,
                       help="remove a modality from this fraction of rows first")
    _common_args(bench)
    bench.set_defaults(func=cmd_benchmark)

    rob = sub.add_parser("robustness", help="missing-modality robustness curves",
                         description="Score fusion strategies as test rows lose each modality.")
    _data_args(rob)
    rob.add_argument("--rates", default=[0, 0.25, 0.5, 0.75, 1.0], type=_fractions,
                     help="fractions of test rows missing the modality (default: 0,0.25,0.5,0.75,1)")
    _common_args(rob, fusion_default="late-weighted")
    rob.set_defaults(func=cmd_robustness)
    return parser


def main(argv=None):
    """Entry point of ``skmer`` and ``python -m skmer``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except ValueError as exc:
        # bad data or options found past parsing (e.g. NaN in a feature block, an
        # unknown modality in --missing): a one-line error, not a traceback
        sys.stderr.write(f"skmer {args.command}: error: {exc}\n")
        return 2
