"""The ``skmer`` command line: demo, benchmark and robustness runs."""

import argparse
import fnmatch
import sys
import textwrap
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

# the demo's torch-based fusions: small and short, so the whole demo fits in
# about 15 s of CPU (measured with /usr/bin/time, OMP_NUM_THREADS=1)
DEMO_NEURAL_PARAMS = {
    "max_epochs": 10,
    "lr": 0.02,
    "hidden_sizes": (8,),
    "head_hidden_sizes": (8,),
    "fusion_size": 8,
}

# scorer name -> (column label, meaning); "neg_" scores are shown with their sign flipped
_METRICS = {
    "wa": ("WA", "weighted accuracy, the share of rows classified correctly"),
    "ua": ("UA", "unweighted accuracy, the recall averaged over classes"),
    "weighted_f1": ("F1", "F1 averaged over classes weighted by their size"),
    "ccc": ("CCC", "concordance correlation coefficient"),
    "pearson": ("r", "Pearson correlation"),
    "neg_mean_absolute_error": ("MAE", "mean absolute error, lower is better"),
    "r2": ("R2", "coefficient of determination"),
}


def _log(quiet, text):
    """One progress line on stderr (tables go to stdout)."""
    if not quiet:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _table(rows, columns):
    """Format rows (dicts) as a fixed-width text table."""
    cells = [list(columns)] + [
        [f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in columns]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _weights_text(weights):
    return " ".join(f"{k}={v:.2f}" for k, v in weights.items())


def _label(metric):
    return _METRICS.get(metric, (metric, metric))[0]


def _shown(metric, values):
    """Scores as shown: ``neg_`` scores with their sign flipped."""
    values = np.asarray(values, dtype=float)
    return -values if metric.startswith("neg_") else values


def _legend(metrics, n_folds):
    """One line explaining the table's columns."""
    parts = [f"{_label(m)} = {_METRICS.get(m, (m, m))[1]}" for m in metrics]
    return (
        "; ".join(parts) + f"; mean ± std over {n_folds} CV folds; fit_s = mean fit "
        "time in seconds; weights = mean modality_weights_ of the fold models."
    )


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
                raise SystemExit(
                    f"error: {path.name} has no array {key!r}; it has {sorted(arrays)}."
                )
        if not modalities:
            modalities = {
                k: [k]
                for k, a in arrays.items()
                if a.ndim == 2
                and np.issubdtype(a.dtype, np.number)
                and k not in (target, group)
            }
        n_rows = len(arrays[target])
        blocks = []
        for name, keys in modalities.items():
            for key in keys:
                if key not in arrays:
                    raise SystemExit(
                        f"error: modality {name!r}: {path.name} has no array {key!r}."
                    )
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
                blocks.append(
                    pd.DataFrame(
                        a, columns=[f"{name}{SEP}{key}_{i}" for i in range(a.shape[1])]
                    )
                )
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
            cols = [
                c
                for c in df.columns
                if any(fnmatch.fnmatch(str(c), p) for p in patterns)
            ]
            if not cols:
                raise SystemExit(
                    f"error: modality {name!r}: no column matches {patterns}."
                )
            reserved = [c for c in cols if c in (target, group)]
            if reserved:
                raise SystemExit(
                    f"error: modality {name!r} matches the target/group column "
                    f"{reserved[0]!r}; it cannot also be a feature (narrow the pattern)."
                )
            parts.append(
                pd.DataFrame(
                    {
                        f"{name}{SEP}{c}": _as_float(
                            df[c], f"modality {name!r}: column {c!r}"
                        )
                        for c in cols
                    }
                )
            )
        X = pd.concat(parts, axis=1)
    y = _checked_target(df[target].to_numpy(), target)
    return X, y, (df[group].to_numpy() if group else None)


def _task_of(y, task):
    if task != "auto":
        return task
    y = np.asarray(y)
    if y.dtype.kind in "OUSTb" or (y.dtype.kind in "iu" and np.unique(y).size <= 20):
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
    """The scorers of a task and the one that ranks the models."""
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
        raise SystemExit(
            f"error: unknown fusion {unknown}; choose from {sorted(catalog)}."
        )
    return {n: catalog[n] for n in wanted}


def _catalog(task, args, neural_params=None):
    """The catalog entries a command runs (``--fusion``, ``--no-neural``)."""
    from skmer._catalog import fusion_catalog

    catalog = fusion_catalog(
        task,
        random_state=args.random_state,
        neural=not args.no_neural,
        neural_params=neural_params,
    )
    return _select(catalog, args.fusion)


# -- optional dependencies, checked before any work ----------------------------


class _Usage(Exception):
    """An error reported as one line, without a traceback."""


def _requirements(args, estimators=()):
    """``(reason, module, extra)`` for every optional dependency the run needs."""
    from skmer._catalog import is_neural

    needs = []
    if getattr(args, "figures", None):
        needs.append(("--figures", "matplotlib", "plot"))
    path = Path(getattr(args, "file", None) or "")
    if path.suffix.lower() in (".parquet", ".pq"):
        needs.append((f"reading {path.name}", "pyarrow", "io"))
    if any(is_neural(est) for est in estimators):
        needs += [
            ("the neural fusions (or --no-neural)", m, "nn")
            for m in ("torch", "skorch")
        ]
    return needs


def _check_requirements(args, estimators=()):
    """Import every optional dependency the run needs, or stop with one line."""
    from skmer.utils._optional import import_optional

    for reason, module, extra in _requirements(args, estimators):
        try:
            import_optional(module, extra)
        except ImportError as exc:
            raise _Usage(f"{reason}: {exc}") from None


# -- commands ------------------------------------------------------------------


def _candidates(X, task, catalog, random_state):
    """The catalog plus early fusion on each modality alone (``only-<modality>``)."""
    from sklearn.base import clone

    from skmer._catalog import fusion_catalog
    from skmer.fusion import resolve_modalities

    layout = resolve_modalities(None, list(X.columns), X.shape[1])
    early = fusion_catalog(task, random_state=random_state, neural=False)["early"]
    # the other modalities' columns are left out on purpose
    drop = {"remainder": "drop"} if "remainder" in early.get_params() else {}
    only = {
        f"only-{name}": clone(early).set_params(
            modalities={name: cols.tolist()}, **drop
        )
        for name, cols in layout.items()
    }
    return {**catalog, **only}


def _fit_fold(estimator, X, y, train, test, scoring):
    """Fit and score one model on one fold; keep the fitted model."""
    from sklearn.model_selection import cross_validate

    return cross_validate(
        estimator,
        X,
        y,
        cv=[(train, test)],
        scoring=scoring,
        return_estimator=True,
        error_score="raise",
    )


def _summary(name, folds, scoring):
    """Mean ± std of each metric, fit time and mean weights over the folds.

    Keys starting with ``_`` hold the raw means (``_score``) and weights
    (``_weights``); the others are the printed columns.
    """
    row = {"model": name, "_score": {}}
    for metric in scoring:
        raw = np.array([f[f"test_{metric}"][0] for f in folds], dtype=float)
        row["_score"][metric] = float(raw.mean())
        shown = _shown(metric, raw)
        row[_label(metric)] = f"{shown.mean():.3f} ± {shown.std():.3f}"
    row["fit_s"] = float(np.mean([f["fit_time"][0] for f in folds]))
    weights = [getattr(f["estimator"][0], "modality_weights_", None) for f in folds]
    row["_weights"] = (
        {m: float(np.mean([w.get(m, 0.0) for w in weights])) for m in weights[0]}
        if all(weights)
        else {}
    )
    row["weights"] = _weights_text(row["_weights"])
    return row


def compare(
    X,
    y,
    *,
    task,
    candidates,
    groups=None,
    cv=5,
    random_state=0,
    n_jobs=None,
    quiet=False,
):
    """Cross-validate every candidate and return ranked rows of metrics.

    Each model is fitted once per fold; the fold models give the scores and the
    modality weights (no refit). A progress line per model and fold goes to
    stderr.

    Parameters
    ----------
    X : DataFrame
        Encoded features with ``"<modality>__<feature>"`` columns.
    y : array-like
        Targets.
    task : {"classification", "regression"}
        The task.
    candidates : dict of str to estimator
        The models, by name.
    groups : array-like, default=None
        Groups for ``GroupKFold``.
    cv : int, default=5
        Number of folds.
    random_state : int, default=0
        Seeds the folds.
    n_jobs : int, default=None
        Folds and models fitted in parallel (joblib).
    quiet : bool, default=False
        No progress output.

    Returns
    -------
    rows : list of dict
        One row per model, best first: mean ± std of each metric, mean fit time
        and the mean modality weights of the fold models.
    ranked_by : str
        The scorer that ranks the rows.
    """
    from joblib import Parallel, delayed

    scoring, ranked_by = _scoring(task)
    y = np.asarray(y)
    splits = list(_cv(task, cv, groups, random_state).split(X, y, groups))
    jobs = [(name, k) for name in candidates for k in range(len(splits))]
    _log(
        quiet,
        f"Fitting {len(candidates)} models x {len(splits)} folds "
        f"({len(X)} rows, task: {task})",
    )
    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_fit_fold)(candidates[name], X, y, *splits[k], scoring)
        for name, k in jobs
    )
    folds = {name: [] for name in candidates}
    width = max(len(name) for name in candidates)
    t0 = time.perf_counter()
    for i, ((name, k), result) in enumerate(zip(jobs, results), start=1):
        folds[name].append(result)
        scores = " ".join(
            f"{_label(m)}={_shown(m, result[f'test_{m}'])[0]:.3f}" for m in scoring
        )
        _log(
            quiet,
            f"[{i}/{len(jobs)}] {name:<{width}} fold {k + 1}/{len(splits)}: "
            f"{scores} ({result['fit_time'][0]:.2f}s fit, {time.perf_counter() - t0:.0f}s)",
        )
    rows = [_summary(name, folds[name], scoring) for name in candidates]
    rows.sort(key=lambda r: -r["_score"][ranked_by])
    return rows, ranked_by


def _save(fig, directory, name, fmt):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.{fmt}"
    fig.savefig(path, bbox_inches="tight")
    return path


def _figures(args, X, y, groups, task, best, row):
    """The best model's fold-mean weights and its robustness curve."""
    if not args.figures:
        return
    import matplotlib

    matplotlib.use("Agg")
    from skmer.inspection import MissingModalityDisplay, ModalityWeightsDisplay

    disp = ModalityWeightsDisplay(row["_weights"], estimator_name=row["model"]).plot()
    print(
        f"figure: {_save(disp.figure_, args.figures, 'modality_weights', args.format)}"
    )
    splits = list(
        _cv(task, min(args.cv, 3), groups, args.random_state).split(X, y, groups)
    )
    _log(args.quiet, f"robustness curve of {row['model']} ({len(splits)} folds) ...")
    disp = MissingModalityDisplay.from_estimator(
        best,
        X,
        y,
        rates=[0, 0.25, 0.5, 0.75, 1.0],
        cv=splits,
        random_state=args.random_state,
    )
    print(f"figure: {_save(disp.figure_, args.figures, 'robustness', args.format)}")


def _print_rows(rows, title, legend=None):
    print(title)
    if legend:
        print(legend)
    print(_table(rows, [c for c in rows[0] if not c.startswith("_")]))


def _run_comparison(args, X, y, catalog, *, task, groups=None):
    """Cross-validate the catalog and each single modality; print the table."""
    candidates = _candidates(X, task, catalog, args.random_state)
    rows, ranked_by = compare(
        X,
        y,
        task=task,
        candidates=candidates,
        groups=groups,
        cv=args.cv,
        random_state=args.random_state,
        n_jobs=args.n_jobs,
        quiet=args.quiet,
    )
    scoring, _ = _scoring(task)
    _print_rows(
        rows,
        f"\nModels ranked by cross-validated {_label(ranked_by)}:",
        _legend(scoring, args.cv),
    )
    print(f"\nbest: {rows[0]['model']}")
    _figures(args, X, y, groups, task, candidates[rows[0]["model"]], rows[0])


def cmd_demo(args):
    from skmer.datasets import make_multimodal_classification

    catalog = _catalog("classification", args, DEMO_NEURAL_PARAMS)
    _check_requirements(args, catalog.values())
    X, y = make_multimodal_classification(
        n_samples=args.n_samples,
        n_classes=args.n_classes,
        class_sep=0.5,
        complementary=0.3,
        missing_rate=args.missing_rate,
        random_state=args.random_state,
    )
    print(
        f"Synthetic MER data: {len(X)} rows, modalities text/audio/video, "
        f"{args.n_classes} classes, {args.missing_rate:.0%} of each modality missing (MCAR)."
    )
    _run_comparison(args, X, y, catalog, task="classification")
    return 0


def _load(args):
    """The user's table, after checking what reading it needs."""
    _check_requirements(args)
    X, y, groups = load_table(
        args.file,
        target=args.target,
        group=args.group,
        modalities=_parse_modalities(args.modality),
    )
    return X, y, groups, _task_of(y, args.task)


def cmd_benchmark(args):
    X, y, groups, task = _load(args)
    catalog = _catalog(task, args)
    _check_requirements(args, catalog.values())
    if args.missing:
        from skmer.datasets import simulate_missing

        X = simulate_missing(X, dict(args.missing), random_state=args.random_state)
    print(f"{Path(args.file).name}: {len(X)} rows, {X.shape[1]} features, task: {task}")
    _run_comparison(args, X, y, catalog, task=task, groups=groups)
    return 0


def _curve(est, X, y, splits, rates, scorer, seeds, label, quiet):
    """``missing_modality_curve`` fold by fold, with a progress line per fold."""
    from sklearn.utils import Bunch

    from skmer.inspection import missing_modality_curve

    per_fold = []
    for k, (split, seed) in enumerate(zip(splits, seeds), start=1):
        t0 = time.perf_counter()
        curve = missing_modality_curve(
            est, X, y, rates=rates, cv=[split], scoring=scorer, random_state=seed
        )
        per_fold.append(curve.scores)
        _log(quiet, f"{label} fold {k}/{len(splits)} ({time.perf_counter() - t0:.1f}s)")
    scores = np.concatenate(per_fold, axis=-1)
    return Bunch(
        rates=curve.rates,
        modalities=curve.modalities,
        scores=scores,
        mean=scores.mean(axis=-1),
        std=scores.std(axis=-1),
    )


def cmd_robustness(args):
    X, y, groups, task = _load(args)
    catalog = _catalog(task, args)
    _check_requirements(args, catalog.values())
    scoring, metric = _scoring(task)
    rates = list(args.rates)
    splits = list(_cv(task, args.cv, groups, args.random_state).split(X, y, groups))
    seeds = np.random.RandomState(args.random_state).randint(
        2**31 - 1, size=len(splits)
    )
    rows, curves = [], {}
    for i, (name, est) in enumerate(catalog.items(), start=1):
        label = f"[{i}/{len(catalog)}] {name}"
        curves[name] = curve = _curve(
            est, X, y, splits, rates, scoring[metric], seeds, label, args.quiet
        )
        for m, mean in zip(curve.modalities, curve.mean):
            rows.append(
                {
                    "model": name,
                    "without": m,
                    **{f"{100 * r:g}%": float(v) for r, v in zip(rates, mean)},
                }
            )
    _print_rows(
        rows,
        f"\nCross-validated {_label(metric)} ({_METRICS[metric][1]}; mean over "
        f"{len(splits)} folds) against the fraction of test rows missing each modality:",
    )
    if args.figures:
        import matplotlib

        matplotlib.use("Agg")
        from skmer.inspection import MissingModalityDisplay

        for name, curve in curves.items():
            disp = MissingModalityDisplay.from_curve(curve, estimator_name=name)
            print(
                f"figure: {_save(disp.figure_, args.figures, f'robustness_{name}', args.format)}"
            )
    return 0


def _int_at_least(low):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected an integer; got {text!r}"
            ) from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}; got {value}")
        return value

    return parse


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number in [0, 1]; got {text!r}"
        ) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must lie in [0, 1]; got {value}")
    return value


def _fractions(text):
    rates = [_fraction(r) for r in text.split(",") if r.strip()]
    if not rates:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated numbers in [0, 1]; got {text!r}"
        )
    return rates


def _name_rate(text):
    name, sep, rate = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            f"expected NAME=RATE (e.g. audio=0.3); got {text!r}"
        )
    return name, _fraction(rate)


def _data_args(p):
    p.add_argument("file", help="a .npz, .csv or .parquet file")
    p.add_argument("--target", required=True, help="key/column of the target")
    p.add_argument(
        "--group", help="key/column of groups (speaker, video) for GroupKFold"
    )
    p.add_argument(
        "--modality",
        action="append",
        metavar="NAME=COLUMNS",
        help="a modality and its columns (glob patterns) or .npz keys, comma separated; "
        "repeat per modality. Default: the '<modality>__<feature>' columns, or every "
        "2-D array of a .npz",
    )
    p.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help="default: classification for labels, regression for scores",
    )


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps option help without breaking fusion names at their hyphens."""

    def _split_lines(self, text, width):
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _fusion_names(task):
    from skmer._catalog import fusion_catalog

    return ", ".join(fusion_catalog(task))


def _common_args(p, fusion_default="all", tasks=("classification", "regression")):
    p.add_argument(
        "--cv",
        type=_int_at_least(2),
        default=5,
        help="number of folds, at least 2 (default: 5)",
    )
    names = "; ".join(f"{task}: {_fusion_names(task)}" for task in tasks)
    p.add_argument(
        "--fusion",
        help=f"comma-separated fusion strategies (default: {fusion_default}). "
        f"Names, {names}",
    )
    p.add_argument(
        "--no-neural", action="store_true", help="skip the torch-based fusions"
    )
    p.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")
    p.add_argument("--n-jobs", type=int, default=None, help="parallel fits")
    p.add_argument(
        "--figures",
        metavar="DIR",
        help="write figures to this folder (needs matplotlib: "
        'pip install "skmer[plot]")',
    )
    p.add_argument(
        "--format", choices=["png", "svg"], default="png", help="figure format"
    )
    p.add_argument("--quiet", action="store_true", help="no progress output on stderr")


def build_parser():
    """The argument parser of the ``skmer`` command."""
    parser = argparse.ArgumentParser(
        prog="skmer",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"skmer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        formatter_class=_HelpFormatter,
        help="compare every fusion strategy on synthetic data",
        description="Generate synthetic MER data with missing modalities, cross-validate "
        "every fusion strategy (torch-based ones with small nets and 10 epochs) and each "
        "single modality, and print a table ranked by WA with each model's modality "
        "weights. About 15 s of CPU with the defaults.",
    )
    demo.add_argument(
        "--n-samples", type=_int_at_least(1), default=600, help="rows (default: 600)"
    )
    demo.add_argument(
        "--n-classes",
        type=_int_at_least(2),
        default=3,
        help="emotion classes (default: 3)",
    )
    demo.add_argument(
        "--missing-rate",
        type=_fraction,
        default=0.3,
        help="fraction of rows missing each modality (default: 0.3)",
    )
    _common_args(demo, tasks=("classification",))
    demo.set_defaults(func=cmd_demo)

    bench = sub.add_parser(
        "benchmark",
        formatter_class=_HelpFormatter,
        help="compare fusion strategies on your data",
        description="Cross-validate every fusion strategy and each single "
        "modality on a table of pre-extracted features.",
    )
    _data_args(bench)
    bench.add_argument(
        "--missing",
        action="append",
        metavar="NAME=RATE",
        type=_name_rate,
        help="remove a modality from this fraction of rows first",
    )
    _common_args(bench)
    bench.set_defaults(func=cmd_benchmark)

    rob = sub.add_parser(
        "robustness",
        formatter_class=_HelpFormatter,
        help="missing-modality robustness curves",
        description="Score fusion strategies (WA for labels, CCC for scores) "
        "as test rows lose each modality.",
    )
    _data_args(rob)
    rob.add_argument(
        "--rates",
        default=[0, 0.25, 0.5, 0.75, 1.0],
        type=_fractions,
        help="fractions of test rows missing the modality (default: 0,0.25,0.5,0.75,1)",
    )
    _common_args(rob, fusion_default="late-weighted")
    rob.set_defaults(func=cmd_robustness, fusion="late-weighted")
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
    except (_Usage, ValueError) as exc:
        # a missing optional dependency, bad data or options found past parsing
        # (e.g. NaN in a feature block, an unknown modality in --missing): a
        # one-line error, not a traceback
        sys.stderr.write(f"skmer {args.command}: error: {exc}\n")
        return 2
