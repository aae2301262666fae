"""The seed's Table II structure on the real data we have, every system in one run.

* Speed (``--only speed``): CPU seconds to fit each seed system with its
  default settings on CMU-MOSI train (1,447 utterances; binary ``score >= 0``),
  as a ratio to the SVM pipeline fitted in the same process. The sequence
  models read the utterance vectors as one-step sequences, bc-LSTM reads them
  in context (``group_column="video_id"``, ``order_column="order"``),
  TFN reads the encoded blocks. Run it with ``OMP_NUM_THREADS=1``.
* CMU-MOSI (utterance level, bc-LSTM features): 5-fold ``GroupKFold`` by
  ``video_id`` on the train split; every system regresses the sentiment score
  and is scored by A2 (``>= 0``), weighted F1, A7, MAE and Pearson r. SVM and
  RF pipelines, bc-LSTM with context (``group_column="video_id"``) and without
  (each utterance alone), FT and MAG on the transcripts (MAG adds the audio and
  video utterance vectors to every word). Run on all three modalities (the
  released text-CNN embedding was trained on these labels, so text scores are
  optimistic) and on audio + video only.
* ICT-MMMO and YouTube (20 word-aligned steps of COVAREP audio and FACET video):
  train on train, score on valid with fixed hyper-parameters (no selection on
  valid, so the valid scores are not biased). Steps that are all zero in both
  modalities are padding and removed, and a modality without any non-zero
  step is missing (``heldout.load_aligned``). MMMO: regressors of the rating
  (A2 = ``y > 3``, F1, MAE, r) and the THMM on the binary task; YouTube:
  3-class classifiers (A3, weighted F1).

No pretrained language model is available offline here, so FT and MAG load a
small BERT *randomly initialised* and saved to a temporary directory with a
word vocabulary of the training transcripts (pass ``--model-dir`` to use a
real local checkpoint instead).

    OMP_NUM_THREADS=1 python benchmarks/seed_table.py [--data ../shared/data]
        [--model-dir DIR] [--quick] [--only {speed,mosi,mmmo,youtube}]
"""

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from heldout import load_aligned, load_mosi  # noqa: E402

from skmer.fusion import (  # noqa: E402
    TensorFusionClassifier,
    make_rf_baseline,
    make_svm_baseline,
)
from skmer.metrics import (
    acc2_score,
    acc7_score,
    binary_f1_score,
    pearson_correlation,
)
from skmer.sequence import (
    ContextualLSTMClassifier,
    ContextualLSTMRegressor,
    FineTunedTransformerRegressor,
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultimodalAdaptationGateRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
    TriModalHMMClassifier,
)

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data"


def sentiment_row(score, pred):
    return {
        "A2": acc2_score(score, pred),
        "F1": binary_f1_score(score, pred),
        "A7": acc7_score(score, pred),
        "MAE": mean_absolute_error(score, pred),
        "Corr": pearson_correlation(score, pred),
    }


# --------------------------------------------------------------------- MOSI
MODS = ("text", "audio", "video")


def run_speed(path):
    """CPU seconds of one fit with default settings on MOSI train, per system."""
    X, score = load_mosi(path)
    y = (score >= 0).astype(int)
    steps = X.assign(**{m: [v[None, :] for v in X[m]] for m in MODS})
    blocks = pd.DataFrame(
        np.hstack([np.vstack(X[m]) for m in MODS]),
        columns=[f"{m}__{i}" for m in MODS for i in range(len(X.at[0, m]))],
    )
    seq = dict(columns=list(MODS), random_state=0)
    systems = {
        "SVM": (make_svm_baseline(list(MODS), item="vector"), X),
        "RF": (make_rf_baseline(list(MODS), item="vector", random_state=0), X),
        "THMM": (TriModalHMMClassifier(**seq), steps),
        "MV-LSTM": (MultiViewLSTMClassifier(**seq), steps),
        "bc-LSTM": (
            ContextualLSTMClassifier(
                group_column="video_id", order_column="order", **seq
            ),
            X,
        ),
        "TFN": (TensorFusionClassifier(random_state=0), blocks),
        "MARN": (MultiAttentionRecurrentNetworkClassifier(**seq), steps),
        "MFN": (MemoryFusionNetworkClassifier(**seq), steps),
    }
    rows = []
    for name, (est, data) in systems.items():
        t0 = time.process_time()
        est.fit(data, y)
        cpu = time.process_time() - t0
        rows.append({"system": name, "fit CPU s": cpu, "train A2": est.score(data, y)})
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    table["CPU / SVM"] = table["fit CPU s"] / table.loc[0, "fit CPU s"]
    return table


def tiny_bert(texts, path, hidden=64, layers=2):
    """A randomly initialised BERT with a word vocabulary, saved to ``path``."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    counts = Counter(w for t in texts for w in t.split())
    words = [w for w, c in counts.most_common() if c >= 2]
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = Path(path) / "vocab.txt"
    vocab.write_text("\n".join(specials + words))
    BertTokenizerFast(str(vocab)).save_pretrained(path)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(specials) + len(words),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=4,
        intermediate_size=2 * hidden,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(path)
    return path


def mosi_systems(modalities, model_dir, quick):
    """The systems of one feature set; FT/MAG only when ``model_dir`` is given."""
    bc = dict(
        hidden_size=32,
        dropout=0.3,
        max_epochs=8 if quick else 30,
        lr=3e-3,
        batch_size=8,
        weight_decay=1e-4,
        loss="l1",
        random_state=0,
    )
    lm = dict(
        max_length=48,
        max_epochs=2 if quick else 4,
        lr=1e-3,
        batch_size=32,
        loss="l1",
        random_state=0,
    )
    systems = {
        "SVM": make_svm_baseline(modalities, task="regression", item="vector"),
        "RF": make_rf_baseline(
            modalities,
            task="regression",
            item="vector",
            n_estimators=300,
            random_state=0,
        ),
        "bc-LSTM (no context)": ContextualLSTMRegressor(columns=modalities, **bc),
        "bc-LSTM (context)": ContextualLSTMRegressor(
            columns=modalities,
            group_column="video_id",
            order_column="order",
            **bc,
        ),
    }
    if model_dir is not None:
        systems["FT (transcript)"] = FineTunedTransformerRegressor(
            model_dir, text_column="transcript", **lm
        )
        systems["MAG (transcript + audio/video)"] = MultimodalAdaptationGateRegressor(
            model_dir, text_column="transcript", columns=["audio", "video"], **lm
        )
    return systems


def run_mosi(path, model_dir, quick):
    X, score = load_mosi(path)
    groups = X["video_id"].to_numpy()
    own_dir = None
    if model_dir is None:
        own_dir = tempfile.mkdtemp(prefix="seed_bert_")
        model_dir = tiny_bert(X["transcript"], own_dir)
    # MAG reads (1, d) utterance vectors as one step given to every word
    Xm = X.assign(**{m: [v[None, :] for v in X[m]] for m in ("audio", "video")})
    rows = []
    for label, mods in [
        ("text+audio+video", ["text", "audio", "video"]),
        ("audio+video", ["audio", "video"]),
    ]:
        # FT and MAG read the transcript (and audio/video vectors): run them once
        lm_dir = model_dir if label == "audio+video" else None
        for name, est in mosi_systems(mods, lm_dir, quick).items():
            data = Xm if name.startswith("MAG") else X
            pred, t0 = np.empty(len(score)), time.perf_counter()
            for tr, te in GroupKFold(5).split(data, score, groups):
                model = clone(est).fit(data.iloc[tr], score[tr])
                pred[te] = model.predict(data.iloc[te])
            seconds = time.perf_counter() - t0
            feats = {"FT": "transcript", "MA": "transcript+audio+video"}.get(
                name[:2], label
            )
            rows.append(
                {
                    "features": feats,
                    "system": name,
                    **sentiment_row(score, pred),
                    "fit+predict s": seconds,
                }
            )
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- MMMO / YouTube
def seq_systems(task, quick):
    nn = dict(
        hidden_size=32,
        dropout=0.2,
        max_epochs=10 if quick else 40,
        lr=2e-3,
        batch_size=16,
        weight_decay=1e-4,
        random_state=0,
    )
    mods = ["audio", "video"]
    if task == "regression":
        nn["loss"] = "l1"
        return {
            "SVM": make_svm_baseline(mods, task="regression"),
            "RF": make_rf_baseline(
                mods, task="regression", n_estimators=300, random_state=0
            ),
            "MV-LSTM": MultiViewLSTMRegressor(**nn),
            "MFN": MemoryFusionNetworkRegressor(**nn),
            "MARN": MultiAttentionRecurrentNetworkRegressor(**nn),
        }
    return {
        "SVM": make_svm_baseline(mods),
        "RF": make_rf_baseline(mods, n_estimators=300, random_state=0),
        "THMM": TriModalHMMClassifier(n_states=3, random_state=0),
        "MV-LSTM": MultiViewLSTMClassifier(**nn),
        "MFN": MemoryFusionNetworkClassifier(**nn),
        "MARN": MultiAttentionRecurrentNetworkClassifier(**nn),
    }


def run_mmmo(folder, quick):
    Xtr, ytr = load_aligned(folder / "train.npz", "mmmo", raw_target=True)
    Xva, yva = load_aligned(folder / "valid.npz", "mmmo", raw_target=True)
    rows = []
    for name, est in seq_systems("regression", quick).items():
        t0 = time.perf_counter()
        pred = clone(est).fit(Xtr, ytr).predict(Xva)
        rows.append(
            {
                "system": name,
                "A2": accuracy_score(yva > 3, pred > 3),
                "F1": f1_score(yva > 3, pred > 3, average="weighted"),
                "MAE": mean_absolute_error(yva, pred),
                "Corr": pearson_correlation(yva, pred),
                "fit+predict s": time.perf_counter() - t0,
            }
        )
        print(rows[-1], flush=True)
    t0 = time.perf_counter()
    thmm = TriModalHMMClassifier(n_states=3, random_state=0)
    pred = thmm.fit(Xtr, ytr > 3).predict(Xva)
    rows.append(
        {
            "system": "THMM (binary)",
            "A2": accuracy_score(yva > 3, pred),
            "F1": f1_score(yva > 3, pred, average="weighted"),
            "fit+predict s": time.perf_counter() - t0,
        }
    )
    print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def run_youtube(folder, quick):
    Xtr, ytr = load_aligned(folder / "train.npz", "youtube")
    Xva, yva = load_aligned(folder / "valid.npz", "youtube")
    rows = []
    for name, est in seq_systems("classification", quick).items():
        t0 = time.perf_counter()
        pred = clone(est).fit(Xtr, ytr).predict(Xva)
        rows.append(
            {
                "system": name,
                "A3": accuracy_score(yva, pred),
                "F1": f1_score(yva, pred, average="weighted"),
                "fit+predict s": time.perf_counter() - t0,
            }
        )
        print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help="local Hugging Face model for FT/MAG (default: tiny random BERT)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer epochs (smoke run)")
    parser.add_argument(
        "--only", choices=["speed", "mosi", "mmmo", "youtube"], default=None
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    tables = {}
    if args.only in (None, "speed"):
        speed = run_speed(args.data / "mosi" / "train.npz")
        print("\n### Fit CPU seconds, default settings, CMU-MOSI train (1447 rows)\n")
        print(speed.to_markdown(index=False, floatfmt=".3f"))
        if args.only == "speed":
            return
    if args.only in (None, "mosi"):
        tables["CMU-MOSI train, GroupKFold(5) by video"] = run_mosi(
            args.data / "mosi" / "train.npz", args.model_dir, args.quick
        )
    if args.only in (None, "mmmo"):
        tables["ICT-MMMO, train -> valid"] = run_mmmo(args.data / "mmmo", args.quick)
    if args.only in (None, "youtube"):
        tables["YouTube, train -> valid"] = run_youtube(
            args.data / "youtube", args.quick
        )
    for title, table in tables.items():
        base = table.loc[table["system"] == "SVM", "fit+predict s"].iloc[0]
        table["time / SVM"] = table["fit+predict s"] / base
        print(f"\n### {title}\n")
        print(
            table.drop(columns="fit+predict s").to_markdown(index=False, floatfmt=".3f")
        )


if __name__ == "__main__":
    main()
