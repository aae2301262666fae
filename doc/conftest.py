"""Data for the doctests of the documentation pages (``doc/**/*.rst``).

The pages load corpora the way a user does, from the data folder
(``SKMER_DATA``, see :func:`skmer.datasets.get_data_home`). Here that folder
holds the real CMU-MOSI features of the project's ``shared/data`` when they are
there, and otherwise small synthetic files in the released formats (bc-LSTM
``.npz`` for MOSI, CMU-MultimodalSDK ``.csd`` for POM), generated with
:func:`skmer.datasets.make_multimodal_classification`.
"""

from pathlib import Path

import numpy as np
import pytest

from skmer.datasets import make_multimodal_classification, standard_folds

ROOT = Path(__file__).resolve().parents[1]
SHARED_MOSI = [
    ROOT / "shared" / "data" / "mosi",
    ROOT.parent / "shared" / "data" / "mosi",
]
POSITIVE = ["GREAT", "LOVED", "FUNNY", "BEAUTIFUL", "BEST", "ENJOYED"]
NEGATIVE = ["BORING", "WORST", "HATED", "AWFUL", "STUPID", "WASTE"]
FILLER = ["THE", "MOVIE", "WAS", "I", "REALLY", "THINK", "IT", "UH", "SO", "ACTING"]


def _synthetic_mosi(folder, n_videos=24, per_video=10):
    """bc-LSTM-format ``train.npz``/``valid.npz`` (20 / 4 videos)."""
    n = n_videos * per_video
    X, y = make_multimodal_classification(
        n_samples=n,
        modalities={"text": 100, "audio": 73, "video": 100},
        class_sep=0.4,
        random_state=0,
    )
    rng = np.random.RandomState(0)
    words = [
        " ".join(
            rng.choice(FILLER, 5).tolist() + [rng.choice(POSITIVE if c else NEGATIVE)]
        )
        for c in y
    ]
    score = np.where(y == 1, rng.uniform(0, 3, n), rng.uniform(-3, -0.2, n)).round(1)
    video = np.repeat([f"vid{k:02d}" for k in range(n_videos)], per_video)
    utterance = [f"{v}_{i % per_video + 1}" for i, v in enumerate(video)]
    folder.mkdir(parents=True)
    for name, rows in [
        ("train", slice(0, 20 * per_video)),
        ("valid", slice(20 * per_video, n)),
    ]:
        np.savez(
            folder / f"{name}.npz",
            utterance_id=np.array(utterance[rows]),
            video_id=video[rows],
            transcript=np.array(words[rows]),
            score=score[rows].astype(np.float32),
            **{
                m: X.filter(like=f"{m}__").to_numpy(np.float32)[rows]
                for m in ("text", "audio", "video")
            },
        )


def _write_csd(path, root, entries):
    import h5py

    with h5py.File(path, "w") as f:
        for vid, (features, intervals) in entries.items():
            f[f"{root}/data/{vid}/features"] = features
            f[f"{root}/data/{vid}/intervals"] = intervals


def _synthetic_pom(folder):
    """Four POM videos of the standard folds, as SDK computational sequences."""
    folds = standard_folds("POM")
    videos = folds["train"][:2] + folds["valid"][:1] + folds["test"][:1]
    rng = np.random.RandomState(0)
    folder.mkdir(parents=True)
    frames = {v: np.column_stack([np.arange(6.0), np.arange(1.0, 7.0)]) for v in videos}
    _write_csd(
        folder / "POM_Labels.csd",
        "Labels",
        {v: (rng.uniform(1, 7, (1, 3)), np.array([[0.0, 6.0]])) for v in videos},
    )
    _write_csd(
        folder / "POM_COVAREP.csd",
        "COVAREP",
        {v: (rng.normal(size=(6, 4)), frames[v]) for v in videos},
    )
    _write_csd(
        folder / "POM_Facet_42.csd",
        "FACET_4.2",
        {v: (rng.normal(size=(6, 5)), frames[v]) for v in videos},
    )
    _write_csd(
        folder / "POM_TimestampedWords.csd",
        "words",
        {v: (np.array([[b"a"], [b"good"], [b"film"]] * 2), frames[v]) for v in videos},
    )


@pytest.fixture(scope="session")
def _data_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("skmer_data")
    shared = next((p for p in SHARED_MOSI if (p / "train.npz").is_file()), None)
    if shared is not None:
        (home / "mosi").symlink_to(shared, target_is_directory=True)
    else:
        _synthetic_mosi(home / "mosi")
    _synthetic_pom(home / "pom")
    return home


@pytest.fixture(autouse=True)
def _doc_data(_data_home, monkeypatch):
    monkeypatch.setenv("SKMER_DATA", str(_data_home))
