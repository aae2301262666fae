"""skmer's check suite for modality encoders over raw (non-2-D) items.

scikit-learn's ``parametrize_with_checks`` runs almost nothing on estimators
whose input is not a 2-D array. These checks cover what matters for an encoder
of raw items: missing items give NaN rows, rows are independent of order and of
each other, feature names match, clones and pickles behave the same, and the
encoder works inside :class:`~skmer.compose.ModalityEncoder` and a grid search.
"""

import pickle

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from sklearn.base import clone


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
    assert_allclose(clone(encoder).fit(items, y).transform(items), Z, rtol=1e-6, atol=1e-8)
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
    alone = clone(encoder).fit([it for it in mixed if it is not None],
                               None if y is None else np.asarray(y)[~missing])
    assert_allclose(
        Z.to_numpy()[~missing],
        alone.transform([it for it in mixed if it is not None]),
        rtol=1e-6, atol=1e-8,
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
    pipe = Pipeline([("encode", ModalityEncoder({"m": encoder})), ("fuse", EarlyFusionClassifier())])
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
