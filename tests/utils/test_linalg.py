import numpy as np
import pytest

from skmer.utils._linalg import mirror_upper


@pytest.mark.parametrize("n", [1, 6, 7, 20])
def test_mirror_upper_copies_the_upper_triangle(monkeypatch, n):
    # tiles of 7 rows: n below, equal to and not a multiple of the tile
    monkeypatch.setattr("skmer.utils._linalg._TILE", 7)
    M = np.random.RandomState(0).rand(n, n)
    expected = np.triu(M) + np.triu(M, 1).T
    out = mirror_upper(M)
    assert out is M
    np.testing.assert_array_equal(M, expected)
