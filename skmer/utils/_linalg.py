"""Dense linear-algebra helpers shared by the fusion estimators."""

import numpy as np

# rows of one tile of a transposed copy: a (256, n) strip and its transpose stay
# cache-friendly, and the temporaries stay small
_TILE = 256


def mirror_upper(M):
    """Copy the upper triangle of the square matrix M onto its lower triangle.

    For a matrix that is symmetric in exact arithmetic (a Gram matrix, ``S Q S'``
    for a symmetric Q) of which only the upper triangle was computed, or whose
    two triangles differ by rounding: afterwards ``M`` equals ``M.T`` exactly.
    The copy goes in tiles of ``_TILE`` rows, without an (n, n) temporary.

    Parameters
    ----------
    M : ndarray of shape (n, n)
        Modified in place.

    Returns
    -------
    M : ndarray of shape (n, n)
        The same array.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.utils._linalg import mirror_upper
    >>> mirror_upper(np.array([[1.0, 2.0], [0.0, 3.0]]))
    array([[1., 2.],
           [2., 3.]])
    """
    n = M.shape[0]
    for a in range(0, n, _TILE):
        b = min(a + _TILE, n)
        tile = M[a:b, a:b]
        lower = np.tril_indices(b - a, -1)
        tile[lower] = tile.T[lower]
        if b < n:
            M[b:, a:b] = M[a:b, b:].T
    return M
