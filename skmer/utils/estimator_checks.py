"""skmer's check suites for estimators over raw (non-2-D) input.

scikit-learn's ``parametrize_with_checks`` runs almost nothing on estimators
whose input is not a 2-D array. The encoder checks cover what matters for an
encoder of raw items: missing items give NaN rows, rows are independent of order
and of each other, feature names match, clones and pickles behave the same, and
the encoder works inside :class:`~skmer.compose.ModalityEncoder` and a grid
search. The sequence checks do the same for the end-to-end sequence models of
:mod:`skmer.sequence`: missing cells, variable lengths, row order within groups,
clone / pickle / ``skops.io`` round trips, grid search, errors before fit and on
duplicate or id columns.
"""

import pickle

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from sklearn.base import clone

__all__ = [
    "check_encoder_all_missing",
    "check_encoder_clone_pickle",
    "check_encoder_feature_names",
    "check_encoder_grid_search",
    "check_encoder_in_modality_encoder",
    "check_encoder_missing_rows",
    "check_encoder_row_independence",
    "check_sequence_clone_pickle_skops",
    "check_sequence_duplicate_columns",
    "check_sequence_estimator",
    "check_sequence_grid_search",
    "check_sequence_id_column",
    "check_sequence_missing_cells",
    "check_sequence_not_fitted",
    "check_sequence_row_order",
    "check_sequence_variable_lengths",
    "parametrize_with_encoder_checks",
    "parametrize_with_sequence_checks",
]


def _with_missing(items):
    """Items with every third cell replaced by None, and the mask."""
    items = list(items)
    missing = np.zeros(len(items), dtype=bool)
    missing[1::3] = True
    return [None if m else it for it, m in zip(items, missing)], missing


def check_encoder_missing_rows(encoder, items, y=None):
    """Missing items give NaN rows; present items give finite rows."""
    mixed, missing = _with_missing(items)
    Z = clone(encoder).fit(mixed, y).transform(mixed)
    assert Z.ndim == 2 and Z.shape[0] == len(mixed), f"bad output shape {Z.shape}"
    assert np.isnan(Z[missing]).all(), "missing items must give all-NaN rows"
    assert np.isfinite(Z[~missing]).all(), "present items must give finite rows"


def check_encoder_row_independence(encoder, items, y=None):
    """Transforming a permuted subset gives the permuted rows of the full output."""
    enc = clone(encoder).fit(items, y)
    Z = enc.transform(items)
    order = np.random.RandomState(0).permutation(len(items))[: max(2, len(items) // 2)]
    Zs = enc.transform([items[i] for i in order])
    assert_allclose(Zs, Z[order], rtol=1e-6, atol=1e-8)


def check_encoder_feature_names(encoder, items, y=None):
    """get_feature_names_out has one unique name per output column."""
    enc = clone(encoder).fit(items, y)
    names = enc.get_feature_names_out()
    Z = enc.transform(items)
    assert len(names) == Z.shape[1], f"{len(names)} names for {Z.shape[1]} columns"
    assert len(set(names)) == len(names), "feature names must be unique"


def check_encoder_all_missing(encoder, items, y=None):
    """Fitting on items that are all missing raises a ValueError."""
    try:
        clone(encoder).fit([None] * len(items), y)
    except ValueError:
        return
    raise AssertionError("fit on all-missing items must raise a ValueError")


def check_encoder_clone_pickle(encoder, items, y=None):
    """Refits of a clone and pickle round trips give identical outputs."""
    enc = clone(encoder).fit(items, y)
    Z = enc.transform(items)
    assert_allclose(
        clone(encoder).fit(items, y).transform(items), Z, rtol=1e-6, atol=1e-8
    )
    assert_allclose(pickle.loads(pickle.dumps(enc)).transform(items), Z)
    assert clone(encoder).get_params().keys() == encoder.get_params().keys()


def check_encoder_in_modality_encoder(encoder, items, y=None):
    """Inside ModalityEncoder the block is the encoder's output, prefixed."""
    from skmer.compose import ModalityEncoder

    mixed, missing = _with_missing(items)
    df = pd.DataFrame({"m": pd.Series(mixed, dtype=object)})
    me = ModalityEncoder({"m": clone(encoder)}).fit(df, y)
    Z = me.transform(df)
    assert all(c.startswith("m__") for c in Z.columns)
    assert Z.to_numpy()[missing].size == 0 or np.isnan(Z.to_numpy()[missing]).all()
    alone = clone(encoder).fit(
        [it for it in mixed if it is not None],
        None if y is None else np.asarray(y)[~missing],
    )
    assert_allclose(
        Z.to_numpy()[~missing],
        alone.transform([it for it in mixed if it is not None]),
        rtol=1e-6,
        atol=1e-8,
    )


def check_encoder_grid_search(encoder, items, y=None):
    """A Pipeline ModalityEncoder -> fusion runs in GridSearchCV with clones."""
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline

    from skmer.compose import ModalityEncoder
    from skmer.fusion import EarlyFusionClassifier

    if y is None:
        y = np.arange(len(items)) % 2
    df = pd.DataFrame({"m": pd.Series(list(items), dtype=object)})
    pipe = Pipeline(
        [("encode", ModalityEncoder({"m": encoder})), ("fuse", EarlyFusionClassifier())]
    )
    gs = GridSearchCV(pipe, {"fuse__missing": ["impute", "indicator"]}, cv=2)
    gs.fit(df, y)
    assert gs.predict(df).shape == (len(items),)


ENCODER_CHECKS = [
    check_encoder_missing_rows,
    check_encoder_row_independence,
    check_encoder_feature_names,
    check_encoder_all_missing,
    check_encoder_clone_pickle,
    check_encoder_in_modality_encoder,
    check_encoder_grid_search,
]


def parametrize_with_encoder_checks(cases):
    """Pytest parametrization running every encoder check on each case.

    Parameters
    ----------
    cases : list of tuples
        ``(encoder, items)`` or ``(encoder, items, y)``: an unfitted encoder and
        at least 6 present raw items (and targets, for supervised encoders).

    Returns
    -------
    decorator : callable
        A ``pytest.mark.parametrize("encoder, items, y, check", ...)`` decorator.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import VectorEncoder
    >>> from skmer.utils.estimator_checks import parametrize_with_encoder_checks
    >>> items = [np.arange(3.0) + i for i in range(8)]
    >>> deco = parametrize_with_encoder_checks([(VectorEncoder(), items)])
    >>> deco.args[0]
    'encoder, items, y, check'
    """
    import pytest

    params, ids = [], []
    for case in cases:
        encoder, items = case[0], case[1]
        y = case[2] if len(case) > 2 else None
        for check in ENCODER_CHECKS:
            params.append((encoder, items, y, check))
            ids.append(f"{type(encoder).__name__}-{check.__name__}")
    return pytest.mark.parametrize("encoder, items, y, check", params, ids=ids)


# -- end-to-end sequence models (skmer.sequence) ---------------------------------
#
# They read the raw multimodal DataFrame themselves, so scikit-learn's checks
# (2-D arrays) cannot exercise them. A case is ``(estimator, X, y)``: an unfitted
# model with small settings, a raw frame it can fit (with its group / order
# columns for a contextual model) and targets.


def _input_columns(estimator, X):
    """The columns a fitted sequence model reads as inputs (not text nor ids)."""
    return list(getattr(estimator, "modalities_", {}))


def _predict(estimator, X):
    method = "predict_proba" if hasattr(estimator, "predict_proba") else "predict"
    return np.asarray(getattr(estimator, method)(X), dtype=float)


def _whole_group_subset(estimator, X):
    """Row positions of about half the rows, whole groups for a contextual model."""
    group = getattr(estimator, "group_column", None)
    if group is None:
        return np.arange(0, len(X), 2)
    keep = pd.unique(X[group])[::2]
    return np.flatnonzero(X[group].isin(keep).to_numpy())


def _check_outputs(estimator, X, out):
    assert out.shape[0] == len(X), f"{out.shape[0]} outputs for {len(X)} rows"
    assert np.isfinite(out).all(), "outputs must be finite"
    if hasattr(estimator, "predict_proba"):
        assert_allclose(out.sum(axis=1), 1.0, atol=1e-6)


def check_sequence_not_fitted(estimator, X, y):
    """predict (and friends) before fit raise NotFittedError."""
    from sklearn.exceptions import NotFittedError

    for method in ("predict", "predict_proba", "decision_function"):
        if not hasattr(estimator, method):
            continue
        try:
            getattr(clone(estimator), method)(X)
        except NotFittedError:
            continue
        except Exception as exc:
            raise AssertionError(
                f"{method} before fit must raise NotFittedError, not "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        raise AssertionError(f"{method} before fit must raise NotFittedError")


def check_sequence_missing_cells(estimator, X, y):
    """None cells (a missing modality) are handled: finite outputs for every row."""
    est = clone(estimator).fit(X, y)
    columns = _input_columns(est, X)
    if not columns:  # text only: a missing text is an error naming its row
        text = getattr(est, "text_column", None)
        bad = X.copy()
        bad[text] = bad[text].astype(object)
        bad.iloc[1, bad.columns.get_loc(text)] = None
        try:
            est.predict(bad)
        except ValueError as exc:
            assert repr(bad.index[1]) in str(exc), f"error must name the row: {exc}"
            return
        raise AssertionError("a missing text must raise a ValueError")
    gap = X.copy()
    name = columns[-1]
    gap[name] = gap[name].astype(object)
    for i in range(1, len(gap), 3):
        gap.iat[i, gap.columns.get_loc(name)] = None
    fitted = clone(estimator).fit(gap, y)
    _check_outputs(fitted, gap, _predict(fitted, gap))
    _check_outputs(fitted, X, _predict(fitted, X.assign(**{name: None})))


def _shortened(X, columns, text_column):
    """Rows with every sequence cell cut to a row-dependent number of steps."""
    if text_column is not None:
        return X  # aligned to the words of the text: lengths come from the text
    short = X.copy()
    for i in range(len(short)):
        for name in columns:
            cell = short.iat[i, short.columns.get_loc(name)]
            if isinstance(cell, np.ndarray) and cell.ndim == 2 and len(cell) > 1:
                steps = max(1, len(cell) - i % 3)
                short.iat[i, short.columns.get_loc(name)] = cell[:steps]
    return short


def check_sequence_variable_lengths(estimator, X, y):
    """Sequences of different lengths fit, and a row's output does not depend on
    the other rows predicted with it (their padding)."""
    est = clone(estimator).fit(X, y)
    data = _shortened(X, _input_columns(est, X), getattr(est, "text_column", None))
    est = clone(estimator).fit(data, y)
    full = _predict(est, data)
    _check_outputs(est, data, full)
    subset = _whole_group_subset(est, data)
    assert_allclose(
        _predict(est, data.iloc[subset]), full[subset], rtol=1e-4, atol=1e-5
    )


def check_sequence_row_order(estimator, X, y):
    """Shuffled rows give the same per-row outputs (context comes from groups and
    ``order_column`` / row labels, never from the order of the rows)."""
    est = clone(estimator).fit(X, y)
    out = _predict(est, X)
    perm = np.random.RandomState(0).permutation(len(X))
    assert_allclose(
        _predict(est, X.iloc[perm]),
        out[perm],
        rtol=1e-4,
        atol=1e-5,
        err_msg="outputs changed when the rows were shuffled",
    )


def check_sequence_clone_pickle_skops(estimator, X, y):
    """Seeded refits of a clone agree; pickle and skops.io round trips predict the same."""
    est = clone(estimator).fit(X, y)
    out = _predict(est, X)
    assert clone(estimator).get_params().keys() == estimator.get_params().keys()
    assert_allclose(_predict(clone(estimator).fit(X, y), X), out, rtol=1e-5, atol=1e-6)
    assert_allclose(
        _predict(pickle.loads(pickle.dumps(est)), X), out, rtol=1e-5, atol=1e-6
    )
    try:
        import skops.io as sio
    except ImportError:
        return
    dumped = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=dumped)
    plain = {"skmer", "numpy", "sklearn", "pathlib"}  # pathlib: a model_path parameter
    foreign = [t for t in untrusted if t.split(".")[0] not in plain]
    assert not foreign, f"skops.io state holds foreign types {foreign}"
    loaded = sio.loads(dumped, trusted=untrusted)
    assert_allclose(_predict(loaded, X), out, rtol=1e-5, atol=1e-6)


def check_sequence_grid_search(estimator, X, y):
    """GridSearchCV over a parameter (grouped folds for a contextual model)."""
    from sklearn.model_selection import GridSearchCV, GroupKFold, KFold

    params = estimator.get_params()
    name = next(p for p in ("max_epochs", "n_iter") if p in params)
    grid = {name: [1, max(2, params[name])]}
    group = getattr(estimator, "group_column", None)
    cv, groups = KFold(2), None
    if group is not None:
        cv, groups = GroupKFold(2), X[group].to_numpy()
    search = GridSearchCV(clone(estimator), grid, cv=cv, error_score="raise")
    search.fit(X, y, groups=groups)
    assert search.best_params_[name] in grid[name]
    assert search.predict(X).shape[0] == len(X)


def check_sequence_duplicate_columns(estimator, X, y):
    """Duplicate column names raise a ValueError naming the column."""
    name = X.columns[0]
    dup = pd.concat([X, X[[name]]], axis=1)
    try:
        clone(estimator).fit(dup, y)
    except ValueError as exc:
        assert repr(name) in str(exc), f"the error must name {name!r}: {exc}"
        return
    raise AssertionError("duplicate column names must raise a ValueError")


def check_sequence_id_column(estimator, X, y):
    """With ``columns=None`` an id column of strings is never read as a modality."""
    if (
        "columns" not in estimator.get_params()
        or estimator.get_params()["columns"] is not None
    ):
        return
    with_id = X.assign(clip_id=[f"clip_{i}" for i in range(len(X))])
    try:
        clone(estimator).fit(with_id, y)
    except ValueError as exc:
        assert "'clip_id'" in str(exc), f"the error must name 'clip_id': {exc}"
        return
    raise AssertionError("an id column must not be read as an input modality")


SEQUENCE_CHECKS = [
    check_sequence_not_fitted,
    check_sequence_missing_cells,
    check_sequence_variable_lengths,
    check_sequence_row_order,
    check_sequence_clone_pickle_skops,
    check_sequence_grid_search,
    check_sequence_duplicate_columns,
    check_sequence_id_column,
]


def check_sequence_estimator(estimator, X, y):
    """Run every sequence-model check on one estimator.

    Parameters
    ----------
    estimator : estimator
        An unfitted sequence model (:mod:`skmer.sequence`) with small settings.
    X : DataFrame
        A raw multimodal frame it can fit, at least 12 rows (with its
        ``group_column`` / ``order_column`` for a contextual model).
    y : array-like of shape (n_samples,)
        Targets.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import TriModalHMMClassifier
    >>> from skmer.utils.estimator_checks import check_sequence_estimator
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame({"a": [rng.randn(4, 2) for _ in range(12)],
    ...                   "b": [rng.randn(4, 1) for _ in range(12)]})
    >>> check_sequence_estimator(TriModalHMMClassifier(n_states=1, n_iter=2),
    ...                          X, np.arange(12) % 2)
    """
    for check in SEQUENCE_CHECKS:
        check(estimator, X, y)


def parametrize_with_sequence_checks(cases):
    """Pytest parametrization running every sequence-model check on each case.

    Parameters
    ----------
    cases : list of tuples
        ``(estimator, X, y)``: an unfitted sequence model with small settings,
        a raw frame and its targets (see :func:`check_sequence_estimator`).

    Returns
    -------
    decorator : callable
        A ``pytest.mark.parametrize("estimator, X, y, check", ...)`` decorator.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skmer.sequence import TriModalHMMClassifier
    >>> from skmer.utils.estimator_checks import parametrize_with_sequence_checks
    >>> X = pd.DataFrame({"a": [np.ones((3, 2))] * 12})
    >>> deco = parametrize_with_sequence_checks([(TriModalHMMClassifier(), X, [0, 1] * 6)])
    >>> deco.args[0]
    'estimator, X, y, check'
    """
    import pytest

    params, ids = [], []
    for estimator, X, y in cases:
        for check in SEQUENCE_CHECKS:
            params.append((estimator, X, y, check))
            ids.append(f"{type(estimator).__name__}-{check.__name__}")
    return pytest.mark.parametrize("estimator, X, y, check", params, ids=ids)
