"""Learned (supervised) sequence encoders trained with skorch.

torch and skorch are imported only when one of these encoders is fitted.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils.multiclass import type_of_target

from skmer.base import BaseModalityEncoder, item_index
from skmer.encoders._audio import log_mel_spectrogram
from skmer.encoders._common import as_float_array, load_audio
from skmer.utils._docstring import fill_doc
from skmer.utils._neural import NET_DOCS, NET_PARAMETER_CONSTRAINTS, NeuralNetMixin
from skmer.utils._optional import import_optional
from skmer.utils._sklearn_compat import Interval, StrOptions

_COMMON_DOC = """\
task : {"auto", "classification", "regression"}, default="auto"
    Training objective: cross-entropy over the classes of ``y`` or mean
    squared error on (standardised) continuous ``y``; ``"auto"`` reads the
    target type.
embedding_size : int, default=32
    Size of the penultimate layer, i.e. of the output of ``transform``.
dropout : float, default=0.0
    Dropout before the output layer during training.
max_epochs : int, default=20
    Training epochs.
batch_size : int, default=32
    Mini-batch size.
lr : float, default=1e-3
    Learning rate.
criterion : torch.nn.Module class or None, default=None
    None trains with ``torch.nn.CrossEntropyLoss`` (classification) or
    ``torch.nn.MSELoss`` (regression); a class is built with
    ``criterion_params``."""

_DEVICE_DOC = """\
device : str, default="cpu"
    Torch device.
verbose : int, default=0
    skorch's verbosity.
random_state : int, RandomState instance or None, default=None
    Seeds the weight initialisation and batch shuffling (torch is seeded
    inside a forked RNG, so the global torch RNG is untouched)."""

_ATTRIBUTES_DOC = """\
net_ : skorch.NeuralNet
    The trained net (pickle and ``skops.io`` store it as plain arrays).
classes_ : ndarray
    Class labels (classification).
task_ : str
    Objective used.
n_outputs_ : int
    Outputs of the training head (classes or targets).
feature_mean_, feature_scale_ : ndarray of shape (input_size_,)
    Per-feature standardisation of the steps.
n_features_out_ : int
    Equal to ``embedding_size``."""


_FLOAT32_MAX = float(np.finfo(np.float32).max)


class _LearnedEncoder(NeuralNetMixin, BaseModalityEncoder):
    """Common machinery: padding, skorch training, seeded, embeddings."""

    _parameter_constraints: dict = {
        **NET_PARAMETER_CONSTRAINTS,
        "task": [StrOptions({"auto", "classification", "regression"})],
        "embedding_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    def _sequence(self, item, index):
        """The item as a float ``(T, d)`` array (subclasses override)."""
        X = as_float_array(item, index, (1, 2), "a sequence (T, d)")
        return X[:, None] if X.ndim == 1 else X

    def _check_item(self, item, index):
        X = self._sequence(item, index)
        largest = np.abs(X).max()
        if not largest <= _FLOAT32_MAX:
            raise ValueError(
                f"{type(self).__name__}: item {index} holds values up to "
                f"{largest:.3g}, beyond the float32 range ({_FLOAT32_MAX:.3g}) the "
                "network computes in; rescale the items."
            )
        X = X.astype(np.float32)
        dim = getattr(self, "input_size_", None)
        if dim is not None and X.shape[1] != dim:
            raise ValueError(
                f"Item {index} has {X.shape[1]} features per step; the encoder was "
                f"fitted on {dim}."
            )
        return X

    def _standardise(self, s):
        return ((s - self.feature_mean_) / self.feature_scale_).astype(np.float32)

    @staticmethod
    def _pad(seqs):
        lengths = np.array([s.shape[0] for s in seqs], dtype=np.int64)
        X = np.zeros((len(seqs), lengths.max(), seqs[0].shape[1]), dtype=np.float32)
        for i, s in enumerate(seqs):
            X[i, : s.shape[0]] = s
        return {"x": X, "lengths": lengths}

    def _target(self, y):
        """The training target and the objective (``task_``, ``classes_``)."""
        y = np.asarray(y)
        task = self.task
        if task == "auto":
            kind = type_of_target(y)
            task = "regression" if kind.startswith("continuous") else "classification"
        self.task_ = task
        if task == "classification":
            if y.ndim != 1:
                raise ValueError("classification needs a 1-D y.")
            self.classes_, target = np.unique(y, return_inverse=True)
            if len(self.classes_) < 2:
                raise ValueError(
                    "classification needs at least 2 classes in y (of the present "
                    f"items); got only {self.classes_.tolist()}."
                )
            self.n_outputs_ = len(self.classes_)
            return target.astype(np.int64)
        target = np.asarray(y, dtype=np.float32)
        target = target.reshape(len(target), -1)
        if not np.all(np.isfinite(target)):
            bad = int(np.flatnonzero(~np.isfinite(target).all(axis=1))[0])
            raise ValueError(
                f"y contains NaN or infinity (present item {bad}); a regression "
                "target must be finite."
            )
        std = target.std(0)
        self.n_outputs_ = target.shape[1]
        return ((target - target.mean(0)) / np.where(std > 0, std, 1.0)).astype(
            np.float32
        )

    def _fit(self, items, y):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} is a supervised encoder: fit needs y."
            )
        import_optional("torch", "nn")
        import_optional("skorch", "nn")
        dims = {s.shape[1] for s in items}
        if len(dims) > 1:
            raise ValueError(
                f"Present items have different feature dimensions {sorted(dims)}."
            )
        self.input_size_ = dims.pop()
        frames = np.concatenate(items, axis=0).astype(np.float64)
        self.feature_mean_ = frames.mean(0)
        std = frames.std(0)
        self.feature_scale_ = np.where(std > 0, std, 1.0).astype(np.float32)
        target = self._target(y)
        self._train_net(self._pad([self._standardise(s) for s in items]), target)
        return self

    def _build_module(self, **module_params):
        params = {
            "n_outputs": self.n_outputs_,
            "embedding_size": self.embedding_size,
            "dropout": self.dropout,
            **self._architecture(),
            **module_params,
        }
        return self._module_class()(**params)

    def _default_criterion(self):
        import torch

        if self.task_ == "classification":
            return torch.nn.CrossEntropyLoss, {}
        return torch.nn.MSELoss, {}

    def _check_finite(self, features, rows, X):
        """Stricter than the base check: a present item whose embedding is all
        NaN raises too, since that row would otherwise read as a missing item."""
        bad = np.flatnonzero(~np.isfinite(features).all(axis=1))
        if bad.size:
            raise ValueError(
                f"{type(self).__name__}: item {item_index(rows[bad[0]])} gives a "
                "non-finite embedding (items with non-finite embeddings: "
                f"{rows[bad[:10]].tolist()}); its values overflow the network's "
                "float32 computation. Rescale the items."
            )

    def _transform(self, items):
        torch = import_optional("torch", "nn")
        module = self.net_.module_
        module.eval()
        out = []
        with torch.no_grad():
            # one item at a time: no padding, so a row never depends on the others
            for s in items:
                x = torch.as_tensor(self._standardise(s)[None], device=self.device)
                lengths = torch.tensor([s.shape[0]])
                out.append(module.embed(x, lengths).cpu().numpy()[0])
        return np.asarray(out, dtype=float)

    def _feature_names(self):
        return [f"emb{i}" for i in range(self.embedding_size)]


@fill_doc(
    common=_COMMON_DOC, attributes=_ATTRIBUTES_DOC, device=_DEVICE_DOC, **NET_DOCS
)
class RecurrentSequenceEncoder(_LearnedEncoder):
    """Supervised GRU/LSTM encoder of ``(T, d)`` sequences (skorch).

    Each item is a sequence of ``T`` frames of ``d`` features (frame-level
    acoustic descriptors, facial AU intensities, physiological samples...);
    ``T`` may differ between items (1-D items are read as ``d = 1``). The net
    (:class:`skmer.nn._encoders.RecurrentSequenceNet`) is trained to predict
    ``y``; ``transform`` returns the penultimate embedding computed from the
    last hidden state.

    Features: ``emb0 ... emb{embedding_size-1}``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    cell : {"gru", "lstm"}, default="gru"
        Recurrent cell.
    hidden_size : int, default=32
        Hidden units per direction.
    num_layers : int, default=1
        Stacked layers.
    bidirectional : bool, default=False
        Bidirectional recurrence.
    %(common)s
    %(net_optimizer)s
    %(net_callbacks)s
    %(device)s

    Attributes
    ----------
    %(attributes)s
    input_size_ : int
        Features per step.

    See Also
    --------
    ConvSequenceEncoder : 1-D convolutional alternative.
    SequencePooling : unsupervised statistics over time.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import RecurrentSequenceEncoder
    >>> rng = np.random.RandomState(0)
    >>> seqs = [rng.normal(size=(rng.randint(3, 8), 2)) for _ in range(8)]
    >>> y = [0, 1] * 4
    >>> enc = RecurrentSequenceEncoder(embedding_size=4, max_epochs=2, random_state=0)
    >>> enc.fit_transform(seqs + [None], y + [0]).shape
    (9, 4)
    """

    _parameter_constraints: dict = {
        **_LearnedEncoder._parameter_constraints,
        "cell": [StrOptions({"gru", "lstm"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
    }

    def __init__(
        self,
        *,
        cell="gru",
        hidden_size=32,
        num_layers=1,
        bidirectional=False,
        task="auto",
        embedding_size=32,
        dropout=0.0,
        max_epochs=20,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        device="cpu",
        verbose=0,
        random_state=None,
    ):
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.task = task
        self.embedding_size = embedding_size
        self.dropout = dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.device = device
        self.verbose = verbose
        self.random_state = random_state

    def _module_class(self):
        from skmer.nn._encoders import RecurrentSequenceNet

        return RecurrentSequenceNet

    def _architecture(self):
        return {
            "input_size": self.input_size_,
            "cell": self.cell,
            "hidden_size": self.hidden_size,
            "num_layers": self.num_layers,
            "bidirectional": self.bidirectional,
        }


@fill_doc(
    common=_COMMON_DOC, attributes=_ATTRIBUTES_DOC, device=_DEVICE_DOC, **NET_DOCS
)
class ConvSequenceEncoder(_LearnedEncoder):
    """Supervised 1-D convolutional encoder of ``(T, d)`` sequences (skorch).

    Like :class:`RecurrentSequenceEncoder` with a stack of "same" 1-D
    convolutions and a mean over the valid time steps
    (:class:`skmer.nn._encoders.ConvSequenceNet`).

    Features: ``emb0 ... emb{embedding_size-1}``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    channels : tuple of int, default=(32, 32)
        Channels of the convolution layers.
    kernel_size : int, default=5
        Odd kernel width.
    %(common)s
    %(net_optimizer)s
    %(net_callbacks)s
    %(device)s

    Attributes
    ----------
    %(attributes)s
    input_size_ : int
        Features per step.

    See Also
    --------
    RecurrentSequenceEncoder : recurrent alternative.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import ConvSequenceEncoder
    >>> rng = np.random.RandomState(0)
    >>> seqs = [rng.normal(size=(rng.randint(3, 8), 2)) for _ in range(8)]
    >>> enc = ConvSequenceEncoder(channels=(4,), embedding_size=3, max_epochs=2,
    ...                           random_state=0)
    >>> enc.fit_transform(seqs, [0.5, 1.0] * 4).shape
    (8, 3)
    """

    _parameter_constraints: dict = {
        **_LearnedEncoder._parameter_constraints,
        "channels": [tuple, list],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        channels=(32, 32),
        kernel_size=5,
        task="auto",
        embedding_size=32,
        dropout=0.0,
        max_epochs=20,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        device="cpu",
        verbose=0,
        random_state=None,
    ):
        self.channels = channels
        self.kernel_size = kernel_size
        self.task = task
        self.embedding_size = embedding_size
        self.dropout = dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.device = device
        self.verbose = verbose
        self.random_state = random_state

    def _module_class(self):
        from skmer.nn._encoders import ConvSequenceNet

        return ConvSequenceNet

    def _architecture(self):
        _check_conv(self.channels, self.kernel_size)
        return {
            "input_size": self.input_size_,
            "channels": tuple(self.channels),
            "kernel_size": self.kernel_size,
        }


def _check_conv(channels, kernel_size):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd; got {kernel_size}.")
    if not channels or any(not isinstance(c, Integral) or c < 1 for c in channels):
        raise ValueError(f"channels must be positive integers; got {channels!r}.")


@fill_doc(
    common=_COMMON_DOC, attributes=_ATTRIBUTES_DOC, device=_DEVICE_DOC, **NET_DOCS
)
class SpectrogramCNNEncoder(_LearnedEncoder):
    """Supervised CNN over log-mel spectrograms of audio (skorch).

    Each item is a waveform (1-D array at ``sr``, or an audio file path) when
    ``sr`` is set -- it is turned into a log-mel spectrogram with
    :func:`log_mel_spectrogram` -- or, with ``sr=None``, a precomputed
    spectrogram ``(n_mels, n_frames)``. The number of frames may differ
    between items. The net (:class:`skmer.nn._encoders.SpectrogramCNN`)
    is trained to predict ``y``; ``transform`` returns its penultimate
    embedding.

    Features: ``emb0 ... emb{embedding_size-1}``.

    Read more in the :ref:`User Guide <encoders>`.

    Parameters
    ----------
    sr : int, default=16000
        Sample rate of waveform items; None means items are spectrograms.
    n_mels : int, default=64
        Mel bands of the computed spectrograms.
    hop_length : int, default=256
        Spectrogram hop in samples.
    channels : tuple of int, default=(8, 16)
        Channels of the 2-D convolution layers.
    kernel_size : int, default=3
        Odd kernel size.
    %(common)s
    %(net_optimizer)s
    %(net_callbacks)s
    %(device)s

    Attributes
    ----------
    %(attributes)s
    input_size_ : int
        Frequency bins per frame.

    See Also
    --------
    AudioEncoder : hand-crafted acoustic descriptors.

    Examples
    --------
    >>> import numpy as np
    >>> from skmer.encoders import SpectrogramCNNEncoder
    >>> rng = np.random.RandomState(0)
    >>> waves = [rng.normal(size=rng.randint(2000, 4000)) for _ in range(6)]
    >>> enc = SpectrogramCNNEncoder(sr=8000, n_mels=16, channels=(4,), embedding_size=3,
    ...                             max_epochs=2, random_state=0)
    >>> enc.fit_transform(waves, [0, 1, 2] * 2).shape
    (6, 3)
    """

    _parameter_constraints: dict = {
        **_LearnedEncoder._parameter_constraints,
        "sr": [Interval(Integral, 1, None, closed="left"), None],
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "channels": [tuple, list],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sr=16000,
        n_mels=64,
        hop_length=256,
        channels=(8, 16),
        kernel_size=3,
        task="auto",
        embedding_size=32,
        dropout=0.0,
        max_epochs=20,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        criterion=None,
        callbacks=None,
        module_params=None,
        optimizer_params=None,
        criterion_params=None,
        device="cpu",
        verbose=0,
        random_state=None,
    ):
        self.sr = sr
        self.n_mels = n_mels
        self.hop_length = hop_length
        self.channels = channels
        self.kernel_size = kernel_size
        self.task = task
        self.embedding_size = embedding_size
        self.dropout = dropout
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.criterion = criterion
        self.callbacks = callbacks
        self.module_params = module_params
        self.optimizer_params = optimizer_params
        self.criterion_params = criterion_params
        self.device = device
        self.verbose = verbose
        self.random_state = random_state

    def _sequence(self, item, index):
        if self.sr is None:
            S = as_float_array(item, index, 2, "a spectrogram (n_mels, n_frames)")
        else:
            y = load_audio(item, index, self.sr)
            S = log_mel_spectrogram(
                y, self.sr, n_mels=self.n_mels, hop_length=self.hop_length
            )
        return S.T

    def _module_class(self):
        from skmer.nn._encoders import SpectrogramCNN

        return SpectrogramCNN

    def _architecture(self):
        _check_conv(self.channels, self.kernel_size)
        return {
            "n_mels": self.input_size_,
            "channels": tuple(self.channels),
            "kernel_size": self.kernel_size,
        }
