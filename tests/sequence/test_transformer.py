"""Behaviour of FT and MAG with a tiny randomly initialised local BERT (offline)."""

import pickle

import numpy as np
import pandas as pd
import pytest

from skmer.sequence import (
    FineTunedTransformerClassifier,
    FineTunedTransformerRegressor,
    MultimodalAdaptationGateClassifier,
    MultimodalAdaptationGateRegressor,
)
from tests._tiny_models import tiny_bert

transformers = pytest.importorskip("transformers")
pytest.importorskip("skorch")

POSITIVE, NEGATIVE, NEUTRAL = (
    ["good", "great", "fine"],
    ["bad", "awful", "poor"],
    ["the", "movie", "was", "and", "it", "plot"],
)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny_bert")
    return tiny_bert(path, words=[*POSITIVE, *NEGATIVE, *NEUTRAL], hidden_size=16)


@pytest.fixture(scope="module")
def deep_model_dir(tmp_path_factory, model_dir):
    """The same vocabulary with a 3-layer encoder (for the gate's injection layer)."""
    path = tmp_path_factory.mktemp("tiny_bert3")
    transformers.BertTokenizerFast.from_pretrained(model_dir).save_pretrained(path)
    config = transformers.BertConfig.from_pretrained(model_dir, num_hidden_layers=3)
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
        X, y.astype(float)
    )
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
    with pytest.raises(
        ValueError, match="Column 'audio', row 0: 9 steps for a text of"
    ):
        MultimodalAdaptationGateClassifier(model_dir, **kw).fit(bad, y)
    with pytest.raises(OSError):
        FineTunedTransformerClassifier(model_dir / "absent", **kw).fit(X, y)
    # regression targets are checked (a NaN used to train a NaN network)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        FineTunedTransformerRegressor(model_dir, **kw).fit(
            X, np.where(np.arange(24) == 5, np.nan, 1.0)
        )


def test_mag_gate_after_a_chosen_layer(deep_model_dir):
    X, y = word_task(80, 0, False)
    Xt, yt = word_task(60, 1, False)
    mag = MultimodalAdaptationGateClassifier(
        deep_model_dir, injection_layer=1, **{**FAST, "max_epochs": 30}
    )
    assert mag.fit(X, y).score(Xt, yt) > 0.85
    # the gate sits on layer 1's output: hiding the acoustics changes the output
    assert mag.score(Xt.assign(audio=None), yt) < 0.7
    with pytest.raises(
        ValueError, match="injection_layer=3, but the encoder has 3 layers.*'mean'"
    ):
        MultimodalAdaptationGateClassifier(
            deep_model_dir, injection_layer=3, max_epochs=1
        ).fit(X, y)
    # the mean of the tokens reads words shifted after the last layer too
    last = MultimodalAdaptationGateClassifier(
        deep_model_dir, injection_layer=3, pooling="mean", **{**FAST, "max_epochs": 30}
    ).fit(X, y)
    assert last.score(Xt, yt) > 0.75  # one shifted word among the averaged tokens
    assert last.score(Xt.assign(audio=None), yt) < 0.7
    with pytest.raises(ValueError, match=r"after layer 1 \.\. 3\.$"):
        MultimodalAdaptationGateClassifier(
            deep_model_dir, injection_layer=4, pooling="mean", max_epochs=1
        ).fit(X, y)


def test_modality_weights_only_when_asked(model_dir, monkeypatch):
    X, y = word_task(24, 0, False)
    kw = {**FAST, "max_epochs": 1}
    calls = []
    cls = MultimodalAdaptationGateClassifier
    original = cls._forward
    monkeypatch.setattr(
        cls, "_forward", lambda self, inputs: calls.append(1) or original(self, inputs)
    )
    mag = cls(model_dir, **kw).fit(X, y)
    pickle.dumps(mag)
    assert calls == []  # no forward pass after training, nor to save
    assert sum(mag.modality_weights_.values()) == pytest.approx(1)
    assert len(calls) == 3  # asked: the full input, the text hidden, the audio hidden
    ft = FineTunedTransformerClassifier(model_dir, **kw).fit(X, y)
    assert ft.modality_weights_ == {"text": 1.0} and len(calls) == 3


def test_batches_are_padded_to_their_own_longest_text(model_dir):

    X, y = word_task(40, 0, True)
    X = X.assign(
        text=[t + " movie" * (30 if i == 0 else 0) for i, t in enumerate(X["text"])]
    )
    ft = FineTunedTransformerClassifier(
        model_dir, max_length=30, **{**FAST, "max_epochs": 1}
    )
    ft.fit(X, y)
    seen = []
    ft.net_.module_.encoder.register_forward_pre_hook(
        lambda module, args, kwargs: seen.append(kwargs["input_ids"].shape[1]),
        with_kwargs=True,
    )
    proba = ft.predict_proba(X)
    # one long text: only the batch holding it is long
    assert max(seen) == 30 and min(seen) <= 7
    # predictions do not depend on the rows predicted together
    np.testing.assert_allclose(ft.predict_proba(X.iloc[5:9]), proba[5:9], atol=1e-5)
    # training batches: texts of similar lengths together
    from skmer.sequence._transformer import LengthBuckets
    from skmer.utils._skorch_net import TensorData

    inputs = ft._inputs(*ft._validate_fusion_data(X, reset=False)[::2])
    data = LengthBuckets(TensorData(inputs, y))
    lengths = [b[0]["attention_mask"].sum(1) for b in data.batches(8, True)]
    # sorted by their shortest text, each batch ends where the next begins
    ranges = sorted((int(n.min()), int(n.max())) for n in lengths)
    assert len(ranges) == 5
    assert all(hi <= lo for (_, hi), (lo, _) in zip(ranges, ranges[1:]))


def test_skops_stores_the_tokenizer_by_reference(model_dir):
    sio = pytest.importorskip("skops.io")
    X, y = word_task(24, 0, False)
    mag = MultimodalAdaptationGateClassifier(
        model_dir, **{**FAST, "max_epochs": 1}
    ).fit(X, y)
    dumped = sio.dumps(mag)
    untrusted = sio.get_untrusted_types(data=dumped)
    # model_path is a pathlib.Path here; no tokenizer, no torch or transformers type
    plain = {"skmer", "numpy", "sklearn", "builtins", "pathlib"}
    assert all(t.split(".")[0] in plain for t in untrusted), untrusted
    loaded = sio.loads(dumped, trusted=untrusted)
    np.testing.assert_allclose(loaded.predict_proba(X), mag.predict_proba(X), atol=1e-6)
    assert "tokenizer_" not in mag.__getstate__()


@pytest.mark.parametrize("early_stopping", [False, True])
def test_training_batches_are_bucketed_by_the_hook_not_a_net_class(
    model_dir, early_stopping
):
    from skorch.callbacks import Callback

    from skmer.utils._skorch_net import TensorNet

    class Spread(Callback):
        """Longest minus shortest text of each training batch."""

        def initialize(self):
            self.spread = []
            return self

        def on_batch_begin(self, net, batch=None, training=None, **kwargs):
            if training:
                lengths = batch[0]["attention_mask"].sum(1)
                self.spread.append(int(lengths.max() - lengths.min()))

    X, y = word_task(64, 0, True)
    X = X.assign(text=[t + " movie" * (i % 8) for i, t in enumerate(X["text"])])
    spread = Spread()
    ft = FineTunedTransformerClassifier(
        model_dir,
        callbacks=[spread],
        early_stopping=early_stopping,
        validation_fraction=0.25,
        **{**FAST, "max_epochs": 2, "batch_size": 8},
    ).fit(X, y)
    # the core's net itself: no class swapped in after it was built
    assert type(ft.net_) is TensorNet
    recorded = dict(ft.net_.callbacks_)["callback_0"].spread
    # texts of 3 to 12 words; a random batch of 8 spans about 8 words
    assert recorded and max(recorded) <= 3


def test_modality_weights_of_a_copy_saved_before_reading_them(model_dir):
    X, y = word_task(24, 0, False)
    mag = MultimodalAdaptationGateClassifier(model_dir, **{**FAST, "max_epochs": 1})
    with pytest.raises(AttributeError, match="before fit"):
        mag.modality_weights_  # noqa: B018
    mag.fit(X, y)
    copy = pickle.loads(pickle.dumps(mag))
    with pytest.raises(AttributeError, match="is fitted, but the training inputs"):
        copy.modality_weights_  # noqa: B018
    np.testing.assert_allclose(copy.predict_proba(X), mag.predict_proba(X))
    assert sum(mag.modality_weights_.values()) == pytest.approx(1)


def _sentence_transformers_layout(path, **flags):
    """Add a sentence-transformers pooling module description to a model dir."""
    import json

    path.mkdir(exist_ok=True)
    (path / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "x.models.Transformer"},
                {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "x.models.Pooling",
                },
            ]
        )
    )
    (path / "1_Pooling").mkdir(exist_ok=True)
    (path / "1_Pooling" / "config.json").write_text(json.dumps(flags))
    return path


def test_checkpoint_pooling_reads_the_sentence_transformers_config(tmp_path):
    from skmer.nn._mag import checkpoint_pooling

    assert checkpoint_pooling(tmp_path) == "first"  # a plain Hugging Face model
    mean = _sentence_transformers_layout(
        tmp_path / "mean", pooling_mode_mean_tokens=True, pooling_mode_cls_token=False
    )
    assert checkpoint_pooling(mean) == "mean"
    cls = _sentence_transformers_layout(
        tmp_path / "cls", pooling_mode_mean_tokens=False, pooling_mode_cls_token=True
    )
    assert checkpoint_pooling(cls) == "first"


@pytest.fixture(scope="module")
def mean_model_dir(tmp_path_factory, model_dir):
    """The tiny BERT laid out as a sentence-transformers checkpoint (mean pooling)."""
    import shutil

    path = tmp_path_factory.mktemp("tiny_st") / "model"
    shutil.copytree(model_dir, path)
    return _sentence_transformers_layout(path, pooling_mode_mean_tokens=True)


def test_mean_pooling_averages_the_text_tokens_only(mean_model_dir):
    import torch

    from skmer.nn import PretrainedTextNetwork

    torch.manual_seed(0)
    net = PretrainedTextNetwork(mean_model_dir, 2, dropout=0.0).eval()
    assert net.pooling == "mean"  # "auto" read the checkpoint's pooling
    assert PretrainedTextNetwork(mean_model_dir, 2, pooling="first").pooling == "first"
    ids = torch.tensor([[2, 5, 6, 3, 0, 0], [2, 7, 8, 9, 10, 3]])
    mask = (ids != 0).long()
    with torch.no_grad():
        out = net(input_ids=ids, attention_mask=mask)
        hidden = net.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        # known answer: the head on the mean over the unpadded tokens
        first = net.head(hidden[0, :4].mean(dim=0))
        # padding does not change a row's output
        alone = net(input_ids=ids[:1, :4], attention_mask=mask[:1, :4])
    torch.testing.assert_close(out[0], first)
    torch.testing.assert_close(out[:1], alone)
    with pytest.raises(ValueError, match="pooling must be 'auto', 'first' or 'mean'"):
        PretrainedTextNetwork(mean_model_dir, 2, pooling="max")


def test_estimators_use_the_checkpoint_pooling(mean_model_dir, model_dir):
    X, y = word_task(80, 0, True)
    Xt, yt = word_task(60, 1, True)
    ft = FineTunedTransformerClassifier(mean_model_dir, **FAST).fit(X[["text"]], y)
    assert ft.net_.module_.pooling == "mean"
    assert ft.score(Xt, yt) > 0.85
    kw = {**FAST, "max_epochs": 1}
    plain = FineTunedTransformerRegressor(model_dir, **kw).fit(X, y.astype(float))
    assert plain.net_.module_.pooling == "first"
    mag = MultimodalAdaptationGateRegressor(model_dir, pooling="mean", **kw)
    assert mag.fit(X, y.astype(float)).net_.module_.pooling == "mean"
    with pytest.raises(ValueError, match="'pooling' parameter"):
        FineTunedTransformerClassifier(model_dir, pooling="max").fit(X, y)
