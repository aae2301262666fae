"""Raw multimodal data: missing cells (``None`` or a float NaN) and the frame check."""

import numbers

import numpy as np
import pandas as pd


def is_missing(cell):
    """Return True when a raw multimodal cell marks a missing modality.

    A cell is missing when it is ``None``, ``pandas.NA``/``NaT`` or a scalar float
    NaN. Arrays, strings and every other object are present (an array full of
    NaN is a present item with bad values, not a missing one).

    Parameters
    ----------
    cell : object
        One cell of the raw multimodal DataFrame.

    Returns
    -------
    missing : bool

    Examples
    --------
    >>> from skmer.utils import is_missing
    >>> is_missing(None), is_missing(float("nan")), is_missing("hello")
    (True, True, False)
    """
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    if isinstance(cell, numbers.Real) and not isinstance(cell, bool | np.bool_):
        return bool(np.isnan(cell))
    return False


def missing_mask(cells):
    """Boolean mask of the missing cells of a sequence of raw cells.

    Parameters
    ----------
    cells : sequence
        Raw cells (a list, a 1-D object array or a pandas Series).

    Returns
    -------
    mask : ndarray of bool, shape (n_cells,)
        True where the cell is missing.

    Examples
    --------
    >>> from skmer.utils import missing_mask
    >>> missing_mask(["a", None, "c"])
    array([False,  True, False])
    """
    return np.fromiter((is_missing(c) for c in cells), dtype=bool, count=len(cells))


def raw_frame(columns, index=None):
    """A raw multimodal DataFrame whose cells stay exactly as given.

    The one way skmer builds raw frames (loaders, generators): every column has
    ``object`` dtype, filled cell by cell, so arrays stay whole cells and a
    missing cell stays ``None``. Plain ``pandas.DataFrame`` would infer
    pandas 3's ``str`` dtype for a column of texts, turning ``None`` into
    ``nan``, and would try to broadcast equal-length arrays.

    Parameters
    ----------
    columns : dict of str to sequence
        Cells of each column, in row order.
    index : array-like, default=None
        Row labels; default ``RangeIndex``.

    Returns
    -------
    frame : DataFrame
        One ``object`` column per key.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.utils import raw_frame
    >>> X = raw_frame({"text": ["so happy", None], "audio": [np.ones((5, 2)), None]})
    >>> X.dtypes.tolist(), X.loc[1, "text"], X.loc[0, "audio"].shape
    ([dtype('O'), dtype('O')], None, (5, 2))
    """
    data = {}
    for name, cells in columns.items():
        cells = list(cells)
        out = np.empty(len(cells), dtype=object)
        for i, cell in enumerate(cells):
            out[i] = cell
        data[name] = pd.Series(out, dtype=object, index=index, copy=False)
    return pd.DataFrame(data, index=index)


def as_raw_frame(X, who):
    """X as a DataFrame with unique column names (a dict is converted)."""
    if isinstance(X, dict):
        X = pd.DataFrame(X)
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"{who} takes the raw multimodal DataFrame (one column per modality, "
            f"cells of pre-extracted features, None where missing); got "
            f"{type(X).__name__}."
        )
    duplicated = X.columns[X.columns.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"X has duplicate column names {duplicated}; {who} reads each input "
            "column by its name, so every name must be unique."
        )
    return X
