"""MMSA, bc-LSTM, DialogueRNN, DEAP, ICT-MMMO/YouTube and generic loaders."""

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold, PredefinedSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skmer.compose import ModalityEncoder
from skmer.datasets import (
    load_deap,
    load_iemocap_dialoguernn,
    load_meld_dialoguernn,
    load_mmmo,
    load_mmsa,
    load_mosi_bclstm,
    load_mosi_mmsa,
    load_multimodal_folder,
    load_multimodal_table,
    load_sims_mmsa,
    load_youtube,
    read_item,
)
from skmer.encoders import SequencePooling, VectorEncoder
from skmer.fusion import EarlyFusionClassifier, LateFusionClassifier
from tests.datasets._formats import iemocap_parts, meld_parts, write_deap, write_mmsa

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "data"


def _fit_score(frame, y, encoders, fusion=None):
    mer = make_pipeline(
        ModalityEncoder(encoders), fusion or EarlyFusionClassifier(LogisticRegression())
    )
    return mer.fit(frame, y).score(frame, y)


# ----------------------------------------------------------------------- MMSA
def test_mmsa_unaligned_trims_and_targets(tmp_path):
    obj = write_mmsa(tmp_path / "unaligned_50.pkl")
    with pytest.raises(ValueError, match="Unpickling a file can run arbitrary code"):
        load_mmsa(tmp_path / "unaligned_50.pkl")
    b = load_mmsa(tmp_path / "unaligned_50.pkl", allow_pickle=True)
    assert b.frame.columns.tolist() == ["transcript", "text", "audio", "video"]
    assert len(b.frame) == 20
    assert b.split.tolist() == [-1] * 12 + [0] * 4 + [1] * 4
    tr = obj["train"]
    for i in range(12):
        assert b.frame.loc[i, "audio"].shape == (tr["audio_lengths"][i], 5)
        assert b.frame.loc[i, "video"].shape == (tr["vision_lengths"][i], 3)
        assert len(b.frame.loc[i, "text"]) == tr["text_bert"][i, 1].sum()
    assert b.frame.loc[0, "audio"][0, 0] == 0.0  # -inf -> 0 as MMSA does
    np.testing.assert_allclose(b.target[:12], tr["regression_labels"])
    assert {"score", "classification", "annotation", "binary", "class7"} <= set(
        b.targets.columns
    )
    assert b.groups[:4].tolist() == ["tr0", "tr0", "tr1", "tr1"]
    assert b.ids[0] == "tr0$_$0"
    untrimmed = load_mmsa(
        tmp_path / "unaligned_50.pkl", allow_pickle=True, trim=False, subset=["test"]
    )
    assert untrimmed.frame.loc[0, "audio"].shape == (10, 5)
    assert set(untrimmed.split) == {1}


def test_mmsa_aligned_sims_and_release_layout(tmp_path):
    folder = tmp_path / "MOSI" / "Processed"
    folder.mkdir(parents=True)
    obj = write_mmsa(folder / "aligned_50.pkl", aligned=True)
    b = load_mosi_mmsa(data_home=tmp_path, aligned=True, allow_pickle=True)
    k = int(obj["train"]["text_bert"][3, 1].sum())
    assert b.frame.loc[3, "audio"].shape == (k, 5)  # aligned: shares word steps
    with pytest.raises(FileNotFoundError, match="unaligned_50.pkl"):
        load_mosi_mmsa(data_home=tmp_path, allow_pickle=True)
    sims = tmp_path / "SIMS" / "Processed"
    sims.mkdir(parents=True)
    write_mmsa(sims / "unaligned_39.pkl", sims=True)
    s = load_sims_mmsa(data_home=tmp_path, allow_pickle=True)
    assert {"score_T", "score_A", "score_V", "class3", "class5"} <= set(
        s.targets.columns
    )
    assert "binary_nonzero" not in s.targets
    with pytest.raises(ValueError, match="no aligned file for SIMS"):
        load_sims_mmsa(data_home=tmp_path, aligned=True, allow_pickle=True)


def test_mmsa_bad_content(tmp_path):
    p = tmp_path / "x.pkl"
    p.write_bytes(pickle.dumps({"train": {"id": ["a"]}}))
    with pytest.raises(ValueError, match="should hold a dict with the parts"):
        load_mmsa(p, allow_pickle=True)
    with pytest.raises(ValueError, match=r"lacks the keys \['text', 'audio'"):
        load_mmsa(p, allow_pickle=True, subset="train")
    with pytest.raises(ValueError, match="subset must be among"):
        load_mmsa(p, allow_pickle=True, subset="dev")


def test_mmsa_pipeline(tmp_path):
    write_mmsa(tmp_path / "u.pkl", n=(30, 4, 4))
    b = load_mmsa(tmp_path / "u.pkl", allow_pickle=True, subset="train")
    enc = {
        "text": SequencePooling(),
        "audio": SequencePooling(),
        "video": SequencePooling(),
    }
    assert 0 <= _fit_score(b.frame, b.targets["binary"], enc) <= 1


# -------------------------------------------------------------------- bc-LSTM
def _bclstm_npz(path, n=40, seed=0):
    rng = np.random.RandomState(seed)
    score = np.round(rng.uniform(-3, 3, n), 1).astype(np.float32)
    vids = np.array([f"vid{i // 5}" for i in range(n)])
    np.savez(
        path,
        utterance_id=np.array([f"{v}_{i}" for i, v in enumerate(vids)]),
        video_id=vids,
        transcript=np.array(["GOOD FUN" if s >= 0 else "BAD BORING" for s in score]),
        text=(rng.randn(n, 100) + score[:, None]).astype(np.float32),
        audio=rng.randn(n, 73).astype(np.float32),
        video=rng.randn(n, 100).astype(np.float32),
        score=score,
    )
    return score


def test_bclstm_format(tmp_path):
    s_train = _bclstm_npz(tmp_path / "train.npz")
    s_test = _bclstm_npz(tmp_path / "test.npz", n=10, seed=1)
    b = load_mosi_bclstm(tmp_path)
    assert b.frame.shape == (50, 4)
    assert b.frame.loc[0, "audio"].shape == (73,)
    np.testing.assert_allclose(b.target, np.r_[s_train, s_test])
    assert b.split.tolist() == [-1] * 40 + [1] * 10
    assert (
        b.targets["binary"].tolist()
        == (np.r_[s_train, s_test] >= 0).astype(int).tolist()
    )
    assert load_mosi_bclstm(tmp_path / "test.npz").split.tolist() == [1] * 10
    assert len(load_mosi_bclstm(tmp_path, subset="train").frame) == 40
    np.savez(tmp_path / "valid.npz", score=np.zeros(2))
    with pytest.raises(ValueError, match="lacks the keys"):
        load_mosi_bclstm(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"no \['valid.npz'\]"):
        load_mosi_bclstm(tmp_path / "..", subset="valid")
    with pytest.raises(ValueError, match="SHA-256 mismatch"):
        load_mosi_bclstm(tmp_path / "test.npz", sha256="0" * 64)


def test_bclstm_release_pickles(tmp_path):
    rng = np.random.RandomState(0)
    tr_len, te_len = np.array([3, 2]), np.array([1])
    tr_y = np.array([[1, 0, 1, 0], [0, 1, 0, 0]])
    te_y = np.array([[1, 0, 0, 0]])
    dims = {"text": 100, "audio": 73, "video": 100}
    for m, d in dims.items():
        obj = (rng.randn(2, 4, d), tr_y, rng.randn(1, 4, d), te_y, 4, tr_len, te_len)
        with open(tmp_path / f"{m}.pickle", "wb") as f:
            pickle.dump(obj, f, protocol=2)
    with pytest.raises(ValueError, match="Unpickling a file can run arbitrary code"):
        load_mosi_bclstm(tmp_path)
    b = load_mosi_bclstm(tmp_path, allow_pickle=True)
    assert b.frame.columns.tolist() == ["text", "audio", "video"]
    assert b.target.tolist() == [1, 0, 1, 0, 1, 1]
    assert b.groups.tolist() == ["train_0"] * 3 + ["train_1"] * 2 + ["test_0"]
    assert b.split.tolist() == [-1] * 5 + [1]
    assert b.ids[3] == "train_1_0"
    with open(tmp_path / "text.pickle", "rb") as f:
        text = pickle.load(f)
    np.testing.assert_array_equal(b.frame.loc[4, "text"], text[0][1, 1])
    assert len(load_mosi_bclstm(tmp_path, allow_pickle=True, subset="test").frame) == 1
    with pytest.raises(ValueError, match="only train and test parts"):
        load_mosi_bclstm(tmp_path, allow_pickle=True, subset="valid")
    obj = list(obj)
    obj[5] = np.array([4, 2])
    with open(tmp_path / "video.pickle", "wb") as f:
        pickle.dump(tuple(obj), f)
    with pytest.raises(ValueError, match="other video lengths than text.pickle"):
        load_mosi_bclstm(tmp_path, allow_pickle=True)


def _bclstm_csvs(folder, labels_train, labels_test, transcripts=True, seed=0):
    """The headerless utterance CSVs that bc-LSTM's create_data.py reads."""
    rng = np.random.RandomState(seed)
    ids = ["vidA_2", "vidA_1", "vidB_1", "vidC_1", "vidC_2"]
    rows = [[i, f"WORDS OF {i}"] if transcripts else [i] for i in ids]
    pd.DataFrame(rows).to_csv(folder / "transcripts.csv", header=False, index=False)
    order = {"train": [2, 0, 1], "test": [4, 3]}
    for part, idx in order.items():
        # the index file carries the transcripts' row first, then anything else
        pd.DataFrame({0: idx, 1: rng.randn(len(idx))}).to_csv(
            folder / f"text_{part}.csv", header=False, index=False
        )
    feats = {}
    for m, d in {"text": 4, "audio": 3, "video": 2}.items():
        (folder / m).mkdir(exist_ok=True)
        for part, y in (("train", labels_train), ("test", labels_test)):
            x = rng.randn(len(y), d)
            feats[m, part] = x
            pd.DataFrame(np.column_stack([x, y])).to_csv(
                folder / m / f"{m}_{part}0.csv", header=False, index=False
            )
    return feats


def test_bclstm_utterance_csvs(tmp_path):
    feats = _bclstm_csvs(tmp_path, [1.4, -2.0, 0.0], [-0.6, 3.0])
    b = load_mosi_bclstm(tmp_path)
    assert b.frame.columns.tolist() == ["transcript", "text", "audio", "video"]
    assert b.ids.tolist() == ["vidB_1", "vidA_2", "vidA_1", "vidC_2", "vidC_1"]
    assert b.groups.tolist() == ["vidB", "vidA", "vidA", "vidC", "vidC"]
    assert b.split.tolist() == [-1, -1, -1, 1, 1]
    assert b.frame.loc[0, "transcript"] == "WORDS OF vidB_1"
    np.testing.assert_allclose(b.frame.loc[4, "audio"], feats["audio", "test"][1])
    np.testing.assert_allclose(b.target, [1.4, -2.0, 0.0, -0.6, 3.0])
    assert b.targets["binary"].tolist() == [1, 0, 1, 0, 1]
    assert b.DESCR.startswith("CMU-MOSI, utterance level, bc-LSTM utterance CSVs")
    test = load_mosi_bclstm(tmp_path, subset="test")
    assert test.ids.tolist() == ["vidC_2", "vidC_1"]
    with pytest.raises(ValueError, match="only train and test parts"):
        load_mosi_bclstm(tmp_path, subset="valid")
    # the frame goes through an encoder + fusion pipeline, train -> test
    mer = make_pipeline(
        ModalityEncoder(
            {
                "transcript": TfidfVectorizer(),
                **{m: VectorEncoder() for m in ("text", "audio", "video")},
            }
        ),
        LateFusionClassifier(LogisticRegression()),
    )
    train = b.split == -1
    mer.fit(b.frame[train], b.targets["binary"][train])
    assert mer.predict(test.frame).shape == (2,)


def test_bclstm_utterance_csvs_class_labels_and_errors(tmp_path):
    _bclstm_csvs(tmp_path, [1, 0, 1], [0, 1], transcripts=False)
    b = load_mosi_bclstm(tmp_path)
    assert b.frame.columns.tolist() == ["text", "audio", "video"]
    assert b.targets.columns.tolist() == ["label"] and b.target.tolist() == [
        1,
        0,
        1,
        0,
        1,
    ]
    bad = pd.read_csv(tmp_path / "video" / "video_test0.csv", header=None)
    bad.iloc[0, -1] = 1
    bad.to_csv(tmp_path / "video" / "video_test0.csv", header=False, index=False)
    with pytest.raises(ValueError, match="labels .* of video/video_test0.csv differ"):
        load_mosi_bclstm(tmp_path)
    bad.iloc[:1].to_csv(
        tmp_path / "video" / "video_test0.csv", header=False, index=False
    )
    with pytest.raises(
        ValueError, match="video_test0.csv has 1 rows; text_test.csv lists 2"
    ):
        load_mosi_bclstm(tmp_path)
    (tmp_path / "audio" / "audio_train0.csv").unlink()
    with pytest.raises(FileNotFoundError, match="audio_train0.csv not found"):
        load_mosi_bclstm(tmp_path)
    pd.DataFrame({0: [7, 0]}).to_csv(
        tmp_path / "text_train.csv", header=False, index=False
    )
    with pytest.raises(ValueError, match=r"names rows \[7\] that transcripts.csv"):
        load_mosi_bclstm(tmp_path)


def test_bclstm_pipeline_grouped_cv(tmp_path):
    _bclstm_npz(tmp_path / "train.npz", n=60)
    b = load_mosi_bclstm(tmp_path)
    mer = make_pipeline(
        ModalityEncoder(
            {
                "transcript": TfidfVectorizer(),
                "text": VectorEncoder(),
                "audio": VectorEncoder(),
            }
        ),
        LateFusionClassifier(LogisticRegression(), cv=3),
    )
    scores = cross_val_score(
        mer, b.frame, b.targets["binary"], groups=b.groups, cv=GroupKFold(3)
    )
    assert scores.mean() > 0.9


@pytest.mark.skipif(
    not (SHARED / "mosi" / "train.npz").is_file(),
    reason="../shared/data/mosi/train.npz (real CMU-MOSI bc-LSTM "
    "features) is not available next to the project",
)
def test_real_mosi_bclstm():
    everything = load_mosi_bclstm(SHARED / "mosi")
    n_valid = 265 if (SHARED / "mosi" / "valid.npz").is_file() else 0
    assert everything.frame.shape == (1447 + n_valid, 4)
    assert (everything.split == 0).sum() == n_valid
    # valid holds unseen speakers: no video is shared with train
    train_videos = set(everything.groups[everything.split == -1])
    assert not train_videos & set(everything.groups[everything.split == 0])
    b = load_mosi_bclstm(SHARED / "mosi", subset="train")
    assert b.frame.shape == (1447, 4)
    assert len(set(b.groups)) == 62 and set(b.split) == {-1}
    assert b.frame.loc[0, "text"].shape == (100,)
    assert b.frame.loc[0, "audio"].shape == (73,)
    assert b.target.min() >= -3 and b.target.max() <= 3
    mer = make_pipeline(
        ModalityEncoder({"text": VectorEncoder()}),
        EarlyFusionClassifier(LogisticRegression(max_iter=300)),
    )
    acc = cross_val_score(
        mer, b.frame, b.targets["binary"], groups=b.groups, cv=GroupKFold(3)
    ).mean()
    assert acc > 0.6  # text-CNN features carry the sentiment (~75 % published)


@pytest.mark.skipif(
    not (SHARED / "mmmo" / "train.npz").is_file(),
    reason="../shared/data/{mmmo,youtube} not available",
)
def test_real_mmmo_youtube():
    m = load_mmmo(SHARED / "mmmo")
    assert m.frame.shape == (260, 2) and sorted(set(m.split)) == [-1, 0]
    y = load_youtube(SHARED / "youtube")
    assert y.frame.shape == (209, 2) and set(y.target) == {0, 1, 2}
    assert y.frame["audio"].isna().any()  # all-padding cells are missing


# -------------------------------------------------------------- ICT-MMMO/YouTube
def test_mmmo_youtube_format(tmp_path):
    rng = np.random.RandomState(0)
    audio = rng.randn(6, 5, 74)
    audio[0] = 0.0
    audio[1, :3] = 0.0
    y = np.array([1.0, 2.0, 3.5, 4.0, 5.0, 3.0])
    np.savez(tmp_path / "train.npz", audio=audio, video=rng.randn(6, 5, 36), y=y)
    m = load_mmmo(tmp_path)
    assert m.frame.loc[0, "audio"] is None
    assert m.frame.loc[1, "audio"].shape == (2, 74)
    assert m.targets["binary"].tolist() == [0, 0, 1, 1, 1, 0]
    assert load_mmmo(tmp_path, drop_zero_steps=False).frame.loc[0, "audio"].shape == (
        5,
        74,
    )
    enc = {"audio": SequencePooling(), "video": SequencePooling()}
    assert 0 <= _fit_score(m.frame, m.targets["binary"], enc) <= 1
    with pytest.raises(ValueError, match=r"one-hot \(n, 3\)"):
        load_youtube(tmp_path)
    np.savez(tmp_path / "valid.npz", audio=audio, y=y)
    with pytest.raises(ValueError, match=r"lacks the keys \['video'\]"):
        load_mmmo(tmp_path)


# ---------------------------------------------------------------- DialogueRNN
def test_iemocap_dialoguernn(tmp_path):
    rng = np.random.RandomState(0)
    parts = iemocap_parts(rng)
    p = tmp_path / "IEMOCAP_features_raw.pkl"
    with open(p, "wb") as f:
        pickle.dump(parts, f, protocol=2)
    with pytest.raises(ValueError, match="allow_pickle=True"):
        load_iemocap_dialoguernn(p)
    b = load_iemocap_dialoguernn(tmp_path, allow_pickle=True)
    assert b.frame.columns.tolist() == ["transcript", "text", "audio", "video"]
    assert len(b.frame) == 10 and b.frame.loc[0, "video"].shape == (512,)
    assert b.split.tolist() == [-1] * 7 + [1] * 3
    assert b.groups[:3].tolist() == ["Ses01F_impro01"] * 3
    assert b.sessions[-1] == "Ses05" and b.speakers[:2].tolist() == ["Ses01F", "Ses01M"]
    assert b.utterance_index[:4].tolist() == [0, 1, 2, 0]
    labels = [v for d in parts[7] + parts[8] for v in parts[2][d]]
    assert b.target.tolist() == labels
    four = {0: 0, 1: 1, 2: 2, 3: 3, 4: 0, 5: -1}
    assert b.targets["class4"].tolist() == [four[v] for v in labels]
    assert b.target_names[4] == "excited"
    enc = {"text": VectorEncoder(), "audio": VectorEncoder()}
    assert 0 <= _fit_score(b.frame, b.targets["emotion"] % 2, enc) <= 1


def test_dialoguernn_errors_and_latin1(tmp_path):
    p = tmp_path / "IEMOCAP_features_raw.pkl"
    p.write_bytes(pickle.dumps((1, 2, 3)))
    with pytest.raises(ValueError, match="expected the DialogueRNN tuple of 9 items"):
        load_iemocap_dialoguernn(p, allow_pickle=True)
    with pytest.raises(FileNotFoundError, match="MELD_features_raw.pkl"):
        load_meld_dialoguernn(tmp_path, allow_pickle=True)
    rng = np.random.RandomState(0)
    parts = list(iemocap_parts(rng, dims=(2, 2, 2)))
    parts[2]["Ses01F_impro01"][0] = 9
    p.write_bytes(pickle.dumps(tuple(parts)))
    with pytest.raises(ValueError, match=r"labels outside 0..5: \[9\]"):
        load_iemocap_dialoguernn(p, allow_pickle=True)
    parts[2]["Ses01F_impro01"][0] = 0
    parts[6]["Ses01F_impro01"] = ["a"]
    p.write_bytes(pickle.dumps(tuple(parts)))
    with pytest.raises(
        ValueError, match="3 utterance ids but 1 entries in videoSentence"
    ):
        load_iemocap_dialoguernn(p, allow_pickle=True)


def test_meld_dialoguernn(tmp_path):
    rng = np.random.RandomState(1)
    parts = meld_parts(rng)
    with open(tmp_path / "MELD_features_raw.pkl", "wb") as f:
        pickle.dump(parts, f)
    b = load_meld_dialoguernn(tmp_path, allow_pickle=True)
    assert b.frame.columns.tolist() == ["transcript", "text", "audio"]
    assert b.frame.loc[0, "text"].shape == (600,)
    assert b.speakers[:3].tolist() == [0, 1, 2]
    assert b.targets["sentiment"].tolist() == [v for d in range(4) for v in parts[8][d]]
    assert b.split.tolist() == [-1] * 9 + [1] * 3
    assert b.sentiment_names == ["neutral", "positive", "negative"]
    enc = {"text": VectorEncoder(), "audio": VectorEncoder()}
    assert 0 <= _fit_score(b.frame, (b.target > 3).astype(int), enc) <= 1


# ----------------------------------------------------------------------- DEAP
def test_deap_layout(tmp_path):
    write_deap(tmp_path, subjects=(1, 3), n_trials=4, n_samples=512)
    with pytest.raises(ValueError, match="Unpickling a file can run arbitrary code"):
        load_deap(tmp_path)
    b = load_deap(tmp_path, allow_pickle=True)
    assert b.frame.columns.tolist() == [
        "eeg",
        "eog",
        "emg",
        "gsr",
        "resp",
        "ppg",
        "temp",
    ]
    assert b.frame.shape == (8, 7)
    assert b.frame.loc[0, "eeg"].shape == (32, 512)
    assert b.frame.loc[0, "eog"].shape == (2, 512)
    assert b.groups.tolist() == ["s01"] * 4 + ["s03"] * 4
    assert b.trials.tolist() == [1, 2, 3, 4] * 2
    assert b.split is None and b.sfreq == 128.0
    assert b.channel_names["eog"] == ["hEOG", "vEOG"]
    with open(tmp_path / "s01.dat", "rb") as f:
        raw = pickle.load(f)
    np.testing.assert_array_equal(b.frame.loc[1, "gsr"], raw["data"][1, [36]])
    hv = (raw["labels"][:, 0] > 5).astype(int)
    ha = (raw["labels"][:, 1] > 5).astype(int)
    assert b.targets["quadrant"][:4].tolist() == (2 * hv + ha).tolist()
    nb = load_deap(
        tmp_path,
        subjects=[3],
        modalities=["gsr"],
        remove_baseline=True,
        allow_pickle=True,
    )
    assert nb.frame.loc[0, "gsr"].shape == (1, 512 - 384)
    with pytest.raises(FileNotFoundError, match=r"\['s02.dat'\] not found"):
        load_deap(tmp_path, subjects=[2], allow_pickle=True)
    with pytest.raises(ValueError, match="subjects must lie in 1..32"):
        load_deap(tmp_path, subjects=[33], allow_pickle=True)
    with pytest.raises(ValueError, match="modalities must be a non-empty list"):
        load_deap(tmp_path, modalities=["ecg"], allow_pickle=True)


def _channel_means(items):
    return np.vstack([np.asarray(x).mean(axis=1) for x in items])


def test_deap_pipeline_subject_independent(tmp_path):
    write_deap(tmp_path, subjects=(1, 2, 3), n_trials=6, n_samples=400)
    b = load_deap(tmp_path, modalities=["eeg", "gsr"], allow_pickle=True)
    y = np.asarray(b.targets["valence_high"])
    groups = np.asarray(b.groups)
    # every row is tagged with the subject whose file it came from
    assert groups.tolist() == ["s01"] * 6 + ["s02"] * 6 + ["s03"] * 6
    for subject in (1, 2, 3):
        with open(tmp_path / f"s{subject:02d}.dat", "rb") as f:
            raw = pickle.load(f)
        rows = np.flatnonzero(groups == f"s{subject:02d}")
        np.testing.assert_array_equal(b.frame.loc[rows[2], "gsr"], raw["data"][2, [36]])
        assert y[rows].tolist() == (raw["labels"][:, 0] > 5).astype(int).tolist()
    enc = {m: FunctionTransformer(_channel_means) for m in ("eeg", "gsr")}
    mer = make_pipeline(
        ModalityEncoder(enc), LateFusionClassifier(LogisticRegression(), cv=2)
    )
    scores = cross_val_score(mer, b.frame, y, groups=groups, cv=GroupKFold(3))
    # each fold holds out one whole subject, and its score is that of a model
    # fitted on the other subjects' trials only
    expected = []
    for train, test in GroupKFold(3).split(b.frame, y, groups):
        assert len(set(groups[test])) == 1
        assert not set(groups[train]) & set(groups[test])
        model = clone(mer).fit(b.frame.iloc[train], y[train])
        expected.append(model.score(b.frame.iloc[test], y[test]))
    np.testing.assert_allclose(scores, expected)


# -------------------------------------------------------------------- generic
def test_generic_folder(tmp_path):
    for m in ("text", "audio", "eeg"):
        (tmp_path / m).mkdir()
    (tmp_path / "text" / "a.txt").write_text("so happy\n", encoding="utf-8")
    (tmp_path / "text" / "b.txt").write_text("so sad", encoding="utf-8")
    np.save(tmp_path / "audio" / "a.npy", np.ones((5, 2)))
    np.savetxt(tmp_path / "eeg" / "b.csv", np.zeros((3, 4)), delimiter=",")
    (tmp_path / "eeg" / "c.npy").write_bytes(b"")
    labels = pd.DataFrame(
        {"id": ["b", "a"], "y": [0, 1], "spk": ["s2", "s1"], "part": ["test", "train"]}
    )
    labels.to_csv(tmp_path / "labels.csv", index=False)
    (tmp_path / "eeg" / "c.npy").unlink()
    with pytest.warns(UserWarning, match="1 sample ids have files but no row"):
        np.save(tmp_path / "eeg" / "c.npy", np.zeros((1, 1)))
        b = load_multimodal_folder(
            tmp_path,
            labels=tmp_path / "labels.csv",
            group_column="spk",
            split_column="part",
        )
    (tmp_path / "eeg" / "c.npy").unlink()
    assert b.ids.tolist() == ["b", "a"]
    assert b.frame.loc[0, "text"] == "so sad" and b.frame.loc[1, "text"] == "so happy"
    assert b.frame.loc[0, "audio"] is None and b.frame.loc[1, "eeg"] is None
    assert b.frame.loc[0, "eeg"].shape == (3, 4)
    assert b.target.tolist() == [0, 1] and b.groups.tolist() == ["s2", "s1"]
    assert b.split.tolist() == [1, -1]
    assert list(PredefinedSplit(b.split).split())[0][1].tolist() == [0]
    (tmp_path / "audio" / "a.txt").write_text("x")
    with pytest.raises(ValueError, match="sample 'a' has two files"):
        load_multimodal_folder(tmp_path)
    (tmp_path / "audio" / "a.txt").unlink()
    with pytest.raises(ValueError, match="split value 'holdout'"):
        load_multimodal_folder(
            tmp_path, labels=labels.assign(part="holdout"), split_column="part"
        )
    with pytest.raises(ValueError, match="no id column 'sample'"):
        load_multimodal_folder(tmp_path, labels=labels, id_column="sample")


def test_generic_table_and_items(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="only read with allow_pickle=True"):
        read_item(tmp_path / "obj.npy")
    assert read_item(tmp_path / "obj.npy", allow_pickle=True)[0] == {"a": 1}
    from scipy.io import wavfile

    wavfile.write(tmp_path / "w.wav", 8000, (np.ones(80) * 16384).astype(np.int16))
    np.testing.assert_allclose(read_item(tmp_path / "w.wav"), 0.5, atol=1e-4)
    with pytest.raises(ValueError, match="unsupported extension '.mp4'"):
        read_item(tmp_path / "x.mp4")
    rng = np.random.RandomState(0)
    rows = []
    for i in range(20):
        y = i % 2
        np.save(tmp_path / f"f{i}.npy", rng.randn(4) + 3 * y)
        rows.append({"id": f"s{i}", "face": f"f{i}.npy" if i != 3 else "", "y": y})
    table = pd.DataFrame(rows)
    table.to_csv(tmp_path / "t.csv", index=False)
    b = load_multimodal_table(tmp_path / "t.csv", {"video": "face"}, target="y")
    assert b.frame.columns.tolist() == ["video"] and b.frame.loc[3, "video"] is None
    assert _fit_score(b.frame, b.target, {"video": VectorEncoder()}) > 0.9
    with pytest.raises(FileNotFoundError, match="Modality 'video' of sample 's0'"):
        load_multimodal_table(table, {"video": "face"}, root=tmp_path / "none")
    with pytest.raises(ValueError, match=r"no path columns \['audio'\]"):
        load_multimodal_table(table, ["audio"])
    with pytest.raises(ValueError, match=r"target names the columns \['z'\]"):
        load_multimodal_table(table, {"video": "face"}, root=tmp_path, target="z")


def test_regression_target_pipeline(tmp_path):
    _bclstm_npz(tmp_path / "train.npz", n=30)
    b = load_mosi_bclstm(tmp_path)
    from skmer.fusion import LateFusionRegressor

    mer = make_pipeline(
        ModalityEncoder({"text": VectorEncoder()}), LateFusionRegressor(Ridge(), cv=3)
    )
    assert mer.fit(b.frame, b.target).score(b.frame, b.target) > 0.5


# ------------------------------------------------- awkward-but-legal contents
def _bytes_tree(obj):
    """The same object with every str as bytes (a Python 3 pickle of bytes ids)."""
    if isinstance(obj, str):
        return obj.encode()
    if isinstance(obj, dict):
        return {_bytes_tree(k): _bytes_tree(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(_bytes_tree(v) for v in obj)
    return obj


def test_bytes_ids_and_texts_are_decoded(tmp_path):
    rng = np.random.RandomState(0)
    np.savez(
        tmp_path / "train.npz",
        utterance_id=np.array([b"v1_1", b"v10_1"]),
        video_id=np.array([b"v1", b"v10"]),
        transcript=np.array([b"GOOD", b"BAD"]),
        text=rng.rand(2, 4).astype(np.float32),
        audio=rng.rand(2, 2),
        video=rng.rand(2, 3),
        score=np.array([1.5, -2.0], dtype=np.float32),
    )
    b = load_mosi_bclstm(tmp_path)
    assert b.frame["transcript"].tolist() == ["GOOD", "BAD"]  # was "b'GOOD'"
    assert b.ids.tolist() == ["v1_1", "v10_1"] and b.groups.tolist() == ["v1", "v10"]
    obj = write_mmsa(tmp_path / "m.pkl", n=(4, 2, 2))
    for part in obj.values():
        part["id"] = [i.encode() for i in part["id"]]
        part["raw_text"] = [t.encode() for t in part["raw_text"]]
    (tmp_path / "m.pkl").write_bytes(pickle.dumps(obj))
    m = load_mmsa(tmp_path / "m.pkl", allow_pickle=True, subset="train")
    assert m.ids[0] == "tr0$_$0" and m.groups[0] == "tr0"  # was "b'tr0"
    assert m.frame.loc[0, "transcript"] == "sentence 0"
    parts = iemocap_parts(rng, dims=(2, 2, 2))
    (tmp_path / "IEMOCAP_features_raw.pkl").write_bytes(
        pickle.dumps(_bytes_tree(parts))
    )
    i = load_iemocap_dialoguernn(tmp_path, allow_pickle=True)
    assert i.groups[0] == "Ses01F_impro01" and i.ids[0] == "Ses01F_impro01_F000"
    assert i.sessions[0] == "Ses01" and i.speakers[0] == "Ses01F"  # was "Sesb'F'"
    assert i.frame.loc[0, "transcript"] == "utterance 0 of Ses01F_impro01"


def test_mmsa_zero_length_sequence_is_missing(tmp_path):
    obj = write_mmsa(tmp_path / "m.pkl", n=(4, 2, 2))
    obj["train"]["audio_lengths"][1] = 0
    (tmp_path / "m.pkl").write_bytes(pickle.dumps(obj))
    b = load_mmsa(tmp_path / "m.pkl", allow_pickle=True, subset="train")
    assert b.frame.loc[1, "audio"] is None and b.frame.loc[1, "video"] is not None


def test_single_file_with_another_subset_is_an_error(tmp_path):
    _bclstm_npz(tmp_path / "train.npz", n=5)
    # the subset used to be ignored: the train rows came back for "test"
    with pytest.raises(ValueError, match="holds the 'train' split .* subset='test'"):
        load_mosi_bclstm(tmp_path / "train.npz", subset="test")
    assert len(load_mosi_bclstm(tmp_path / "train.npz", subset="train").frame) == 5
    np.savez(
        tmp_path / "valid.npz",
        audio=np.ones((2, 3, 74)),
        video=np.ones((2, 3, 36)),
        y=np.ones(2),
    )
    with pytest.raises(ValueError, match="holds the 'valid' split .* subset='train'"):
        load_mmmo(tmp_path / "valid.npz", subset="train")


def test_mmmo_youtube_targets_are_checked(tmp_path):
    audio, video = np.ones((3, 2, 74)), np.ones((3, 2, 36))
    # a row that is not one-hot was argmax-ed into class 0
    y = np.array([[0, 0, 1], [0, 0, 0], [1, 0, 0]], dtype=np.float32)
    np.savez(tmp_path / "train.npz", audio=audio, video=video, y=y)
    with pytest.raises(ValueError, match=r"not one-hot in rows \[1\]"):
        load_youtube(tmp_path)
    # a 2-D y was raveled into 2n targets for n rows
    np.savez(tmp_path / "train.npz", audio=audio, video=video, y=np.ones((3, 2)))
    with pytest.raises(
        ValueError, match=r"'y' has shape \(3, 2\); expected one rating"
    ):
        load_mmmo(tmp_path)
    np.savez(tmp_path / "train.npz", audio=audio, video=video, y=np.full((3, 1), 4.0))
    assert load_mmmo(tmp_path).targets["binary"].tolist() == [1, 1, 1]


def test_dialoguernn_duplicates_and_non_integer_labels(tmp_path):
    rng = np.random.RandomState(0)
    parts = list(iemocap_parts(rng, dims=(2, 2, 2)))
    p = tmp_path / "IEMOCAP_features_raw.pkl"
    both = list(parts)
    both[8] = parts[8] + [parts[7][0]]
    p.write_bytes(pickle.dumps(tuple(both)))
    with pytest.raises(ValueError, match="'Ses01F_impro01' is listed twice"):
        load_iemocap_dialoguernn(p, allow_pickle=True)
    floats = list(parts)
    floats[2] = {d: [v + 0.5 for v in vs] for d, vs in parts[2].items()}
    p.write_bytes(pickle.dumps(tuple(floats)))
    # 4.5 used to become class 4
    with pytest.raises(ValueError, match="videoLabels must hold one integer class"):
        load_iemocap_dialoguernn(p, allow_pickle=True)
    meld = list(meld_parts(rng))
    meld[8] = {d: [1.0, np.nan, 2.0] for d in meld[8]}
    (tmp_path / "MELD_features_raw.pkl").write_bytes(pickle.dumps(tuple(meld)))
    with pytest.raises(ValueError, match="videoSentiment must hold one integer"):
        load_meld_dialoguernn(tmp_path, allow_pickle=True)
    meld = list(meld_parts(rng))
    meld[1][2] = [[0, 0, 0], [0, 1, 0], "Joey"]  # an all-zero "one-hot" was speaker 0
    (tmp_path / "MELD_features_raw.pkl").write_bytes(pickle.dumps(tuple(meld)))
    with pytest.raises(ValueError, match="utterance 0 of dialogue 2 is \\[0, 0, 0\\]"):
        load_meld_dialoguernn(tmp_path, allow_pickle=True)


def test_deap_subjects_and_modalities_arguments(tmp_path):
    write_deap(tmp_path, subjects=(1,), n_trials=2, n_samples=400)
    for bad in ([1, 1], [1.5], ["1"]):  # duplicated rows / s01 read for 1.5
        with pytest.raises(ValueError, match="subjects must lie in 1..32, as distinct"):
            load_deap(tmp_path, subjects=bad, allow_pickle=True)
    b = load_deap(tmp_path, subjects=np.array([1]), modalities="gsr", allow_pickle=True)
    assert b.frame.columns.tolist() == ["gsr"] and b.frame.shape == (2, 1)


def test_generic_ids_stay_text_and_items_errors(tmp_path):
    for m in ("audio", "text"):
        (tmp_path / m).mkdir()
    for i in ("007", "010", "2"):
        np.save(tmp_path / "audio" / f"{i}.npy", np.ones(3))
    (tmp_path / "text" / "007.txt").write_text("hi")
    pd.DataFrame(
        {"id": ["007", "010", "2"], "y": [1, 0, 1], "spk": ["01", "02", "01"]}
    ).to_csv(tmp_path / "labels.csv", index=False)
    # "007" used to be read as 7: no file matched, every cell was None
    b = load_multimodal_folder(
        tmp_path, labels=tmp_path / "labels.csv", group_column="spk"
    )
    assert b.ids.tolist() == ["007", "010", "2"] and b.groups.tolist() == [
        "01",
        "02",
        "01",
    ]
    assert b.frame["audio"].notna().all() and b.frame.loc[0, "text"] == "hi"
    assert b.target.tolist() == [1, 0, 1]
    table = pd.DataFrame(
        {"id": ["a", "b"], "audio": pd.array(["audio/007.npy", pd.NA], dtype="string")}
    )
    t = load_multimodal_table(table, ["audio"], root=tmp_path)  # pd.NA: TypeError
    assert t.frame.loc[1, "audio"] is None
    from scipy.io import wavfile

    wavfile.write(tmp_path / "u8.wav", 8000, np.array([0, 128, 255], dtype=np.uint8))
    # 8-bit PCM is unsigned: it used to come back in [0, 1]
    np.testing.assert_allclose(read_item(tmp_path / "u8.wav"), [-1.0, 0.0, 127 / 128])
    (tmp_path / "h.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="Cannot read .*h.csv: expected a numeric"):
        read_item(tmp_path / "h.csv")
    (tmp_path / "l.txt").write_bytes("café".encode("latin1"))
    with pytest.raises(ValueError, match="Cannot read .*l.txt: not UTF-8"):
        read_item(tmp_path / "l.txt")


def test_every_loader_keeps_the_bunch_contract(tmp_path):
    """Same fields everywhere; ids unique; every per-row field has n rows."""
    rng = np.random.RandomState(0)
    for d in ("deap", "mmmo", "yt", "meld", "mmsa", "bc"):
        (tmp_path / d).mkdir()
    write_deap(tmp_path / "deap", subjects=(1, 2), n_trials=2, n_samples=400)
    for split in ("train", "valid"):
        a = rng.randn(3, 2, 74)
        np.savez(
            tmp_path / "mmmo" / f"{split}.npz", audio=a, video=a[..., :36], y=np.ones(3)
        )
        y = np.eye(3)[[0, 1, 2]]
        np.savez(tmp_path / "yt" / f"{split}.npz", audio=a, video=a[..., :36], y=y)
    with open(tmp_path / "meld" / "MELD_features_raw.pkl", "wb") as f:
        pickle.dump(meld_parts(rng), f)
    write_mmsa(tmp_path / "mmsa" / "u.pkl", n=(4, 2, 2))
    _bclstm_npz(tmp_path / "bc" / "train.npz", n=6)
    bunches = {
        "deap": load_deap(tmp_path / "deap", allow_pickle=True),
        "mmmo": load_mmmo(tmp_path / "mmmo"),
        "youtube": load_youtube(tmp_path / "yt"),
        "meld": load_meld_dialoguernn(tmp_path / "meld", allow_pickle=True),
        "mmsa": load_mmsa(tmp_path / "mmsa" / "u.pkl", allow_pickle=True),
        "bclstm": load_mosi_bclstm(tmp_path / "bc"),
    }
    common = {"frame", "data", "target", "targets", "target_names", "groups", "split"}
    common |= {"feature_names", "DESCR", "ids"}
    for name, b in bunches.items():
        n = len(b.frame)
        assert common <= set(b), (name, common - set(b))
        assert len(b.ids) == n and len(set(b.ids)) == n, name
        assert len(b.target) == n and len(b.targets) == n, name
        assert b.frame.index.tolist() == list(range(n)), name
        for field in ("groups", "split"):
            assert b[field] is None or len(b[field]) == n, (name, field)
    assert bunches["deap"].ids[:3].tolist() == ["s01_01", "s01_02", "s02_01"]
    assert bunches["mmmo"].ids.tolist()[2:4] == ["train_2", "valid_0"]
    # MELD's utterance ids restart in each dialogue: rows are named like its clips
    assert bunches["meld"].ids[:4].tolist() == [
        "dia0_utt0",
        "dia0_utt1",
        "dia0_utt2",
        "dia1_utt0",
    ]


def test_mmsa_only_audio_neginf_is_zeroed(tmp_path):
    obj = write_mmsa(tmp_path / "m.pkl", n=(4, 2, 2))  # audio[0, 0, 0] = -inf
    obj["train"]["vision"][0, 0, 0] = -np.inf
    (tmp_path / "m.pkl").write_bytes(pickle.dumps(obj))
    b = load_mmsa(tmp_path / "m.pkl", allow_pickle=True, subset="train")
    assert b.frame.loc[0, "audio"][0, 0] == 0.0  # as MMSA's loader (and DESCR)
    assert b.frame.loc[0, "video"][0, 0] == -np.inf  # not silently altered


def test_bclstm_csv_utterance_in_two_rows_and_deap_short_trials(tmp_path):
    _bclstm_csvs(tmp_path, [1.4, -2.0, 0.0], [-0.6, 3.0])
    # row 2 of transcripts.csv in train and test: leaked into both splits
    pd.DataFrame({0: [4, 2]}).to_csv(
        tmp_path / "text_test.csv", header=False, index=False
    )
    with pytest.raises(ValueError, match=r"\['vidB_1'\] are listed more than once"):
        load_mosi_bclstm(tmp_path)
    (tmp_path / "deap").mkdir()
    write_deap(tmp_path / "deap", subjects=(1,), n_trials=2, n_samples=300)
    # 300 samples minus the 384-sample baseline used to give (32, 0) cells
    with pytest.raises(ValueError, match="s01.dat has 300 samples per trial"):
        load_deap(tmp_path / "deap", remove_baseline=True, allow_pickle=True)
