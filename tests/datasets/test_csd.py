import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skmer.compose import ModalityEncoder
from skmer.datasets import (
    CMU_MOSI_STANDARD_FOLDS,
    align_csd,
    load_cmu_mosei_csd,
    load_cmu_mosi_csd,
    load_cmu_sdk,
    load_pom_csd,
    read_csd,
    standard_folds,
)
from skmer.encoders import SequencePooling
from skmer.fusion import LateFusionClassifier
from tests.datasets._formats import mosi_csd_folder, write_csd

h5py = pytest.importorskip("h5py", reason="the io extra (h5py) reads .csd files")


def test_read_csd_structure_and_metadata(tmp_path):
    mosi_csd_folder(tmp_path)
    csd = read_csd(tmp_path / "labels.csd")
    assert csd.name == "Opinion Segment Labels"
    assert csd.metadata["dimension names"] == ["sentiment"]
    assert set(csd.data) == {"v1", "v2"}
    assert csd.data["v1"]["intervals"].shape == (2, 2)
    words = read_csd(tmp_path / "words.csd")
    assert words.data["v1"]["features"].dtype.kind == "S"


def test_read_csd_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        read_csd(tmp_path / "absent.csd")
    (tmp_path / "bad.csd").write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="not an HDF5 computational sequence"):
        read_csd(tmp_path / "bad.csd")
    with h5py.File(tmp_path / "two.csd", "w") as f:
        f.create_group("a")
        f.create_group("b")
    with pytest.raises(ValueError, match="one root group with 'data'"):
        read_csd(tmp_path / "two.csd")
    write_csd(tmp_path / "mis.csd", "x", {"v": (np.ones((3, 2)), [[0, 1], [1, 2]])})
    with pytest.raises(ValueError, match=r"entry 'v' has intervals of shape \(2, 2\)"):
        read_csd(tmp_path / "mis.csd")


def test_alignment_known_values(tmp_path):
    files = mosi_csd_folder(tmp_path)
    b = load_cmu_sdk(tmp_path, sequences=files, labels="labels.csd")
    assert b.ids.tolist() == ["v1[0]", "v1[1]", "v2[0]"]
    assert b.frame.columns.tolist() == ["text", "audio", "video"]
    # words: "sp" dropped; "but" touches [0, 2) only at t=2 (zero overlap) -> out
    assert b.frame["text"].tolist() == ["great movie", "but long", "meh"]
    a0 = b.frame.loc[0, "audio"]
    assert a0.shape == (4, 2) and a0[:, 0].tolist() == [0, 1, 2, 3]
    assert b.frame.loc[1, "audio"][:, 0].tolist() == [4, 5, 6, 7]
    assert b.frame.loc[2, "audio"].shape == (6, 2)
    assert b.frame.loc[2, "video"] is None  # v2 has no video sequence
    assert b.targets["sentiment"].tolist() == [2.2, -1.4, 0.0]  # metadata names
    assert b.targets["binary"].tolist() == [1, 0, 1]
    assert b.groups.tolist() == ["v1", "v1", "v2"]
    np.testing.assert_allclose(b.intervals, [[0, 2], [2, 4], [0, 3]])
    assert b.split is None
    assert "CMU-MultimodalSDK" in b.DESCR


def test_collapse_functions(tmp_path):
    files = mosi_csd_folder(tmp_path)
    b = load_cmu_sdk(
        tmp_path,
        sequences=files,
        labels="labels.csd",
        collapse=["mean", lambda i, f: np.max(f, axis=0)],
    )
    np.testing.assert_allclose(b.frame.loc[0, "audio"], [1.5, 1, 3, 1])
    np.testing.assert_allclose(b.frame.loc[1, "audio"], [5.5, 1, 7, 1])
    assert b.frame.loc[0, "text"] == "great movie"
    with pytest.raises(ValueError, match="collapse must be None, a name among"):
        load_cmu_sdk(tmp_path, sequences=files, labels="labels.csd", collapse="mode")


def test_align_partial_overlap_clips_intervals():
    ref = {"v": {"features": np.array([[1.0]]), "intervals": np.array([[1.0, 2.0]])}}
    sub = {
        "v": {
            "features": np.array([[10.0], [20.0], [30.0]]),
            "intervals": np.array([[0.0, 1.5], [1.5, 3.0], [3.0, 4.0]]),
        },
        "w": {"features": np.ones((1, 1)), "intervals": np.array([[0.0, 1.0]])},
    }
    out = align_csd({"ref": ref, "sub": sub}, "ref")
    np.testing.assert_allclose(out["sub"]["v[0]"]["intervals"], [[1, 1.5], [1.5, 2]])
    np.testing.assert_allclose(out["sub"]["v[0]"]["features"], [[10], [20]])
    assert set(out["ref"]) == {"v[0]"}
    with pytest.raises(ValueError, match="reference 'labels' is not among"):
        align_csd({"ref": ref}, "labels")
    with pytest.raises(TypeError, match="must be a computational sequence"):
        align_csd({"ref": ref, "x": [1, 2]}, "ref")
    # a negative tolerance silently dropped every overlapping step
    with pytest.raises(ValueError, match="epsilon must be a finite number >= 0"):
        align_csd({"ref": ref, "sub": sub}, "ref", epsilon=-1.0)


def test_standard_mosi_folds(tmp_path):
    assert [len(CMU_MOSI_STANDARD_FOLDS[k]) for k in ("train", "valid", "test")] == [
        52,
        10,
        31,
    ]
    names = {
        "text": "CMU_MOSI_TimestampedWords.csd",
        "audio": "CMU_MOSI_COVAREP.csd",
        "video": "CMU_MOSI_Visual_Facet_41.csd",
        "labels": "CMU_MOSI_Opinion_Labels.csd",
    }
    mosi_csd_folder(
        tmp_path,
        vids=("2iD-tVS8NPw", "tmZoasNr4rU"),
        video_missing="tmZoasNr4rU",
        names=names,
    )
    b = load_cmu_mosi_csd(tmp_path)
    assert b.split.tolist() == [-1, -1, 1]
    assert load_cmu_mosi_csd(tmp_path, folds=None).split is None
    with pytest.warns(UserWarning, match="1 videos are in no fold"):
        b = load_cmu_mosi_csd(tmp_path, folds={"train": ["2iD-tVS8NPw"]})
    assert b.split.tolist() == [-1, -1, -2]
    with pytest.raises(ValueError, match="folds must be 'standard'"):
        load_cmu_mosi_csd(tmp_path, folds="official")
    with pytest.raises(FileNotFoundError, match="CMU-MOSI: .* does not exist"):
        load_cmu_mosi_csd(data_home=tmp_path / "nowhere")


@pytest.mark.parametrize(
    "corpus, sizes, first",
    [
        ("CMU-MOSI", [52, 10, 31], ["2iD-tVS8NPw", "WKA5OygbEKI", "tmZoasNr4rU"]),
        ("CMU-MOSEI", [2249, 300, 678], ["hh04W3xXa5s", "188343", "7l3BNtSE0xc"]),
        ("POM", [600, 100, 203], ["202990", "46663", "102858"]),
    ],
)
def test_standard_folds_are_the_sdk_lists(corpus, sizes, first):
    folds = standard_folds(corpus)
    assert list(folds) == ["train", "valid", "test"]
    assert [len(folds[k]) for k in folds] == sizes
    assert [folds[k][0] for k in folds] == first
    ids = [i for k in folds for i in folds[k]]
    assert len(set(ids)) == len(ids)  # no video in two folds, none repeated
    assert all(isinstance(i, str) and i for i in ids)
    # a fresh copy each call: editing one does not change the next
    folds["train"].clear()
    assert len(standard_folds(corpus.lower())["train"]) == sizes[0]


def test_standard_folds_details_and_errors():
    # the current SDK dropped this video from the MOSEI train fold
    mosei = standard_folds("mosei")
    assert "-NFrJFQijFE" not in {i for ids in mosei.values() for i in ids}
    assert standard_folds("MOSI") == CMU_MOSI_STANDARD_FOLDS
    for bad in ("IEMOCAP", 3, None):
        with pytest.raises(ValueError, match="corpus must be one of"):
            standard_folds(bad)


def test_standard_folds_ship_in_the_wheel(tmp_path):
    """The fold lists are package data: a built wheel must contain them."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    pytest.importorskip("setuptools", reason="building a wheel needs setuptools")
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("skmer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "skmer/datasets/data/cmu_sdk_standard_folds.json" in names


def test_mosei_standard_folds_by_default(tmp_path):
    labels = {
        vid: (np.array([[s, 0, 0, 0, 0, 0, 0]], dtype=float), [[0, 2]])
        for vid, s in (("hh04W3xXa5s", 1.0), ("188343", -1.0), ("7l3BNtSE0xc", 2.0))
    }
    write_csd(tmp_path / "CMU_MOSEI_Labels.csd", "All Labels", labels)
    audio = {vid: (np.ones((2, 3)), [[0, 1], [1, 2]]) for vid in labels}
    write_csd(tmp_path / "a.csd", "COVAREP", audio)
    b = load_cmu_mosei_csd(tmp_path, sequences={"audio": "a.csd"})
    assert dict(zip(b.groups, b.split.tolist())) == {
        "hh04W3xXa5s": -1,
        "188343": 0,
        "7l3BNtSE0xc": 1,
    }
    assert (
        load_cmu_mosei_csd(tmp_path, sequences={"audio": "a.csd"}, folds=None).split
        is None
    )
    with pytest.raises(ValueError, match="folds must be 'standard'"):
        load_cmu_mosei_csd(tmp_path, sequences={"audio": "a.csd"}, folds="sdk")


def test_pom_loader_standard_folds_and_pipeline(tmp_path):
    rng = np.random.RandomState(0)
    train, valid, test = (standard_folds("POM")[k] for k in ("train", "valid", "test"))
    vids = train[:8] + valid[:2] + test[:2] + ["not-a-pom-video"]
    names = ["confident", "passionate", "persuasion"]
    labels, audio, video, words = {}, {}, {}, {}
    for k, vid in enumerate(vids):
        y = k % 2
        labels[vid] = (np.array([[1.0 + 5 * y, 4.0, 2.0 + y]]), [[0.0, 4.0]])
        audio[vid] = (
            rng.normal(2.0 * y, 0.3, size=(8, 3)),
            [[i / 2, i / 2 + 0.5] for i in range(8)],
        )
        if k != 1:  # the second video has no FACET frames
            video[vid] = (rng.normal(size=(4, 2)), [[i, i + 1.0] for i in range(4)])
        words[vid] = (np.array([[b"good" if y else b"bad"], [b"sp"]]), [[0, 2], [2, 4]])
    write_csd(
        tmp_path / "POM_Labels.csd",
        "POM Labels",
        labels,
        metadata={"root name": "POM Labels", "dimension names": names},
    )
    write_csd(tmp_path / "POM_COVAREP.csd", "COVAREP", audio)
    write_csd(tmp_path / "POM_Facet_42.csd", "FACET_4.2", video)
    write_csd(tmp_path / "POM_TimestampedWords.csd", "words", words)
    with pytest.warns(UserWarning, match="1 videos are in no fold"):
        b = load_pom_csd(tmp_path)
    assert list(b.frame.columns) == ["text", "audio", "video"]
    assert b.targets.columns.tolist() == names  # no sentiment tasks derived
    split = dict(zip(b.groups, b.split.tolist()))
    assert [split[v] for v in vids] == [-1] * 8 + [0] * 2 + [1] * 2 + [-2]
    row = {v: i for i, v in enumerate(b.groups)}
    assert b.frame.loc[row[vids[1]], "video"] is None
    assert b.frame.loc[row[vids[0]], "video"].shape == (4, 2)
    assert b.frame.loc[row[vids[0]], "text"] == "bad"
    assert b.frame.loc[row[vids[1]], "text"] == "good"
    assert b.frame.loc[row[vids[1]], "audio"].shape == (8, 3)
    y = (b.targets["confident"] > 3).astype(int).to_numpy()
    pipe = make_pipeline(
        ModalityEncoder(
            [
                ("text", TfidfVectorizer()),
                ("audio", SequencePooling(stats=("mean",))),
                ("video", SequencePooling(stats=("mean",))),
            ]
        ),
        LateFusionClassifier(LogisticRegression()),
    )
    known = b.split != -2
    pipe.fit(b.frame[known], y[known])
    assert (pipe.predict(b.frame[known]) == y[known]).mean() == 1.0
    with pytest.raises(FileNotFoundError, match="POM: .* does not exist"):
        load_pom_csd(data_home=tmp_path / "nowhere")


def test_mosei_labels_and_missing_file(tmp_path):
    labels = {"v": (np.array([[1.0, 0.5, 0, 0, 0, 0, 0.2]]), [[0, 2]])}
    write_csd(tmp_path / "CMU_MOSEI_Labels.csd", "All Labels", labels)
    write_csd(tmp_path / "a.csd", "COVAREP", {"v": (np.ones((2, 3)), [[0, 1], [1, 2]])})
    b = load_cmu_mosei_csd(tmp_path, sequences={"audio": "a.csd"}, folds=None)
    assert b.targets.columns[:7].tolist() == [
        "sentiment",
        "happy",
        "sad",
        "anger",
        "surprise",
        "disgust",
        "fear",
    ]
    assert b.target.shape == (1, 7) and b.targets["binary"].tolist() == [1]
    with pytest.raises(
        FileNotFoundError, match="CMU_MOSEI_TimestampedWords.csd not found"
    ):
        load_cmu_mosei_csd(tmp_path)
    with pytest.raises(ValueError, match="sequences must be a non-empty dict"):
        load_cmu_sdk(tmp_path, sequences={}, labels="CMU_MOSEI_Labels.csd")


def test_csd_frame_through_encoder_and_fusion(tmp_path):
    rng = np.random.RandomState(0)
    vids = [f"v{i}" for i in range(12)]
    labels, audio, words = {}, {}, {}
    for k, vid in enumerate(vids):
        sign = 1 if k % 2 else -1
        labels[vid] = (np.array([[2.0 * sign], [1.0 * sign]]), [[0, 2], [2, 4]])
        audio[vid] = (
            sign + 0.3 * rng.randn(8, 3),
            np.column_stack([np.arange(8) * 0.5, np.arange(8) * 0.5 + 0.5]),
        )
        w = [b"good", b"fine"] if sign > 0 else [b"bad", b"awful"]
        words[vid] = (
            np.array([[w[0]], [w[1]], [w[0]], [w[1]]]),
            [[0, 1], [1, 2], [2, 3], [3, 4]],
        )
    write_csd(tmp_path / "l.csd", "labels", labels)
    write_csd(tmp_path / "a.csd", "COVAREP", audio)
    write_csd(tmp_path / "w.csd", "words", words)
    b = load_cmu_sdk(
        tmp_path, sequences={"text": "w.csd", "audio": "a.csd"}, labels="l.csd"
    )
    mer = make_pipeline(
        ModalityEncoder({"text": TfidfVectorizer(), "audio": SequencePooling()}),
        LateFusionClassifier(LogisticRegression(), cv=3),
    )
    mer.fit(b.frame, b.targets["binary"])
    assert mer.score(b.frame, b.targets["binary"]) == 1.0


def test_entries_with_zero_steps_and_nan_labels(tmp_path):
    # a video with no steps (features (0, d), intervals (0, 2)) is legal in a
    # .csd; reshape(0, -1) used to crash, in a sequence and in the labels
    labels = {
        "10": (np.array([[1.0]]), [[0, 2]]),
        "2": (np.array([[-1.0]]), [[0, 2]]),
        "9": (np.zeros((0, 1)), np.zeros((0, 2))),
    }
    write_csd(tmp_path / "l.csd", "L", labels)
    audio = {
        "10": (np.ones((2, 3), dtype=np.float32), [[0, 1], [1, 2]]),
        "2": (np.zeros((0, 3)), np.zeros((0, 2))),
    }
    write_csd(tmp_path / "a.csd", "A", audio)
    b = load_cmu_sdk(
        tmp_path,
        sequences={"audio": "a.csd"},
        labels="l.csd",
        folds={"train": [10], "test": [b"2"]},  # ids as ints / bytes still match
    )
    assert b.ids.tolist() == ["10[0]", "2[0]"]
    assert b.frame.loc[0, "audio"].shape == (2, 3) and b.frame.loc[1, "audio"] is None
    assert b.split.tolist() == [-1, 1]
    labels["3"] = (np.array([[np.nan]]), [[0, 2]])
    write_csd(tmp_path / "l.csd", "L", labels)
    with pytest.raises(ValueError, match=r"l.csd has NaN .* segments \['3\[0\]'\]"):
        load_cmu_sdk(tmp_path, sequences={"audio": "a.csd"}, labels="l.csd")
    b = load_cmu_sdk(tmp_path, sequences={"audio": "a.csd"}, labels="l.csd", scale=None)
    assert b.ids.tolist() == ["10[0]", "2[0]", "3[0]"]  # h5py's name order
    assert np.isnan(b.target[2]) and b.targets.columns.tolist() == ["score"]
