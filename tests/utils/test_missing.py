"""The one missing-cell mechanism under every pandas the project supports."""

import numpy as np
import pandas as pd
import pytest

from skmer.compose import ModalityEncoder
from skmer.datasets import load_multimodal_folder
from skmer.encoders import SequencePooling, TfidfLSAEncoder
from skmer.utils import is_missing, missing_mask, raw_frame


def test_raw_frame_keeps_cells_and_none():
    audio = [np.ones((4, 2)), None, np.zeros((4, 2))]  # equal shapes: no broadcast
    X = raw_frame({"text": ["good", None, "bad"], "audio": audio}, index=[7, 8, 9])
    assert X.dtypes.tolist() == [np.dtype(object)] * 2
    assert X.loc[8, "text"] is None and X.loc[8, "audio"] is None
    assert X.loc[7, "audio"].shape == (4, 2)
    assert X.index.tolist() == [7, 8, 9]


def test_pandas_string_column_missing_cell_is_missing():
    # pandas 3 reads a column of texts as dtype `str`, where None becomes nan;
    # pandas 2 keeps object and None: both are the same missing cell for skmer
    X = pd.DataFrame({"text": ["good", None, "bad", "fine"]})
    assert missing_mask(X["text"]).tolist() == [False, True, False, False]
    assert is_missing(X.loc[1, "text"])
    enc = ModalityEncoder({"text": TfidfLSAEncoder(n_components=2)}).fit(X)
    Z = enc.transform(X)
    assert np.isnan(Z.iloc[1]).all() and not np.isnan(Z.drop(index=1)).any().any()


def test_loader_text_cell_missing_is_none(tmp_path):
    for m in ("text", "audio"):
        (tmp_path / m).mkdir()
    (tmp_path / "text" / "a.txt").write_text("so happy")
    np.save(tmp_path / "audio" / "a.npy", np.ones((5, 2)))
    np.save(tmp_path / "audio" / "b.npy", np.zeros((3, 2)))
    b = load_multimodal_folder(tmp_path, modalities=["text", "audio"])
    assert b.frame["text"].dtype == object
    assert b.frame.loc[1, "text"] is None
    Z = ModalityEncoder({"audio": SequencePooling()}).fit_transform(b.frame[["audio"]])
    assert Z.shape[0] == 2


@pytest.mark.parametrize("bad", [["a"], np.array([1.0])])
def test_raw_frame_cells_are_not_unpacked(bad):
    X = raw_frame({"m": [bad, bad]})
    assert X.shape == (2, 1) and X.loc[0, "m"] is bad
