import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skmer.compose import ModalityEncoder
from skmer.encoders import (
    LexiconEncoder,
    SentenceTransformerEncoder,
    TfidfLSAEncoder,
    WordEmbeddingEncoder,
)
from skmer.encoders._default_lexicon import DEFAULT_LEXICON, DIMENSIONS
from skmer.encoders._text import TokenEmbeddingEncoder
from skmer.fusion import EarlyFusionClassifier
from skmer.utils.estimator_checks import parametrize_with_encoder_checks

TEXTS = [
    "I am so happy today",
    "this is sad and lonely",
    "what a wonderful surprise",
    "I hate this awful day",
    "calm and relaxed evening",
    "scared of the dark",
    "happy happy joy",
    "angry and annoyed again",
    "a quiet walk",
    "tired and bored",
    "love this beautiful song",
    "nothing special here",
]
VECTORS = {
    w: np.random.RandomState(i).normal(size=4)
    for i, w in enumerate(["happy", "sad", "day", "love", "hate", "calm", "dark"])
}
Y = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])


@parametrize_with_encoder_checks(
    [
        (TfidfLSAEncoder(n_components=3, random_state=0), TEXTS),
        (LexiconEncoder(), TEXTS),
        (
            LexiconEncoder({"happy": {"v": 1.0}, "sad": {"v": -1.0}}, coverage=False),
            TEXTS,
        ),
        (WordEmbeddingEncoder(VECTORS, pooling=["mean", "max"]), TEXTS),
    ]
)
def test_encoder_checks(encoder, items, y, check):
    check(encoder, items, y)


def test_lexicon_scores_equal_hand_computed_mean():
    text = "I am so HAPPY but also sad and angry"
    enc = LexiconEncoder().fit([text])
    z = dict(zip(enc.get_feature_names_out(), enc.transform([text])[0]))
    # happy (0.8, 0.4, 0.4), sad (-0.7, -0.3, -0.4), angry (-0.7, 0.8, 0.4)
    assert z["valence"] == pytest.approx((0.8 - 0.7 - 0.7) / 3)
    assert z["arousal"] == pytest.approx((0.4 - 0.3 + 0.8) / 3)
    assert z["dominance"] == pytest.approx((0.4 - 0.4 + 0.4) / 3)
    assert z["joy"] == pytest.approx(1 / 3) and z["anger"] == pytest.approx(1 / 3)
    assert z["coverage"] == pytest.approx(3 / 9) and z["n_matched"] == 3
    assert list(enc.get_feature_names_out()[: len(DIMENSIONS)]) == list(DIMENSIONS)
    assert len(DEFAULT_LEXICON) >= 60


def test_lexicon_repeated_words_count_and_empty_text():
    enc = LexiconEncoder({"good": {"v": 1.0}, "bad": {"v": -1.0}}, empty_value=-9.0)
    Z = enc.fit_transform(["good good bad", "", "nothing here", None])
    assert_allclose(Z[0], [1 / 3, 1.0, 3])
    assert_allclose(Z[1], [-9.0, 0.0, 0.0])
    assert_allclose(Z[2], [-9.0, 0.0, 0.0])
    assert np.isnan(Z[3]).all()


def test_lexicon_from_csv_tsv_dataframe(tmp_path):
    frame = pd.DataFrame(
        {"valence": [0.5, -0.5], "arousal": [0.2, 0.9]},
        index=pd.Index(["Nice", "scary"], name="word"),
    )
    frame.to_csv(tmp_path / "lex.csv")
    frame.to_csv(tmp_path / "lex.tsv", sep="\t")
    expected = [[0.0, 0.55, 1.0, 2.0]]
    for lex in (tmp_path / "lex.csv", str(tmp_path / "lex.tsv"), frame):
        assert_allclose(LexiconEncoder(lex).fit_transform(["nice scary"]), expected)
    enc = LexiconEncoder(frame, dimensions=["arousal"], coverage=False).fit(["x"])
    assert enc.get_feature_names_out().tolist() == ["arousal"]
    assert (
        not LexiconEncoder(frame, lowercase=False).fit(["x"]).transform(["nice"]).any()
    )


def test_lexicon_errors(tmp_path):
    with pytest.raises(
        ValueError, match="dimensions \\['x'\\] must be a non-empty subset"
    ):
        LexiconEncoder(dimensions=["x"]).fit(["a"])
    with pytest.raises(ValueError, match="does not exist"):
        LexiconEncoder(str(tmp_path / "nope.csv")).fit(["a"])
    with pytest.raises(ValueError, match="lexicon values must be numbers"):
        LexiconEncoder({"a": {"v": "high"}}).fit(["a"])
    with pytest.raises(TypeError, match="Item 1 is a int; expected a string"):
        LexiconEncoder().fit(["a", 3])
    with pytest.raises(ValueError, match="lexicon entry 'b' has a missing value"):
        LexiconEncoder({"a": {"v": 1.0, "w": 1.0}, "b": {"v": 1.0}}).fit(["a"])


def test_tfidf_lsa_shapes_names_and_clipping():
    enc = TfidfLSAEncoder(n_components=50, random_state=0).fit(TEXTS + [None])
    assert enc.n_components_ < 50
    Z = enc.transform(TEXTS)
    assert_allclose(np.linalg.norm(Z, axis=1), 1.0)
    assert enc.get_feature_names_out()[0] == "lsa0"
    with pytest.raises(ValueError, match="vocabulary has 1 term"):
        TfidfLSAEncoder().fit(["same", "same"])


def test_word_embedding_glove_file_and_duck_typed(tmp_path):
    path = tmp_path / "glove.txt"
    path.write_text("happy 1.0 0.0\nsad 0.0 1.0\n")
    (tmp_path / "w2v.txt").write_text("2 2\nhappy 1.0 0.0\nsad 0.0 1.0\n")
    expected = [[0.5, 0.5, 1.0, 1.0, 2 / 3]]
    for vec in (path, str(tmp_path / "w2v.txt")):
        enc = WordEmbeddingEncoder(vec, pooling=["mean", "max"])
        assert_allclose(enc.fit_transform(["Happy sad day"]), expected)

    class KeyedVectorsLike:  # gensim's KeyedVectors interface
        vector_size = 2

        def __contains__(self, word):
            return word in ("happy", "sad")

        def __getitem__(self, word):
            return {"happy": [1.0, 0.0], "sad": [0.0, 1.0]}[word]

    enc = WordEmbeddingEncoder(KeyedVectorsLike(), pooling=["mean", "max"])
    assert_allclose(enc.fit_transform(["Happy sad day"]), expected)
    assert_allclose(enc.transform(["unknown words only"]), [[0, 0, 0, 0, 0]])
    with pytest.raises(ValueError, match="pooling must be"):
        WordEmbeddingEncoder(VECTORS, pooling=["sum"]).fit(["a"])
    (tmp_path / "bad.txt").write_text("happy one two\n")
    with pytest.raises(ValueError, match="line 1: not"):
        WordEmbeddingEncoder(tmp_path / "bad.txt").fit(["a"])


def test_text_pipeline_grid_search():
    df = pd.DataFrame({"text": pd.Series(TEXTS * 2, dtype=object)})
    df.iloc[3, 0] = None
    pipe = Pipeline(
        [
            ("encode", ModalityEncoder({"text": LexiconEncoder()})),
            ("fuse", EarlyFusionClassifier()),
        ]
    )
    gs = GridSearchCV(pipe, {"encode__text__coverage": [True, False]}, cv=2)
    gs.fit(df, np.r_[Y, Y])
    assert gs.best_params_["encode__text__coverage"] in (True, False)


def test_sentence_transformer_import_error_names_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(
        sys.modules, "sentence_transformers", None
    )  # as if not installed
    with pytest.raises(ImportError, match=r'pip install "skmer\[text\]"'):
        SentenceTransformerEncoder(tmp_path).fit(["a"])


@pytest.fixture(scope="module")
def tiny_sentence_model(tmp_path_factory):
    """A randomly initialised 1-layer BERT saved as a sentence-transformers model."""
    pytest.importorskip("sentence_transformers")
    torch = pytest.importorskip("torch")
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.modules import (
            Pooling,
            Transformer,
        )
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("st")
    vocab = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        "i",
        "am",
        "so",
        "happy",
        "sad",
        "day",
        "this",
        "is",
        "and",
        "a",
        "un",
        "##happy",
    ]
    (root / "vocab.txt").write_text("\n".join(vocab))
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        max_position_embeddings=32,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(root / "bert")
    tokenizer = BertTokenizerFast(vocab=str(root / "vocab.txt"))  # transformers >= 5
    if tokenizer.tokenize("happy") != ["happy"]:
        tokenizer = BertTokenizerFast(vocab_file=str(root / "vocab.txt"))
    tokenizer.save_pretrained(root / "bert")
    word = Transformer(str(root / "bert"), max_seq_length=16)
    model = SentenceTransformer(
        modules=[word, Pooling(8, pooling_mode="mean")], device="cpu"
    )
    model.save(str(root / "model"))
    return root / "model", model


def test_sentence_transformer_from_a_local_directory(tiny_sentence_model):
    path, model = tiny_sentence_model
    enc = SentenceTransformerEncoder(path).fit(TEXTS[:4] + [None])
    Z = enc.transform(TEXTS[:4] + [None])
    assert Z.shape == (5, 8) and np.isnan(Z[4]).all()
    assert_allclose(Z[:4], model.encode(TEXTS[:4]), rtol=1e-5, atol=1e-6)
    assert enc.get_feature_names_out()[-1] == "emb7"
    unit = SentenceTransformerEncoder(path, normalize_embeddings=True).fit(TEXTS[:2])
    assert_allclose(np.linalg.norm(unit.transform(TEXTS[:2]), axis=1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="never downloads"):
        SentenceTransformerEncoder("sentence-transformers/all-MiniLM-L6-v2").fit(["a"])


@pytest.mark.parametrize("kind", ["sentence", "token"])
def test_pretrained_encoders_pickle_and_skops_by_path(tiny_sentence_model, kind):
    # regression (issue 19): skops.io raised RecursionError on the held model
    import pickle

    sio = pytest.importorskip("skops.io")
    path, _ = tiny_sentence_model
    enc = (
        SentenceTransformerEncoder(str(path))
        if kind == "sentence"
        else TokenEmbeddingEncoder(str(path))
    ).fit(TEXTS[:4])
    expected = enc.transform(TEXTS[:4])
    assert "model_" not in vars(enc)  # the model is stored by its path
    dumped = sio.dumps(enc)
    untrusted = sio.get_untrusted_types(data=dumped)
    assert untrusted == [f"skmer.encoders._text.{type(enc).__name__}"]
    for loaded in (
        pickle.loads(pickle.dumps(enc)),
        sio.loads(dumped, trusted=untrusted),
    ):
        got = loaded.transform(TEXTS[:4])
        for a, b in zip(np.atleast_2d(got) if kind == "sentence" else got, expected):
            assert_allclose(a, b, rtol=1e-6)


class _CountingCompute:
    """Spy on an encoder class's ``_compute``: the texts it is asked to encode."""

    def __init__(self, monkeypatch, cls):
        self.calls = []
        original = cls._compute

        def spy(encoder, texts):
            self.calls.append(list(texts))
            return original(encoder, texts)

        monkeypatch.setattr(cls, "_compute", spy)


def test_encodings_are_cached_across_refits_and_grid_search(
    tiny_sentence_model, monkeypatch
):
    from skmer.encoders import _text

    path, _ = tiny_sentence_model
    monkeypatch.setattr(_text, "_ENCODINGS", {})
    spy = _CountingCompute(monkeypatch, SentenceTransformerEncoder)
    df = pd.DataFrame({"text": pd.Series(TEXTS * 2, dtype=object)})
    pipe = Pipeline(
        [
            ("encode", ModalityEncoder({"text": SentenceTransformerEncoder(path)})),
            ("fuse", EarlyFusionClassifier()),
        ]
    )
    GridSearchCV(pipe, {"fuse__missing": ["indicator", "impute"]}, cv=3).fit(
        df, np.r_[Y, Y]
    )
    encoded = [t for call in spy.calls for t in call]
    assert sorted(encoded) == sorted(set(TEXTS))  # each distinct text encoded once
    spy.calls.clear()
    uncached = SentenceTransformerEncoder(path, cache=False).fit(TEXTS[:3])
    cached = SentenceTransformerEncoder(path).fit(TEXTS[:3])
    assert_allclose(
        uncached.transform(TEXTS[:3]), cached.transform(TEXTS[:3]), rtol=1e-6
    )
    assert spy.calls == [sorted(TEXTS[:3])]  # only the uncached encoder computed
    other = SentenceTransformerEncoder(path, normalize_embeddings=True).fit(TEXTS[:1])
    other.transform(TEXTS[:1])  # other options: another cache entry
    assert spy.calls[-1] == TEXTS[:1]


def test_memory_caches_encodings_on_disk(tiny_sentence_model, monkeypatch, tmp_path):
    from skmer.encoders import _text

    path, _ = tiny_sentence_model
    spy = _CountingCompute(monkeypatch, TokenEmbeddingEncoder)
    for _ in range(2):  # the second run is "another process": empty in-memory cache
        monkeypatch.setattr(_text, "_ENCODINGS", {})
        enc = TokenEmbeddingEncoder(path, memory=str(tmp_path)).fit(TEXTS[:3])
        seqs = enc.transform(TEXTS[:3])
    assert len(spy.calls) == 1 and len(seqs) == 3 and seqs[0].shape == (5, 8)


def test_token_embeddings_are_word_aligned(tiny_sentence_model):
    import torch
    from transformers import AutoModel, AutoTokenizer

    path, _ = tiny_sentence_model
    texts = ["I am so unhappy", None, "happy day", "!!!"]
    enc = TokenEmbeddingEncoder(path / "..", layer=1)  # parent: not a model folder
    with pytest.raises(ValueError, match="is not a Hugging Face model folder"):
        enc.fit(texts)
    bert = path.parent / "bert"
    seqs = TokenEmbeddingEncoder(bert).fit(texts).transform(texts)
    assert seqs.dtype == object and seqs.shape == (4,)
    assert seqs[0].shape == (4, 8) and seqs[2].shape == (2, 8)
    assert seqs[1] is None and seqs[3] is None  # missing text, text without a word
    tokenizer, model = (
        AutoTokenizer.from_pretrained(bert),
        AutoModel.from_pretrained(bert),
    )
    batch = tokenizer(["i am so unhappy"], return_tensors="pt")
    assert tokenizer.convert_ids_to_tokens(batch["input_ids"][0])[4:6] == [
        "un",
        "##happy",
    ]
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state[0].numpy()
    # [CLS] i am so un ##happy [SEP]: "unhappy" is the mean of its two pieces
    assert_allclose(seqs[0], np.vstack([hidden[1:4], hidden[4:6].mean(0)]), atol=1e-5)
    first = (
        TokenEmbeddingEncoder(bert, word_pooling="first").fit(texts).transform(texts)
    )
    assert_allclose(first[0][3], hidden[4], atol=1e-5)
    # the folder of the sentence-transformers model gives the same states
    from_st = TokenEmbeddingEncoder(path).fit(texts).transform(texts)
    assert_allclose(from_st[0], seqs[0], atol=1e-6)
    embeddings = TokenEmbeddingEncoder(bert, layer=0).fit(texts).transform(texts)
    assert not np.allclose(embeddings[0], seqs[0])
    short = TokenEmbeddingEncoder(bert, max_length=4).fit(texts).transform(texts)
    assert short[0].shape == (2, 8)  # [CLS] i am [SEP]: the words that fit


def test_token_embedding_errors(tiny_sentence_model, monkeypatch):
    import sys

    path, _ = tiny_sentence_model
    with pytest.raises(ValueError, match="layer=5 is out of range .* 2 hidden states"):
        TokenEmbeddingEncoder(path, layer=5).fit(["a"])
    with pytest.raises(TypeError, match="Item 1 is a int"):
        TokenEmbeddingEncoder(path).fit(["a", 3])
    with pytest.raises(ValueError, match="never downloads"):
        TokenEmbeddingEncoder("bert-base-uncased").fit(["a"])
    monkeypatch.setitem(sys.modules, "transformers", None)
    from skmer.encoders import _text

    _text._token_model.cache_clear()
    with pytest.raises(ImportError, match=r'pip install "skmer\[text\]"'):
        TokenEmbeddingEncoder(path).fit(["a"])


def test_lexicon_repeated_dimensions_are_rejected():
    # regression: repeated dimensions gave duplicated output feature names
    with pytest.raises(ValueError, match="without repeats"):
        LexiconEncoder(dimensions=["valence", "valence"]).fit(["a"])


def test_word_vectors_of_another_dimension_are_reported():
    # regression: two words of different dimensions in one text failed in np.vstack
    vecs = {"happy": np.ones(2), "sad": np.ones(3)}
    enc = WordEmbeddingEncoder(vecs).fit(["happy"])
    with pytest.raises(
        ValueError,
        match=r"the vector of 'sad' has shape \(3,\); the vectors have dimension 2",
    ):
        enc.transform(["happy sad"])


def test_lexicon_file_words_that_pandas_reads_as_missing(tmp_path):
    # regression: read_csv turned the words "nan", "null" and "NA" into NaN, so
    # they merged into one averaged entry "nan"
    path = tmp_path / "lex.tsv"
    path.write_text("word\tvalence\nnan\t0.5\nnull\t-0.2\nNA\t0.1\n")
    enc = LexiconEncoder(str(path), coverage=False).fit(["x"])
    assert_allclose(enc.transform(["nan", "null", "na"]), [[0.5], [-0.2], [0.1]])


def test_glove_file_with_spaces_in_tokens_and_ragged_lines(tmp_path):
    # regression: GloVe 840B tokens such as ". . ." made the reader fail, and a
    # line with too few values was read as a shorter vector
    path = tmp_path / "glove.txt"
    path.write_text("happy 1.0 0.0\n. . . 0.5 0.5\nsad 0.0 1.0\n")
    enc = WordEmbeddingEncoder(path).fit(["x"])
    assert_allclose(enc.vectors_[". . ."], [0.5, 0.5])
    (tmp_path / "ragged.txt").write_text("happy 1.0 0.0\nsad 1.0\n")
    with pytest.raises(ValueError, match="line 2: not '<word> <floats>' with 2 floats"):
        WordEmbeddingEncoder(tmp_path / "ragged.txt").fit(["x"])
