"""skmer's sequence-model check suite over every model of skmer.sequence."""

import numpy as np
import pytest

from skmer.sequence import (
    ContextualLSTMClassifier,
    ContextualLSTMRegressor,
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MemoryFusionNetworkClassifier,
    MemoryFusionNetworkRegressor,
    MultiAttentionRecurrentNetworkClassifier,
    MultiAttentionRecurrentNetworkRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
    MultiViewLSTMClassifier,
    MultiViewLSTMRegressor,
    TriModalHMMClassifier,
)
from skmer.sequence import __all__ as SEQUENCE_MODELS
from skmer.utils.estimator_checks import parametrize_with_sequence_checks
from tests._tiny_models import tiny_bert
from tests.sequence._tasks import context_task, temporal_task

transformers = pytest.importorskip("transformers")
pytest.importorskip("skorch")
pytest.importorskip("hmmlearn")

WORDS = ["good", "bad", "the", "movie", "plot"]


MODEL_DIR = None


def _model_dir():
    """One tiny local BERT for the whole module (built at collection time)."""
    global MODEL_DIR
    if MODEL_DIR is None:
        import tempfile
        from pathlib import Path

        MODEL_DIR = tiny_bert(
            Path(tempfile.mkdtemp(prefix="skmer_tiny_bert_")), words=WORDS
        )
    return MODEL_DIR


def _text_task(n, seed):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    words = [" ".join(rng.choice(WORDS, rng.randint(2, 6))) for _ in range(n)]
    X = temporal_task(n, seed)[0][["audio"]].assign(text=words)
    X["audio"] = [rng.randn(len(t.split()), 2) for t in words]
    return X, y


def _cases():
    X, y = temporal_task(16, 0)
    Xc, yc = context_task(4, 0, length=4)
    Xt, yt = _text_task(16, 0)
    small = dict(hidden_size=4, max_epochs=2, batch_size=8, random_state=0)
    lm = dict(max_epochs=1, batch_size=8, lr=1e-3, random_state=0)
    ctx = dict(group_column="video_id", order_column="utt_id", **small)
    path = _model_dir()
    return [
        (MultiViewLSTMClassifier(**small), X, y),
        (MultiViewLSTMRegressor(**small), X, y.astype(float)),
        (MemoryFusionNetworkClassifier(**small), X, y),
        (MemoryFusionNetworkRegressor(**small), X, y.astype(float)),
        (MultiAttentionRecurrentNetworkClassifier(**small), X, y),
        (MultiAttentionRecurrentNetworkRegressor(**small), X, y.astype(float)),
        (TriModalHMMClassifier(n_states=2, n_iter=3, random_state=0), X, y),
        (ContextualLSTMClassifier(**ctx), Xc, yc),
        (ContextualLSTMRegressor(**ctx), Xc, yc.astype(float)),
        (FineTunedTransformerClassifier(path, **lm), Xt[["text"]], yt),
        (FineTunedTransformerRegressor(path, **lm), Xt[["text"]], yt.astype(float)),
        (MultimodalAdaptationGateClassifier(path, **lm), Xt, yt),
        (MultimodalAdaptationGateRegressor(path, **lm), Xt, yt.astype(float)),
    ]


CASES = _cases()


def test_every_sequence_model_is_checked():
    assert {type(est).__name__ for est, _, _ in CASES} == set(SEQUENCE_MODELS)


@parametrize_with_sequence_checks(CASES)
def test_sequence_checks(estimator, X, y, check):
    check(estimator, X, y)
