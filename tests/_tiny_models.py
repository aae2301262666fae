"""A tiny randomly initialised local BERT for the FT/MAG tests (offline, ~1 s)."""

WORDS = ["good", "great", "bad", "awful", "the", "movie", "was", "plot"]


def tiny_bert(path, words=WORDS, hidden_size=8):
    """Save a 1-layer BERT with a word-level vocabulary of ``words`` under ``path``."""
    import transformers

    path.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    (path / "vocab.txt").write_text("\n".join(vocab))
    transformers.BertTokenizerFast(str(path / "vocab.txt")).save_pretrained(path)
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden_size,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=2 * hidden_size,
        max_position_embeddings=32,
    )
    transformers.BertModel(config).save_pretrained(path)
    return path


def tiny_sentence_transformer(path):
    """Save a tiny BERT with mean pooling as a sentence-transformers model."""
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.modules import (
            Pooling,
            Transformer,
        )
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer

    bert = tiny_bert(path / "bert")
    word = Transformer(str(bert), max_seq_length=16)
    model = SentenceTransformer(
        modules=[word, Pooling(8, pooling_mode="mean")], device="cpu"
    )
    model.save(str(path / "model"))
    return path / "model"
