import pickle

import numpy as np
import pytest
from sklearn.model_selection import PredefinedSplit

from skmer.datasets import (
    SPLIT_CODES,
    file_sha256,
    get_data_home,
    sentiment_tasks,
    verify_checksum,
)
from skmer.datasets._base import _folds_to_split, _load_pickle, _resolve_path


def test_data_home_env_and_explicit(monkeypatch, tmp_path):
    monkeypatch.setenv("SKMER_DATA", str(tmp_path))
    assert get_data_home() == tmp_path
    assert get_data_home("~/x").name == "x" and "~" not in str(get_data_home("~/x"))
    assert not (tmp_path / "never").exists()


def test_checksum(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(b"abc")
    digest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert file_sha256(p) == digest
    assert verify_checksum(p, digest.upper()) == p
    assert verify_checksum(p, None) == p
    with pytest.raises(ValueError, match="SHA-256 mismatch for .*f.bin"):
        verify_checksum(p, "0" * 64)
    with pytest.raises(ValueError, match="64-character hex digest"):
        verify_checksum(p, "abc")


def test_missing_path_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="never downloads corpora"):
        _resolve_path(None, tmp_path, "deap", "s01.dat", "DEAP")
    with pytest.raises(FileNotFoundError, match="Expected s01.dat"):
        _resolve_path(tmp_path / "nope", None, "deap", "s01.dat", "DEAP")


def test_pickle_guard_and_latin1(tmp_path):
    p = tmp_path / "x.pkl"
    p.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ValueError, match="Unpickling a file can run arbitrary code"):
        _load_pickle(p, allow_pickle=False, corpus="X")
    with pytest.raises(ValueError, match="allow_pickle=True"):
        _load_pickle(p, allow_pickle="yes", corpus="X")
    assert _load_pickle(p, allow_pickle=True, corpus="X") == {"a": 1}
    # A Python 2 pickle of the byte string 'caf\xe9' (protocol 2, SHORT_BINSTRING):
    # the default ASCII decoding fails, the latin1 fallback reads it.
    py2 = tmp_path / "py2.pkl"
    py2.write_bytes(b"\x80\x02U\x04caf\xe9q\x00.")
    with pytest.raises(UnicodeDecodeError):
        pickle.loads(py2.read_bytes())
    assert _load_pickle(py2, allow_pickle=True, corpus="X") == "café"


def test_sentiment_tasks_known_values():
    t = sentiment_tasks([-3.4, -0.6, 0.0, 0.5, 1.5, 2.6])
    assert t["binary"].tolist() == [0, 0, 1, 1, 1, 1]
    assert t["binary_nonzero"].tolist() == [0, 0, -1, 1, 1, 1]
    assert t["class7"].tolist() == [-3, -1, 0, 0, 2, 3]
    assert t["class5"].tolist() == [-2, -1, 0, 0, 2, 2]
    s = sentiment_tasks([-1.0, -0.5, -0.1, 0.0, 0.1, 0.4, 0.8], scale="sims")
    assert s["binary"].tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert s["class3"].tolist() == [0, 0, 0, 1, 1, 2, 2]
    assert s["class5"].tolist() == [0, 1, 1, 2, 2, 3, 4]
    with pytest.raises(ValueError, match="scale must be"):
        sentiment_tasks([0.0], scale="iemocap")


def test_folds_to_split_and_predefined_split():
    ids = ["a", "a", "b", "c", "d"]
    split = _folds_to_split(ids, {"train": ["a"], "valid": ["b"], "test": ["c"]}, "X")
    assert split.tolist() == [-1, -1, 0, 1, -2]
    dev = split[(split == -1) | (split == 0)]
    folds = list(PredefinedSplit(dev).split())
    assert len(folds) == 1 and folds[0][1].tolist() == [2]
    assert SPLIT_CODES == {"train": -1, "valid": 0, "test": 1}
    with pytest.raises(ValueError, match="id 'a' is in both"):
        _folds_to_split(ids, {"train": ["a"], "test": ["a"]}, "X")
    with pytest.raises(ValueError, match="unknown keys"):
        _folds_to_split(ids, {"dev": ["a"]}, "X")
    with pytest.raises(TypeError, match="folds must be a dict"):
        _folds_to_split(ids, ["a"], "X")
    assert np.all(_folds_to_split([], {"train": []}, "X") == [])


def test_sentiment_tasks_rejects_nan():
    # a NaN score used to give class7 = class5 = -9223372036854775808
    with pytest.raises(ValueError, match=r"score holds NaN at positions \[1\]"):
        sentiment_tasks([0.5, np.nan, -1.0])


def test_folds_match_ids_whatever_their_type():
    ids = ["10", "2", "2", "7"]
    # ids stored as ints or bytes (JSON, Python 2 files) still match str video ids
    split = _folds_to_split(ids, {"train": [10], "valid": [b"2"], "test": ["7"]}, "X")
    assert split.tolist() == [-1, 0, 0, 1]
    # a single str would be iterated character by character
    with pytest.raises(TypeError, match=r"folds\['train'\] must be a list of ids"):
        _folds_to_split(ids, {"train": "10"}, "X")


def test_text_decodes_bytes_ids():
    from skmer.datasets._base import _text

    assert _text(b"v1") == "v1" and _text(np.bytes_(b"v1")) == "v1"
    assert _text("caf\xe9".encode("latin1")) == "café"
    assert _text("café".encode()) == "café" and _text(7) == "7"


def test_truncated_pickle_names_the_file(tmp_path):
    p = tmp_path / "cut.pkl"
    p.write_bytes(pickle.dumps({"a": np.arange(100)})[:50])
    with pytest.raises(ValueError, match="cut.pkl is not a readable pickle"):
        _load_pickle(p, allow_pickle=True, corpus="X")
