"""Behaviour of FT and MAG with a tiny randomly initialised local BERT (offline)."""

import pickle

import numpy as np
import pandas as pd
import pytest

from skmer.fusion import (
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
)

transformers = pytest.importorskip("transformers")
pytest.importorskip("skorch")

POSITIVE, NEGATIVE, NEUTRAL = ["good", "great", "fine"], ["bad", "awful", "poor"], [
    "the", "movie", "was", "and", "it", "plot"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny_bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *POSITIVE, *NEGATIVE, *NEUTRAL]
    (path / "vocab.txt").write_text("\n".join(vocab))
    transformers.BertTokenizerFast(str(path / "vocab.txt")).save_pretrained(path)
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=32, max_position_embeddings=32,
    )
    transformers.BertModel(config).save_pretrained(path)
    return path


def word_task(n, seed, text_informative):
    """Sentiment in the words (FT) or only in the acoustic value of one word (MAG)."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    texts, audio = [], []
    for label in y:
        words = list(rng.choice(NEUTRAL, rng.randint(3, 6)))
        key = rng.randint(len(words))
        if text_informative:
            words[key] = rng.choice(POSITIVE if label else NEGATIVE)
        a = 0.3 * rng.randn(len(words), 2)
        a[key, 0] += 2.0 if label else -2.0
        texts.append(" ".join(words))
        audio.append(a)
    return pd.DataFrame({"text": texts, "audio": audio}), y


FAST = dict(max_epochs=15, lr=3e-3, batch_size=16, dropout=0.0, random_state=0)


def test_ft_learns_sentiment_words_and_regresses(model_dir):
    X, y = word_task(80, 0, True)
    Xt, yt = word_task(60, 1, True)
    ft = FineTunedTransformerClassifier(model_dir, **FAST).fit(X[["text"]], y)
    assert ft.score(Xt, yt) > 0.85
    assert ft.modality_weights_ == {"text": 1.0}
    reg = FineTunedTransformerRegressor(model_dir, **FAST).fit(X, 2.0 * y - 1)
    assert reg.score(Xt, 2.0 * yt - 1) > 0.5


def test_mag_uses_word_aligned_acoustics_that_ft_cannot_see(model_dir):
    X, y = word_task(80, 0, False)
    Xt, yt = word_task(60, 1, False)
    ft = FineTunedTransformerClassifier(model_dir, **FAST).fit(X, y)
    mag = MultimodalAdaptationGateClassifier(model_dir, **FAST).fit(X, y)
    assert ft.score(Xt, yt) < 0.7
    assert mag.score(Xt, yt) > 0.85
    assert mag.modality_weights_["audio"] > 0.5
    # a missing acoustic cell gives no displacement: back to text-only guessing
    assert mag.score(Xt.assign(audio=None), yt) < 0.7
    reg = MultimodalAdaptationGateRegressor(model_dir, **{**FAST, "max_epochs": 2}).fit(
        X, y.astype(float))
    # utterance-level (1, d) cells are given to every word
    Xu = Xt.assign(audio=[a.mean(axis=0, keepdims=True) for a in Xt["audio"]])
    assert reg.predict(Xu).shape == (60,)


def test_seeded_pickle_and_errors(model_dir):
    X, y = word_task(24, 0, False)
    kw = {**FAST, "max_epochs": 1}
    a = MultimodalAdaptationGateClassifier(model_dir, **kw).fit(X, y)
    b = MultimodalAdaptationGateClassifier(model_dir, **kw).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-6)
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_allclose(a.predict_proba(X), c.predict_proba(X), atol=1e-6)
    with pytest.raises(ValueError, match="text_column='words' is not a column"):
        FineTunedTransformerClassifier(model_dir, text_column="words").fit(X, y)
    with pytest.raises(ValueError, match="row 0: expected a string"):
        FineTunedTransformerClassifier(model_dir).fit(X.assign(text=[None] * 24), y)
    bad = X.assign(audio=[np.zeros((9, 2))] * 24)
    with pytest.raises(ValueError, match="Modality 'audio', row 0: 9 steps for a text of"):
        MultimodalAdaptationGateClassifier(model_dir, **kw).fit(bad, y)
    with pytest.raises(OSError):
        FineTunedTransformerClassifier(model_dir / "absent", **kw).fit(X, y)
    # regression targets are checked (a NaN used to train a NaN network)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        FineTunedTransformerRegressor(model_dir, **kw).fit(
            X, np.where(np.arange(24) == 5, np.nan, 1.0)
        )
