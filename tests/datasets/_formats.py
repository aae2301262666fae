"""Writers of tiny files in the real released formats, for the loader tests."""

import json
import pickle

import numpy as np


def write_csd(path, root, entries, metadata=None):
    """A computational sequence as the CMU-MultimodalSDK's write_CSD lays it out."""
    import h5py

    with h5py.File(path, "w") as f:
        data = f.create_group(root).create_group("data")
        for vid, (features, intervals) in entries.items():
            g = data.create_group(vid)
            g.create_dataset("features", data=features)
            g.create_dataset("intervals", data=np.asarray(intervals, dtype=float))
        meta = f[root].create_group("metadata")
        for key, value in (metadata or {"root name": root}).items():
            d = meta.create_dataset(key, (1,), dtype=h5py.special_dtype(vlen=str))
            d[0] = json.dumps(value)


def mosi_csd_folder(
    tmp_path, *, n_frames=6, video_missing="v2", vids=("v1", "v2"), names=None
):
    """Words, COVAREP-like audio, FACET-like video and opinion labels of 2 videos.

    v1: two segments [0, 2) and [2, 4); v2: one segment [0, 3). Audio frames of
    0.5 s carry the value of their index; the video sequence lacks ``video_missing``.
    """
    words = {
        "v1": (
            np.array([[b"great"], [b"sp"], [b"movie"], [b"but"], [b"long"]]),
            [[0, 1], [1, 1.5], [1.5, 2], [2, 3], [3, 4]],
        ),
        "v2": (np.array([[b"meh"], [b"sp"]]), [[0, 2], [2, 3]]),
    }
    audio = {}
    for vid, dur in (("v1", 4.0), ("v2", 3.0)):
        n = int(dur / 0.5)
        starts = np.arange(n) * 0.5
        audio[vid] = (
            np.column_stack([np.arange(n), np.ones(n)]).astype(float),
            np.column_stack([starts, starts + 0.5]),
        )
    video = {
        vid: (
            np.full((n_frames, 3), k + 1.0),
            np.column_stack(
                [np.linspace(0, 3.5, n_frames), np.linspace(0, 3.5, n_frames) + 0.5]
            ),
        )
        for k, vid in enumerate(["v1", "v2"])
        if vid != video_missing
    }
    labels = {
        "v1": (np.array([[2.2], [-1.4]]), [[0, 2], [2, 4]]),
        "v2": (np.array([[0.0]]), [[0, 3]]),
    }
    rename = dict(zip(("v1", "v2"), vids))
    words, audio, video, labels = (
        {rename[k]: v for k, v in d.items()} for d in (words, audio, video, labels)
    )
    names = names or {
        "text": "words.csd",
        "audio": "covarep.csd",
        "video": "facet.csd",
        "labels": "labels.csd",
    }
    write_csd(tmp_path / names["text"], "words", words)
    write_csd(tmp_path / names["audio"], "COVAREP", audio)
    write_csd(tmp_path / names["video"], "FACET_4.1", video)
    write_csd(
        tmp_path / names["labels"],
        "Opinion Segment Labels",
        labels,
        {"root name": "Opinion Segment Labels", "dimension names": ["sentiment"]},
    )
    return {m: names[m] for m in ("text", "audio", "video")}


def mmsa_part(n, *, rng, aligned, sims=False, prefix="vid"):
    t_a, t_v = (8, 8) if aligned else (10, 7)
    mask = np.zeros((n, 8))
    lengths = rng.randint(2, 9, size=n)
    for i, k in enumerate(lengths):
        mask[i, :k] = 1
    part = {
        "id": [f"{prefix}{i // 2}$_${i % 2}" for i in range(n)],
        "raw_text": [f"sentence {i}" for i in range(n)],
        "text": rng.randn(n, 8, 4),
        "text_bert": np.stack([np.ones((n, 8)), mask, np.zeros((n, 8))], axis=1),
        "audio": rng.randn(n, t_a, 5),
        "vision": rng.randn(n, t_v, 3),
        "regression_labels": np.round(
            rng.uniform(-1 if sims else -3, 1 if sims else 3, size=n), 1
        ),
        "classification_labels": rng.randint(0, 3, size=n),
        "annotations": ["Positive"] * n,
    }
    if not aligned:
        part["audio_lengths"] = rng.randint(1, t_a + 1, size=n).tolist()
        part["vision_lengths"] = rng.randint(1, t_v + 1, size=n).tolist()
    if sims:
        for m in "TAV":
            part[f"regression_labels_{m}"] = rng.uniform(-1, 1, size=n)
    return part


def write_mmsa(path, *, aligned=False, sims=False, seed=0, n=(12, 4, 4)):
    rng = np.random.RandomState(seed)
    obj = {
        s: mmsa_part(k, rng=rng, aligned=aligned, sims=sims, prefix=s[:2])
        for s, k in zip(("train", "valid", "test"), n)
    }
    obj["train"]["audio"][0, 0, 0] = -np.inf
    with open(path, "wb") as f:
        pickle.dump(obj, f)
    return obj


def iemocap_parts(rng, dims=(100, 100, 512)):
    dialogues = {"Ses01F_impro01": 3, "Ses02M_script01_1": 4, "Ses05F_impro02": 3}
    ids, spk, lab, txt, aud, vis, sen = {}, {}, {}, {}, {}, {}, {}
    for d, n in dialogues.items():
        ids[d] = [f"{d}_F{k:03d}" for k in range(n)]
        spk[d] = ["F" if k % 2 == 0 else "M" for k in range(n)]
        lab[d] = [int(v) for v in rng.randint(0, 6, size=n)]
        txt[d] = [rng.randn(dims[0]) for _ in range(n)]
        aud[d] = [rng.randn(dims[1]) for _ in range(n)]
        vis[d] = [rng.randn(dims[2]) for _ in range(n)]
        sen[d] = [f"utterance {k} of {d}" for k in range(n)]
    return (
        ids,
        spk,
        lab,
        txt,
        aud,
        vis,
        sen,
        ["Ses01F_impro01", "Ses02M_script01_1"],
        ["Ses05F_impro02"],
    )


def meld_parts(rng, n_dialogues=4, per=3):
    ids, spk, emo, txt, aud, sen, sent = {}, {}, {}, {}, {}, {}, {}
    for d in range(n_dialogues):
        ids[d] = list(range(per))
        spk[d] = [np.eye(9)[k % 3].tolist() for k in range(per)]
        emo[d] = [int(v) for v in rng.randint(0, 7, size=per)]
        sent[d] = [int(v) for v in rng.randint(0, 3, size=per)]
        txt[d] = [rng.randn(600) for _ in range(per)]
        aud[d] = [rng.randn(300) for _ in range(per)]
        sen[d] = [f"line {k}" for k in range(per)]
    train = list(range(n_dialogues - 1))
    return (ids, spk, emo, txt, aud, sen, train, [n_dialogues - 1], sent)


def write_deap(folder, subjects=(1, 2), n_trials=40, n_samples=8064, seed=0):
    """DEAP sXX.dat files: Python 2 era pickles (protocol 2) of float arrays."""
    rng = np.random.RandomState(seed)
    for s in subjects:
        rec = {
            "data": rng.randn(n_trials, 40, n_samples).astype(np.float64),
            "labels": rng.uniform(1, 9, size=(n_trials, 4)),
        }
        with open(folder / f"s{s:02d}.dat", "wb") as f:
            pickle.dump(rec, f, protocol=2)
